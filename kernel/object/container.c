/* SPDX-License-Identifier: BSD-2-Clause */
/* Containers: built from the boot description, with pools, memory, a table and a program. */
#include "container.h"

#include "arch.h"
#include "cspace.h"
#include "devmem.h"
#include "endpoint.h"
#include "irq.h"
#include "loader.h"
#include "notification.h"
#include "pmm.h"
#include "pool.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"
#include "sysdesc.h"
#include "thread.h"
#include "thread_wait.h"
#include "trace.h"
#include "unmap_debt.h"

/*
 * Sized by the boot description and carved with it at boot (boot_tables), so that the kernel
 * image holds no table for the most containers, objects and capabilities it could take.
 */
static struct container *containers; /* ncontainers of them */
static unsigned ncontainers;
static struct sysdesc desc;            /* checked at boot; kept for restarts */
static void **boot_objects;            /* [nobjects]: endpoints and notifications it made */
static struct cap_origin *boot_memory; /* [nobjects]: and where its shared memory is */
static struct cap_origin *boot_ranges; /* [ncaps]: and the ports and devices it gives */

/* What the system-file checker counts for them (<coffer/sysdesc.h>). */
_Static_assert(sizeof(struct container) <= SYSDESC_BYTES_CONTAINER, "a container fits its share");
_Static_assert(sizeof(void *) + sizeof(struct cap_origin) <= SYSDESC_BYTES_BOOT_ENTRY &&
                   sizeof(struct cap_origin) <= SYSDESC_BYTES_BOOT_ENTRY,
               "what the kernel keeps of an object or capability fits its share");
_Static_assert(SYSDESC_MAX_CONTAINERS <= MAP_MAPPER_MAX, "every container id tags its mappings");

struct container *container_of_index(unsigned i)
{
    return i < ncontainers ? &containers[i] : NULL;
}

struct cap *container_pool_root(struct container *c, unsigned kind)
{
    struct cap *k = cap_slot(&c->table, L4_SLOT_POOL_BASE + kind);

    /* pool roots never move or go (cap_grant, cap_destroy): the slot still holds it */
    return k && k->type == L4_CAP_POOL && !k->parent ? k : NULL;
}

/* --- hooks the capability code calls ------------------------------------------------------- */

/* A container's authority is the union of its tables: its own and its threads' (cspace.c). */
bool container_holds(const struct container *c, const void *obj, uint32_t rights)
{
    CAPTABLES_FOR_EACH(t)
    {
        if (t->owner != c)
            continue;
        for (uint32_t i = 0; i < t->nslots; i++) {
            const struct cap *k = &t->slots[i];
            if (k->type != L4_CAP_NULL && k->obj == obj && (k->rights & rights) == rights)
                return true;
        }
    }
    return false;
}

/* The right a binding through a capability of this type needs (0: nothing is bound). */
static uint32_t binding_right(unsigned type)
{
    return type == L4_CAP_SPACE          ? L4_SPACE_BIND
           : type == L4_CAP_ENDPOINT     ? L4_EP_SEND
           : type == L4_CAP_NOTIFICATION ? L4_NTF_SIGNAL
           : type == L4_CAP_THREAD       ? L4_THR_READ    // thread_wait
           : type == L4_CAP_IRQ          ? L4_IRQ_CONTROL // irq_bind
                                         : 0;
}

/* Undo what c set up through its last capability to obj of type. */
static void unbind(struct container *c, void *obj, unsigned type)
{
    if (type == L4_CAP_SPACE)
        threads_kill_strangers(obj, c);
    else if (type == L4_CAP_ENDPOINT)
        threads_forget_fault_ep(obj, c);
    else if (type == L4_CAP_THREAD)
        threads_stop_waiting(obj, c);
    else if (type == L4_CAP_IRQ)
        irq_unbind_binder(obj, c); // a revoked driver hears its line no more (AArch64: nor
                                   // reaches CNTP, when the line is its timer's)
    else
        notification_unbind_for(obj, c);
}

/*
 * An IPC that moves a capability settles it only when both threads' state is
 * whole again: unbinding may kill a thread taking part in that IPC. One
 * capability moves per message, so one is pending at most.
 */
static struct {
    bool deferring, pending;
    struct container *c;
    void *obj;
    unsigned type;
} later;

void containers_defer_unbinding(void)
{
    later.deferring = true;
}

void containers_settle_unbinding(void)
{
    later.deferring = false;
    if (!later.pending)
        return;
    later.pending = false;
    unbind(later.c, later.obj, later.type);
}

/*
 * What was set up through a capability lasts no longer than the authority to
 * set it up: a thread of another container stays bound to a space only while
 * its container holds a capability to bind it there, a thread keeps a fault
 * endpoint only while its container may send to it, and an interrupt line stays
 * bound to a notification while the container that bound it may signal it (so do
 * exit and container notifications), and a thread_wait lasts while its container
 * may read the thread.
 * Only the container that lost the right is concerned, and only if it holds no
 * other capability with it: one table's scan, however many capabilities go.
 * Called before the last capability's count drops (which may free the object).
 */
