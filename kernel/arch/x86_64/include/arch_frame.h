/* SPDX-License-Identifier: BSD-2-Clause */
/* The register frame every kernel entry (exception, interrupt, SYSCALL) saves. */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <stdint.h>

/*
 * Built on the top of the thread's kernel stack; the layout is fixed by the
 * push order in entry.S (lowest address first). Interrupt and exception stubs
 * push vector and error code; SYSCALL entry fakes the hardware part so both
 * look the same and either exit path can return to user mode.
 */
struct trap_frame {
    /* the six argument/result registers in the system call ABI's order, lowest: a system
     * call's handler takes them as its r[6] (syscall_args), so nothing is copied in or out */
    union {
        struct {
            uint64_t rdi, rsi, rdx, r10, r8, r9;
        };
        uint64_t args[6];
    };
    uint64_t rax, rbx, rcx, rbp, r11, r12, r13, r14, r15;
    uint64_t vector;                   /* exception/IRQ vector, or VEC_SYSCALL */
    uint64_t error;                    /* hardware error code or 0 */
    uint64_t rip, cs, rflags, rsp, ss; /* as pushed by the CPU */
};

#define VEC_SYSCALL 0x100

/* A system call's number and its six argument/result registers, in place in its frame. */
static inline uint64_t arch_syscall_nr(const struct trap_frame *f)
{
    return f->rax;
}

static inline uint64_t *arch_syscall_args(struct trap_frame *f)
{
    return f->args;
}

/* A system call's error, for rax (l4_err_t, an int, goes out sign-extended as the stub has it). */
static inline void arch_syscall_set_err(struct trap_frame *f, int err)
{
    f->rax = (uint64_t)(int64_t)err;
}

/*
 * A short IPC message arrives in to's saved registers: the call succeeded (rax 0), the tag
 * and four words come from the sender's arguments a[1..5], in the same registers but one
 * down, and the badge last (the register of the slot the sender named).
 */
static inline void arch_ipc_deliver(struct trap_frame *to, const uint64_t a[6], uint64_t badge)
{
    to->rax = 0;
    to->rdi = a[1];
    to->rsi = a[2];
    to->rdx = a[3];
    to->r10 = a[4];
    to->r8 = a[5];
    to->r9 = badge;
    /* it leaves through IRETQ (the C fastpath's way out, fast_c): rcx and r11 as SYSRET
     * gives them, the rip and rflags it returns to (exregs may have moved its rip and not
     * its rcx slot: REG-078) */
    to->rcx = to->rip;
    to->r11 = to->rflags;
}

/* A page fault as the CPU reports one of user code: what the kernel tells a thread's pager
 * when it needs a page of the thread's own buffer (kernel/core/ipc_copy.c). Error code bits:
 * P (the page is there, but not with the access), W (a write), U (user mode). */
#define VEC_PAGE_FAULT                14
#define PF_ERROR_USER(write, present) (4u | ((write) ? 2u : 0u) | ((present) ? 1u : 0u))

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "entry.S pushes 22 words");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 15 * 8, "entry.S layout");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == 17 * 8, "entry.S layout");
_Static_assert(__builtin_offsetof(struct trap_frame, r9) == 5 * 8, "r[6] in ABI order");

#endif
