/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications: a word of signal bits; signal never blocks, wait blocks until a bit is set. */
#include "notification.h"

#include "container.h"
#include "endpoint.h"
#include "irq.h"
#include "sched.h"
#include "thread.h"

#include <coffer/cap.h>

static struct notification notifications[MAX_NOTIFICATIONS];

l4_err_t notification_create(struct container *c, struct notification **out)
{
    for (unsigned i = 0; i < MAX_NOTIFICATIONS; i++) {
        struct notification *n = &notifications[i];
        if (n->container)
            continue;
        if (container_charge(c, L4_POOL_NOTIFICATIONS))
            return L4_ENOMEM;
        list_init(&n->waiters);
        n->word = 0;
        n->container = c;
        n->caps = 0;
        n->pinned = false;
        n->id = i + 1;
        *out = n;
        return L4_OK;
    }
    return L4_ENOMEM;
}

void notification_cap_ref(struct notification *n, bool added)
{
    if (added) {
        n->caps++;
        return;
    }
    if (--n->caps || n->pinned)
        return;
    irqs_forget_notification(n);
    while (!list_empty(&n->waiters)) {
        struct tcb *t = container_of(n->waiters.next, struct tcb, ipc_link);
        list_remove(&t->ipc_link);
        ipc_wake(t, L4_ECAP);
    }
    container_refund(n->container, L4_POOL_NOTIFICATIONS);
    n->container = NULL;
}

void notification_signal(struct notification *n, l4_word_t bits)
{
    if (list_empty(&n->waiters)) {
        n->word |= bits;
        return;
    }
    struct tcb *t = container_of(n->waiters.next, struct tcb, ipc_link);
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

void notifications_release_all(struct container *c)
{
    for (unsigned i = 0; i < MAX_NOTIFICATIONS; i++) {
        struct notification *n = &notifications[i];
        if (n->container == c && !n->pinned)
            containers_purge_object(n);
    }
}
