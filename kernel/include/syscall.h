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
 * For a handler that stopped at a preemption point, part way through a long operation, with
 * the kernel's state whole (cap_revoke: sys_cap.c): it returns syscall_again(nr), nr its own
 * call's number. No error user space sees: the caller goes back to its SYSCALL instruction
 * with its registers as they came, so the call runs again once whatever wanted the CPU (an
 * interrupt, a better thread) has had it, and goes on from where it stopped. The number comes
 * back as the "error" in rax, and the argument registers as the "results" the dispatcher
 * writes back, unchanged for a call that has none: so only calls without results may use it,
 * and the common return path pays nothing for it.
 */
l4_err_t syscall_again(l4_word_t nr);

#endif
