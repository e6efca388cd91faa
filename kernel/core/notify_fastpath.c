/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The notification fastpath in C, for an architecture whose entry saves the whole frame
 * before it calls into C (AArch64: syscall.c); x86_64's is notify_fast.S, in its entry stub.
 * The cases and conditions are the same (notify_fast.S says each and why); so is what it
 * takes for granted (a waiter is never faulted, a thread with ntf_resume may return from its
 * frame: notify_fast_resumable, asserted where a thread with it is woken or resumed).
 */
#include "cap.h"
#include "notification.h"
#include "notify_fast.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"
#include "trace.h"

#include <coffer/cap.h>
#include <coffer/syscall_nr.h>

/* The notification behind self's slot, if its capability is a notification's with right. */
static inline __attribute__((always_inline)) struct cap *ntf_cap(const struct tcb *self,
                                                                 l4_word_t slot, uint32_t right)
{
    const struct captable *t = self->cspace;

    if (unlikely(slot >= t->nslots))
        return NULL;
    struct cap *k = &t->slots[slot];
    if (unlikely(k->type != L4_CAP_NOTIFICATION || !(k->rights & right)))
        return NULL;
    return k;
}

/* signal, when the first waiter (if any) does not outrank the caller: the preemption point
 * would not switch, so the caller goes on without it */
static struct trap_frame *fast_signal(struct tcb *self, struct trap_frame *f)
{
    struct cap *k = ntf_cap(self, arch_syscall_args(f)[0], L4_NTF_SIGNAL);

    if (unlikely(!k))
        return NULL; // the general path reports it
    struct notification *n = k->obj;
    if (!list_empty(&n->waiters)) {
        const struct tcb *w = container_of(n->waiters.next, struct tcb, ipc_link);
        if (unlikely(w->prio > self->prio))
            return NULL; // it outranks us: the preemption point switches
    }
    notification_signal_unchecked(n, k->a ? k->a : 1); // no reschedule: the waiter is no better
    arch_syscall_set_err(f, L4_OK);
    return f;
}

/*
 * wait: with bits pending it takes them and goes on. Otherwise it blocks, its call chain
 * dropped, and the run queue's best runs at once: straight from its frame with its results
 * from its TCB if its own wait was blocked here or in notify_fast.S (ntf_resume), else where
 * it stopped (notify_wait_jump). Nothing ready: the general path (the idle thread's turn).
 */
static struct trap_frame *fast_wait(struct tcb *self, struct trap_frame *f)
{
    struct cap *k = ntf_cap(self, arch_syscall_args(f)[0], L4_NTF_WAIT);

    if (unlikely(!k))
        return NULL;
    struct notification *n = k->obj;
    if (n->word) {
        arch_syscall_args(f)[0] = n->word;
        n->word = 0;
        arch_syscall_set_err(f, L4_OK);
        return f;
    }
    struct tcb *next = sched_pick(); // committed, if there is one: it leaves the run queue
    if (unlikely(!next))
        return NULL;
    if (!next->ntf_resume)
        notify_wait_jump_to(n, next); // it resumes a kernel context of its own
    /* we wait on the notification, next returns from its frame with its results from its
     * TCB (no asserts: notify_fast.S has none either, and make bench measures the debug build) */
    notify_fast_block(self, n);
    next->chain_dropped = false;
    struct trap_frame *to = notify_fast_results(next);
    sched_become(next);
    return to;
}

struct trap_frame *notify_fastpath_open(struct trap_frame *f)
{
    struct tcb *self = sched_current();

#ifdef CONFIG_TRACE
    (void)self, (void)f, (void)fast_signal, (void)fast_wait;
    return NULL; // the general path records the events
#else
    return arch_syscall_nr(f) == L4_SYS_NOTIFY_SIGNAL ? fast_signal(self, f) : fast_wait(self, f);
#endif
}

struct trap_frame *notify_fastpath_entry(struct trap_frame *f)
{
    if (unlikely(fast_gate.word))
        return NULL; // a reschedule pending, ipc=slow, or a dead thread to settle
    return notify_fastpath_open(f);
}