static void authority_lost(const struct captable *from, const struct cap *k, uint32_t lost)
{
    struct container *c = from->owner;
    uint32_t right = binding_right(k->type);

    if (!(lost & right) || container_holds(c, k->obj, right))
        return;
    if (k->type == L4_CAP_SPACE && !((struct space *)k->obj)->threads)
        return; // nobody bound: nothing to undo
    if (k->type == L4_CAP_THREAD && list_empty(&((struct tcb *)k->obj)->waiters))
        return; // nobody waits (a dead thread never has waiters, so obj outlives a deferral)
    if (!later.deferring) {
        unbind(c, k->obj, k->type);
        return;
    }
    ASSERT(!later.pending);
    later.pending = true;
    later.c = c;
    later.obj = k->obj;
    later.type = k->type;
}

static void object_ref(struct cap *k, bool added)
{
    if (k->type == L4_CAP_SPACE)
        space_cap_ref(k->obj, added);
    else if (k->type == L4_CAP_THREAD)
        thread_cap_ref(k->obj, added);
    else if (k->type == L4_CAP_ENDPOINT)
        endpoint_cap_ref(k->obj, added);
    else if (k->type == L4_CAP_NOTIFICATION)
        notification_cap_ref(k->obj, added);
    else if (k->type == L4_CAP_IRQ)
        irq_cap_ref(k->obj, added);
    else if (k->type == L4_CAP_CAPTABLE)
        cspace_cap_ref(k->obj, added);
}

/*
 * memory_gone asks covers about every page of a range in turn, and while it runs no
 * capability changes: so the answer for one frame holds for the frames around it, up to the
 * nearest end or start of a capability of the mapper's with the rights. covers keeps that
 * interval from its last scan of the tables and scans again only outside it: once a run of
 * pages, not once a page (4,096 pages narrowed away: 2.5M instructions to 0.33M, make bench).
 */
static struct {
    const struct container *c; /* NULL: nothing kept (memory_gone starts afresh) */
    uint32_t need;
    paddr_t lo, hi; /* [lo, hi): every frame in it has the answer */
    bool covered;
} cover_memo;

/*
 * Does the container that made a mapping (by id) still hold a memory capability over pa with
 * the rights its permissions need? A mapping stands on the rights it was made with, not on
 * the range alone: a deduce that takes WRITE (or EXEC) from the holder's capability, or from
 * one it was derived from, takes the writable (executable) mappings it made, in every space.
 */
static bool covers(unsigned mapper, paddr_t pa, unsigned perms)
{
    const struct container *c = container_of_index(mapper - 1);
    uint32_t need = space_map_rights(perms);
    paddr_t lo = 0, hi = ~(paddr_t)0;

    if (!c)
        return false;
    if (cover_memo.c == c && cover_memo.need == need && pa >= cover_memo.lo && pa < cover_memo.hi)
        return cover_memo.covered;
    cover_memo.c = c;
    cover_memo.need = need;
    CAPTABLES_FOR_EACH(t)
    {
        for (uint32_t i = 0; t->owner == c && i < t->nslots; i++) {
            const struct cap *k = &t->slots[i];
            if (k->type != L4_CAP_MEMORY || (k->rights & need) != need)
                continue;
            if (pa >= k->a && pa - k->a < k->b) {
                cover_memo.lo = k->a;
                cover_memo.hi = k->a + k->b;
                return cover_memo.covered = true;
            }
            if (k->a > pa && k->a < hi) // the nearest capability above pa
                hi = k->a;
            else if (k->a < pa && k->a + k->b > lo) // ... and below (it ends at or before pa)
                lo = k->a + k->b;
        }
    }
    cover_memo.lo = lo;
    cover_memo.hi = hi;
    return cover_memo.covered = false;
}

void containers_cover_forget(void)
{
    cover_memo.c = NULL;
}

/*
 * A memory capability went away (destroyed, revoked, narrowed, granted to
 * another container): every page of its range that a container mapped and no
 * longer holds a capability over is unmapped, in whichever space it is. Rare,
 * so a walk of every space is affordable.
 */
static void memory_gone(uint64_t base, uint64_t size)
{
    containers_cover_forget(); // the capabilities changed since the last call
    /* now, unless the call that made the change pays it in steps (kernel/object/unmap_debt.c) */
    if (!unmap_debt_owe(base, size))
        spaces_unmap_uncovered(base, size, covers);
}

bool containers_cover(unsigned mapper, paddr_t pa, unsigned perms)
{
    return covers(mapper, pa, perms);
}

/* A space a restart takes apart in steps: its capabilities go in a pass over the tables. */
static bool closing(const struct cap *k)
{
    return k->type == L4_CAP_SPACE && ((const struct space *)k->obj)->retired;
}

static const struct cap_hooks hooks = {object_ref,     pool_reclaim,   pool_moved, memory_gone,
                                       authority_lost, cspaces_settle, closing};

