/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fastpath for call and reply-receive with short messages. */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include "types.h"

/*
 * Try the fastpath for the system call whose frame is f (the SYSCALL entry calls this for
 * L4_SYS_IPC_CALL and L4_SYS_IPC_REPLY_RECV before anything else). Returns NULL, having
 * changed nothing, if any condition fails: the general path then does the work. Otherwise
 * the partner is now the current thread with its results in its frame, which is returned:
 * the entry stub leaves through SYSRET from it, on the partner's kernel stack.
 */
struct trap_frame;
struct trap_frame *ipc_fastpath_entry(struct trap_frame *f);
/*
 * The same for the current thread's foreign system call (kernel/core/foreign.c),
 * when its handler waits on its fault endpoint: false, having changed nothing, or it does
 * not return (the handler runs; its reply resumes the thread through IRETQ). The handler's
 * ipc_reply_recv with a resume takes the fastpath through ipc_fastpath_entry.
 */
bool foreign_fastpath(void);
/* "ipc=slow" on the kernel command line turns it off: fast_gate.slow (sched.h). */

#endif
