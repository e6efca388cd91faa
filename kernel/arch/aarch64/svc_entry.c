/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Where the el0_sync vector (vectors.S) sends an SVC below the thread's syscall_limit: the
 * code of its number's entry kind (syscalls.toml's entry; gensyscalls.py's
 * SYSCALL_ENTRY_BY_NUMBER), one load and a branch. The thread's syscall_limit is never above
 * syscall_count (thread.c), so the vector's index is always inside the table.
 */
#include "kconfig.h"
#include "sys_handlers.h"

#include <stdint.h>

#ifndef CONFIG_TRACE /* (the vector sends every SVC of the event-trace kernel to C) */

/* The entries (vectors.S, ipc_fast.S, notify_fast.S): code, not data; only their addresses
 * are taken */
extern const char el0_svc_none[], el0_svc_full[], el0_light[], entry_notify_signal[],
    ipc_fast_call[], ipc_fast_reply_recv[], entry_notify_wait[];

#define SVC_ENTRY_NONE           el0_svc_none
#define SVC_ENTRY_FULL           el0_svc_full
#define SVC_ENTRY_LIGHT          el0_light
#define SVC_ENTRY_NOTIFY_SIGNAL  entry_notify_signal
#define SVC_ENTRY_IPC_CALL       ipc_fast_call
#define SVC_ENTRY_IPC_REPLY_RECV ipc_fast_reply_recv
#define SVC_ENTRY_NOTIFY_WAIT    entry_notify_wait
#define SVC_ENTRY(kind)          (uintptr_t) SVC_ENTRY_##kind,

_Static_assert(SYSCALL_ENTRY_KINDS == 7, "svc_entry: an entry kind with no code here");

extern const uintptr_t svc_entry[SYSCALL_COUNT];
const uintptr_t svc_entry[SYSCALL_COUNT] = {SYSCALL_ENTRY_BY_NUMBER(SVC_ENTRY)};
#define ONE(kind) +1
_Static_assert(0 SYSCALL_ENTRY_BY_NUMBER(ONE) == SYSCALL_COUNT,
               "svc_entry: an entry for each number");
#endif