/* The first capability naming obj at or after slot *s of table *t, in table order. */
static struct cap *naming_from(const void *obj, struct captable **t, uint32_t *s)
{
    for (; *t; *t = captable_next(*t), *s = 0) {
        for (; *s < (*t)->nslots; (*s)++) {
            struct cap *k = &(*t)->slots[*s];
            if (k->type != L4_CAP_NULL && k->obj == obj)
                return k;
        }
    }
    return NULL;
}

/*
 * Remove every capability naming obj, the first in table order first. The walk goes on from
 * the one it removed (the slots before it name other objects, and a removal moves nothing
 * between slots), so it passes over the tables once, not once per capability (10,000 copies
 * of one object cost 10,000 times all the slots). Unless a removal took a run-time table off
 * the list (its last capability went): the walk's place may be gone, and it starts again.
 */
void containers_purge_object(void *obj)
{
    struct captable *t = captable_next(NULL);
    uint32_t s = 0;
    struct cap *k;

    while ((k = naming_from(obj, &t, &s))) {
        unsigned long left = captables_left();
        cap_remove(k);
        if (captables_left() != left) {
            t = captable_next(NULL);
            s = 0;
        }
    }
}

/* The table at place i of captable_next's order (NULL past the last): the containers' own
 * by index, then the run-time ones. */
static struct captable *table_at(uint32_t i)
{
    if (i < ncontainers)
        return &containers[i].table;
    struct captable *t = captable_next(&containers[ncontainers - 1].table);
    for (i -= ncontainers; t && i; i--)
        t = captable_next(t);
    return t;
}

bool containers_purge_some(const void *obj, struct tables_cursor *cur, unsigned budget)
{
    struct captable *t;

    while ((t = table_at(cur->table))) {
        bool moved = false;
        for (; !moved && cur->slot < t->nslots; cur->slot++) {
            struct cap *k = &t->slots[cur->slot];
            if (!budget--)
                return true;
            if (k->type == L4_CAP_NULL || k->obj != obj)
                continue;
            unsigned long left = captables_left();
            cap_remove(k);
            moved = captables_left() != left; // t may have left the list: found by its place
        }
        if (!moved && cur->slot >= t->nslots) {
            cur->table++;
            cur->slot = 0;
        }
    }
    return false;
}

bool containers_check_each_call = true;

/* Check slots [from, to) of t; panic with the reason. */
static void check_slots(const struct captable *t, uint32_t from, uint32_t to)
{
    uint32_t slot;
    const char *why = captable_check_range(t, from, to, &slot);
    const struct cspace *cs = cspace_of((struct captable *)t);

    if (why)
        panic("capability check: container %s, %s %u, slot %u: %s",
              ((struct container *)t->owner)->name, cs ? "run-time table" : "its table",
              cs ? cs->id : 0, slot, why);
}

void containers_check(void)
{
    CAPTABLES_FOR_EACH(t)
    check_slots(t, 0, t->nslots);
    cspaces_check();
    pools_check();
}

bool containers_check_step(struct tables_cursor *cur, uint64_t *changes, uint64_t *tally,
                           unsigned budget)
{
    struct captable *t;

    if (!cur->table && !cur->slot) {
        *changes = cap_changes();
        *tally = pools_tally_begin();
    }
    while ((t = table_at(cur->table))) {
        if (cur->slot >= t->nslots) { // done, or another table took its place meanwhile
            cur->table++;
            cur->slot = 0;
            continue;
        }
        if (!budget)
            return true;
        uint32_t to = t->nslots - cur->slot < budget ? t->nslots : cur->slot + budget;
        check_slots(t, cur->slot, to);
        for (uint32_t i = cur->slot; i < to; i++) {
            if (t->slots[i].type == L4_CAP_POOL)
                pool_tally(&t->slots[i]);
        }
        budget -= to - cur->slot;
        cur->slot = to;
    }
    /* the tally is whole if nothing changed: no slot was counted twice or missed */
    if (cap_changes() == *changes)
        pools_tally_end(*tally);
    cspaces_check();
    *cur = (struct tables_cursor){0};
    return false;
}

/* --- building ------------------------------------------------------------------------------ */

static const struct boot_module *find_module(const char *name)
{
    for (unsigned i = 0; i < boot_info.nmodules; i++) {
        if (strcmp(boot_info.modules[i].name, name) == 0)
            return &boot_info.modules[i];
    }
    return NULL;
}

/* RAM for c as the allocator has it: it may hold anything (firmware's, the loader's). */
static paddr_t carve_raw(struct container *c, uint64_t bytes)
{
    paddr_t base = pmm_alloc_contig(&kernel_pmm, bytes / PAGE_SIZE);

    if (!base)
        panic("boot: no %lu KiB of RAM left for container %s", bytes / 1024, c->name);
    return base;
}

