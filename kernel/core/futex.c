/* SPDX-License-Identifier: BSD-2-Clause */
/* Futex wait queues: per space, in priority order, linked through the waiting TCBs. */
#include "futex.h"

#include "endpoint.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "thread.h"

/*
 * Insert t behind every waiter of its priority or above: the queue stays
 * sorted by priority, first come first within one, so a wake takes waiters
 * from the front.
 */
static void enqueue(struct list_node *q, struct tcb *t)
{
    struct list_node *n = q->next;

    while (n != q && container_of(n, struct tcb, ipc_link)->prio >= t->prio)
        n = n->next;
    list_insert_between(&t->ipc_link, n->prev, n);
}

void futex_block(struct tcb *self, vaddr_t addr)
{
    DEBUG_ASSERT(self == sched_current() && self->space);
    enqueue(&self->space->futex_waiters, self);
    self->state = THREAD_BLOCKED;
    self->blocked_on = self->space; // ipc_cancel unlinks it if the thread dies waiting
    self->ipc_wait = IPC_FUTEX;
    self->futex_addr = addr;
    sched_remove(self);
    schedule();
}

l4_word_t futex_wake(struct space *s, vaddr_t addr, l4_word_t n)
{
    struct list_node *q = &s->futex_waiters, *node = q->next;
    l4_word_t woken = 0;

    while (node != q && woken < n) {
        struct tcb *t = container_of(node, struct tcb, ipc_link);
        node = node->next; // t leaves the queue below
        if (t->futex_addr != addr)
            continue;
        DEBUG_ASSERT(t->ipc_wait == IPC_FUTEX && t->blocked_on == s);
        list_remove(&t->ipc_link);
        ipc_wake(t, L4_OK);
        woken++;
    }
    return woken;
}

void futex_requeue(struct tcb *t)
{
    DEBUG_ASSERT(t->ipc_wait == IPC_FUTEX && t->blocked_on == t->space);
    list_remove(&t->ipc_link);
    enqueue(&t->space->futex_waiters, t);
}
