/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the el0_sync vector (vectors.S) sends an SVC below the thread's syscall_limit: the
 * code of its number's entry kind (syscalls.toml's entry; gensyscalls.py's
 * SYSCALL_ENTRY_BY_NUMBER), one load and a branch. The thread's syscall_limit is never above
 * syscall_count (thread.c), so the vector's index is always inside the table.
 */
#include "kconfig.h"
#include "syscall.h"

#ifndef CONFIG_TRACE /* (the vector sends every SVC of the event-trace kernel to C) */

/* The entries (vectors.S, ipc_fast.S, notify_fast.S): code, not data; only their addresses
 * are taken */
extern const char el0_svc_none[], el0_svc_full[], el0_light[], entry_notify_signal[],
    ipc_fast_call[], ipc_fast_reply_recv[], entry_notify_wait[];

#define ENTRY_CODE_NONE           el0_svc_none
#define ENTRY_CODE_FULL           el0_svc_full
#define ENTRY_CODE_LIGHT          el0_light
#define ENTRY_CODE_NOTIFY_SIGNAL  entry_notify_signal
#define ENTRY_CODE_IPC_CALL       ipc_fast_call
#define ENTRY_CODE_IPC_REPLY_RECV ipc_fast_reply_recv
#define ENTRY_CODE_NOTIFY_WAIT    entry_notify_wait

SYSCALL_ENTRY_CODE_TABLE;
#endif
