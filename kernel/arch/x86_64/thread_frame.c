/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-thread register frames and the initial kernel context of a new thread. */
#include "arch.h"
#include "arch_cpu.h"
#include "string.h"

void arch_return_to_user(void);        // entry.S: IRETQ with the frame
void arch_return_to_user_sysret(void); // entry.S: SYSRET with the frame

struct trap_frame *arch_frame_of(void *kstack_base)
{
    return (struct trap_frame *)((char *)kstack_base + KSTACK_SIZE) - 1;
}

void arch_frame_init_user(struct trap_frame *f, vaddr_t entry, vaddr_t sp, l4_word_t arg)
{
    memset(f, 0, sizeof(*f));
    f->rip = entry;
    f->rsp = sp;
    f->rdi = arg;
    f->cs = SEL_UCODE;
    f->ss = SEL_UDATA;
    f->rflags = RFLAGS_IF | 0x2; // bit 1 is always set
}

/*
 * Lay out what arch_context_switch pops: six callee-saved registers and a
 * return address, directly below the user frame, so the first switch to the
 * thread "returns" into the exit path and IRETQs to its entry point.
 */
static void context_init(uint64_t *saved_sp, void *kstack_base, void (*resume)(void))
{
    uint64_t *sp = (uint64_t *)arch_frame_of(kstack_base);

    *--sp = (uint64_t)resume;
    for (int i = 0; i < 6; i++)
        *--sp = 0;
    *saved_sp = (uint64_t)sp;
}

void arch_frame_read(const struct trap_frame *f, struct user_regs *r)
{
    r->ip = f->rip;
    r->sp = f->rsp;
    r->arg = f->rdi;
}

/*
 * Only ip, sp and rdi change; cs, ss and rflags stay the kernel's, so no
 * value written here can raise privilege or turn off interrupts.
 */
void arch_frame_write(struct trap_frame *f, const struct user_regs *r)
{
    f->rip = r->ip;
    f->rsp = r->sp;
    f->rdi = r->arg;
}

void arch_context_init(uint64_t *saved_sp, void *kstack_base)
{
    context_init(saved_sp, kstack_base, arch_return_to_user);
}

void fast_resume_entry(void); // entry.S

void arch_context_init_resume(uint64_t *saved_sp, void *kstack_base)
{
    context_init(saved_sp, kstack_base, fast_resume_entry);
}

/* The frame was saved by SYSCALL (checked by the caller): SYSRET may take it back. */
void arch_context_init_sysret(uint64_t *saved_sp, void *kstack_base)
{
    context_init(saved_sp, kstack_base, arch_return_to_user_sysret);
}

bool arch_frame_sysret_ok(const struct trap_frame *f)
{
    return f->vector == VEC_SYSCALL && f->cs == SEL_UCODE && f->rip < USER_TOP;
}

void arch_syscall_results(struct trap_frame *f, l4_err_t err, const l4_word_t r[6])
{
    f->rax = (uint64_t)err;
    f->rdi = r[0];
    f->rsi = r[1];
    f->rdx = r[2];
    f->r10 = r[3];
    f->r8 = r[4];
    f->r9 = r[5];
}
