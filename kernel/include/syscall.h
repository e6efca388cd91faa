/* SPDX-License-Identifier: BSD-2-Clause */
/* Generic system call dispatch, called by the arch entry code. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "types.h"

/* r[0..5] hold the arguments on entry and the results on return; nr is one the kernel
 * carries out for the caller (syscall_carried_out). */
l4_err_t syscall_dispatch(l4_word_t nr, l4_word_t r[6]);
/* The caller's SYSCALL nr that the kernel does not carry out (syscall_carried_out is
 * false): debug builds say why; the error it returns (ENOSYS). */
l4_err_t syscall_refused(l4_word_t nr) __attribute__((cold, noinline));
/*
 * What a handler returns that stopped at a preemption point, part way through a long
 * operation, with the kernel's state whole (cap_revoke: sys_cap.c). It is no error user
 * space sees: the caller's registers stay as they came (its call number, its arguments) and
 * it goes back to its SYSCALL instruction, so the call runs again once whatever wanted the
 * CPU (an interrupt, a better thread) has had it, and goes on from where it stopped.
 */
#define SYSCALL_AGAIN (-2)

#endif
