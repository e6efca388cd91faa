/* SPDX-License-Identifier: BSD-2-Clause */
/* A container's notification: how its supervisor learns of a fault or its end without polling. */
#include "container.h"
#include "notification.h"

void container_bind_notify(struct container *c, struct notification *n, l4_word_t bits,
                           struct container *binder)
{
    c->notify = n;
    c->notify_bits = bits;
    c->notify_binder = n ? binder : NULL;
}

void container_signal(struct container *c)
{
    /* a restart kills its threads on purpose: that is nobody's news */
    if (c->notify && !c->restarting)
        notification_signal(c->notify, c->notify_bits);
}

void containers_forget_notify(struct notification *n, const struct container *binder)
{
    struct container *c;

    for (unsigned i = 0; (c = container_of_index(i)); i++) {
        if (c->notify == n && (!binder || c->notify_binder == binder))
            container_bind_notify(c, NULL, 0, NULL);
    }
}
