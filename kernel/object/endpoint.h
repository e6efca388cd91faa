/* SPDX-License-Identifier: BSD-2-Clause */
/* Endpoints: synchronous rendezvous between a sender and a receiver, with call and reply. */
#ifndef OBJECT_ENDPOINT_H
#define OBJECT_ENDPOINT_H

#include "list.h"
#include "pool.h"
#include "thread.h"
#include "types.h"

struct container;

struct endpoint {
    struct list_node senders;   /* threads queued with a message (IPC_SEND, IPC_CALL) */
    struct list_node receivers; /* threads queued for one (IPC_RECV) */
    struct paid paid;           /* the endpoint pool capability that pays for it, its maker */
    uint32_t caps;              /* it lives while capabilities name it (paid.pinned: for good) */
    uint32_t id;
};

/* A new endpoint of container c paid by endpoint pool capability payer (ENOMEM: no unit). */
l4_err_t endpoint_create(struct container *c, struct cap *payer, struct endpoint **out);
void endpoint_cap_ref(struct endpoint *ep, bool added);
/* Destroy ep now: every capability to it goes, and its waiters learn it with ECAP. */
void endpoint_destroy(struct endpoint *ep);

/*
 * The IPC operations of the current thread. They may block; the result (and
 * for recv and call the message in sched_current()->msg) is there on return.
 */
l4_err_t endpoint_send(struct endpoint *ep, const struct ipc_msg *m, bool call, bool nonblock);
l4_err_t endpoint_recv(struct endpoint *ep, bool nonblock);
/*
 * Answer the thread whose call this one received; ESTATE if it owes nobody. An extended
 * reply a page of whose buffer the caller's pager must first map waits until the caller has
 * copied it (ESTATE if the caller ends first), unless nonblock: then that part is cut.
 */
l4_err_t ipc_reply(const struct ipc_msg *m, bool nonblock);

/* Wake t from a wait with result (sets state; the scheduler decides when it runs). */
void ipc_wake(struct tcb *t, l4_err_t result);
/* Undo whatever IPC t is part of: it is being destroyed. */
void ipc_cancel(struct tcb *t);
/* t stops waiting, whatever for (a queue, a reply), and does not wait again; a reply it owes
 * it still owes (its registers are being written: thread_set_regs). */
void ipc_abort(struct tcb *t);

#endif
