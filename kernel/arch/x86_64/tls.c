/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-local storage bases (FS and GS base): loaded on switch, only when they change. */
#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"
#include "x86.h"

#include <coffer/thread.h>

/*
 * Only the kernel writes a base to a value of its choosing (WRMSR): CR4.FSGSBASE stays off
 * on purpose, so that WRFSBASE in user mode is an invalid opcode. With it on, every switch
 * would have to read the bases back first, some 17 instructions on every IPC between
 * threads that never use TLS.
 *
 * User code can still zero a base behind the kernel's back: loading FS or GS with a
 * selector (the null one, or a GDT data selector, whose base is 0) sets the base from the
 * descriptor. So what the kernel last wrote (cpu_tls) is exact only where it is 0; where it
 * is not, the CPU may hold 0 instead. A switch therefore skips a base only when both the
 * kernel's last write and next's base are 0, and writes it otherwise, even if the numbers
 * are equal: a thread that zeroed its own base must not leave another thread (of another
 * container, running the same program with the same TLS address) without its own. For
 * threads that never set one, two compares; WRMSR (some hundred cycles on hardware) is paid
 * by switches to or from threads that have bases.
 *
 * In the kernel, GS base is the CPU's own (arch_percpu.h): every entry from user mode
 * SWAPGSes, so while the kernel runs the user's GS base is in MSR_KGS_BASE, and that is
 * where it is read and written here; the exit to user mode swaps it back into place.
 */
static l4_word_t cpu_tls[L4_TLS_COUNT];

void tls_init(void)
{
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_KGS_BASE, 0); // the user's GS base (GS base itself is the CPU's: percpu_init)
}

void arch_tls_set(unsigned which, l4_word_t base)
{
    /* a non-canonical base would fault here, in the kernel: every caller checked it */
    DEBUG_ASSERT(which < L4_TLS_COUNT && base < USER_TOP);
    cpu_tls[which] = base;
    wrmsr(which == L4_TLS_FS ? MSR_FS_BASE : MSR_KGS_BASE, base);
}

l4_word_t arch_tls_get(unsigned which)
{
    DEBUG_ASSERT(which < L4_TLS_COUNT);
    if (!cpu_tls[which])
        return 0; // the only value user code can give a base itself: exact
    return rdmsr(which == L4_TLS_FS ? MSR_FS_BASE : MSR_KGS_BASE); // it may have zeroed it
}

/* Out of line: most switches are between threads whose bases are both zero. */
static __attribute__((noinline)) void load_both(const l4_word_t *next)
{
    for (unsigned which = 0; which < L4_TLS_COUNT; which++) {
        if (cpu_tls[which] | next[which]) // 0 and 0: the CPU holds 0 whatever user code did
            arch_tls_set(which, next[which]);
    }
}

void arch_tls_switch(l4_word_t *prev, const l4_word_t *next)
{
    (void)prev; // only the kernel chooses bases: prev's are already in its TCB
    if (unlikely(cpu_tls[L4_TLS_FS] | cpu_tls[L4_TLS_GS] | next[L4_TLS_FS] | next[L4_TLS_GS]))
        load_both(next);
}

/* Nothing is lent to a container's threads on x86_64 (arch_irq_bound). */
void arch_switch_access(const struct tcb *next)
{
    (void)next;
}
