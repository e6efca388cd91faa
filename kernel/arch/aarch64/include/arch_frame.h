/* SPDX-License-Identifier: BSD-2-Clause */
/* The register frame every kernel entry from EL0 (exception, interrupt, SVC) saves. */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <stdint.h>

/*
 * Built on the top of the thread's kernel stack by vectors.S (lowest address first). x0..x5
 * come first: a system call's handler takes them as its r[6] (syscall_args), so nothing is
 * copied in or out; the number comes in x8 and the error goes back there (x86_64's rax).
 */
struct trap_frame {
    union {
        uint64_t x[31];   /* x0..x30 (x30 the link register) */
        uint64_t args[6]; /* x0..x5: the system call's r[6] */
    };
    uint64_t sp;     /* SP_EL0 */
    uint64_t pc;     /* ELR_EL1 */
    uint64_t pstate; /* SPSR_EL1 */
    uint64_t vector; /* VEC_SYSCALL, VEC_IRQ, or the exception class (ESR_EL1.EC) */
    uint64_t error;  /* ESR_EL1 of an exception, else 0 */
    uint64_t far;    /* FAR_EL1 of an abort, else 0 */
    uint64_t pad;    /* 16-byte alignment of the frame */
};

#define FRAME_X8     (8 * 8)
#define VEC_SYSCALL  0x100 /* above every exception class (6 bits) */
#define VEC_IRQ      0x101
#define X_SYSCALL_NR 8 /* the register of the number, and of the error on the way back */

/* A system call's number and its six argument/result registers, in place in its frame. */
static inline uint64_t arch_syscall_nr(const struct trap_frame *f)
{
    return f->x[X_SYSCALL_NR];
}

static inline uint64_t *arch_syscall_args(struct trap_frame *f)
{
    return f->args;
}

/* A system call's error, for x8 (l4_err_t, an int, goes out sign-extended). */
static inline void arch_syscall_set_err(struct trap_frame *f, int err)
{
    f->x[X_SYSCALL_NR] = (uint64_t)(int64_t)err;
}

/*
 * A short IPC message arrives in to's saved registers: the call succeeded (x8 0), the tag
 * and four words come from the sender's arguments a[1..5], one register down as on x86_64
 * (so the user library unpacks r[6] the same way), and the badge last.
 */
static inline void arch_ipc_deliver(struct trap_frame *to, const uint64_t a[6], uint64_t badge)
{
    to->x[X_SYSCALL_NR] = 0;
#pragma GCC unroll 5
    for (int i = 0; i < 5; i++)
        to->x[i] = a[i + 1];
    to->x[5] = badge;
}

/*
 * The kernel reports a user fault in x86_64's numbering on every architecture (a page fault
 * is 14, its code says present / write / user), so that pagers and fault handlers are
 * portable: trap.c translates a data or instruction abort into it.
 */
#define VEC_PAGE_FAULT                14
#define PF_ERROR_USER(write, present) (4u | ((write) ? 2u : 0u) | ((present) ? 1u : 0u))

_Static_assert(sizeof(struct trap_frame) == 38 * 8, "vectors.S stores 38 words");
_Static_assert(sizeof(struct trap_frame) % 16 == 0, "sp stays 16-byte aligned");
_Static_assert(__builtin_offsetof(struct trap_frame, sp) == 31 * 8, "vectors.S layout");

#endif
