/* SPDX-License-Identifier: BSD-2-Clause */
/* The live view: what each container uses, and what each thread left at a halt waits on. */
#include "view.h"

#include "arch.h"
#include "container.h"
#include "cspace.h"
#include "endpoint.h"
#include "notification.h"
#include "pool.h"
#include "printk.h"
#include "space.h"
#include "thread.h"

bool view_at_halt;

/* Units of kind that pay for objects now, out of those c's pool of that kind was given. */
static void pool_usage(struct container *c, unsigned kind, uint64_t *used, uint64_t *total)
{
    const struct store *s = &c->stores[kind];

    if (kind == L4_POOL_CAPSLOTS) { // the table itself, not a store
        *total = c->table.nslots;
        *used = 0;
        for (uint32_t i = 0; i < c->table.nslots; i++)
            *used += c->table.slots[i].type != L4_CAP_NULL;
        return;
    }
    pool_store_usage(s, used, total);
}

/* Threads c made that are alive, and how many of them cannot run now. */
static void thread_usage(struct container *c, uint64_t *waiting, uint64_t *alive)
{
    *waiting = *alive = 0;
    POOL_FOR_EACH(L4_POOL_THREADS, p)
    {
        const struct tcb *t = container_of(p, struct tcb, paid);
        if (t->container != c || t->state == THREAD_DEAD)
            continue;
        ++*alive;
        *waiting += !thread_runnable(t);
    }
}

/* Slots of c's table arena that run-time tables hold now, of those its tableslots gave. */
static void table_usage(struct container *c, uint64_t *used, uint64_t *total)
{
    const struct cap *arena = c->table_arena;

    *used = 0;
    *total = c->arena_slots;
    CAPTABLES_FOR_EACH(t)
    {
        if (cspace_of(t) && t->slots >= arena && t->slots < arena + c->arena_slots)
            *used += t->nslots;
    }
}

l4_err_t view_usage(struct container *c, l4_word_t what, uint64_t *used, uint64_t *total)
{
    if (what < L4_POOL_KIND_COUNT) {
        pool_usage(c, (unsigned)what, used, total);
    } else if (what == L4_USAGE_MEMORY) {
        *total = c->mem_size;
        *used = c->mem_size - c->memory.count * PAGE_SIZE;
    } else if (what == L4_USAGE_WAITING) {
        thread_usage(c, used, total);
    } else if (what == L4_USAGE_TABLESLOTS) {
        table_usage(c, used, total);
    } else {
        return L4_EINVAL;
    }
    DEBUG_ASSERT(*used <= *total);
    return L4_OK;
}

static const char *const usage_name[L4_USAGE_COUNT] = {
    [L4_POOL_THREADS] = "threads",        [L4_POOL_SPACES] = "spaces",
    [L4_POOL_ENDPOINTS] = "endpoints",    [L4_POOL_NOTIFICATIONS] = "notifications",
    [L4_POOL_CAPSLOTS] = "capslots",      [L4_POOL_PAGETABLES] = "pagetables",
    [L4_USAGE_MEMORY] = "memory",         [L4_USAGE_WAITING] = "waiting",
    [L4_USAGE_TABLESLOTS] = "tableslots",
};

void view_print_containers(void)
{
    struct container *c;

    kprintf("view: pool units, memory (KiB) and threads waiting: in use/total\n");
    for (unsigned i = 0; (c = container_of_index(i)); i++) {
        kprintf("view: %s %s:", c->name, c->state == CONTAINER_STOPPED ? "stopped" : "running");
        for (unsigned what = 0; what < L4_USAGE_COUNT; what++) {
            uint64_t used, total;
            view_usage(c, what, &used, &total);
            if (what == L4_USAGE_MEMORY) {
                used /= 1024;
                total /= 1024;
            }
            kprintf(" %s %lu/%lu", usage_name[what], used, total);
        }
        kprintf(" faults %u restarts %u\n", c->faults, c->restarts);
    }
}

