/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoints: synchronous rendezvous between a sender and a receiver, with call and reply. */
#include "endpoint.h"

#include "container.h"
#include "foreign.h"
#include "ipc_copy.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "trace.h"

#include <coffer/cap.h>
#include <coffer/ipc.h>

l4_err_t endpoint_create(struct container *c, struct cap *payer, struct endpoint **out)
{
    struct endpoint *ep = POOL_ALLOC(payer, c, struct endpoint, paid);

    if (!ep)
        return L4_ENOMEM;
    list_init(&ep->senders);
    list_init(&ep->receivers);
    ep->caps = 0;
    ep->id = ep->paid.store->first_id + store_index(ep->paid.store, ep) + 1;
    c->objects[L4_POOL_ENDPOINTS]++;
    *out = ep;
    return L4_OK;
}

static struct tcb *dequeue(struct list_node *q)
{
    struct tcb *t = container_of(q->next, struct tcb, ipc_link);

    list_remove(&t->ipc_link);
    t->blocked_on = NULL; // off the queue: nothing to take it off again (ipc_cancel)
    return t;
}

/* The last capability went: everybody waiting learns that the endpoint is gone. */
static void release(struct endpoint *ep)
{
    while (!list_empty(&ep->senders))
        ipc_wake(dequeue(&ep->senders), L4_ECAP);
    while (!list_empty(&ep->receivers))
        ipc_wake(dequeue(&ep->receivers), L4_ECAP);
    threads_forget_endpoint(ep);
    ((struct container *)ep->paid.maker)->objects[L4_POOL_ENDPOINTS]--;
    pool_free(&ep->paid);
}

void endpoint_cap_ref(struct endpoint *ep, bool added)
{
    if (added) {
        ep->caps++;
    } else if (--ep->caps == 0 && !ep->paid.pinned) {
        release(ep);
    }
}

void endpoint_destroy(struct endpoint *ep)
{
    DEBUG_ASSERT(!ep->paid.pinned);
    if (ep->caps)
        containers_purge_object(ep); // the last capability going releases it
    else
        release(ep);
}

/* Anything beyond the register words to copy at delivery? */
static bool needs_copy(const struct ipc_msg *m)
{
    return L4_TAG_LEN(m->tag) > L4_MSG_REGS || (m->tag & (L4_IPC_CAP | L4_IPC_EXT));
}

/* inline: out of line it takes sched_remove in with it, on every blocking IPC */
static inline void block(struct tcb *t, void *on, enum ipc_wait why)
{
    DEBUG_ASSERT(t->state != THREAD_DEAD && t->state != THREAD_FREE);
    t->state = THREAD_BLOCKED;
    t->blocked_on = on;
    t->ipc_wait = why;
    sched_remove(t);
}

void ipc_wake(struct tcb *t, l4_err_t result)
{
    t->blocked_on = NULL;
    t->ipc_wait = IPC_NONE;
    t->ipc_result = result;
    sched_make_ready(t);
}

/*
 * What the IPC fastpath takes for granted of a partner rather than testing it (entry.S
 * FAST_PARTNER): a thread that waits for a message, or for the reply to a call of its own
 * (no kernel call chain: kernel_call, which a fault's call sets too), entered the kernel by
 * SYSCALL, so its frame goes back through SYSRET, with rip below USER_TOP (what writes a
 * frame's rip refuses any other); and it is alive, so its space and page tables are there.
 */
static inline void assert_fast_partner(const struct tcb *t)
{
    DEBUG_ASSERT(t->kernel_call ||
                 (arch_frame_sysret_ok(arch_frame_of(t->kstack)) && t->space && t->space->root));
}

/* Block the caller until someone wakes it, and return what they said. */
static l4_err_t wait_here(struct tcb *self)
{
    schedule();
    if (unlikely(self->ext_from))
        ipc_copy_finish(self); // a message came whose extended buffer it copies itself
    return self->ipc_result;
}

/*
 * callee now owes caller a reply: the one-shot reply right lives in the two
 * TCBs. A callee holds one reply right at a time: one it still held for an
 * earlier caller is given up, and that caller learns it with ESTATE.
 */
static inline __attribute__((always_inline)) void link_reply(struct tcb *caller, struct tcb *callee)
{
    struct tcb *abandoned = callee->caller;

    if (abandoned) {
        abandoned->callee = NULL;
        ipc_wake(abandoned, L4_ESTATE);
    }
    assert_fast_partner(caller);
    callee->caller = caller;
    caller->callee = callee;
    caller->blocked_on = NULL;
    caller->ipc_wait = IPC_REPLY;
}

