/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability tables made at run time: slots from a capslots pool, threads bound to them. */
#include "cspace.h"

#include "container.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"

struct captable captable_none;

/* The slot arena of the store a table's header came from: its owner's, whoever paid. */
static struct container *arena_of(const struct store *s)
{
    return s->owner;
}

/* The table of store s whose slots start lowest at or after from (NULL: none). */
static struct cspace *lowest_from(struct store *s, const struct cap *from)
{
    struct cspace *best = NULL;

    for (struct list_node *n = s->live.next; n != &s->live; n = n->next) {
        struct cspace *cs = container_of(n, struct cspace, paid.link);
        if (cs->table.nslots && cs->table.slots >= from &&
            (!best || cs->table.slots < best->table.slots))
            best = cs;
    }
    return best;
}

/* The first run of n free slots in s's arena, or NULL. */
static struct cap *find_gap(struct store *s, uint32_t n)
{
    struct container *c = arena_of(s);
    struct cap *at = c->table_arena, *end = c->table_arena + c->arena_slots;
    struct cspace *cs;

    while ((cs = lowest_from(s, at))) {
        if ((uint64_t)(cs->table.slots - at) >= n)
            return at;
        at = cs->table.slots + cs->table.nslots;
    }
    return (uint64_t)(end - at) >= n ? at : NULL;
}

/*
 * Slide every table of s down to the start of its arena, in address order: the free slots
 * become one run. Units in use never exceed the arena's slots, so a table whose units were
 * charged always fits afterwards, however the others came and went.
 */
static void compact(struct store *s)
{
    struct cap *at = arena_of(s)->table_arena;
    struct cspace *cs;

    while ((cs = lowest_from(s, at))) {
        if (cs->table.slots != at)
            captable_move(&cs->table, at);
        at += cs->table.nslots;
    }
}

l4_err_t cspace_create(struct container *c, struct cap *payer, uint32_t nslots, struct cspace **out)
{
    struct cspace *cs = pool_alloc_units(payer, nslots, c, offsetof(struct cspace, paid));

    if (!cs)
        return L4_ENOMEM;
    struct store *s = cs->paid.store;
    cs->table.nslots = 0; // not yet in the arena: the walks below pass it by
    cs->table.slots = NULL;
    struct cap *at = find_gap(s, nslots);
    if (!at) {
        compact(s); // the payer may move with its table: cs->paid.payer follows it
        at = find_gap(s, nslots);
    }
    ASSERT(at); // nslots units were free, so nslots slots are
    captable_init(&cs->table, at, nslots, c);
    cs->refs = 0;
    cs->dying = false;
    cs->doomed_next = NULL;
    cs->id = s->first_id + store_index(s, cs) + 1;
    c->objects[L4_POOL_CAPSLOTS]++;
    *out = cs;
    return L4_OK;
}

struct cspace *cspace_of(struct captable *t)
{
    struct container *c = t->owner;

    return c && t != &c->table ? container_of(t, struct cspace, table) : NULL;
}

/* Kill every thread that names slots in t (they would otherwise be left with no authority,
 * or with another's). Killing changes the lists: each search starts again. */
static void kill_users(struct captable *t)
{
    for (;;) {
        struct tcb *victim = NULL;
        POOL_FOR_EACH(L4_POOL_THREADS, p)
        {
            struct tcb *th = container_of(p, struct tcb, paid);
            if (th->cspace == t && th->state != THREAD_DEAD) {
                victim = th;
                break;
            }
        }
        if (!victim)
            return;
        thread_kill(victim, -1);
    }
}

static void take_apart(struct cspace *cs)
{
    struct container *owner = cs->table.owner;

    kill_users(&cs->table);
    containers_purge_object(cs);
    captable_clear(&cs->table);
    ASSERT(cs->refs == 0); // no thread uses it, no capability names it
    owner->objects[L4_POOL_CAPSLOTS]--;
    cs->table.nslots = 0;
    pool_free(&cs->paid);
}

