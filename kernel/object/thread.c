/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control blocks: creation from a pool, holding, death and reaping. */
#include "thread.h"

#include "arch.h"
#include "container.h"
#include "cspace.h"
#include "endpoint.h"
#include "pmm.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"
#include "sys_handlers.h" // syscall_count
#include "thread_regs.h"
#include "thread_wait.h"
#include "trace.h"

#include <coffer/thread.h>

static unsigned live; /* threads neither FREE nor DEAD */

/*
 * A kernel stack exists only while its block holds a thread, but the RAM and the place for
 * one per block are the store's from boot: making a thread never needs memory its pool did
 * not pay for, so no container can run another's (or the kernel's) RAM dry with threads.
 */
void thread_store_prepare(struct store *s)
{
    const char *name = ((struct container *)s->owner)->name;

    s->stack_ram = pmm_alloc_contig(&kernel_pmm, (uint64_t)s->capacity * KSTACK_SIZE / PAGE_SIZE);
    if (!s->stack_ram)
        panic("boot: no RAM for the kernel stacks of container %s", name);
    s->stack_area = arch_kstacks_reserve(s->capacity);
    if (!s->stack_area)
        panic("boot: no RAM for the kernel stack page tables of container %s", name);
}

/* Its block's stack, mapped now: the block held no thread, so none is mapped. */
static void *stack_map(struct tcb *t)
{
    struct store *s = t->paid.store;
    uint32_t i = store_index(s, t);

    return arch_kstack_map(s->stack_area, i, s->stack_ram + (uint64_t)i * KSTACK_SIZE);
}

l4_err_t thread_create(struct container *c, struct cap *payer, struct space *s, uint8_t prio,
                       const char *name, struct tcb **out)
{
    struct tcb *t = POOL_ALLOC(payer, c, struct tcb, paid);

    if (!t)
        return L4_ENOMEM;
    /* the block keeps its generation; everything else starts from zero */
    uint32_t generation = t->generation + 1;
    struct paid paid = t->paid;
    DEBUG_ASSERT(!t->kstack); // a free block has no stack
    memset(t, 0, sizeof(*t));
    t->generation = generation;
    t->paid = paid; // the same place: the store's live list still points at it
    t->kstack = stack_map(t);
    t->state = THREAD_INACTIVE;
    t->prio = prio;
    t->timeslice = t->slice_left = CONFIG_TIMESLICE_TICKS;
    t->space = s;
    t->container = c;
    t->cspace = &c->table;
    list_init(&t->waiters);
    t->syscall_limit = syscall_count;
    t->id = (l4_tid_t)(paid.store->first_id + store_index(paid.store, t) + 1) |
            (l4_tid_t)(generation & 0xffff) << 16;
    for (unsigned n = 0; name[n] && n < sizeof(t->name) - 1; n++)
        t->name[n] = name[n];
    space_bind(s);
    arch_frame_init_user(arch_frame_of(t->kstack), 0, 0, 0); // no ip yet: not startable
    arch_context_init(&t->saved_sp, t->kstack);
    c->objects[L4_POOL_THREADS]++;
    c->alive++;
    live++;
    TRACE(TRACE_THREAD, t, sched_current()->id, 0);
    *out = t;
    return L4_OK;
}

bool thread_runnable(const struct tcb *t)
{
    return t->state == THREAD_READY && !t->suspended && !t->held && !t->faulted;
}

void thread_set_foreign(struct tcb *t, unsigned mode)
{
    if (mode != t->foreign)
        thread_forget_call(t);  // a call stopped part way may go to its handler when it reruns
    t->foreign = (uint8_t)mode; // takes effect at its next SYSCALL
    t->syscall_limit = mode == L4_FOREIGN_ALL ? 0 : syscall_count;
}

/* t stops for good: off every queue and out of every IPC, its waiters told (result). */
static void end(struct tcb *t, l4_word_t code, l4_err_t result)
{
    DEBUG_ASSERT(t->state != THREAD_FREE && t->state != THREAD_DEAD);
    if (DEBUG_BUILD)
        kprintf("thread %s (%lx) ended, code %ld\n", t->name, t->id, (long)code);
    TRACE(TRACE_EXIT, t, code, 0);
    sched_remove(t);
    ipc_cancel(t);
    t->state = THREAD_DEAD;
    t->exit_code = code;
    live--;
    t->container->alive--;
    thread_ended(t, result);
    /* it names nothing from now on; its table may go with it, and capabilities naming t with
     * the table: t's block must outlive this, whatever its callers do with it next */
    t->caps++;
    cspace_use(t, &captable_none);
    t->caps--;
    cspaces_orphan(t);    // the tables its call was clearing: nobody runs that call again
    unmap_debt_settle(t); // its unmaps, at once: mappings never outlive their call
}

void thread_kill(struct tcb *t, l4_word_t code)
{
    end(t, code, L4_ECAP);
    if (t->caps)
        containers_purge_object(t); // the last capability going settles it
    else
        thread_settle(t);
}