/* RAM for c, zeroed: what capabilities give it, and what the kernel keeps in it. */
static paddr_t carve(struct container *c, uint64_t bytes)
{
    paddr_t base = carve_raw(c, bytes);

    memset(phys_to_virt(base), 0, bytes);
    return base;
}

/*
 * Give the container its own RAM, in two parts: the kernel takes program
 * images and stacks from the first (kept as a list of free frames), and the
 * second is the container's to map, through the memory capability in slot 10.
 * The first is not zeroed here: no capability names it, and its frames reach
 * the container only through space_alloc_range, which zeroes each as it maps it
 * (so a page is zeroed once, and only the pages used are).
 */
static void carve_memory(struct container *c, uint64_t bytes, uint64_t region)
{
    c->mem_base = carve_raw(c, bytes);
    c->mem_size = bytes;
    for (uint64_t off = bytes; off; off -= PAGE_SIZE)
        blocklist_push(&c->memory, phys_to_virt(c->mem_base + off - PAGE_SIZE));
    c->region = (struct cap_origin){carve(c, region), region, false};
}

/* The units of kind its pool root gets: pools[L4_POOL_CAPSLOTS] is its own table's size,
 * and tableslots the slots of tables its threads may make at run time. */
static uint32_t pool_units(const struct sysdesc_container *d, unsigned kind)
{
    return kind == L4_POOL_CAPSLOTS ? d->tableslots : d->pools[kind];
}

/* The memory behind each of its pools: the objects their units pay for; for run-time tables
 * a header block per unit and an arena of as many slots. */
static void carve_pools(struct container *c)
{
    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++) {
        if (pool_units(c->desc, k))
            pool_boot_store(&c->stores[k], c, k, pool_units(c->desc, k));
    }
    c->arena_slots = c->desc->tableslots;
    if (c->arena_slots)
        c->table_arena = phys_to_virt(
            carve(c, ALIGN_UP((uint64_t)c->arena_slots * sizeof(struct cap), PAGE_SIZE)));
}

/* Its pool roots, with all their units (boot), or all of them back (restart). */
static void fill_pools(struct container *c)
{
    uint32_t pool_rights = L4_RIGHTS_CAP | L4_POOL_ALLOC;

    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++) {
        uint32_t units = pool_units(c->desc, k);
        struct cap *root = container_pool_root(c, k);
        if (!units)
            continue;
        if (!root) {
            ASSERT(!cap_insert_boot(&c->table, L4_SLOT_POOL_BASE + k, L4_CAP_POOL, pool_rights,
                                    &c->stores[k], k, units));
            continue;
        }
        /* kept through the restart: only pinned objects are left on it */
        ASSERT(!root->children && root->used <= units);
        root->b = units;
        root->rights = pool_rights;
    }
}

/* The well-known slots: itself, pools, memory and (if configured) the debug console. */
static void fill_table(struct container *c)
{
    const struct sysdesc_container *d = c->desc;

    ASSERT(
        !cap_insert_boot(&c->table, L4_SLOT_CONTAINER, L4_CAP_CONTAINER, L4_CONT_INSPECT, c, 0, 0));
    if (d->flags & SYSDESC_DEBUG)
        ASSERT(!cap_insert_boot(&c->table, L4_SLOT_DEBUG, L4_CAP_DEBUG, L4_DEBUG_RIGHTS_ALL, NULL,
                                0, 0));
    fill_pools(c);
    ASSERT(!cap_insert_boot(&c->table, L4_SLOT_MEMORY, L4_CAP_MEMORY, L4_MEM_RIGHTS_ALL, &c->region,
                            c->region.base, c->region.size));
}

/* Make the endpoints and notifications of the description, for good (pinned). */
static void make_boot_objects(void)
{
    for (uint32_t i = 0; i < desc.header->nobjects; i++) {
        const struct sysdesc_object *o = &desc.objects[i];
        struct container *c = &containers[o->owner];
        struct endpoint *ep = NULL;
        struct notification *n = NULL;
        if (o->kind == SYSDESC_MEMORY) {
            uint64_t bytes = (uint64_t)o->pages * PAGE_SIZE;
            boot_memory[i] = (struct cap_origin){carve(c, bytes), bytes, false};
            continue;
        }
        /* sysdesc_check made sure the owner's pools have a unit for each */
        if (o->kind == SYSDESC_ENDPOINT) {
            ASSERT(!endpoint_create(c, container_pool_root(c, L4_POOL_ENDPOINTS), &ep));
            ep->paid.pinned = true;
            boot_objects[i] = ep;
        } else {
            ASSERT(!notification_create(c, container_pool_root(c, L4_POOL_NOTIFICATIONS), &n));
            n->paid.pinned = true;
            boot_objects[i] = n;
        }
    }
}

