/* SPDX-License-Identifier: BSD-2-Clause */
/* Containers: a capability table, typed pools, its own memory, a priority ceiling, its threads. */
#ifndef OBJECT_CONTAINER_H
#define OBJECT_CONTAINER_H

#include "blocklist.h"
#include "boot.h"
#include "cap.h"

#include <coffer/cap.h>
#include <coffer/sysdesc.h>

#define MAX_CONTAINERS SYSDESC_MAX_CONTAINERS

enum container_state {
    CONTAINER_RUNNING = 0,
    CONTAINER_STOPPED = 1, /* its threads are held by container_stop */
};

struct container {
    uint32_t id; /* index + 1 */
    char name[16];
    const struct sysdesc_container *desc; /* how to (re)build it */
    const struct boot_module *image;
    struct captable table;
    uint32_t used[L4_POOL_KIND_COUNT]; /* objects alive, per pool kind */
    uint8_t ceiling;
    enum container_state state;
    uint32_t faults, restarts;
    uint64_t last_fault_ip, last_fault_addr;
    struct blocklist memory; /* free frames of its RAM, for images and stacks */
    paddr_t mem_base;
    uint64_t mem_size;
    paddr_t region_base; /* RAM reached only through its memory capability (mem_map) */
    uint64_t region_size;
};

/* Build every container of the boot description; panics with the reason on a bad one. */
void containers_boot(const void *sysdesc, size_t len);
struct container *container_of_index(unsigned i);

/* Pool accounting: take one unit of kind (ENOMEM if none is left) or give it back. */
l4_err_t container_charge(struct container *c, unsigned kind);
void container_refund(struct container *c, unsigned kind);
/* Units of kind the container's pool capabilities add up to. */
uint64_t container_pool_limit(const struct container *c, unsigned kind);

void container_stop(struct container *c);
void container_start(struct container *c);
/* Kill every thread and space of c and start its program again from the image. */
l4_err_t container_restart(struct container *c);
/* Record an unhandled fault of one of its threads. */
void container_note_fault(struct container *c, uint64_t ip, uint64_t addr);
/* Remove every capability, in every container, that names obj. */
void containers_purge_object(void *obj);

#endif
