/* SPDX-License-Identifier: BSD-2-Clause */
/* Checking the boot description: the kernel builds nothing from fields it has not checked. */
#include "sysdesc.h"

#include <coffer/cap.h>

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
    return NULL;
}

static const char *check_cap(const struct sysdesc *d, const struct sysdesc_cap *k)
{
    uint32_t n = d->header->ncontainers;

    if (k->holder >= n || k->target >= n)
        return "capability names no container";
    if (k->type != L4_CAP_CONTAINER || (k->rights & ~(uint32_t)L4_CONT_RIGHTS_ALL))
        return "capability type or rights invalid";
    if (k->slot < L4_SLOT_FIRST_FREE || k->slot >= d->containers[k->holder].pools[L4_POOL_CAPSLOTS])
        return "capability slot outside the holder's free slots";
    return NULL;
}

const char *sysdesc_check(const void *buf, size_t len, struct sysdesc *out)
{
    const struct sysdesc_header *h = buf;

    if (len < sizeof(*h) || h->magic != SYSDESC_MAGIC || h->version != SYSDESC_VERSION)
        return "not a version 2 boot description";
    if (h->ncontainers < 1 || h->ncontainers > SYSDESC_MAX_CONTAINERS || h->ncaps > 4096 ||
        h->nobjects > SYSDESC_MAX_OBJECTS)
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
    for (uint32_t i = 0; i < h->ncaps; i++) {
        const char *why = check_cap(out, &out->caps[i]);
        if (why)
            return why;
        for (uint32_t j = 0; j < i; j++) {
            if (out->caps[j].holder == out->caps[i].holder &&
                out->caps[j].slot == out->caps[i].slot)
                return "two capabilities for one slot";
        }
    }
    return NULL;
}