/*
 * Taking a table apart removes capabilities, which may destroy other tables (the last
 * capability to one, a pool capability that paid for one): those wait on a list and are
 * taken apart one after another, never inside each other, so a chain of tables as long as
 * the pools allow needs no deeper kernel stack than one. Each gives its units back at once:
 * a payer that is going (pool_reclaim) sees them back before it goes.
 * A table destroyed while a capability operation is under way (its hooks ended the table's
 * last thread, say) waits for that operation's end too (cspaces_settle): the operation may be
 * removing a capability of that very table, or walking a tree through it (RV12C-001).
 */
static struct cspace *doomed;
static bool draining;

static void drain(void)
{
    struct cspace *cs;

    draining = true;
    while ((cs = doomed)) {
        doomed = cs->doomed_next;
        take_apart(cs);
    }
    draining = false;
}

static unsigned long left;

unsigned long captables_left(void)
{
    return left;
}

void cspace_destroy(struct cspace *cs)
{
    if (cs->dying)
        return;
    cs->dying = true;
    pool_detach(&cs->paid);
    left++;
    cs->doomed_next = doomed;
    doomed = cs;
    if (!draining && !cap_busy())
        drain();
}

void cspaces_settle(void)
{
    if (!draining && doomed)
        drain();
}

void cspace_cap_ref(struct cspace *cs, bool added)
{
    if (added) {
        cs->refs++;
        return;
    }
    ASSERT(cs->refs > 0);
    if (--cs->refs == 0)
        cspace_destroy(cs);
}

void cspace_use(struct tcb *t, struct captable *table)
{
    struct cspace *now = cspace_of(table), *before = cspace_of(t->cspace);

    DEBUG_ASSERT(table == &captable_none || table->owner == t->container);
    if (now)
        now->refs++;
    t->cspace = table;
    if (before)
        cspace_cap_ref(before, false);
}

struct captable *captable_next(struct captable *prev)
{
    struct cspace *cs = prev ? cspace_of(prev) : NULL;
    struct paid *p;

    if (!cs) {
        unsigned next = prev ? ((struct container *)prev->owner)->id : 0; // ids are index + 1
        if (container_of_index(next))
            return &container_of_index(next)->table;
        p = pool_next(L4_POOL_CAPSLOTS, NULL);
    } else {
        p = pool_next(L4_POOL_CAPSLOTS, &cs->paid);
    }
    return p ? &container_of(p, struct cspace, paid)->table : NULL;
}

/* --- self-check ------------------------------------------------------------------------------- */

static uint32_t naming(const struct cspace *cs)
{
    uint32_t n = 0;

    CAPTABLES_FOR_EACH(t)
    {
        for (uint32_t i = 0; i < t->nslots; i++)
            n += t->slots[i].type == L4_CAP_CAPTABLE && t->slots[i].obj == cs;
    }
    POOL_FOR_EACH(L4_POOL_THREADS, p)
    n += container_of(p, struct tcb, paid)->cspace == &cs->table;
    return n;
}

static void check_one(struct cspace *cs)
{
    struct store *s = cs->paid.store;
    const struct container *c = arena_of(s);

    if (cs->dying || !cs->table.nslots || cs->paid.units != cs->table.nslots || !cs->paid.payer)
        panic("cspace check: table %u dying, empty or not paid slot for slot", cs->id);
    if (cs->table.slots < c->table_arena ||
        cs->table.slots + cs->table.nslots > c->table_arena + c->arena_slots)
        panic("cspace check: table %u outside its store's arena", cs->id);
    struct cspace *next = lowest_from(s, cs->table.slots + 1);
    if (next && next->table.slots < cs->table.slots + cs->table.nslots)
        panic("cspace check: tables %u and %u share slots", cs->id, next->id);
    if (naming(cs) != cs->refs)
        panic("cspace check: table %u counts %u references, has %u", cs->id, cs->refs, naming(cs));
}

void cspaces_check(void)
{
    POOL_FOR_EACH(L4_POOL_CAPSLOTS, p)
    check_one(container_of(p, struct cspace, paid));
    POOL_FOR_EACH(L4_POOL_THREADS, p)
    {
        const struct tcb *t = container_of(p, struct tcb, paid);
        bool ended = t->state == THREAD_DEAD;
        if (ended ? t->cspace != &captable_none : t->cspace->owner != t->container)
            panic("cspace check: thread %lx names slots of a table not its container's", t->id);
    }
}
