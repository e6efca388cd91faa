/* SPDX-License-Identifier: BSD-2-Clause */
/* Pools: per-container stores of kernel objects, and the capabilities that pay for each object. */
#include "pool.h"

#include "arch.h"
#include "container.h"
#include "cspace.h"
#include "endpoint.h"
#include "notification.h"
#include "pmm.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"
#include "thread.h"

static struct store *stores[L4_POOL_KIND_COUNT];
static uint32_t next_id[L4_POOL_KIND_COUNT];

/*
 * Bytes of one block of each kind: what the system-file checker counts
 * (<coffer/sysdesc.h>), so that a system it accepts fits in its RAM.
 * A capslots unit is a slot of a run-time table: a header block each (a table has a slot at
 * least) here, and the slot itself in its container's arena (kernel/object/cspace.c).
 */
static const uint32_t object_size[L4_POOL_KIND_COUNT] = {
    [L4_POOL_THREADS] = SYSDESC_BYTES_THREAD,
    [L4_POOL_SPACES] = SYSDESC_BYTES_SPACE,
    [L4_POOL_ENDPOINTS] = SYSDESC_BYTES_ENDPOINT,
    [L4_POOL_NOTIFICATIONS] = SYSDESC_BYTES_NOTIFICATION,
    [L4_POOL_CAPSLOTS] = SYSDESC_BYTES_CAPTABLE,
    [L4_POOL_PAGETABLES] = SYSDESC_BYTES_PAGETABLE,
};
_Static_assert(sizeof(struct tcb) <= SYSDESC_BYTES_THREAD, "a TCB fits its block");
/* stores start on a page, so every block is as aligned as a TCB (its XSAVE area) must be */
_Static_assert(SYSDESC_BYTES_THREAD % _Alignof(struct tcb) == 0, "TCBs stay aligned");
_Static_assert(KSTACK_SIZE == SYSDESC_BYTES_KSTACK, "kernel stacks are what the checker counts");
_Static_assert(sizeof(struct space) <= SYSDESC_BYTES_SPACE, "a space fits its block");
_Static_assert(sizeof(struct endpoint) <= SYSDESC_BYTES_ENDPOINT, "an endpoint fits its block");
_Static_assert(sizeof(struct notification) <= SYSDESC_BYTES_NOTIFICATION,
               "a notification fits its block");
_Static_assert(PAGE_SIZE == SYSDESC_BYTES_PAGETABLE, "a page table is a page");
_Static_assert(sizeof(struct cap) <= SYSDESC_BYTES_CAPSLOT, "a capability fits its slot");
_Static_assert(sizeof(struct cspace) <= SYSDESC_BYTES_CAPTABLE, "a table's header fits its block");

/*
 * A thread store has one block more than its units: a thread destroyed while
 * it runs (it revoked its own payer, say) gives its unit back at once but
 * keeps its block until it is off its kernel stack, and in that moment the
 * unit may pay for a new thread (a restart does so). One CPU runs one dying
 * thread at a time, so one spare block is enough.
 */
static uint32_t spare(unsigned kind)
{
    return kind == L4_POOL_THREADS;
}

/* A pool capability's units paying for objects, and its store's count of them all (whoever
 * holds the capabilities): the live view reads that count, not every table. */
static l4_err_t charge(struct cap *payer, uint32_t units)
{
    l4_err_t err = cap_pool_charge(payer, units);

    if (!err)
        ((struct store *)payer->obj)->in_use += units;
    return err;
}

static void refund(struct cap *payer, uint32_t units)
{
    cap_pool_refund(payer, units);
    ((struct store *)payer->obj)->in_use -= units;
}

struct store *pool_first_store(unsigned kind)
{
    return stores[kind];
}

struct paid *pool_next(unsigned kind, struct paid *prev)
{
    struct store *s = prev ? prev->store : stores[kind];
    struct list_node *n = prev ? prev->link.next : s ? s->live.next : NULL;

    while (s && n == &s->live) { // the end of this store's list: on to the next store's
        s = s->next;
        n = s ? s->live.next : NULL;
    }
    return s ? container_of(n, struct paid, link) : NULL;
}

void pool_boot_store(struct store *s, void *c, unsigned kind, uint32_t units)
{
    uint32_t size = object_size[kind];
    uint32_t n = units + spare(kind);
    uint64_t bytes = ALIGN_UP((uint64_t)n * size, PAGE_SIZE);
    paddr_t pa = pmm_alloc_contig(&kernel_pmm, bytes / PAGE_SIZE);

    ASSERT(kind < L4_POOL_KIND_COUNT && object_size[kind]);
    if (!pa)
        panic("boot: no %lu KiB of RAM left for the %u-unit pool of kind %u of container %s",
              bytes / 1024, units, kind, ((struct container *)c)->name);
    /* objects start from zeroed blocks; page-table frames are zeroed as they are taken
     * (pool_frame_alloc), the only way out of their store, so not twice */
    if (kind != L4_POOL_PAGETABLES)
        memset(phys_to_virt(pa), 0, bytes);
    store_init(s, phys_to_virt(pa), size, n, (uint8_t)kind, next_id[kind], c);
    next_id[kind] += n;
    s->next = stores[kind];
    stores[kind] = s;
    if (kind == L4_POOL_THREADS)
        thread_store_prepare(s);
}