/* The capabilities the description gives c: its own objects, then the extra ones. */
static void insert_described_caps(struct container *c)
{
    unsigned me = c->id - 1;

    for (uint32_t i = 0; i < desc.header->nobjects; i++) {
        const struct sysdesc_object *o = &desc.objects[i];
        if (o->owner != me)
            continue;
        struct cap_origin *m = &boot_memory[i];
        l4_err_t err;
        if (o->kind == SYSDESC_ENDPOINT)
            err = cap_insert_boot(&c->table, o->slot, L4_CAP_ENDPOINT, L4_EP_RIGHTS_ALL,
                                  boot_objects[i], 0, 0);
        else if (o->kind == SYSDESC_NOTIFICATION)
            err = cap_insert_boot(&c->table, o->slot, L4_CAP_NOTIFICATION, L4_NTF_RIGHTS_ALL,
                                  boot_objects[i], 0, 0);
        else
            err = cap_insert_boot(&c->table, o->slot, L4_CAP_MEMORY, L4_MEM_RIGHTS_ALL, m, m->base,
                                  m->size);
        ASSERT(!err); // sysdesc_check: free slots, each used once
    }
    for (uint32_t i = 0; i < desc.header->ncaps; i++) {
        const struct sysdesc_cap *k = &desc.caps[i];
        struct cap_origin *m = &boot_ranges[i];
        l4_err_t err;
        if (k->holder != me || k->type == SYSDESC_THREAD_CAP)
            continue;
        if (k->type == L4_CAP_MEMORY && k->target == SYSDESC_DEVICE) {
            *m = (struct cap_origin){k->badge, (uint64_t)k->count * PAGE_SIZE, true};
            err = cap_insert_boot(&c->table, k->slot, k->type, k->rights, m, m->base, m->size);
        } else if (k->type == L4_CAP_MEMORY) {
            m = &boot_memory[k->target];
            err = cap_insert_boot(&c->table, k->slot, k->type, k->rights, m, m->base, m->size);
        } else if (k->type == L4_CAP_IOPORT) {
            *m = (struct cap_origin){k->target, k->count, false};
            err = cap_insert_boot(&c->table, k->slot, k->type, k->rights, m, k->target, k->count);
        } else if (k->type == L4_CAP_IRQ) {
            err = cap_insert_boot(&c->table, k->slot, k->type, k->rights, irq_line(k->target),
                                  k->target, 0);
        } else if (k->type == L4_CAP_CLOCK) {
            err = cap_insert_boot(&c->table, k->slot, k->type, k->rights, NULL, 0, 0);
        } else {
            void *target = k->type == L4_CAP_CONTAINER ? (void *)&containers[k->target]
                                                       : boot_objects[k->target];
            err = cap_insert_boot(&c->table, k->slot, k->type, k->rights, target, k->badge, 0);
        }
        ASSERT(!err);
    }
}

/*
 * What the description says of its first thread: the fault endpoint in fault_slot (which
 * insert_described_caps has just filled, sysdesc_check made sure with an endpoint that may
 * send), with that capability's badge, and its foreign system call mode.
 */
static void configure_first_thread(struct container *c, struct tcb *t)
{
    struct cap *k = c->desc->fault_slot ? cap_slot(&c->table, c->desc->fault_slot) : NULL;

    if (k) {
        ASSERT(k->type == L4_CAP_ENDPOINT && (k->rights & L4_EP_SEND));
        t->fault_ep = k->obj;
        t->fault_badge = k->a;
    }
    thread_set_foreign(t, c->desc->foreign);
}

/*
 * Its first thread's own table, if the description gives it one: made from the capslots pool
 * root and filled from the container's table (as captable_put would), at boot and after every
 * restart. Nothing but the thread holds it: it goes when the thread ends.
 */
static l4_err_t give_first_table(struct container *c, struct tcb *t)
{
    struct cspace *cs = NULL;
    unsigned me = c->id - 1;

    if (!c->desc->first_table)
        return L4_OK;
    l4_err_t err =
        cspace_create(c, container_pool_root(c, L4_POOL_CAPSLOTS), c->desc->first_table, &cs);
    for (uint32_t i = 0; !err && i < desc.header->ncaps; i++) {
        const struct sysdesc_cap *k = &desc.caps[i];
        if (k->holder == me && k->type == SYSDESC_THREAD_CAP)
            err = cap_put(&c->table, k->target, &cs->table, k->slot, k->rights, k->count);
    }
    if (!err) {
        cspace_use(t, &cs->table);
    } else if (cs) {
        kprintf("container %s: its first thread's table: %d\n", c->name, err);
        cspace_destroy(cs);
    }
    return err;
}

/* A space for the container's program, to load it into (load_program). */
static l4_err_t program_space(struct container *c, struct space **s)
{
    l4_err_t err = space_create(c, container_pool_root(c, L4_POOL_SPACES),
                                container_pool_root(c, L4_POOL_PAGETABLES), s);

    if (err)
        kprintf("container %s: cannot start its program: %d\n", c->name, err);
    c->load.at = (struct loader_cursor){0};
    return err;
}

/* At most budget pages of its program into s: CAP_MORE while some are left. On an error the
 * space goes (nothing else holds it). */