l4_err_t endpoint_send(struct endpoint *ep, const struct ipc_msg *m, bool call, bool nonblock)
{
    struct tcb *self = sched_current();

    if (!list_empty(&ep->receivers)) {
        struct tcb *r = dequeue(&ep->receivers);
        bool copied = needs_copy(m), left = false;
        TRACE_IPC(call ? TRACE_CALL : TRACE_SEND, self, ep->id, r, 0);
        r->msg = *m;
        if (copied)
            left = ipc_copy(self, r, &r->msg, !nonblock);
        if (call) {
            block(self, NULL, IPC_REPLY);
            link_reply(self, r);
        } else if (left) {
            block(self, NULL, IPC_EXT_COPY); // until r has copied the rest (ipc_copy_finish)
        }
        ipc_wake(r, L4_OK);
        if (copied)
            ipc_copy_settle(); // may kill either of us: the exchange is whole now
        return call || left ? wait_here(self) : L4_OK;
    }
    if (nonblock)
        return L4_ETIMEOUT;
    TRACE_IPC(call ? TRACE_CALL : TRACE_SEND, self, ep->id, NULL, 0); // queued
    self->msg = *m;
    list_push_back(&ep->senders, &self->ipc_link);
    block(self, ep, call ? IPC_CALL : IPC_SEND);
    return wait_here(self);
}

l4_err_t endpoint_recv(struct endpoint *ep, bool nonblock)
{
    struct tcb *self = sched_current();

    if (!list_empty(&ep->senders)) {
        struct tcb *s = dequeue(&ep->senders);
        bool copied = needs_copy(&s->msg), left = false;
        TRACE(TRACE_RECV, self, ep->id, s->id); // its send was traced when it queued
        self->msg = s->msg;
        if (copied) // s waited for us: it may wait for our pager too
            left = ipc_copy(s, self, &self->msg, true);
        if (s->ipc_wait == IPC_CALL)
            link_reply(s, self); // s stays blocked until we reply
        else if (left)
            s->ipc_wait = IPC_EXT_COPY; // s stays blocked until we have copied the rest
        else
            ipc_wake(s, L4_OK);
        if (copied)
            ipc_copy_settle(); // may kill either of us: the exchange is whole now
        if (self->ext_from)
            ipc_copy_finish(self); // s may have been killed meanwhile: then it is cut
        return L4_OK;
    }
    if (nonblock)
        return L4_ETIMEOUT;
    DEBUG_ASSERT(!self->kernel_call); // only a system call receives
    assert_fast_partner(self);
    list_push_back(&ep->receivers, &self->ipc_link);
    block(self, ep, IPC_RECV);
    return wait_here(self);
}

l4_err_t ipc_reply(const struct ipc_msg *m, bool nonblock)
{
    struct tcb *self = sched_current(), *c = self->caller;
    bool left = false;

    if (!c)
        return L4_ESTATE;
    TRACE_IPC(TRACE_REPLY, self, 0, c, 0);
    self->caller = NULL;
    c->callee = NULL;
    c->msg = *m;
    if (unlikely(c->in_foreign))
        foreign_reply(c, &c->msg); // its registers, not its UTCB, take the words
    else if (needs_copy(m))
        left = ipc_copy(self, c, &c->msg, !nonblock);
    ipc_wake(c, L4_OK);
    if (!left)
        return L4_OK;
    block(self, NULL, IPC_EXT_COPY); // until the caller has copied the rest from our buffer
    return wait_here(self);
}

void ipc_abort(struct tcb *t)
{
    if (t->blocked_on)
        list_remove(&t->ipc_link);
    t->blocked_on = NULL;
    if (t->callee) { // whoever holds its reply right will find nobody waiting (ESTATE)
        if (t->callee->caller == t)
            t->callee->caller = NULL;
        t->callee = NULL;
    }
    ipc_copy_drop(t, L4_ESTATE); // an extended copy it was part of ends, cut
    t->ipc_wait = IPC_NONE;
    t->kernel_call = 0; // the kernel call it was in is over (a foreign one: its registers are set)
}

void ipc_cancel(struct tcb *t)
{
    if (t->caller) { // it owed a reply: its caller learns the partner is gone
        t->caller->callee = NULL;
        ipc_wake(t->caller, L4_ESTATE);
        t->caller = NULL;
    }
    ipc_abort(t);
}
