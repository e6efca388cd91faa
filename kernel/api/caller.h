/* SPDX-License-Identifier: BSD-2-Clause */
/* What every system call handler needs about its caller: thread, container, table. */
#ifndef API_CALLER_H
#define API_CALLER_H

#include "cap.h"
#include "container.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"

static inline struct tcb *caller(void)
{
    return sched_current();
}

static inline struct container *caller_container(void)
{
    return sched_current()->container;
}

/* The table the calling thread's slots name: its own, or its container's. */
static inline struct captable *caller_table(void)
{
    return sched_current()->cspace;
}

/*
 * The capability in the caller's slot with the given type and rights, or
 * ECAP / ERIGHTS with the reason printed in debug builds.
 */
static inline l4_err_t caller_cap(const char *call, l4_word_t slot, unsigned type, uint32_t rights,
                                  struct cap **out)
{
    l4_err_t err = cap_lookup(caller_table(), slot, type, rights, out);

    if (DEBUG_BUILD && err) // out of line and cold: the common case keeps its shape
        cap_reject(call, caller_table(), slot, type, rights);
    return err;
}

/* The thread named by the caller's slot, with the given rights: ECAP / ERIGHTS otherwise. */
static inline l4_err_t caller_thread(const char *call, l4_word_t slot, uint32_t rights,
                                     struct tcb **out)
{
    struct cap *k;
    l4_err_t err = caller_cap(call, slot, L4_CAP_THREAD, rights, &k);

    if (!err)
        *out = k->obj;
    return err;
}

/*
 * Debug builds check every table and pool after each call that made or destroyed an
 * object or changed a capability: a broken invariant stops the kernel at the call that
 * broke it (containers_check; "check=boot" keeps it to boot and restarts). Release builds
 * skip it.
 */
static inline l4_err_t checked(l4_err_t err)
{
    if (DEBUG_BUILD && !err && containers_check_each_call)
        containers_check();
    return err;
}

/* A pool capability of kind with L4_POOL_ALLOC: ECAP (wrong type or kind) or ERIGHTS. */
static inline l4_err_t caller_pool(const char *call, l4_word_t slot, unsigned kind,
                                   struct cap **out)
{
    l4_err_t err = caller_cap(call, slot, L4_CAP_POOL, L4_POOL_ALLOC, out);

    if (!err && (*out)->a != kind) {
        user_error("%s: slot %lu holds a pool capability for %s, where one for %s was wanted\n",
                   call, slot, cap_pool_kind_name((*out)->a), cap_pool_kind_name(kind));
        return L4_ECAP;
    }
    return err;
}

/* An empty slot of the caller's table for a new capability: ECAP (out of range) or EBUSY. */
static inline l4_err_t caller_empty_slot(const char *call, l4_word_t slot)
{
    struct cap *d = cap_slot(caller_table(), slot);

    if (!d) {
        user_error("%s: slot %lu out of range\n", call, slot);
        return L4_ECAP;
    }
    if (d->type != L4_CAP_NULL) {
        user_error("%s: slot %lu is not empty\n", call, slot);
        return L4_EBUSY;
    }
    return L4_OK;
}

#endif