static l4_err_t load_program(struct container *c, struct space *s, unsigned budget)
{
    l4_err_t err = loader_load_step(s, c->image, &c->load.at, budget);

    if (err && err != CAP_MORE) {
        kprintf("container %s: cannot start its program: %d\n", c->name, err);
        space_drop(s);
    }
    return err;
}

/* A thread running the loaded program in s; caps in slots 1 and 2. */
static l4_err_t run_program(struct container *c, struct space *s)
{
    struct tcb *t = NULL;
    l4_err_t err = thread_create(c, container_pool_root(c, L4_POOL_THREADS), s,
                                 (uint8_t)c->desc->priority, c->name, &t);

    if (!err)
        err = loader_start(s, t, c->image, c->desc->args);
    if (!err)
        err = cap_insert_boot(&c->table, L4_SLOT_SPACE, L4_CAP_SPACE, L4_SPACE_RIGHTS_ALL, s, 0, 0);
    if (!err)
        err = cap_insert_boot(&c->table, L4_SLOT_THREAD, L4_CAP_THREAD, L4_THR_RIGHTS_ALL, t, 0, 0);
    if (!err)
        err = give_first_table(c, t);
    if (err) {
        kprintf("container %s: cannot start its program: %d\n", c->name, err);
        if (t)
            thread_kill(t, -1);
        else
            space_drop(s); // nobody holds it: let it go
        return err;
    }
    configure_first_thread(c, t);
    t->held = c->state == CONTAINER_STOPPED; // container_start lets it go
    sched_make_ready(t);
    return L4_OK;
}

/* A space and a thread running the container's program, whole (boot). */
static l4_err_t start_program(struct container *c)
{
    struct space *s;
    l4_err_t err = program_space(c, &s);

    if (!err)
        err = load_program(c, s, UINT32_MAX);
    return err ? err : run_program(c, s);
}

static void build(struct container *c, const struct sysdesc_container *d, unsigned index)
{
    uint32_t nslots = d->pools[L4_POOL_CAPSLOTS];
    paddr_t table =
        pmm_alloc_contig(&kernel_pmm, ALIGN_UP(nslots * sizeof(struct cap), PAGE_SIZE) / PAGE_SIZE);

    memset(c, 0, sizeof(*c));
    c->id = index + 1;
    memcpy(c->name, d->name, sizeof(c->name));
    c->desc = d;
    c->ceiling = (uint8_t)d->ceiling;
    c->image = find_module(d->program);
    if (!c->image)
        panic("boot: container %s: no boot module '%s'", c->name, d->program);
    if (!table)
        panic("boot: no memory for the capability table of %s", c->name);
    captable_init(&c->table, phys_to_virt(table), nslots, c);
    carve_memory(c, d->memory, (d->region_pages ? d->region_pages : 16) * (uint64_t)PAGE_SIZE);
    carve_pools(c);
    fill_table(c);
}

/*
 * The description's device memory against the machine: the checker knew only the RAM the
 * system file says QEMU has and where PCs put the kernel's devices; the firmware's memory
 * map and the devices the kernel mapped (arch_init) are the truth.
 */
static void check_devices(void)
{
    for (uint32_t i = 0; i < desc.header->ncaps; i++) {
        const struct sysdesc_cap *k = &desc.caps[i];
        uint64_t size = (uint64_t)k->count * PAGE_SIZE;
        struct boot_range clash;
        if (k->type != L4_CAP_MEMORY || k->target != SYSDESC_DEVICE)
            continue;
        const char *what = devmem_refuse(k->badge, size, boot_info.ram, boot_info.nram, &clash);
        if (what)
            panic("boot: container %s: device memory %lx..%lx (slot %u) overlaps %s at "
                  "%lx..%lx: a device must be no RAM and none the kernel uses",
                  desc.containers[k->holder].name, k->badge, k->badge + size - 1, k->slot, what,
                  clash.base, clash.base + clash.len - 1);
    }
}

/* Debug builds say where each container's RAM went: above 1 GiB, 4 GiB or below (HIMEM-001). */
static void print_placement(const struct container *c)
{
    paddr_t lo = ~0ull, hi = 0;

    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++) {
        const struct store *s = &c->stores[k];
        paddr_t base = s->base ? virt_to_phys(s->base) : 0;
        if (!base)
            continue;
        lo = base < lo ? base : lo;
        hi = base + (uint64_t)s->size * s->capacity > hi ? base + (uint64_t)s->size * s->capacity
                                                         : hi;
    }
    kprintf("container %s: memory %lx..%lx, region %lx..%lx, pools %lx..%lx\n", c->name,
            c->mem_base, c->mem_base + c->mem_size, c->region.base, c->region.base + c->region.size,
            lo, hi);
}