/*
 * Name an endpoint or notification as the user knows it: by the container that
 * made it and, for the ones a system file gives, the slot of that container's
 * table that holds it (what `slot = N` said).
 */
static void print_object(const char *kind, const void *obj, const struct paid *paid, uint32_t id)
{
    const struct container *maker = paid->maker;

    kprintf("%s %u of container %s", kind, id, maker->name);
    for (uint32_t i = 0; i < maker->table.nslots; i++) {
        if (maker->table.slots[i].obj == obj && maker->table.slots[i].type != L4_CAP_POOL) {
            kprintf(" (its slot %u)", i);
            return;
        }
    }
}

static void print_endpoint_wait(const char *what, const struct tcb *t)
{
    const struct endpoint *ep = t->blocked_on;

    kprintf("%s ", what);
    print_object("endpoint", ep, &ep->paid, ep->id);
}

/* Its call was taken: the thread that owes it the reply holds it up. */
static void print_reply_wait(const struct tcb *t)
{
    const struct tcb *owes = t->callee;

    DEBUG_ASSERT(owes); // cleared only when the reply comes or the callee dies, waking t
    kprintf("waiting for a reply from thread %s (%lx) of container %s", owes->name, owes->id,
            owes->container->name);
}

/* What a blocked thread waits for. */
static void print_wait(const struct tcb *t)
{
    const struct notification *n = t->blocked_on;

    switch (t->ipc_wait) {
    case IPC_RECV:
        print_endpoint_wait("receiving on", t);
        break;
    case IPC_SEND:
        print_endpoint_wait("sending to", t);
        break;
    case IPC_CALL:
        print_endpoint_wait("calling", t);
        break;
    case IPC_REPLY:
        print_reply_wait(t);
        break;
    case IPC_EXT_COPY:
        kprintf("waiting for thread %s (%lx) of container %s to take its extended message",
                t->ext_to->name, t->ext_to->id, t->ext_to->container->name);
        break;
    case IPC_NOTIFY:
        kprintf("waiting on ");
        print_object("notification", n, &n->paid, n->id);
        break;
    case IPC_FUTEX:
        kprintf("waiting on the futex at %lx of space %u", t->futex_addr,
                ((const struct space *)t->blocked_on)->id);
        break;
    case IPC_JOIN: {
        const struct tcb *end = t->blocked_on;
        kprintf("waiting for the end of thread %s (%lx) of container %s", end->name, end->id,
                end->container->name);
        break;
    }
    default:
        kprintf("in the kernel"); // no IPC wait: nothing else blocks a thread today
    }
}

/* Say what stops t from running: every reason that holds, in the order they would clear. */
static void print_thread(const struct tcb *t)
{
    const char *sep = ""; // ", " once a reason is printed

    kprintf("  thread %s (%lx) of container %s, program %s: ", t->name, t->id, t->container->name,
            t->container->desc->program);
    if (t->state == THREAD_INACTIVE) {
        kprintf("created, never started");
        sep = ", ";
    } else if (t->state == THREAD_BLOCKED) {
        print_wait(t);
        sep = ", ";
    }
    if (t->faulted) {
        kprintf("%sstopped after an unhandled fault", sep);
        sep = ", ";
    }
    if (t->held) {
        kprintf("%sheld: its container is stopped", sep);
        sep = ", ";
    }
    if (t->suspended) {
        kprintf("%ssuspended", sep);
        sep = ", ";
    }
    kprintf("%s\n", *sep ? "" : "ready");
}

/* By container, in system-file order: the order the user wrote them in. */
void view_print_threads(void)
{
    const struct container *c;

    for (unsigned i = 0; (c = container_of_index(i)); i++) {
        POOL_FOR_EACH(L4_POOL_THREADS, p)
        {
            const struct tcb *t = container_of(p, struct tcb, paid);
            if (t->container == c && t->state != THREAD_DEAD)
                print_thread(t);
        }
    }
}
