/* SPDX-License-Identifier: BSD-2-Clause */
/* Checking the boot description: the kernel builds nothing from fields it has not checked. */
#include "sysdesc.h"

#include <coffer/cap.h>
#include <coffer/thread.h>

static bool terminated(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (!s[i])
            return i > 0 || n == 64; // names need a character; args may be empty
    }
    return false;
}

static const char *check_container(const struct sysdesc_container *c)
{
    if (!terminated(c->name, sizeof(c->name)) || !terminated(c->program, sizeof(c->program)))
        return "container name or program not a terminated string";
    if (!terminated(c->args, sizeof(c->args)))
        return "container args not terminated";
    if (c->ceiling > 255 || c->priority > c->ceiling)
        return "container priority above its ceiling, or ceiling above 255";
    if (c->pools[L4_POOL_THREADS] < 1 || c->pools[L4_POOL_SPACES] < 1)
        return "container needs a thread and a space";
    if (c->pools[L4_POOL_CAPSLOTS] < L4_SLOT_FIRST_FREE ||
        c->pools[L4_POOL_CAPSLOTS] > SYSDESC_MAX_SLOTS)
        return "container capability table size out of range";
    if (c->memory % 4096 || c->memory < 65536 || c->memory > SYSDESC_MAX_MEMORY)
        return "container memory not page aligned or out of range";
    if (c->flags & ~SYSDESC_DEBUG)
        return "container has unknown flags";
    if (c->region_pages > SYSDESC_MAX_MEMORY / 4096)
        return "container memory region too large";
    if (c->tableslots > SYSDESC_MAX_TABLESLOTS)
        return "container capslots pool (tableslots) too large";
    if (c->first_table > c->tableslots || c->first_table > SYSDESC_MAX_SLOTS)
        return "container first thread's table larger than its capslots pool (tableslots)";
    if (c->foreign > L4_FOREIGN_ALL)
        return "container foreign system call mode unknown";
    if (c->foreign != L4_FOREIGN_OFF && !c->fault_slot)
        return "container foreign system call mode without a fault endpoint";
    return NULL;
}

static bool free_slot(const struct sysdesc *d, uint32_t holder, uint32_t slot)
{
    return slot >= L4_SLOT_FIRST_FREE && slot < d->containers[holder].pools[L4_POOL_CAPSLOTS];
}

static const char *check_object(const struct sysdesc *d, const struct sysdesc_object *o)
{
    if (o->owner >= d->header->ncontainers)
        return "object owner names no container";
    if (o->kind != SYSDESC_ENDPOINT && o->kind != SYSDESC_NOTIFICATION && o->kind != SYSDESC_MEMORY)
        return "object kind unknown";
    if ((o->kind == SYSDESC_MEMORY) != (o->pages != 0) || o->pages > SYSDESC_MAX_MEMORY / 4096)
        return "object size invalid";
    if (!free_slot(d, o->owner, o->slot))
        return "object slot outside the owner's free slots";
    return NULL;
}

/* The capability type a description object is reached through. */
static unsigned object_cap_type(uint32_t kind)
{
    return kind == SYSDESC_ENDPOINT       ? L4_CAP_ENDPOINT
           : kind == SYSDESC_NOTIFICATION ? L4_CAP_NOTIFICATION
                                          : L4_CAP_MEMORY;
}

/* I/O port ranges: inside the 64 Ki ports, and no two containers share a port. */
static const char *check_ports(const struct sysdesc *d, const struct sysdesc_cap *k, uint32_t index)
{
    if (k->count == 0 || k->target > 0xffff || k->count > 0x10000 - k->target || k->badge ||
        (k->rights & ~(uint32_t)L4_IO_RIGHTS_ALL))
        return "I/O port capability invalid";
    for (uint32_t j = 0; j < index; j++) {
        const struct sysdesc_cap *o = &d->caps[j];
        if (o->type == L4_CAP_IOPORT && o->holder != k->holder &&
            o->target < k->target + k->count && k->target < o->target + o->count)
            return "I/O port ranges of two containers overlap";
    }
    return NULL;
}

/* An interrupt line belongs to one driver container. */
static const char *check_irq(const struct sysdesc *d, const struct sysdesc_cap *k, uint32_t index)
{
    if (k->target >= SYSDESC_IRQ_LINES || k->count || k->badge ||
        (k->rights & ~(uint32_t)L4_IRQ_RIGHTS_ALL))
        return "interrupt capability invalid";
    for (uint32_t j = 0; j < index; j++) {
        const struct sysdesc_cap *o = &d->caps[j];
        if (o->type == L4_CAP_IRQ && o->target == k->target && o->holder != k->holder)
            return "interrupt line given to two containers";
    }
    return NULL;
}

