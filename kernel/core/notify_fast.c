/* SPDX-License-Identifier: BSD-2-Clause */
/* The notification fastpath's C part: a wait's rare switch, and the resume of its waits. */
#include "notify_fast.h"

#include "arch.h"
#include "notification.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "thread.h"

/*
 * The fastpath itself is each architecture's notify_fast.S (x86_64 and AArch64): notify_signal and
 * notify_wait in their common cases, in the entry. A wait it blocks leaves the caller's kernel call
 * chain dropped (chain_dropped) with ntf_resume set: whoever wakes it, by either path, leaves
 * its results in its TCB (msg.w[0], ipc_result), and it runs again either straight from its
 * frame (the fastpath's wait, when it is the run queue's best) or through ipc_fast_resume
 * (notify_fast_resume below) after a general switch.
 */

/* What the fastpath takes for granted of a thread with ntf_resume, rather than testing it:
 * its frame is the SYSCALL's of its wait (SYSRET may take it back: thread_regs, which could
 * change it, clears ntf_resume), it is in no foreign call, and it is alive (its space and
 * page tables are there). (Its chain_dropped too, while it waits: become() clears it.) */
bool notify_fast_resumable(const struct tcb *t)
{
    return !t->in_foreign && !t->ext_from && arch_frame_sysret_ok(arch_frame_of(t->kstack)) &&
           t->space && t->space->root;
}

_Noreturn void notify_wait_jump(struct notification *n)
{
    struct tcb *self = sched_current();
    struct tcb *next = sched_pick();

    DEBUG_ASSERT(next && !next->ntf_resume && !n->word && sched_quiet());
    list_push_back(&n->waiters, &self->ipc_link);
    self->state = THREAD_BLOCKED;
    self->blocked_on = n;
    self->ipc_wait = IPC_NOTIFY;
    self->chain_dropped = true;
    self->ntf_resume = true;
    DEBUG_ASSERT(notify_fast_resumable(self));
    sched_jump_to(next); // it resumes where it stopped, as after the general path's switch
}

void notify_fast_resume(struct tcb *self)
{
    struct trap_frame *f = arch_frame_of(self->kstack);

    DEBUG_ASSERT(notify_fast_resumable(self));
    self->ntf_resume = false;
    arch_syscall_args(f)[0] = self->msg.w[0];
    arch_syscall_set_err(f, self->ipc_result);
}
