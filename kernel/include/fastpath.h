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
 * the entry stub leaves from it, on the partner's kernel stack (through IRETQ, which a
 * foreign system call's resume needs: its rcx and r11 are the handler's).
 */
struct trap_frame;
struct trap_frame *ipc_fastpath_entry(struct trap_frame *f);
/*
 * The same for a system call whose number is at or above the thread's syscall_limit (the
 * entry stub calls this first for those): if the thread is foreign and its handler waits on
 * its fault endpoint, the handler gets the call (kernel/core/foreign.c) and its frame is
 * returned, to leave through SYSRET from; otherwise NULL, having changed nothing. The
 * handler's ipc_reply_recv with a resume takes the fastpath through ipc_fastpath_entry, and
 * the thread then leaves through IRETQ.
 */
struct trap_frame *foreign_fast_entry(struct trap_frame *f);
/* The handler's side of that: ipc_fastpath_entry's case of an ipc_reply_recv whose tag has
 * more than L4_MSG_REGS words (a foreign call's resume) or flags (NULL), for an assembly
 * fastpath that has checked the fastpath gate and the number against syscall_limit. */
struct trap_frame *foreign_reply_fast_entry(struct trap_frame *f);
/* "ipc=slow" on the kernel command line turns it off: fast_gate.slow (sched.h). */

#endif