static bool is_device(const struct sysdesc_cap *k)
{
    return k->type == L4_CAP_MEMORY && k->target == SYSDESC_DEVICE;
}

/*
 * Device memory: whole pages of physical addresses a page-table entry can hold, never
 * executable, and no device range given twice (one driver owns a device). Whether it
 * overlaps RAM or the kernel's own devices only the booted kernel knows (container.c).
 */
static const char *check_device(const struct sysdesc *d, const struct sysdesc_cap *k,
                                uint32_t index)
{
    uint64_t base = k->badge, size = (uint64_t)k->count * 4096; // a device's badge: its base

    if (k->count == 0 || base % 4096 || base >= SYSDESC_DEVICE_TOP ||
        size > SYSDESC_DEVICE_TOP - base)
        return "device memory range empty, unaligned or beyond physical addresses";
    if (k->rights & ~(uint32_t)(L4_MEM_RIGHTS_ALL & ~L4_MEM_EXEC))
        return "device memory capability rights invalid (never exec)";
    for (uint32_t j = 0; j < index; j++) {
        const struct sysdesc_cap *o = &d->caps[j];
        if (is_device(o) && o->badge < base + size && base < o->badge + o->count * 4096ull)
            return "device memory ranges overlap";
    }
    return NULL;
}

static const char *check_target(const struct sysdesc *d, const struct sysdesc_cap *k,
                                uint32_t index)
{
    if (k->type == L4_CAP_IOPORT)
        return check_ports(d, k, index);
    if (k->type == L4_CAP_IRQ)
        return check_irq(d, k, index);
    if (is_device(k))
        return check_device(d, k, index);
    if (k->type == L4_CAP_CLOCK) // the one wall clock: no target, no badge
        return k->target || k->count || k->badge || (k->rights & ~(uint32_t)L4_CLOCK_RIGHTS_ALL)
                   ? "clock capability invalid"
                   : NULL;
    if (k->count)
        return "capability type or rights invalid";
    if (k->type == L4_CAP_CONTAINER) {
        if (k->target >= d->header->ncontainers)
            return "capability names no container";
        if ((k->rights & ~(uint32_t)L4_CONT_RIGHTS_ALL) || k->badge)
            return "capability type or rights invalid";
        return NULL;
    }
    if (k->type != L4_CAP_ENDPOINT && k->type != L4_CAP_NOTIFICATION && k->type != L4_CAP_MEMORY)
        return "capability type or rights invalid";
    if (k->target >= d->header->nobjects || object_cap_type(d->objects[k->target].kind) != k->type)
        return "capability names no object of its type";
    uint32_t all = k->type == L4_CAP_ENDPOINT       ? L4_EP_RIGHTS_ALL
                   : k->type == L4_CAP_NOTIFICATION ? L4_NTF_RIGHTS_ALL
                                                    : L4_MEM_RIGHTS_ALL;
    if (k->type == L4_CAP_MEMORY && k->badge)
        return "capability type or rights invalid";
    return (k->rights & ~all) ? "capability type or rights invalid" : NULL;
}

/* An entry of a first thread's own table: a copy of a slot of its container's table. */
static const char *check_thread_cap(const struct sysdesc *d, const struct sysdesc_cap *k)
{
    const struct sysdesc_container *c = &d->containers[k->holder];

    if (k->slot >= c->first_table)
        return "first thread's table entry outside its table";
    if (k->target >= c->pools[L4_POOL_CAPSLOTS] || k->badge || (k->rights & ~0xffu))
        return "first thread's table entry names no slot of its container, or is malformed";
    return NULL;
}

static const char *check_cap(const struct sysdesc *d, const struct sysdesc_cap *k, uint32_t index)
{
    if (k->holder >= d->header->ncontainers)
        return "capability names no container";
    if (k->type == SYSDESC_THREAD_CAP)
        return check_thread_cap(d, k);
    const char *why = check_target(d, k, index);
    if (why)
        return why;
    if (!free_slot(d, k->holder, k->slot))
        return "capability slot outside the holder's free slots";
    return NULL;
}

/* Objects and capabilities share the slots of their container, entries of its first thread's
 * table the slots of that table: no slot twice. */
static bool slot_taken(const struct sysdesc *d, uint32_t holder, uint32_t slot, uint32_t ncaps,
                       uint32_t nobjects, bool thread_table)
{
    for (uint32_t j = 0; j < ncaps; j++) {
        if (d->caps[j].holder == holder && d->caps[j].slot == slot &&
            (d->caps[j].type == SYSDESC_THREAD_CAP) == thread_table)
            return true;
    }
    if (thread_table)
        return false;
    for (uint32_t j = 0; j < nobjects; j++) {
        if (d->objects[j].owner == holder && d->objects[j].slot == slot)
            return true;
    }
    return false;
}