/* The tables above, in one zeroed carve of whole pages. */
static void boot_tables(void)
{
    uint64_t nobj = desc.header->nobjects, ncaps = desc.header->ncaps;
    uint64_t bytes = ncontainers * sizeof(struct container) +
                     nobj * (sizeof(void *) + sizeof(struct cap_origin)) +
                     ncaps * sizeof(struct cap_origin);
    paddr_t pa = pmm_alloc_contig(&kernel_pmm, ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE);
    char *p = phys_to_virt(pa);

    if (!pa)
        panic("boot: no %lu KiB of RAM left for %u containers", bytes / 1024, ncontainers);
    memset(p, 0, ALIGN_UP(bytes, PAGE_SIZE));
    containers = (struct container *)p; // every part is a multiple of 8 bytes: all aligned
    p += ncontainers * sizeof(struct container);
    boot_objects = (void **)p;
    p += nobj * sizeof(void *);
    boot_memory = (struct cap_origin *)p;
    boot_ranges = boot_memory + nobj;
}

void containers_boot(const void *buf, size_t len)
{
    const char *why = sysdesc_check(buf, len, &desc);

    if (why)
        panic("boot: bad boot description: %s", why);
    check_devices();
    cap_hooks = &hooks;
    ncontainers = desc.header->ncontainers;
    boot_tables();
    for (uint32_t i = 0; i < ncontainers; i++)
        build(&containers[i], &desc.containers[i], i);
    make_boot_objects();
    for (uint32_t i = 0; i < ncontainers; i++) {
        struct container *c = &containers[i];
        insert_described_caps(c);
        kprintf("container %s: program %s, priority %u (ceiling %u), %lu KiB, %u slots\n", c->name,
                c->desc->program, c->desc->priority, c->ceiling, c->mem_size / 1024,
                c->table.nslots);
        if (DEBUG_BUILD)
            print_placement(c);
        start_program(c);
    }
    if (DEBUG_BUILD)
        containers_check();
}

/* --- control ------------------------------------------------------------------------------- */

void container_stop(struct container *c)
{
    c->state = CONTAINER_STOPPED;
    threads_hold(c, true);
}

void container_start(struct container *c)
{
    c->state = CONTAINER_RUNNING;
    threads_hold(c, false);
}

void container_note_fault(struct container *c, uint64_t ip, uint64_t addr)
{
    c->faults++;
    c->last_fault_ip = ip;
    c->last_fault_addr = addr;
}

/* Keep a mapping unless its maker is in its restart's sweep: a container restarting keeps
 * nothing it mapped (and has no thread to map more). */
static bool keep_mapping(unsigned mapper, paddr_t pa, unsigned perms)
{
    const struct container *m = container_of_index(mapper - 1);

    (void)pa;
    (void)perms;
    return !m || m->restart_stage != RESTART_SWEEP;
}

/*
 * What a restarting container mapped, in whichever space, goes here, a space a step, before
 * its table's reset: then that reset's removal of its memory capabilities has nothing of its
 * to unmap (captable_reset_cursor defer_unmap), and no mapping outlives its capability.
 * Sweep numbers rise: a container's is taken as it enters its sweep, and a space swept is
 * marked with the latest, since its sweep took the mappings of every container sweeping
 * then. So a space made or moved in the list meanwhile is neither missed nor done twice,
 * and two restarts sweeping at once serve each other rather than undo each other's marks.
 * Is any space left?
 */
static uint64_t sweeps;

static bool sweep_step(struct container *c)
{
    POOL_FOR_EACH(L4_POOL_SPACES, p)
    {
        struct space *sp = container_of(p, struct space, paid);
        if (sp->swept >= c->sweep)
            continue;
        sp->swept = sweeps;
        arch_pt_unmap_foreign(sp->root, 0, ~0ull, keep_mapping);
        return true;
    }
    return false;
}

/*
 * What a step of the restart's longest stages does at most, each about 15,000 to 20,000
 * instructions of a debug build (make bench: interrupt latency while another container
 * restarts one): slots looked at for a space's capabilities (a few instructions each), a
 * space's page tables given back, slots checked (debug builds), pages of its program loaded
 * (each zeroed, most copied).
 */
#define PURGE_BATCH  1024
#define TABLES_BATCH 8
#define CHECK_BATCH  1024
#define LOAD_BATCH   8

/*
 * The spaces c made go one after another, each in steps (space_retire): taken out of use
 * first (its threads killed, no thread bound to it, no capability naming it copied or
 * moved), then every capability naming it removed, PURGE_BATCH slots a step (another pass if
 * one missed some: its count says), then its page tables given back, TABLES_BATCH a step,
 * and it goes with the last. A space_destroy meanwhile (its payer going) finishes it whole
 * and clears c->retire.space. Is any left?
 */
static bool retire_step(struct container *c)
{
    struct space *s = c->retire.space;

    if (!s) {
        struct paid *p = pool_made_by(L4_POOL_SPACES, c);
        if (!p)
            return false;
        c->retire.space = s = container_of(p, struct space, paid);
        c->retire.purge = (struct tables_cursor){0};
        space_retire(s);
        return true;
    }
    if (s->caps) {
        if (!containers_purge_some(s, &c->retire.purge, PURGE_BATCH))
            c->retire.purge = (struct tables_cursor){0}; // some are left: another pass
        return true;
    }
    space_retire_tables(s, TABLES_BATCH); // the last clears c->retire.space
    return true;
}

