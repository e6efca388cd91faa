/* SPDX-License-Identifier: BSD-2-Clause */
/* The IPC fastpath for call and reply-receive with short messages. */
#ifndef KERNEL_FASTPATH_H
#define KERNEL_FASTPATH_H

#include "types.h"

/*
 * Try the fastpath for system call nr (L4_SYS_IPC_CALL or L4_SYS_IPC_REPLY_RECV)
 * with arguments a[]. Returns false, having changed nothing, if any condition
 * fails: the general path then does the work. Returns true once the call is
 * complete and its results are in the caller's saved registers.
 */
bool ipc_fastpath(l4_word_t nr, const l4_word_t a[6]);
/*
 * The same for the current thread's foreign system call (kernel/core/foreign.c),
 * when its handler waits on its fault endpoint: false, having changed nothing, or it does
 * not return (the handler runs; its reply resumes the thread through IRETQ). The handler's
 * ipc_reply_recv with a resume takes the fastpath through ipc_fastpath.
 */
bool foreign_fastpath(void);
/* "ipc=slow" on the kernel command line turns it off (make bench measures both). */
extern bool ipc_fastpath_enabled;

#endif
