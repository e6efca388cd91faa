/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's end as others see it: thread_wait, its exit notification, its container's. */
#include "thread_wait.h"

#include "container.h"
#include "endpoint.h"
#include "notification.h"
#include "printk.h"
#include "sched.h"

/* Wake every thread in thread_wait on t with result and, for L4_OK, t's exit code. */
static void wake_waiters(struct tcb *t, l4_err_t result)
{
    while (!list_empty(&t->waiters)) {
        struct tcb *w = container_of(t->waiters.next, struct tcb, ipc_link);
        list_remove(&w->ipc_link);
        w->msg.w[0] = result == L4_OK ? t->exit_code : 0;
        ipc_wake(w, result);
    }
}

static void signal_exit_ntf(struct tcb *t)
{
    if (t->exit_ntf)
        notification_signal(t->exit_ntf, t->exit_bits);
}

void thread_ended(struct tcb *t, l4_err_t result)
{
    wake_waiters(t, result);
    signal_exit_ntf(t);
    if (t->container->alive == 0)
        container_signal(t->container);
}

void thread_faulted(struct tcb *t)
{
    wake_waiters(t, L4_ESTATE);
    signal_exit_ntf(t);
    container_signal(t->container);
}

l4_err_t thread_wait(struct tcb *t, bool nonblock, l4_word_t *code)
{
    struct tcb *self = sched_current();

    DEBUG_ASSERT(t != self);
    if (t->state == THREAD_DEAD) {
        *code = t->exit_code;
        return L4_OK;
    }
    if (t->faulted)
        return L4_ESTATE;
    if (nonblock)
        return L4_ETIMEOUT;
    list_push_back(&t->waiters, &self->ipc_link);
    self->state = THREAD_BLOCKED;
    self->blocked_on = t;
    self->ipc_wait = IPC_JOIN;
    sched_remove(self);
    schedule();
    *code = self->msg.w[0];
    return self->ipc_result;
}

void thread_bind_exit(struct tcb *t, struct notification *n, l4_word_t bits,
                      struct container *binder)
{
    t->exit_ntf = n;
    t->exit_bits = bits;
    t->exit_binder = n ? binder : NULL;
}

void threads_stop_waiting(struct tcb *t, struct container *c)
{
    struct list_node *n = t->waiters.next;

    while (n != &t->waiters) {
        struct tcb *w = container_of(n, struct tcb, ipc_link);
        n = n->next;
        if (w->container != c)
            continue;
        list_remove(&w->ipc_link);
        ipc_wake(w, L4_ECAP);
    }
}

void threads_forget_exit_ntf(struct notification *n, const struct container *binder)
{
    POOL_FOR_EACH(L4_POOL_THREADS, p)
    {
        struct tcb *t = container_of(p, struct tcb, paid);
        if (t->exit_ntf == n && (!binder || t->exit_binder == binder))
            thread_bind_exit(t, NULL, 0, NULL);
    }
}
