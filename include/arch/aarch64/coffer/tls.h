/* SPDX-License-Identifier: BSD-2-Clause */
/* The thread-local storage base of an AArch64 thread: thread_tls's which (<coffer/thread.h>). */
#ifndef COFFER_TLS_H
#define COFFER_TLS_H

/*
 * TPIDR_EL0, the AAPCS64 thread pointer (what `mrs x0, tpidr_el0` reads; user code may also
 * write it directly with msr, which is why the kernel saves it at every switch). There is
 * one base: TPIDRRO_EL0, read-only at EL0, is not offered.
 */
#define L4_TLS_TPIDR 0
#define L4_TLS_COUNT 1            /* bases per thread */
#define L4_TLS_TP    L4_TLS_TPIDR /* the C ABI's thread pointer, in every architecture */

#endif
