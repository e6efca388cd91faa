/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control blocks: creation from a container's pool, holding, death and reaping. */
#include "thread.h"

#include "arch.h"
#include "container.h"
#include "endpoint.h"
#include "kreserve.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"

static struct tcb threads[MAX_THREADS];
static uint32_t generation[MAX_THREADS];
static unsigned live; /* threads neither FREE nor DEAD */

static struct tcb *free_slot(unsigned *index)
{
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        if (threads[i].state == THREAD_FREE) {
            *index = i;
            return &threads[i];
        }
    }
    return NULL;
}

l4_err_t thread_create(struct container *c, struct space *s, uint8_t prio, const char *name,
                       struct tcb **out)
{
    unsigned i;
    struct tcb *t = free_slot(&i);

    if (!t || container_charge(c, L4_POOL_THREADS))
        return L4_ENOMEM;
    /*
     * The reserve holds a stack for every unit made at boot. It can still run
     * dry when a revoke took units back from a container whose threads live
     * on (it is then over its quota): that is an error, not a kernel panic.
     */
    void *stack = kreserve_kstack();
    if (!stack) {
        container_refund(c, L4_POOL_THREADS);
        return L4_ENOMEM;
    }
    memset(t, 0, sizeof(*t));
    t->kstack = stack;
    t->state = THREAD_INACTIVE;
    t->prio = prio;
    t->timeslice = t->slice_left = CONFIG_TIMESLICE_TICKS;
    t->space = s;
    t->container = c;
    t->id = (l4_tid_t)(i + 1) | (l4_tid_t)++generation[i] << 16;
    for (unsigned n = 0; name[n] && n < sizeof(t->name) - 1; n++)
        t->name[n] = name[n];
    space_bind(s);
    arch_frame_init_user(arch_frame_of(t->kstack), 0, 0, 0); // no ip yet: not startable
    arch_context_init(&t->saved_sp, t->kstack);
    live++;
    *out = t;
    return L4_OK;
}

bool thread_runnable(const struct tcb *t)
{
    return t->state == THREAD_READY && !t->suspended && !t->held && !t->faulted;
}

void thread_kill(struct tcb *t, l4_word_t code)
{
    if (DEBUG_BUILD)
        kprintf("thread %s (%lx) ended, code %ld\n", t->name, t->id, (long)code);
    sched_remove(t);
    ipc_cancel(t);
    t->state = THREAD_DEAD;
    live--;
    containers_purge_object(t);
    /* only the running thread's stack is still in use; anyone else goes at once */
    if (t == sched_current())
        sched_reap_later(t);
    else
        thread_reap(t);
}

void thread_reap(struct tcb *t)
{
    ASSERT(t->state == THREAD_DEAD && t != sched_current());
    kreserve_kstack_put(t->kstack);
    container_refund(t->container, L4_POOL_THREADS);
    space_unbind(t->space);
    t->state = THREAD_FREE;
}

unsigned thread_live_count(void)
{
    return live;
}

void threads_hold(struct container *c, bool hold)
{
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        struct tcb *t = &threads[i];
        if (t->container != c || t->state == THREAD_FREE || t->state == THREAD_DEAD)
            continue;
        t->held = hold;
        if (hold)
            sched_remove(t);
        else if (t->state == THREAD_READY)
            sched_make_ready(t);
    }
}

/* Its threads, and any other container's threads running in its spaces. */
void threads_kill_all(struct container *c)
{
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        struct tcb *t = &threads[i];
        if (t->state == THREAD_FREE || t->state == THREAD_DEAD)
            continue;
        if (t->container == c || t->space->container == c)
            thread_kill(t, -1);
    }
}

void threads_forget_endpoint(struct endpoint *ep)
{
    for (unsigned i = 0; i < MAX_THREADS; i++) {
        if (threads[i].fault_ep == ep)
            threads[i].fault_ep = NULL;
    }
}