void thread_exit(struct tcb *t, l4_word_t code)
{
    end(t, code, L4_OK);
    thread_settle(t);
}

void thread_settle(struct tcb *t)
{
    DEBUG_ASSERT(t->state == THREAD_DEAD);
    /* only the running thread's stack (and space) are still in use: it is settled later */
    if (t == sched_current()) {
        if (!list_linked(&t->rq_link))
            sched_reap_later(t);
        return;
    }
    if (list_linked(&t->rq_link))
        list_remove(&t->rq_link); // a zombie the CPU left by a path that does not reap
    if (t->space) {               // an exit code needs no space: it may go with its last thread
        space_unbind(t->space);
        t->space = NULL;
    }
    if (!t->caps)
        thread_reap(t);
}

void thread_cap_ref(struct tcb *t, bool added)
{
    if (added)
        t->caps++;
    else if (--t->caps == 0 && t->state == THREAD_DEAD)
        thread_settle(t);
}

void thread_reap(struct tcb *t)
{
    ASSERT(t->state == THREAD_DEAD && t != sched_current() && !t->space);
    t->container->objects[L4_POOL_THREADS]--;
    t->state = THREAD_FREE;
    arch_kstack_unmap(t->kstack); // it is off its stack: it is not current
    t->kstack = NULL;
    pool_free(&t->paid);
}

void thread_reclaim(struct tcb *t)
{
    bool running = t == sched_current();

    /*
     * Its capabilities go with it, and with the last its block, unless it is
     * the running thread: that one keeps its block until it is off its stack,
     * but its unit comes back now.
     */
    if (t->state != THREAD_DEAD)
        thread_kill(t, -1);
    else if (t->caps)
        containers_purge_object(t);
    else
        thread_settle(t);
    if (running)
        pool_detach(&t->paid);
}

unsigned thread_live_count(void)
{
    return live;
}

void thread_check_stack_overflow(vaddr_t addr)
{
    const struct tcb *t = sched_current();
    vaddr_t base = (vaddr_t)t->kstack;

    if (t->kstack && addr < base && addr >= base - PAGE_SIZE)
        panic("kernel stack overflow: thread %s (%lx) of container %s", t->name, t->id,
              t->container->name);
}

/* The first thread (a dead one not yet reaped too, if dead) for which match(t, arg) holds. */
static struct tcb *find(bool (*match)(const struct tcb *, const void *), const void *arg, bool dead)
{
    POOL_FOR_EACH(L4_POOL_THREADS, p)
    {
        struct tcb *t = container_of(p, struct tcb, paid);
        if ((dead || t->state != THREAD_DEAD) && match(t, arg))
            return t;
    }
    return NULL;
}

void threads_hold(struct container *c, bool hold)
{
    POOL_FOR_EACH(L4_POOL_THREADS, p)
    {
        struct tcb *t = container_of(p, struct tcb, paid);
        if (t->container != c || t->state == THREAD_DEAD)
            continue;
        t->held = hold;
        if (hold)
            unmap_debt_settle(t); // a held call may never go on: its unmaps may not wait
        if (hold)
            sched_remove(t);
        else if (t->state == THREAD_READY)
            sched_make_ready(t);
    }
}

static bool doomed_with(const struct tcb *t, const void *c)
{
    return t->container == c || (t->space && t->space->container == c);
}

/* Killing a thread changes the lists: each search starts again from the top. */
void threads_kill_all(struct container *c)
{
    struct tcb *t;

    while ((t = find(doomed_with, c, false)))
        thread_kill(t, -1);
}

static bool in_space(const struct tcb *t, const void *s)
{
    return t->space == s;
}

void threads_kill_in_space(struct space *s)
{
    struct tcb *t;

    /* dead ones too: the space goes now, whether or not they are reaped yet */
    while ((t = find(in_space, s, true))) {
        t->space = NULL;
        space_unbind(s);
        if (t->state != THREAD_DEAD)
            thread_kill(t, -1);
    }
}

struct binding {
    const struct space *space;
    const struct container *container;
};

static bool bound_by(const struct tcb *t, const void *arg)
{
    const struct binding *b = arg;

    return t->space == b->space && t->container == b->container;
}

void threads_kill_strangers(struct space *s, struct container *c)
{
    struct binding b = {s, c};
    struct tcb *t;

    if (c == s->container)
        return;
    while ((t = find(bound_by, &b, false)))
        thread_kill(t, -1);
}

void threads_forget_fault_ep(struct endpoint *ep, struct container *c)
{
    POOL_FOR_EACH(L4_POOL_THREADS, p)
    {
        struct tcb *t = container_of(p, struct tcb, paid);
        if (t->fault_ep == ep && t->container == c)
            t->fault_ep = NULL;
    }
}

void threads_forget_endpoint(struct endpoint *ep)
{
    POOL_FOR_EACH(L4_POOL_THREADS, p)
    {
        struct tcb *t = container_of(p, struct tcb, paid);
        if (t->fault_ep == ep)
            t->fault_ep = NULL;
    }
}