void *pool_alloc_units(struct cap *payer, uint32_t units, void *maker, size_t hdr)
{
    struct store *s = payer->obj;

    if (charge(payer, units))
        return NULL;
    char *obj = store_take(s);
    if (!obj && s->kind == L4_POOL_THREADS) {
        /* dead threads keep their blocks until reaped: reap them now (all but one that
         * may still be running, for which the store has a spare block) */
        sched_reap_zombies();
        obj = store_take(s);
    }
    DEBUG_ASSERT(obj); // units never outnumber the blocks of their store
    if (!obj) {
        refund(payer, units);
        return NULL;
    }
    struct paid *p = (struct paid *)(obj + hdr);
    p->payer = payer;
    p->units = units;
    p->store = s;
    p->maker = maker;
    p->pinned = false;
    list_push_back(&s->live, &p->link);
    return obj;
}

void *pool_alloc(struct cap *payer, void *maker, size_t hdr)
{
    return pool_alloc_units(payer, 1, maker, hdr);
}

void pool_detach(struct paid *p)
{
    if (p->payer)
        refund(p->payer, p->units);
    p->payer = NULL;
}

void pool_free(struct paid *p)
{
    struct store *s = p->store;
    char *block = (char *)p;

    pool_detach(p);
    list_remove(&p->link);
    /* the block starts where the object does: find it from the header's place in it */
    block -= ((uint64_t)(block - s->base)) % s->size;
    store_give(s, block);
}

paddr_t pool_frame_alloc(struct cap *payer)
{
    struct store *s = payer->obj;

    DEBUG_ASSERT(payer->a == L4_POOL_PAGETABLES && s->kind == L4_POOL_PAGETABLES);
    if (charge(payer, 1))
        return 0;
    void *f = store_take(s);
    DEBUG_ASSERT(f);
    if (!f) {
        refund(payer, 1);
        return 0;
    }
    memset(f, 0, PAGE_SIZE);
    return virt_to_phys(f);
}

void pool_frame_free(struct cap *payer, paddr_t pa)
{
    refund(payer, 1);
    store_give(payer->obj, phys_to_virt(pa));
}

/* --- when a pool capability goes or moves ---------------------------------------------------- */

/* The first object of s, not pinned, that c pays for. */
static struct paid *paid_by(struct store *s, const struct cap *c)
{
    for (struct list_node *n = s->live.next; n != &s->live; n = n->next) {
        struct paid *p = container_of(n, struct paid, link);
        if (p->payer == c && !p->pinned)
            return p;
    }
    return NULL;
}

/* Destroy one object; afterwards it is freed, or detached from its payer. */
static void destroy(unsigned kind, struct paid *p)
{
    switch (kind) {
    case L4_POOL_THREADS:
        thread_reclaim(container_of(p, struct tcb, paid));
        break;
    case L4_POOL_SPACES:
        space_destroy(container_of(p, struct space, paid));
        break;
    case L4_POOL_ENDPOINTS:
        endpoint_destroy(container_of(p, struct endpoint, paid));
        break;
    case L4_POOL_NOTIFICATIONS:
        notification_destroy(container_of(p, struct notification, paid));
        break;
    case L4_POOL_CAPSLOTS:
        cspace_destroy(container_of(p, struct cspace, paid));
        break;
    default:
        panic("pool: no objects of kind %u", kind);
    }
}

/* The first object of kind, in any store, that c made and that is not pinned, nor already
 * going (detached: a run-time table being cleared, kernel/object/cspace.c). */
static struct paid *made_by(unsigned kind, const void *c)
{
    POOL_FOR_EACH(kind, p)
    {
        if (p->maker == c && !p->pinned && p->payer)
            return p;
    }
    return NULL;
}

struct paid *pool_made_by(unsigned kind, const void *c)
{
    return made_by(kind, c);
}

/* One at a time: each may cost a pass over every table (containers_purge_object), and
 * destroying one may destroy others (a space its threads), so the next is looked for afresh. */
bool pool_destroy_made_by(unsigned kind, void *c)
{
    struct paid *p = made_by(kind, c);

    DEBUG_ASSERT(kind != L4_POOL_THREADS && kind != L4_POOL_PAGETABLES);
    if (p)
        destroy(kind, p); // freed, or going (detached), so never found again
    return p;
}

/* The next space, of any container, whose page tables c pays for. */
static struct space *tables_paid_by(const struct cap *c)
{
    POOL_FOR_EACH(L4_POOL_SPACES, p)
    {
        struct space *sp = container_of(p, struct space, paid);
        if (sp->ptpayer == c)
            return sp;
    }
    return NULL;
}

