/* SPDX-License-Identifier: BSD-2-Clause */
/* Containers: built from the boot description, with pools, memory, a table and a program. */
#include "container.h"

#include "arch.h"
#include "endpoint.h"
#include "irq.h"
#include "kreserve.h"
#include "loader.h"
#include "notification.h"
#include "pmm.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"
#include "sysdesc.h"
#include "thread.h"

static struct container containers[MAX_CONTAINERS];
static unsigned ncontainers;
static struct sysdesc desc;                      /* checked at boot; kept for restarts */
static void *boot_objects[SYSDESC_MAX_OBJECTS];  /* endpoints and notifications it made */
static paddr_t boot_memory[SYSDESC_MAX_OBJECTS]; /* and where its shared memory is */

struct container *container_of_index(unsigned i)
{
    return i < ncontainers ? &containers[i] : NULL;
}

uint64_t container_pool_limit(const struct container *c, unsigned kind)
{
    uint64_t units = 0;

    for (uint32_t i = 0; i < c->table.nslots; i++) {
        const struct cap *k = &c->table.slots[i];
        if (k->type == L4_CAP_POOL && k->a == kind)
            units += k->b;
    }
    return units;
}

l4_err_t container_charge(struct container *c, unsigned kind)
{
    if (c->used[kind] >= container_pool_limit(c, kind))
        return L4_ENOMEM;
    c->used[kind]++;
    return L4_OK;
}

void container_refund(struct container *c, unsigned kind)
{
    ASSERT(c->used[kind] > 0);
    c->used[kind]--;
}

/* --- hooks the capability code calls ------------------------------------------------------- */

static void object_ref(struct cap *k, bool added)
{
    if (k->type == L4_CAP_SPACE)
        space_cap_ref(k->obj, added);
    else if (k->type == L4_CAP_THREAD)
        ((struct tcb *)k->obj)->caps += added ? 1 : -1;
    else if (k->type == L4_CAP_ENDPOINT)
        endpoint_cap_ref(k->obj, added);
    else if (k->type == L4_CAP_NOTIFICATION)
        notification_cap_ref(k->obj, added);
    else if (k->type == L4_CAP_IRQ)
        irq_cap_ref(k->obj, added);
}

static bool pool_may_shrink(const struct captable *t, uint64_t kind, uint64_t n)
{
    const struct container *c = t->owner;

    return kind < L4_POOL_KIND_COUNT &&
           container_pool_limit(c, (unsigned)kind) >= c->used[kind] + n;
}

/* Does the container that made a mapping (by id) still hold a memory capability over pa? */
static bool covers(unsigned mapper, paddr_t pa)
{
    const struct container *c = container_of_index(mapper - 1);

    if (!c)
        return false;
    for (uint32_t i = 0; i < c->table.nslots; i++) {
        const struct cap *k = &c->table.slots[i];
        if (k->type == L4_CAP_MEMORY && pa >= k->a && pa - k->a < k->b)
            return true;
    }
    return false;
}

/*
 * A memory capability went away (destroyed, revoked, narrowed, granted to
 * another container): every page of its range that a container mapped and no
 * longer holds a capability over is unmapped, in whichever space it is. Rare,
 * so a walk of every space is affordable.
 */
static void memory_gone(uint64_t base, uint64_t size)
{
    spaces_unmap_uncovered(base, size, covers);
}

static const struct cap_hooks hooks = {object_ref, pool_may_shrink, memory_gone};

