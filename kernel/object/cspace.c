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

/* Has s a block and nslots arena slots free? Dying tables hold theirs until cleared. */
static bool room(struct store *s, uint32_t nslots)
{
    uint64_t used = 0;

    for (struct list_node *n = s->live.next; n != &s->live; n = n->next)
        used += container_of(n, struct cspace, paid.link)->table.nslots;
    return s->taken < s->capacity && used + nslots <= arena_of(s)->arena_slots;
}

l4_err_t cspace_create(struct container *c, struct cap *payer, uint32_t nslots, struct cspace **out)
{
    struct store *s = payer->obj;

    /* units came back as its dying tables went (pool_detach): their room comes back here, if
     * their clearing has not given it back yet (whole: rare, and its own store's tables) */
    if (nslots <= payer->b - payer->used) {
        while (!room(s, nslots) && cspaces_clear_store(s, UINT32_MAX))
            ;
    }
    struct cspace *cs = pool_alloc_units(payer, nslots, c, offsetof(struct cspace, paid));

    if (!cs)
        return L4_ENOMEM;
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

static unsigned long left; /* tables off captable_next's list, or about to go (captables_left) */

/* Nothing reaches cs any more but the derivation forest: no thread uses it (they are
 * killed), no capability names it. What stays is the clearing of its slots. */
static void open(struct cspace *cs)
{
    kill_users(&cs->table);
    containers_purge_object(cs);
    cs->clear_slot = 0;
    cs->clear_walk = (struct cap_revoke_cursor){0};
}

/* Its slots are empty: its block and slots go back to its store. */
static void finish(struct cspace *cs)
{
    struct container *owner = cs->table.owner;

    ASSERT(cs->refs == 0); // no thread uses it, no capability names it
    owner->objects[L4_POOL_CAPSLOTS]--;
    cs->table.nslots = 0;
    left++;
    pool_free(&cs->paid);
}

/*
 * Taking a table apart removes capabilities, which may destroy other tables (the last
 * capability to one, a pool capability that paid for one): those wait on a list and are
 * taken apart one after another, never inside each other, so a chain of tables as long as
 * the pools allow needs no deeper kernel stack than one. Each gives its units back at once:
 * a payer that is going (pool_reclaim) sees them back before it goes; its block and slots
 * come back when it is cleared (a create that needs them clears them first: cspace_create).
 * A table destroyed while a capability operation is under way (its hooks ended the table's
 * last thread, say) waits for that operation's end too (cspaces_settle): the operation may be
 * removing a capability of that very table, or walking a tree through it (RV12C-001).
 *
 * Opened tables wait to be cleared on the clearing list, oldest first, each carried by the
 * thread whose call destroyed it (it clears them before its call returns, in batches, and
 * runs again between them: kernel/api/carry.c), or by the kernel (carrier NULL: the timer
 * tick does a batch, the idle loop the rest) when that thread ended or the kernel's own
 * clearing destroyed it. So a table's end costs the call that caused it, never another
 * container's calls beyond a batch a tick, and nothing stays half-cleared for good.
 */
static struct cspace *doomed;                               /* not yet opened */
static struct cspace *clearing, **clearing_end = &clearing; /* opened, oldest first */
static bool draining;
static struct tcb *carrier_now; /* cspaces_carry */
static bool background;         /* the kernel clears orphans: what that destroys is its own */

/* A batch of cs's clearing: is some left? What it destroys waits on the doomed list. */
static bool clear_some(struct cspace *cs, unsigned budget)
{
    bool was = draining;

    draining = true;
    l4_err_t err = captable_clear_step(&cs->table, budget, &cs->clear_slot, &cs->clear_walk);
    draining = was;
    return err == CAP_MORE;
}

static void enqueue(struct cspace *cs, struct tcb *carrier)
{
    cs->carrier = carrier;
    cs->doomed_next = NULL;
    *clearing_end = cs;
    clearing_end = &cs->doomed_next;
}

/* Open every doomed table; clear it whole now unless a carrier or the kernel clears it. */
static void drain(void)
{
    struct cspace *cs;

    draining = true;
    while ((cs = doomed)) {
        doomed = cs->doomed_next;
        open(cs);
        if (carrier_now || background) { // a carrier that ended leaves it to the kernel
            enqueue(cs, carrier_now && carrier_now->state != THREAD_DEAD ? carrier_now : NULL);
            continue;
        }
        while (clear_some(cs, UINT32_MAX))
            ;
        finish(cs);
    }
    draining = false;
}

static bool carried_by(const struct cspace *cs, const void *t)
{
    return cs->carrier == t;
}

static bool in_store(const struct cspace *cs, const void *s)
{
    return cs->paid.store == s;
}

/* The place on the clearing list of the first table match takes, or NULL. */
static struct cspace **first(bool (*match)(const struct cspace *, const void *), const void *arg)
{
    struct cspace **at = &clearing;

    while (*at && !match(*at, arg))
        at = &(*at)->doomed_next;
    return *at ? at : NULL;
}

/* A batch of the first table match takes, then the tables it destroyed opened: any left? */
static bool clear_first(bool (*match)(const struct cspace *, const void *), const void *arg,
                        unsigned budget)
{
    struct cspace **at = first(match, arg);

    DEBUG_ASSERT(!draining && !cap_busy());
    if (!at)
        return false;
    struct cspace *cs = *at;
    if (!clear_some(cs, budget)) {
        /* the batch appended nothing (drain, below, does), but it may have ended cs's carrier:
         * find cs itself */
        for (at = &clearing; *at != cs; at = &(*at)->doomed_next)
            DEBUG_ASSERT(*at);
        *at = cs->doomed_next;
        if (clearing_end == &cs->doomed_next)
            clearing_end = at;
        finish(cs);
    }
    drain();
    return first(match, arg);
}

void cspaces_carry(struct tcb *t)
{
    carrier_now = t;
}

bool cspaces_clear_carried(struct tcb *t, unsigned budget)
{
    return clear_first(carried_by, t, budget);
}

void cspaces_orphan(const struct tcb *t)
{
    for (struct cspace *cs = clearing; cs; cs = cs->doomed_next) {
        if (cs->carrier == t)
            cs->carrier = NULL;
    }
}

bool cspaces_clear_orphans(unsigned budget)
{
    background = true;
    bool more = clear_first(carried_by, NULL, budget);
    background = false;
    return more;
}

bool cspaces_orphans(void)
{
    return first(carried_by, NULL);
}

bool cspaces_clear_store(const struct store *s, unsigned budget)
{
    return clear_first(in_store, s, budget);
}

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

    /* a dying table (being cleared) is unpaid, and reached by nothing but the forest */
    if (cs->dying && naming(cs))
        panic("cspace check: table %u is being cleared, and named or used", cs->id);
    if (!cs->table.nslots || cs->paid.units != cs->table.nslots || (!cs->dying && !cs->paid.payer))
        panic("cspace check: table %u empty or not paid slot for slot", cs->id);
    if (cs->table.slots < c->table_arena ||
        cs->table.slots + cs->table.nslots > c->table_arena + c->arena_slots)
        panic("cspace check: table %u outside its store's arena", cs->id);
    struct cspace *next = lowest_from(s, cs->table.slots + 1);
    if (next && next->table.slots < cs->table.slots + cs->table.nslots)
        panic("cspace check: tables %u and %u share slots", cs->id, next->id);
    if (!cs->dying && naming(cs) != cs->refs)
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
