/* SPDX-License-Identifier: BSD-2-Clause */
/* The thread-local storage bases of an x86_64 thread: thread_tls's which (<coffer/thread.h>). */
#ifndef COFFER_TLS_H
#define COFFER_TLS_H

#define L4_TLS_FS    0         /* FS base: the SysV ABI's TLS pointer (%fs:0) */
#define L4_TLS_GS    1         /* GS base: free for the program's own use (%gs:0) */
#define L4_TLS_COUNT 2         /* bases per thread */
#define L4_TLS_TP    L4_TLS_FS /* the C ABI's thread pointer, in every architecture */

#endif
