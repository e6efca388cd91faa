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

static inline struct captable *caller_table(void)
{
    return &sched_current()->container->table;
}

/*
 * The capability in the caller's slot with the given type and rights, or
 * ECAP / ERIGHTS with the reason printed in debug builds.
 */
static inline l4_err_t caller_cap(const char *call, l4_word_t slot, unsigned type, uint32_t rights,
                                  struct cap **out)
{
    l4_err_t err = cap_lookup(caller_table(), slot, type, rights, out);

    if (err == L4_ECAP)
        user_error("%s: slot %lu holds no capability of type %u\n", call, slot, type);
    else if (err == L4_ERIGHTS)
        user_error("%s: slot %lu lacks rights %x\n", call, slot, rights);
    return err;
}

#endif
