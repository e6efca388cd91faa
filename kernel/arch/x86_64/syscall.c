/* SPDX-License-Identifier: BSD-2-Clause */
/* SYSCALL setup and the C half of the syscall entry: registers in, results out. */
#include "syscall.h"

#include "arch.h"
#include "arch_cpu.h"
#include "fastpath.h"
#include "foreign.h"
#include "printk.h"
#include "x86.h"

#include <coffer/syscall_nr.h>

void syscall_entry(void);        // entry.S
void syscall_compat_entry(void); // entry.S
_Static_assert(L4_ENOSYS == 8, "entry.S's L4_ENOSYS_VALUE");

void syscall_init(void)
{
    /* SYSCALL: CS = 0x10, SS = 0x18. SYSRET (64-bit): CS = 0x20+16|3, SS = 0x20+8|3 */
    wrmsr(MSR_STAR, (uint64_t)(SEL_UCODE32 & ~3) << 48 | (uint64_t)SEL_KCODE << 32);
    wrmsr(MSR_LSTAR, (uint64_t)syscall_entry);
    wrmsr(MSR_CSTAR, (uint64_t)syscall_compat_entry); // unreachable: no 32-bit code segment
    /* entered with IF, TF, DF, AC and NT clear: the kernel runs with interrupts off */
    wrmsr(MSR_SFMASK, 0x47700);
}

static bool canonical(uint64_t va)
{
    return va < USER_TOP || va >= 0xffff800000000000;
}

/*
 * Returns 0 when SYSRET may be used to go back. SYSRET to a non-canonical rip faults in
 * ring 0 on Intel CPUs with the user's stack, and so does IRETQ (on the kernel stack, but
 * after the exit's SWAPGS): neither may ever see one. Every rip the kernel takes from user
 * code (exregs, thread_regs, a foreign resume) is checked below USER_TOP, and the top page
 * of user space is never mapped (USER_MAP_TOP), so that a SYSCALL in its last bytes cannot
 * save rcx = USER_TOP. This test is the last line: a frame that fails it leaves through
 * IRETQ, whose ring-3 checks (CS, SS) then fault in user mode.
 */
/*
 * A SYSCALL the kernel does not carry out for this thread (the entry stub dispatched every
 * other: entry.S, syscall_general): its foreign system call handler gets it, or it is
 * refused (ENOSYS). Returns 0 when SYSRET may take the thread back.
 */
int syscall_from_user(struct trap_frame *f);
int syscall_from_user(struct trap_frame *f)
{
    DEBUG_ASSERT(!syscall_carried_out(f->rax));
    if (sched_current()->foreign != L4_FOREIGN_OFF) {
        foreign_syscall(f);
        sched_preempt_point(); // the handler's reply may have woken somebody better
        return 1;              // IRETQ: rcx and r11 are the handler's too
    }
    f->rax = (uint64_t)syscall_refused(f->rax);
    return !(canonical(f->rip) && f->rip < USER_TOP && f->cs == SEL_UCODE);
}
