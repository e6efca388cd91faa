/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications: a word of signal bits; signal never blocks, wait blocks until a bit is set. */
#ifndef OBJECT_NOTIFICATION_H
#define OBJECT_NOTIFICATION_H

#include "list.h"
#include "pool.h"
#include "types.h"

struct container;

struct notification {
    l4_word_t word;           /* bits signalled and not yet taken */
    struct list_node waiters; /* threads blocked in notify_wait (IPC_NOTIFY) */
    struct paid paid;         /* the notification pool capability that pays for it, its maker */
    uint32_t caps;            /* it lives while capabilities name it (paid.pinned: for good) */
    uint32_t id;
};

/* A new notification of c paid by notification pool capability payer (ENOMEM: no unit). */
l4_err_t notification_create(struct container *c, struct cap *payer, struct notification **out);
void notification_cap_ref(struct notification *n, bool added);
/* Destroy n now: every capability to it goes, and its waiters learn it with ECAP. */
void notification_destroy(struct notification *n);
/* c may no longer signal n: what it bound to n (interrupt lines, exit and container
 * notifications) is unbound. */
void notification_unbind_for(struct notification *n, struct container *c);
/* Set bits in n; its first waiter, if any, takes them all and is woken. */
void notification_signal(struct notification *n, l4_word_t bits);
/* Take the pending bits, blocking until there are some unless nonblock (then ETIMEOUT). */
l4_err_t notification_wait(struct notification *n, bool nonblock, l4_word_t *bits);

#endif
