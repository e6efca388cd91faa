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

#endif