void containers_purge_object(void *obj)
{
    for (unsigned i = 0; i < ncontainers; i++) {
        struct captable *t = &containers[i].table;
        for (uint32_t s = 0; s < t->nslots; s++) {
            if (t->slots[s].type != L4_CAP_NULL && t->slots[s].obj == obj)
                cap_destroy(t, s); // its children name obj too: the scan reaches them
        }
    }
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

static paddr_t carve(struct container *c, uint64_t bytes)
{
    paddr_t base = pmm_alloc_contig(&kernel_pmm, bytes / PAGE_SIZE);

    if (!base)
        panic("boot: no %lu KiB of RAM left for container %s", bytes / 1024, c->name);
    memset(phys_to_virt(base), 0, bytes);
    return base;
}

/*
 * Give the container its own RAM, in two parts: the kernel takes program
 * images and stacks from the first (kept as a list of free frames), and the
 * second is the container's to map, through the memory capability in slot 10.
 */
static void carve_memory(struct container *c, uint64_t bytes, uint64_t region)
{
    c->mem_base = carve(c, bytes);
    c->mem_size = bytes;
    for (uint64_t off = bytes; off; off -= PAGE_SIZE)
        blocklist_push(&c->memory, phys_to_virt(c->mem_base + off - PAGE_SIZE));
    c->region_base = carve(c, region);
    c->region_size = region;
}

/* The well-known slots: itself, pools, memory and (if configured) the debug console. */
static void fill_table(struct container *c)
{
    const struct sysdesc_container *d = c->desc;
    uint32_t pool_rights = L4_RIGHTS_CAP | L4_POOL_ALLOC;

    cap_insert(&c->table, L4_SLOT_CONTAINER, L4_CAP_CONTAINER, L4_CONT_INSPECT, c, 0, 0);
    if (d->flags & SYSDESC_DEBUG)
        cap_insert(&c->table, L4_SLOT_DEBUG, L4_CAP_DEBUG, L4_DEBUG_RIGHTS_ALL, NULL, 0, 0);
    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++) {
        if (d->pools[k] && k != L4_POOL_CAPSLOTS)
            cap_insert(&c->table, L4_SLOT_POOL_BASE + k, L4_CAP_POOL, pool_rights, NULL, k,
                       d->pools[k]);
    }
    cap_insert(&c->table, L4_SLOT_MEMORY, L4_CAP_MEMORY, L4_MEM_RIGHTS_ALL, NULL, c->region_base,
               c->region_size);
}

/* Make the endpoints and notifications of the description, for good (pinned). */
static void make_boot_objects(void)
{
    for (uint32_t i = 0; i < desc.header->nobjects; i++) {
        const struct sysdesc_object *o = &desc.objects[i];
        struct container *c = &containers[o->owner];
        struct endpoint *ep;
        struct notification *n;
        l4_err_t err;
        if (o->kind == SYSDESC_MEMORY) {
            boot_memory[i] = carve(c, (uint64_t)o->pages * PAGE_SIZE);
            continue;
        }
        if (o->kind == SYSDESC_ENDPOINT) {
            err = endpoint_create(c, &ep);
            boot_objects[i] = ep;
            if (!err)
                ep->pinned = true;
        } else {
            err = notification_create(c, &n);
            boot_objects[i] = n;
            if (!err)
                n->pinned = true;
        }
        if (err)
            panic("boot: container %s: no pool units for its endpoints and notifications", c->name);
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
        if (o->kind == SYSDESC_ENDPOINT)
            cap_insert(&c->table, o->slot, L4_CAP_ENDPOINT, L4_EP_RIGHTS_ALL, boot_objects[i], 0,
                       0);
        else if (o->kind == SYSDESC_NOTIFICATION)
            cap_insert(&c->table, o->slot, L4_CAP_NOTIFICATION, L4_NTF_RIGHTS_ALL, boot_objects[i],
                       0, 0);
        else
            cap_insert(&c->table, o->slot, L4_CAP_MEMORY, L4_MEM_RIGHTS_ALL, NULL, boot_memory[i],
                       (uint64_t)o->pages * PAGE_SIZE);
    }
    for (uint32_t i = 0; i < desc.header->ncaps; i++) {
        const struct sysdesc_cap *k = &desc.caps[i];
        if (k->holder != me)
            continue;
        if (k->type == L4_CAP_MEMORY) {
            cap_insert(&c->table, k->slot, k->type, k->rights, NULL, boot_memory[k->target],
                       (uint64_t)desc.objects[k->target].pages * PAGE_SIZE);
        } else if (k->type == L4_CAP_IOPORT) {
            cap_insert(&c->table, k->slot, k->type, k->rights, NULL, k->target, k->count);
        } else if (k->type == L4_CAP_IRQ) {
            cap_insert(&c->table, k->slot, k->type, k->rights, irq_line(k->target), k->target, 0);
        } else {
            void *target = k->type == L4_CAP_CONTAINER ? (void *)&containers[k->target]
                                                       : boot_objects[k->target];
            cap_insert(&c->table, k->slot, k->type, k->rights, target, k->badge, 0);
        }
    }
}

