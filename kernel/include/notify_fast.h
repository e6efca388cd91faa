/* SPDX-License-Identifier: BSD-2-Clause */
/* The notification fastpath's C part (kernel/core/notify_fast.c): what each architecture's
 * notify_fast.S, in its entry, calls or leaves to C. */
#ifndef KERNEL_NOTIFY_FAST_H
#define KERNEL_NOTIFY_FAST_H

#include "arch.h"
#include "types.h"

struct notification;
struct tcb;
struct trap_frame;
/*
 * The fastpath's wait when the thread it would switch to cannot return from its frame (it
 * resumes a kernel context of its own): with the caller's frame whole, it waits on n (no
 * bits pending, checks made, the run queue not empty), its call chain dropped, and the run
 * queue's best runs where it stopped.
 */
_Noreturn void notify_wait_jump(struct notification *n);
/* A thread whose wait the fastpath blocked (ntf_resume) runs again by a general switch
 * (ipc_fast_resume): its results, in its TCB, go into its frame. */
void notify_fast_resume(struct tcb *self);
/* What a thread with ntf_resume is (debug asserts; notify_fast.c). */
#if ARCH_FASTPATHS
bool notify_fast_resumable(const struct tcb *t);
#else
static inline bool notify_fast_resumable(const struct tcb *t)
{
    (void)t;
    return false; // no fastpath on this architecture leaves a notification wait
}
#endif

#endif
