/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's user-visible registers (AArch64), as the kernel hands them to user space. */
#ifndef COFFER_REGS_H
#define COFFER_REGS_H

#include <coffer/types.h>

/*
 * Every register user code can see, in this order. Calls and messages that carry a whole
 * register set (reading and writing another thread's registers, a foreign system call or
 * exception delivered to a handler) carry these words in this order, so that one struct
 * serves them all. x[0..3] come first so that a message's four register words are a system
 * call's first four arguments.
 *
 * x[30] is the link register. sp is SP_EL0, pc where the thread goes on (for a system call,
 * the instruction after its SVC, as ELR_EL1 holds it). pstate is the saved SPSR_EL1: only
 * the bits user code may set (L4_PSTATE_USER, the NZCV flags) can be written, another is
 * refused (EINVAL); the kernel keeps the others (EL0 with SP_EL0, AArch64 state, interrupts
 * unmasked, ...). pc and sp
 * must be user addresses (below 0x0001000000000000, the top of user space). tpidr_el0 is the
 * thread pointer (<coffer/tls.h>: L4_TLS_TPIDR), written only as a user address too, as
 * thread_tls takes it (ERANGE): EL0 may write it itself with any value (msr), which a read
 * gives as it is, so a set read from such a thread goes back only with tpidr_el0 changed. The
 * FP/SIMD registers are not here: the kernel
 * keeps each thread's, and only the thread itself sees them.
 */
struct l4_regs {
    l4_word_t x[31];
    l4_word_t sp, pc, pstate, tpidr_el0;
};

#define L4_REGS_WORDS (sizeof(struct l4_regs) / sizeof(l4_word_t))

/* The registers generic code names by their role (a program that sends a thread elsewhere
 * with thread_regs): where it goes on, its stack, and a function's first argument (the
 * register thread_exregs's arg sets). Each is an lvalue: L4_REGS_IP(&r) = ip. */
#define L4_REGS_IP(r)  ((r)->pc)
#define L4_REGS_SP(r)  ((r)->sp)
#define L4_REGS_ARG(r) ((r)->x[0])
/* The thread's TLS base(s), L4_TLS_COUNT words indexed by thread_tls's which (an lvalue array) */
#define L4_REGS_TLS(r) (&(r)->tpidr_el0)

/* N, Z, C and V (bits 31..28): the PSTATE bits a thread may set for itself. */
#define L4_PSTATE_USER 0xf0000000ull

#endif