/* A space and a thread running the container's program; caps in slots 1 and 2. */
static l4_err_t start_program(struct container *c)
{
    struct space *s = NULL;
    struct tcb *t = NULL;
    l4_err_t err = space_create(c, &s);

    if (!err)
        err = thread_create(c, s, (uint8_t)c->desc->priority, c->name, &t);
    if (!err)
        err = loader_load(s, t, c->image, c->desc->args);
    if (!err)
        err = cap_insert(&c->table, L4_SLOT_SPACE, L4_CAP_SPACE, L4_SPACE_RIGHTS_ALL, s, 0, 0);
    if (!err)
        err = cap_insert(&c->table, L4_SLOT_THREAD, L4_CAP_THREAD, L4_THR_RIGHTS_ALL, t, 0, 0);
    if (err) {
        kprintf("container %s: cannot start its program: %d\n", c->name, err);
        if (t)
            thread_kill(t, -1);
        else if (s)
            space_cap_ref(s, false); // nobody holds it: let it go
        return err;
    }
    t->held = c->state == CONTAINER_STOPPED; // container_start lets it go
    sched_make_ready(t);
    return L4_OK;
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
    fill_table(c);
}

void containers_boot(const void *buf, size_t len)
{
    const char *why = sysdesc_check(buf, len, &desc);
    uint64_t threads = 0, spaces = 0, pts = 0;

    if (why)
        panic("boot: bad boot description: %s", why);
    cap_hooks = &hooks;
    for (uint32_t i = 0; i < desc.header->ncontainers; i++) {
        threads += desc.containers[i].pools[L4_POOL_THREADS];
        spaces += desc.containers[i].pools[L4_POOL_SPACES];
        pts += desc.containers[i].pools[L4_POOL_PAGETABLES];
    }
    /* every unit must have its object slot waiting, or one container could starve another */
    if (threads > MAX_THREADS || spaces > MAX_SPACES)
        panic("boot: the pools promise %lu threads and %lu spaces; the kernel has %d and %d",
              threads, spaces, MAX_THREADS, MAX_SPACES);
    kreserve_init(threads, pts);
    ncontainers = desc.header->ncontainers;
    for (uint32_t i = 0; i < ncontainers; i++)
        build(&containers[i], &desc.containers[i], i);
    make_boot_objects();
    for (uint32_t i = 0; i < ncontainers; i++) {
        struct container *c = &containers[i];
        insert_described_caps(c);
        kprintf("container %s: program %s, priority %u (ceiling %u), %lu KiB, %u slots\n", c->name,
                c->desc->program, c->desc->priority, c->ceiling, c->mem_size / 1024,
                c->table.nslots);
        start_program(c);
    }
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

l4_err_t container_restart(struct container *c)
{
    threads_kill_all(c);
    spaces_release_all(c);
    /* pull back every unit and capability derived from its pools, then start afresh */
    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++)
        cap_revoke(&c->table, L4_SLOT_POOL_BASE + k);
    cap_revoke(&c->table, L4_SLOT_MEMORY); // memory it shared comes back too
    captable_clear(&c->table);
    endpoints_release_all(c);
    notifications_release_all(c);
    if (c->memory.count != c->mem_size / PAGE_SIZE)
        kprintf("container %s: %lu of its frames still in use at restart\n", c->name,
                c->mem_size / PAGE_SIZE - c->memory.count);
    c->restarts++;
    fill_table(c);
    insert_described_caps(c);
    return start_program(c);
}
