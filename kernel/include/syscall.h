/* SPDX-License-Identifier: BSD-2-Clause */
/* Generic system call dispatch, called by the arch entry code. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "types.h"

/* r[0..5] hold the arguments on entry and the results on return. */
l4_err_t syscall_dispatch(l4_word_t nr, l4_word_t r[6]);
/* Is nr one of Coffer's system calls? */
bool syscall_known(l4_word_t nr);

#endif
