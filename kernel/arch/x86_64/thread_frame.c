/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-thread register frames and the initial kernel context of a new thread. */
#include "arch.h"
#include "arch_cpu.h"
#include "string.h"

void arch_return_to_user(void); // entry.S

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
void arch_context_init(uint64_t *saved_sp, void *kstack_base)
{
    uint64_t *sp = (uint64_t *)arch_frame_of(kstack_base);

    *--sp = (uint64_t)arch_return_to_user;
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
