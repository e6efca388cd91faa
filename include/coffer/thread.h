/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread ABI constants: configurable fields and exchange-registers flags. */
#ifndef COFFER_THREAD_H
#define COFFER_THREAD_H

#include <coffer/tls.h> /* the architecture's TLS bases: L4_TLS_COUNT of them */

/* thread_configure fields */
#define L4_THREAD_SPACE     1 /* value: slot of a space capability (L4_SPACE_BIND); before start */
#define L4_THREAD_PRIORITY  2 /* value: 0..255, at most the caller's and the thread's ceilings */
#define L4_THREAD_TIMESLICE 3 /* value: timer ticks per turn, 1..1000 */
#define L4_THREAD_FAULT_EP                                                                         \
    4                    /* value: slot of an endpoint (L4_EP_SEND); 0 = none (the kernel
                               * reports and stops the thread) */
#define L4_THREAD_UTCB 5 /* value: page-aligned address of its struct l4_utcb, mapped writable */
#define L4_THREAD_FOREIGN                                                                          \
    6 /* value: L4_FOREIGN_*: which of its SYSCALLs go to its fault endpoint (<coffer/ipc.h>) */
#define L4_THREAD_EXIT_NTF                                                                         \
    7 /* value: slot of a notification (L4_NTF_SIGNAL), signalled with its badge when the thread
       * ends or faults unhandled; 0 = none */
#define L4_THREAD_CAPTABLE                                                                         \
    8 /* value: slot of a capability table (L4_CT_BIND) of the thread's container: the table its
       * slots name from its next system call; 0 = its container's table, which only a thread
       * that uses its container's table itself may give */

/* thread_wait flags */
#define L4_WAIT_NONBLOCK (1u << 0) /* the thread is alive: ETIMEOUT rather than block */

/* L4_THREAD_FOREIGN values: foreign system calls (docs/architecture.md) */
#define L4_FOREIGN_OFF     0 /* the kernel executes every call; unknown numbers get L4_ENOSYS */
#define L4_FOREIGN_UNKNOWN 1 /* a number that is not a Coffer system call goes to the handler */
#define L4_FOREIGN_ALL     2 /* every SYSCALL goes to the handler, Coffer's own numbers too */

/* thread_exregs flags: one bit per register to set */
#define L4_EXREGS_SET_IP  (1u << 0)
#define L4_EXREGS_SET_SP  (1u << 1)
#define L4_EXREGS_SET_ARG (1u << 2)
#define L4_EXREGS_ALL     (L4_EXREGS_SET_IP | L4_EXREGS_SET_SP | L4_EXREGS_SET_ARG)

/* thread_regs flags: read a thread's struct l4_regs (<coffer/regs.h>), write it, or both */
#define L4_REGS_GET (1u << 0) /* copy the thread's registers to out (before any write) */
#define L4_REGS_SET (1u << 1) /* set every register from in */
#define L4_REGS_ALL (L4_REGS_GET | L4_REGS_SET)

/* thread_tls: which thread-local storage base of the caller (<coffer/tls.h>: 0 up to
 * L4_TLS_COUNT - 1), or'ed with L4_TLS_SET to set it as well; the old value comes back */
#define L4_TLS_SET (1u << 8)

#define L4_PRIO_MAX      255
#define L4_TIMESLICE_MAX 1000

#endif
