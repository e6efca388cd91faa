/* SPDX-License-Identifier: BSD-2-Clause */
/* The unmaps a capability change owes (memory_gone), paid in steps by the call that made it. */
#include "unmap_debt.h"

#include "arch.h"
#include "container.h"
#include "pool.h"
#include "printk.h"
#include "space.h"
#include "store.h"
#include "thread.h"

/*
 * A memory capability that goes or narrows (destroy, revoke, deduce, grant) leaves mappings
 * nobody may keep, in any space: the walk that finds them visits every present entry of
 * every space, 330,000 instructions for 4,096 pages. The call that made the change pays it
 * after the change and before it returns, a step at a time, stopping between two steps as a
 * revoke does (syscall_again). Between steps the capabilities may change: each step asks
 * afresh who holds what, so a mapping is taken exactly when its mapper holds no capability
 * for it then, as if the whole walk ran at that moment; one made meanwhile stood on a
 * capability of its time. Spaces are walked in store order, so one made or freed meanwhile
 * is seen once or not at all: it can hold only mappings made after the change.
 */
static struct tcb *debtor;
static struct tcb *debtors; /* every thread that owes, linked by unmap.next */

void unmap_debt_carry(struct tcb *t)
{
    debtor = t;
}

bool unmap_debt_owed(const struct tcb *t)
{
    return t->unmap.size != 0;
}

static void start(struct unmap_debt *d, paddr_t base, uint64_t size)
{
    d->base = base;
    d->size = size;
    d->store = pool_first_store(L4_POOL_SPACES);
    d->index = 0;
    d->at = 0;
    d->started = false;
}

static void settled(struct tcb *t)
{
    struct tcb **at = &debtors;

    t->unmap.size = 0;
    while (*at != t) {
        DEBUG_ASSERT(*at);
        at = &(*at)->unmap.next;
    }
    *at = t->unmap.next;
}

bool unmap_debt_owe(paddr_t base, uint64_t size)
{
    if (!debtor || debtor->state == THREAD_DEAD || !size)
        return false; // a call that killed its own thread: nobody would run it again
    struct unmap_debt *d = &debtor->unmap;
    if (d->size && d->started)
        unmap_debt_settle(debtor); // never: a call pays what it owes before it changes more
    if (!d->size) {
        start(d, base, size);
        d->next = debtors;
        debtors = debtor;
        return true;
    }
    /* a revoke's batch removes up to 64 memory capabilities: one walk takes them all, over
     * the range that spans them (a frame between them is kept if its mapper holds it) */
    paddr_t end = d->base + d->size > base + size ? d->base + d->size : base + size;
    if (base < d->base)
        d->base = base;
    d->size = end - d->base;
    return true;
}

bool unmap_debt_step(struct tcb *t, long budget)
{
    struct unmap_debt *d = &t->unmap;

    if (!d->size)
        return false;
    d->started = true;
    while (d->store && budget > 0) {
        if (d->index == d->store->capacity) {
            d->store = d->store->next;
            d->index = 0;
            continue;
        }
        struct space *s = store_block(d->store, d->index);
        budget--;
        /* a free block has no root; a dying one is out of use, its threads gone */
        if (s->root && !s->dying &&
            !arch_pt_unmap_foreign_step(s->root, d->base, d->size, containers_cover, &d->at,
                                        &budget))
            return true;
        d->index++;
        d->at = 0;
    }
    if (!d->store)
        settled(t);
    return true;
}

void unmap_debts_tick(const struct tcb *current)
{
    struct tcb *t = debtors;

    while (t && t == current)
        t = t->unmap.next;
    if (!t)
        return;
    containers_cover_forget(); // capabilities changed since its last step, maybe
    unmap_debt_step(t, UNMAP_BATCH);
}

void unmap_debt_afresh(void)
{
    containers_cover_forget();
}

void unmap_debt_settle(struct tcb *t)
{
    containers_cover_forget(); // t's steps may have run in other calls
    while (unmap_debt_step(t, __LONG_MAX__))
        ;
}
