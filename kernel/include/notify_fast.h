/* SPDX-License-Identifier: BSD-2-Clause */
/* The notification fastpath (kernel/arch/x86_64/notify_fast.S or kernel/core/notify_fastpath.c,
 * and kernel/core/notify_fast.c). */
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
/* The same, next (the run queue's best) already taken off the run queue. */
_Noreturn void notify_wait_jump_to(struct notification *n, struct tcb *next);
/*
 * The fastpath in C (notify_fastpath.c), for an architecture whose entry stub saves the
 * whole frame f of a notify_signal or notify_wait first: NULL, having changed nothing, for
 * the general path; else the frame to leave from: f, its results written, or the frame of
 * the thread that now runs in the caller's place, on its own kernel stack.
 */
struct trap_frame *notify_fastpath_entry(struct trap_frame *f);
/* The same, for an entry stub that found fast_gate.word 0 itself (AArch64's vectors.S). */
struct trap_frame *notify_fastpath_open(struct trap_frame *f);
/* self waits on n, its call chain dropped (chain_dropped, ntf_resume): whoever wakes it leaves
 * its results in its TCB. (The C fastpath's and notify_wait_jump's: no checks.) */
void notify_fast_block(struct tcb *self, struct notification *n);
/* A thread with ntf_resume runs again: its results go from its TCB into its frame, which is
 * returned, and ntf_resume is cleared. (No checks: notify_fast_resume checks.) */
struct trap_frame *notify_fast_results(struct tcb *t);
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
