/* SPDX-License-Identifier: BSD-2-Clause */
/* Container control: inspect, stop, start, restart; the supervisor's tools. */
#include "caller.h"
#include "carry.h"
#include "notification.h"
#include "sched.h"
#include "string.h"
#include "sys_handlers.h"
#include "syscall.h"
#include "thread.h"
#include "view.h"

#include <coffer/syscall_nr.h>

static l4_err_t container_cap(const char *call, l4_cap_t slot, uint32_t rights,
                              struct container **out)
{
    struct cap *k;
    l4_err_t err = caller_cap(call, slot, L4_CAP_CONTAINER, rights, &k);

    if (!err)
        *out = k->obj;
    return err;
}

l4_err_t sys_container_inspect(l4_cap_t container, l4_word_t *state, l4_word_t *threads,
                               l4_word_t *spaces, l4_word_t *faults, l4_word_t *restarts,
                               l4_word_t *fault_addr)
{
    struct container *c;
    l4_err_t err = container_cap("container_inspect", container, L4_CONT_INSPECT, &c);

    if (err)
        return err;
    *state = c->state;
    *threads = c->alive; // an ended thread a capability still names is no longer alive
    *spaces = c->objects[L4_POOL_SPACES];
    *faults = c->faults;
    *restarts = c->restarts;
    *fault_addr = c->last_fault_addr;
    return L4_OK;
}

l4_err_t sys_container_usage(l4_cap_t container, l4_word_t what, l4_word_t *used, l4_word_t *total)
{
    struct container *c;
    l4_err_t err = container_cap("container_usage", container, L4_CONT_INSPECT, &c);

    if (err)
        return err;
    err = view_usage(c, what, used, total);
    if (err)
        user_error("container_usage: %lu is no pool kind or L4_USAGE_* value\n", what);
    return err;
}

l4_err_t sys_container_name(l4_cap_t container, l4_word_t *name0, l4_word_t *name1)
{
    struct container *c;
    l4_err_t err = container_cap("container_name", container, L4_CONT_INSPECT, &c);

    if (err)
        return err;
    _Static_assert(sizeof(c->name) == 2 * sizeof(l4_word_t), "the name fills two words");
    memcpy(name0, c->name, sizeof(*name0));
    memcpy(name1, c->name + sizeof(*name0), sizeof(*name1));
    return L4_OK;
}

l4_err_t sys_container_stop(l4_cap_t container)
{
    struct container *c;
    l4_err_t err = container_cap("container_stop", container, L4_CONT_CONTROL, &c);

    if (err)
        return err;
    if (c->state == CONTAINER_STOPPED) {
        user_error("container_stop: %s is already stopped\n", c->name);
        return L4_ESTATE;
    }
    container_stop(c);
    return L4_OK;
}

l4_err_t sys_container_start(l4_cap_t container)
{
    struct container *c;
    l4_err_t err = container_cap("container_start", container, L4_CONT_CONTROL, &c);

    if (err)
        return err;
    if (c->state != CONTAINER_STOPPED) {
        user_error("container_start: %s is not stopped\n", c->name);
        return L4_ESTATE;
    }
    container_start(c);
    return L4_OK;
}

/*
 * Units of a restart's table reset between two preemption points (a slot looked at, a
 * capability removed, a level walked down), as REVOKE_BATCH for cap_revoke: the restart
 * stops there when an interrupt waits or a better thread became ready and runs again
 * (syscall_again), going on where the container's cursor stands (docs/architecture.md
 * "Long operations").
 */
#define RESTART_BATCH 64

/* The run-time tables a restart destroys are cleared before the call returns, in batches
 * too (carry_end): the rerun after its restart ended does only that. */
static l4_err_t restart(l4_cap_t container)
{
    struct container *c;
    l4_err_t err = container_cap("container_restart", container, L4_CONT_CONTROL, &c);

    if (err)
        return err;
    if (c == caller_container()) {
        user_error("container_restart: a container cannot restart itself\n");
        return L4_ESTATE;
    }
    if (c->restart_stage == RESTART_NONE)
        kprintf("container %s: restarting\n", c->name);
    struct tcb *self = caller();
    while ((err = container_restart_step(c, RESTART_BATCH)) == CAP_MORE) {
        if (!carry_unmaps()) // what the step's capability changes unmap, in steps
            break;
        /* killed by this restart (it ran in c's space): nobody will run its call again */
        if (thread_runnable(self) && sched_preemption_wanted())
            break;
    }
    return err;
}

l4_err_t sys_container_restart(l4_cap_t container)
{
    l4_err_t err;

    if (!carry_begin(L4_SYS_CONTAINER_RESTART, &err))
        err = restart(container);
    return carry_end(L4_SYS_CONTAINER_RESTART, err);
}

/* Slot 0 unbinds; otherwise a notification the caller may signal. */
l4_err_t sys_container_notify(l4_cap_t container, l4_cap_t ntf)
{
    struct container *c;
    struct cap *k = NULL;
    l4_err_t err = container_cap("container_notify", container, L4_CONT_CONTROL, &c);

    if (!err && ntf)
        err = caller_cap("container_notify", ntf, L4_CAP_NOTIFICATION, L4_NTF_SIGNAL, &k);
    if (err)
        return err;
    container_bind_notify(c, k ? k->obj : NULL, k && k->a ? k->a : 1, caller_container());
    return L4_OK;
}
