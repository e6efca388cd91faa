/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications: a word of signal bits; signal never blocks, wait blocks until a bit is set. */
#include "notification.h"

#include "container.h"
#include "endpoint.h"
#include "irq.h"
#include "notify_fast.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"
#include "thread_wait.h"

#include <coffer/cap.h>

l4_err_t notification_create(struct container *c, struct cap *payer, struct notification **out)
{
    struct notification *n = POOL_ALLOC(payer, c, struct notification, paid);

    if (!n)
        return L4_ENOMEM;
    list_init(&n->waiters);
    n->word = 0;
    n->caps = 0;
    n->id = n->paid.store->first_id + store_index(n->paid.store, n) + 1;
    c->objects[L4_POOL_NOTIFICATIONS]++;
    *out = n;
    return L4_OK;
}

/* The last capability went: no interrupt may point at it, and its waiters learn it is gone. */
static void release(struct notification *n)
{
    irqs_forget_notification(n);
    threads_forget_exit_ntf(n, NULL);
    containers_forget_notify(n, NULL);
    while (!list_empty(&n->waiters)) {
        struct tcb *t = container_of(n->waiters.next, struct tcb, ipc_link);
        list_remove(&t->ipc_link);
        ipc_wake(t, L4_ECAP);
    }
    ((struct container *)n->paid.maker)->objects[L4_POOL_NOTIFICATIONS]--;
    pool_free(&n->paid);
}

void notification_cap_ref(struct notification *n, bool added)
{
    if (added)
        n->caps++;
    else if (--n->caps == 0 && !n->paid.pinned)
        release(n);
}

void notification_destroy(struct notification *n)
{
    DEBUG_ASSERT(!n->paid.pinned);
    if (n->caps)
        containers_purge_object(n); // the last capability going releases it
    else
        release(n);
}

void notification_unbind_for(struct notification *n, struct container *c)
{
    irqs_unbind_for(n, c);
    threads_forget_exit_ntf(n, c);
    containers_forget_notify(n, c);
}

void notification_signal(struct notification *n, l4_word_t bits)
{
    if (list_empty(&n->waiters)) {
        n->word |= bits;
        return;
    }
    struct tcb *t = container_of(n->waiters.next, struct tcb, ipc_link);
    DEBUG_ASSERT(!t->ntf_resume || (t->chain_dropped && notify_fast_resumable(t)));
    DEBUG_ASSERT(!t->faulted); // only a running thread faults: the fastpaths do not test it
    list_remove(&t->ipc_link);
    t->msg.w[0] = n->word | bits;
    n->word = 0;
    ipc_wake(t, L4_OK);
}

l4_err_t notification_wait(struct notification *n, bool nonblock, l4_word_t *bits)
{
    struct tcb *self = sched_current();

    if (n->word) {
        *bits = n->word;
        n->word = 0;
        return L4_OK;
    }
    if (nonblock)
        return L4_ETIMEOUT;
    list_push_back(&n->waiters, &self->ipc_link);
    self->state = THREAD_BLOCKED;
    self->blocked_on = n;
    self->ipc_wait = IPC_NOTIFY;
    sched_remove(self);
    schedule();
    *bits = self->msg.w[0];
    return self->ipc_result;
}