/*
 * c is going. Destroying an object changes the live lists (a space takes its
 * threads with it), so the walk starts again after each: it ends because
 * every round frees or detaches one object c paid for.
 */
void pool_reclaim(struct cap *c)
{
    struct paid *p;
    struct space *sp;

    if (c->a == L4_POOL_PAGETABLES) {
        while ((sp = tables_paid_by(c)))
            space_destroy(sp); // a space without its tables is no space
        return;
    }
    while ((p = paid_by(c->obj, c))) {
        destroy((unsigned)c->a, p);
        /* each round frees p or detaches it (a freed block's first word is the free list's
         * link, never a capability): else this loop would never end */
        ASSERT(p->payer != c);
    }
}

void pool_moved(struct cap *from, struct cap *to)
{
    struct store *s = to->obj;

    if (to->a == L4_POOL_PAGETABLES) {
        POOL_FOR_EACH(L4_POOL_SPACES, p)
        {
            struct space *sp = container_of(p, struct space, paid);
            if (sp->ptpayer == from)
                sp->ptpayer = to;
        }
        return;
    }
    for (struct list_node *n = s->live.next; n != &s->live; n = n->next) {
        struct paid *p = container_of(n, struct paid, link);
        if (p->payer == from)
            p->payer = to;
    }
}

/* --- self-check ------------------------------------------------------------------------------- */

void pool_store_usage(const struct store *s, uint64_t *used, uint64_t *total)
{
    *used = s->in_use;
    *total = s->capacity ? s->capacity - spare(s->kind) : 0; // no pool of a kind: no store
}

/* Exactly the objects of its store that name it as their payer: c->used of them. */
static void check_payer(const struct cap *c)
{
    const struct store *s = c->obj;
    uint32_t n = 0;

    if (c->a == L4_POOL_PAGETABLES)
        return; // frames name no payer: their spaces do, and the totals are checked
    for (const struct list_node *l = s->live.next; l != &s->live; l = l->next)
        if (container_of(l, struct paid, link)->payer == c)
            n += container_of(l, struct paid, link)->units;
    if (n != c->used)
        panic("pool check: a pool capability of kind %lu says %u in use, pays for %u", c->a,
              c->used, n);
}

static void check_store(const struct store *s)
{
    uint64_t held = s->held, used = s->used, attached = 0, live = 0;

    if (used != s->in_use)
        panic("pool check: store of kind %u counts %lu units in use, its capabilities %lu", s->kind,
              s->in_use, used);
    if (held > s->capacity - spare(s->kind))
        panic("pool check: store of kind %u holds %lu units over %u slots", s->kind, held,
              s->capacity - spare(s->kind));
    if (s->kind == L4_POOL_PAGETABLES) {
        if (used != s->taken)
            panic("pool check: %lu page-table units in use, %u frames taken", used, s->taken);
        return;
    }
    for (const struct list_node *n = s->live.next; n != &s->live; n = n->next) {
        const struct paid *p = container_of(n, struct paid, link);
        live++;
        if (!p->payer)
            continue;
        attached += p->units;
        if (p->store != s)
            panic("pool check: an object of kind %u is on another store's list", s->kind);
    }
    /* check_payer found, for each live pool capability naming s, objects of s that name it
     * worth its units in use: if the objects' units add up to those, every payer is one of
     * them (an object naming anything else would add units no capability counted) */
    if (live != s->taken || attached != used)
        panic("pool check: kind %u: %lu objects (%lu paid), store says %u, units in use %lu",
              s->kind, live, attached, s->taken, used);
}

static uint64_t tallies; /* tallies begun: a later one took the stores' counts over */

uint64_t pools_tally_begin(void)
{
    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++) {
        for (struct store *s = stores[k]; s; s = s->next)
            s->held = s->used = 0;
    }
    return ++tallies;
}

void pool_tally(const struct cap *c)
{
    DEBUG_ASSERT(c->type == L4_CAP_POOL);
    check_payer(c);
    ((struct store *)c->obj)->held += c->b;
    ((struct store *)c->obj)->used += c->used;
}

bool pools_tally_end(uint64_t tally)
{
    if (tally != tallies)
        return false;
    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++) {
        for (const struct store *s = stores[k]; s; s = s->next)
            check_store(s);
    }
    return true;
}

/* One walk of every table tallies each store's units (held, used) and checks each pool
 * capability: the check grows with the system, not with its square (it follows every call). */
void pools_check(void)
{
    uint64_t tally = pools_tally_begin();
    CAPTABLES_FOR_EACH(t)
    {
        for (uint32_t k = 0; k < t->nslots; k++) {
            if (t->slots[k].type == L4_CAP_POOL)
                pool_tally(&t->slots[k]);
        }
    }
    pools_tally_end(tally);
}
