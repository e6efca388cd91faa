/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where syscall_entry (entry.S) jumps for a number below the thread's syscall_limit: the
 * code of its number's entry kind (syscalls.toml's entry; gensyscalls.py's
 * SYSCALL_ENTRY_BY_NUMBER), one indirect jump. The thread's syscall_limit is never above
 * syscall_count (thread.c), so the index is always inside the table. The event-trace kernel
 * sends the light and notification calls the general way, which records what they do.
 */
#include "kconfig.h"
#include "syscall.h"

/* The entries (entry.S, notify_fast.S): code, not data; only their addresses are taken */
extern const char entry_c[], entry_full[], entry_light[], entry_notify_signal[], entry_ipc_call[],
    entry_ipc_reply_recv[], entry_notify_wait[];

#define ENTRY_CODE_NONE           entry_c
#define ENTRY_CODE_FULL           entry_full
#define ENTRY_CODE_IPC_CALL       entry_ipc_call
#define ENTRY_CODE_IPC_REPLY_RECV entry_ipc_reply_recv
#ifdef CONFIG_TRACE
#define ENTRY_CODE_LIGHT         entry_full
#define ENTRY_CODE_NOTIFY_SIGNAL entry_full
#define ENTRY_CODE_NOTIFY_WAIT   entry_full
#else
#define ENTRY_CODE_LIGHT         entry_light
#define ENTRY_CODE_NOTIFY_SIGNAL entry_notify_signal
#define ENTRY_CODE_NOTIFY_WAIT   entry_notify_wait
#endif

SYSCALL_ENTRY_CODE_TABLE;
