/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which Linux system call each number runs. A number with no entry returns -ENOSYS, logged
 * once per number (syscall.c). The lists are in
 * syscall_list.h.
 */
#include "linux.h"

#define ENTRY(name) [LX_NR_##name] = sys_##name,

const lx_syscall_fn lx_syscalls[LX_NR_MAX] = {LX_TABLE_CALLS(ENTRY)};
