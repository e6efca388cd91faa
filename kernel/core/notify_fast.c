/* SPDX-License-Identifier: BSD-2-Clause */
/* The notification fastpath: signal and wait without the general path's detours. */
#include "notify_fast.h"

#include "arch.h"
#include "container.h"
#include "endpoint.h"
#include "fastpath.h"
#include "notification.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "thread.h"

#include <coffer/cap.h>
#include <coffer/syscall_nr.h>

/*
 * The entry stub calls notify_fastpath for notify_signal and notify_wait (syscalls.toml's
 * entry = "notify") before the general path. It does what sys_notify_signal and
 * sys_notify_wait followed by the preemption point would, in the common cases, and falls
 * back (NULL, nothing changed) for the rest:
 *
 * - signal: the waiter it wakes, if any, does not outrank the caller (so the preemption
 *   point would not switch); the caller goes on.
 * - wait with bits pending: it takes them and goes on.
 * - wait that blocks, when a thread is ready: the run queue's best, the one the general
 *   path would switch to, runs at once. The caller's kernel call chain is dropped: whoever
 *   wakes it, by either path, leaves its results in its TCB, and a general switch to it
 *   resumes it through ipc_fast_resume (notify_fast_resume). If the thread that runs left
 *   its own call this way (ntf_resume) with a frame SYSRET may take back, its bits go
 *   straight into its saved rdi and the stub returns from its frame; otherwise it resumes
 *   where it stopped (sched_jump_to).
 *
 * The capability checks are the general path's (cap_lookup through the caller's table:
 * slot in range, type, right); every refusal goes to the general path, which reports it.
 * Both go off with "ipc=slow".
 */

/* The notification behind the caller's slot, if it is one with right. */
static inline struct notification *notification_of(const struct tcb *self, l4_word_t slot,
                                                   uint32_t right, l4_word_t *badge)
{
    const struct captable *t = self->cspace;

    if (unlikely(slot >= t->nslots))
        return NULL;
    const struct cap *k = &t->slots[slot];
    if (unlikely(k->type != L4_CAP_NOTIFICATION || !(k->rights & right)))
        return NULL;
    *badge = k->a;
    return k->obj;
}

static struct trap_frame *fast_signal(struct trap_frame *f, struct tcb *self)
{
    l4_word_t badge;
    struct notification *n = notification_of(self, arch_syscall_args(f)[0], L4_NTF_SIGNAL, &badge);

    if (unlikely(!n))
        return NULL;
    l4_word_t bits = badge ? badge : 1;
    if (list_empty(&n->waiters)) {
        n->word |= bits;
    } else {
        struct tcb *t = container_of(n->waiters.next, struct tcb, ipc_link);
        if (unlikely(t->prio > self->prio))
            return NULL; // it runs at once: the general path's preemption point switches
        list_remove(&t->ipc_link);
        t->msg.w[0] = n->word | bits;
        n->word = 0;
        t->blocked_on = NULL; // ipc_wake, with a wake that cannot call for a switch
        t->ipc_wait = IPC_NONE;
        t->ipc_result = L4_OK;
        sched_wake_lower(t);
    }
    arch_syscall_set_err(f, L4_OK);
    return f;
}

/* May next, the run queue's best, run in place of the caller that blocks, and return from
 * its frame through SYSRET with a notification wait's results? Its frame goes to *nf. */
static inline bool can_resume(const struct tcb *next, struct trap_frame **nf)
{
    if (!next || !next->ntf_resume)
        return false;
    DEBUG_ASSERT(next->chain_dropped && !next->in_foreign && !next->ext_from);
    *nf = arch_frame_of(next->kstack);
    return arch_frame_sysret_ok(*nf) && next->space && next->space->root;
}

static struct trap_frame *fast_wait(struct trap_frame *f, struct tcb *self)
{
    l4_word_t badge;
    struct notification *n = notification_of(self, arch_syscall_args(f)[0], L4_NTF_WAIT, &badge);
    struct trap_frame *nf;

    if (unlikely(!n))
        return NULL;
    if (n->word) {
        arch_syscall_args(f)[0] = n->word;
        n->word = 0;
        arch_syscall_set_err(f, L4_OK);
        return f;
    }
    struct tcb *next = sched_pick();
    if (unlikely(!next))
        return NULL; // the idle thread's turn: the general path's
    /* committed, next off the run queue as a switch takes it: we wait on n as
     * notification_wait has it, our kernel call chain dropped */
    list_push_back(&n->waiters, &self->ipc_link);
    self->state = THREAD_BLOCKED;
    self->blocked_on = n;
    self->ipc_wait = IPC_NOTIFY;
    self->chain_dropped = true;
    self->ntf_resume = true;
    if (unlikely(!can_resume(next, &nf)))
        sched_jump_to(next); // it resumes where it stopped, as after the general path's switch
    next->chain_dropped = false;
    next->ntf_resume = false;
    arch_syscall_args(nf)[0] = next->msg.w[0];
    arch_syscall_set_err(nf, next->ipc_result);
    sched_become(next);
    return nf;
}

/* The stub calls it only with the fastpath on (not fast_gate.slow). */
struct trap_frame *notify_fastpath(struct trap_frame *f)
{
    struct tcb *self = sched_current();

    if (unlikely(!sched_quiet()))
        return NULL;
    return arch_syscall_nr(f) == L4_SYS_NOTIFY_SIGNAL ? fast_signal(f, self) : fast_wait(f, self);
}

void notify_fast_resume(struct tcb *self)
{
    struct trap_frame *f = arch_frame_of(self->kstack);

    self->ntf_resume = false;
    arch_syscall_args(f)[0] = self->msg.w[0];
    arch_syscall_set_err(f, self->ipc_result);
}