/*
 * A container's fault_slot (its first thread's fault endpoint) must be a slot the
 * description fills with an endpoint capability that may send: its own endpoint (all
 * rights) or a capability of its caps with L4_EP_SEND. The kernel then sets it as
 * thread_configure's L4_THREAD_FAULT_EP would, on the same authority.
 */
static const char *check_fault_slot(const struct sysdesc *d, uint32_t c)
{
    uint32_t slot = d->containers[c].fault_slot;

    if (!slot)
        return NULL;
    for (uint32_t j = 0; j < d->header->nobjects; j++) {
        const struct sysdesc_object *o = &d->objects[j];
        if (o->owner == c && o->slot == slot && o->kind == SYSDESC_ENDPOINT)
            return NULL;
    }
    for (uint32_t j = 0; j < d->header->ncaps; j++) {
        const struct sysdesc_cap *k = &d->caps[j];
        if (k->holder == c && k->slot == slot && k->type == L4_CAP_ENDPOINT &&
            (k->rights & L4_EP_SEND))
            return NULL;
    }
    return "container fault endpoint slot holds no endpoint capability that may send";
}

/* Each endpoint and notification the description makes is paid by its owner's pool. */
static const char *check_pools(const struct sysdesc *d)
{
    uint64_t blocks = 0;

    for (uint32_t c = 0; c < d->header->ncontainers; c++) {
        uint32_t eps = 0, ntfs = 0;
        for (uint32_t i = 0; i < d->header->nobjects; i++) {
            eps += d->objects[i].owner == c && d->objects[i].kind == SYSDESC_ENDPOINT;
            ntfs += d->objects[i].owner == c && d->objects[i].kind == SYSDESC_NOTIFICATION;
        }
        if (eps > d->containers[c].pools[L4_POOL_ENDPOINTS] ||
            ntfs > d->containers[c].pools[L4_POOL_NOTIFICATIONS])
            return "container owns more endpoints or notifications than its pools pay for";
        blocks += (uint64_t)d->containers[c].pools[L4_POOL_THREADS] + 1;
    }
    if (blocks > SYSDESC_MAX_THREAD_BLOCKS)
        return "the thread pools add up to more threads than thread ids can tell apart";
    return NULL;
}

const char *sysdesc_check(const void *buf, size_t len, struct sysdesc *out)
{
    const struct sysdesc_header *h = buf;

    if (len < sizeof(*h) || h->magic != SYSDESC_MAGIC || h->version != SYSDESC_VERSION)
        return "not a version 4 boot description";
    if (h->ncontainers < 1 || h->ncontainers > SYSDESC_MAX_CONTAINERS ||
        h->ncaps > SYSDESC_MAX_CAPS || h->nobjects > SYSDESC_MAX_OBJECTS)
        return "container, object or capability count out of range";
    uint64_t need = sizeof(*h) + (uint64_t)h->ncontainers * sizeof(struct sysdesc_container) +
                    (uint64_t)h->nobjects * sizeof(struct sysdesc_object) +
                    (uint64_t)h->ncaps * sizeof(struct sysdesc_cap);
    if (len < need)
        return "boot description shorter than its counts say";
    out->header = h;
    out->containers = (const void *)(h + 1);
    out->objects = (const void *)(out->containers + h->ncontainers);
    out->caps = (const void *)(out->objects + h->nobjects);
    for (uint32_t i = 0; i < h->ncontainers; i++) {
        const char *why = check_container(&out->containers[i]);
        if (why)
            return why;
    }
    for (uint32_t i = 0; i < h->nobjects; i++) {
        const struct sysdesc_object *o = &out->objects[i];
        const char *why = check_object(out, o);
        if (why)
            return why;
        if (slot_taken(out, o->owner, o->slot, 0, i, false))
            return "two capabilities for one slot";
    }
    for (uint32_t i = 0; i < h->ncaps; i++) {
        const struct sysdesc_cap *k = &out->caps[i];
        const char *why = check_cap(out, k, i);
        if (why)
            return why;
        if (slot_taken(out, k->holder, k->slot, i, h->nobjects, k->type == SYSDESC_THREAD_CAP))
            return "two capabilities for one slot";
    }
    for (uint32_t i = 0; i < h->ncontainers; i++) {
        const char *why = check_fault_slot(out, i);
        if (why)
            return why;
    }
    return check_pools(out);
}
