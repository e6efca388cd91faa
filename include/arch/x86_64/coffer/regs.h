/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's user-visible registers (x86_64), as the kernel hands them to user space. */
#ifndef COFFER_REGS_H
#define COFFER_REGS_H

#include <coffer/types.h>

/*
 * Every register user code can see, in this order. Calls and messages that carry a whole
 * register set (reading and writing another thread's registers, a foreign system call or
 * exception delivered to a handler) carry these words in this order, so that one struct
 * serves them all.
 *
 * rflags: only the bits user code may set (L4_RFLAGS_USER) can be written; the kernel keeps
 * the others (interrupts on, I/O privilege 0, ...). rip and rsp must be canonical user
 * addresses (below 0x800000000000). fs_base and gs_base are the thread-local storage bases.
 */
struct l4_regs {
    l4_word_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
    l4_word_t r8, r9, r10, r11, r12, r13, r14, r15;
    l4_word_t rip, rflags, fs_base, gs_base;
};

#define L4_REGS_WORDS (sizeof(struct l4_regs) / sizeof(l4_word_t))

/* The registers generic code names by their role (a program that sends a thread elsewhere
 * with thread_regs): where it goes on, its stack, and a function's first argument (the
 * register thread_exregs's arg sets). Each is an lvalue: L4_REGS_IP(&r) = ip. */
#define L4_REGS_IP(r)  ((r)->rip)
#define L4_REGS_SP(r)  ((r)->rsp)
#define L4_REGS_ARG(r) ((r)->rdi)
/* The thread's TLS bases, L4_TLS_COUNT words indexed by thread_tls's which (an lvalue array) */
#define L4_REGS_TLS(r) (&(r)->fs_base)
_Static_assert(__builtin_offsetof(struct l4_regs, gs_base) ==
                   __builtin_offsetof(struct l4_regs, fs_base) + sizeof(l4_word_t),
               "the bases in thread_tls's order");

/* CF, PF, AF, ZF, SF, TF, DF, OF and AC: the rflags bits a thread may set for itself. */
#define L4_RFLAGS_USER 0x40dd5ull

#endif
