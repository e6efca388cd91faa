/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Which Linux system call each number runs. A number with no entry returns -ENOSYS, logged
 * once per number (syscall.c). One list per part of the server, each kept by its part.
 */
#include "linux.h"

/* processes, memory, time, futex and the rest (proc.c, mem.c, exec.c, misc.c) */
#define CORE_CALLS(X)

/* files, pipes, directories, poll (fs_*.c) */
#define FS_CALLS(X)

/* the terminal's own calls, if any (tty.c) */
#define TTY_CALLS(X)

/* signals, time, futex, identity (signal.c, time.c, futex.c, misc.c): the list is lx_sig.h's */
#include "lx_sig.h"
#define SIG_CALLS(X) LX_SIG_CALLS(X)

#define DECLARE(name) long sys_##name(struct lx_task *t, const uint64_t a[6]);
#define ENTRY(name)   [LX_NR_##name] = sys_##name,

CORE_CALLS(DECLARE)
FS_CALLS(DECLARE)
TTY_CALLS(DECLARE)
SIG_CALLS(DECLARE)

const lx_syscall_fn lx_syscalls[LX_NR_MAX] = {CORE_CALLS(ENTRY) FS_CALLS(ENTRY) TTY_CALLS(ENTRY)
                                                  SIG_CALLS(ENTRY)};
