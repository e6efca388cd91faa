/* SPDX-License-Identifier: BSD-2-Clause */
/* Notifications: a word of signal bits; signal never blocks, wait blocks until a bit is set. */
#ifndef OBJECT_NOTIFICATION_H
#define OBJECT_NOTIFICATION_H

#include "list.h"
#include "types.h"

#define MAX_NOTIFICATIONS 256

struct container;

struct notification {
    l4_word_t word;              /* bits signalled and not yet taken */
    struct list_node waiters;    /* threads blocked in notify_wait (IPC_NOTIFY) */
    struct container *container; /* NULL when the slot is free */
    uint32_t caps;
    bool pinned; /* made by the boot description: lives for good */
    uint32_t id;
};

l4_err_t notification_create(struct container *c, struct notification **out);
void notification_cap_ref(struct notification *n, bool added);
void notifications_release_all(struct container *c);
void notification_signal(struct notification *n, l4_word_t bits);
/* Take the pending bits, blocking until there are some unless nonblock (then ETIMEOUT). */
l4_err_t notification_wait(struct notification *n, bool nonblock, l4_word_t *bits);

#endif