/* Its table again, as at boot, and a new space for its program, loaded in steps next. */
static l4_err_t begin_program(struct container *c)
{
    if (c->memory.count != c->mem_size / PAGE_SIZE)
        kprintf("container %s: %lu of its frames still in use at restart\n", c->name,
                c->mem_size / PAGE_SIZE - c->memory.count);
    c->restarts++;
    fill_table(c);
    insert_described_caps(c);
    l4_err_t err = program_space(c, &c->load.space);
    if (err) {
        c->restart_stage = RESTART_NONE;
        return err;
    }
    c->restart_stage = RESTART_LOAD;
    return CAP_MORE;
}

/*
 * Everything the container made goes, whoever paid for it; everything its
 * pools paid for goes, whoever made it (that is captable_reset's revoke of
 * its pool roots); every capability derived from one of its capabilities
 * goes, in every container. Then it starts as at boot. Pinned objects (the
 * boot description's endpoints and notifications) stay, charged to its roots.
 *
 * In steps (docs/architecture.md "Long operations"), each returning CAP_MORE but the last:
 * its threads are killed, which leaves none to act on its table till the end; what it made
 * is destroyed, an object a step (a space in a few: retire_step); what it mapped goes, a
 * space a step; its table is reset in batches (captable_reset_step, the cursor in the
 * container), its memory capabilities without their unmap (it has no mapping left); debug
 * builds check every table and pool in batches; its table is rebuilt and its program loaded
 * into a new space in batches; the last step starts the program's thread. Between steps
 * anything may run: a restart asked for meanwhile, by anyone, goes on with the one under way.
 */
l4_err_t container_restart_step(struct container *c, unsigned budget)
{
    switch (c->restart_stage) {
    case RESTART_NONE:
        TRACE(TRACE_RESTART, sched_current(), c->id, c->restarts);
        c->restarting = true;
        threads_kill_all(c);
        c->restarting = false;
        c->restart_stage = RESTART_TABLES;
        return CAP_MORE;
    /* what it made, whoever paid: an object a step (it makes none meanwhile) */
    case RESTART_TABLES:
        if (pool_destroy_made_by(L4_POOL_CAPSLOTS, c)) // its threads' tables
            return CAP_MORE;
        c->retire.space = NULL;
        c->restart_stage = RESTART_SPACES;
        return CAP_MORE;
    case RESTART_SPACES:
        if (retire_step(c))
            return CAP_MORE;
        c->restart_stage = RESTART_ENDPOINTS;
        return CAP_MORE;
    case RESTART_ENDPOINTS:
        if (pool_destroy_made_by(L4_POOL_ENDPOINTS, c) ||
            pool_destroy_made_by(L4_POOL_NOTIFICATIONS, c))
            return CAP_MORE;
        c->sweep = ++sweeps;
        c->restart_stage = RESTART_SWEEP;
        return CAP_MORE;
    /* what it mapped goes while it still holds the memory it mapped from: a mapping never
     * outlives its maker's capabilities, however long the restart stops in between */
    case RESTART_SWEEP:
        if (sweep_step(c))
            return CAP_MORE;
        c->reset = (struct captable_reset_cursor){.defer_unmap = true};
        c->restart_stage = RESTART_TABLE;
        return CAP_MORE;
    case RESTART_TABLE:
        DEBUG_ASSERT(c->alive == 0); // nothing of its own derives from its table meanwhile
        if (captable_reset_step(&c->table, budget, &c->reset) == CAP_MORE)
            return CAP_MORE;
        c->restart_stage = RESTART_ROOM;
        return CAP_MORE;
    /* its tables being cleared (kernel/object/cspace.c) hold its capslots store's room, which
     * its rebuild uses: their clearing, in batches */
    case RESTART_ROOM:
        if (cspaces_clear_store(&c->stores[L4_POOL_CAPSLOTS], budget))
            return CAP_MORE;
        c->check.at = (struct tables_cursor){0};
        c->restart_stage = RESTART_CHECK;
        return CAP_MORE;
    /* debug builds: every table and pool, as the teardown left them, in batches */
    case RESTART_CHECK:
        if (DEBUG_BUILD &&
            containers_check_step(&c->check.at, &c->check.changes, &c->check.tally, CHECK_BATCH))
            return CAP_MORE;
        return begin_program(c);
    case RESTART_LOAD:
        break;
    }
    l4_err_t err = load_program(c, c->load.space, LOAD_BATCH);
    if (err == CAP_MORE)
        return CAP_MORE;
    c->restart_stage = RESTART_NONE;
    if (!err)
        err = run_program(c, c->load.space);
    if (DEBUG_BUILD) // what the rebuild touched: its table (the rest was checked above)
        check_slots(&c->table, 0, c->table.nslots);
    return err;
}
