/* SPDX-License-Identifier: BSD-2-Clause */
/* The notification fastpath (kernel/core/notify_fast.c). */
#ifndef KERNEL_NOTIFY_FAST_H
#define KERNEL_NOTIFY_FAST_H

#include "types.h"

struct tcb;
struct trap_frame;
/*
 * notify_signal or notify_wait, whose frame is f, in its common cases: returns the frame to
 * leave through SYSRET from (f, or that of the thread it switched to, now current) with the
 * results in it, or NULL, having changed nothing: the general path then does the work.
 */
struct trap_frame *notify_fastpath(struct trap_frame *f);
/* A thread whose wait the fastpath blocked (ntf_resume) runs again by a general switch
 * (ipc_fast_resume): its results, in its TCB, go into its frame. */
void notify_fast_resume(struct tcb *self);

#endif
