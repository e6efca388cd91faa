/* SPDX-License-Identifier: BSD-2-Clause */
/* Containers: a capability table, typed pools, its own memory, a priority ceiling, its threads. */
#ifndef OBJECT_CONTAINER_H
#define OBJECT_CONTAINER_H

#include "blocklist.h"
#include "boot.h"
#include "cap.h"
#include "store.h"

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
    struct store stores[L4_POOL_KIND_COUNT]; /* the memory behind its pool roots */
    uint32_t objects[L4_POOL_KIND_COUNT];    /* objects it made that are alive, per kind */
    uint8_t ceiling;
    enum container_state state;
    uint32_t faults, restarts;
    uint64_t last_fault_ip, last_fault_addr;
    struct blocklist memory; /* free frames of its RAM, for images and stacks */
    paddr_t mem_base;
    uint64_t mem_size;
    struct cap_origin region; /* RAM reached only through its memory capability (mem_map) */
};

/* Build every container of the boot description; panics with the reason on a bad one. */
void containers_boot(const void *sysdesc, size_t len);
struct container *container_of_index(unsigned i);

/* The root pool capability of kind in c's table (NULL if c has no such pool). */
struct cap *container_pool_root(struct container *c, unsigned kind);

void container_stop(struct container *c);
void container_start(struct container *c);
/* Kill every thread and space of c and start its program again from the image. */
l4_err_t container_restart(struct container *c);
/* Record an unhandled fault of one of its threads. */
void container_note_fault(struct container *c, uint64_t ip, uint64_t addr);
/* Does c hold a capability naming obj with every right in rights? */
bool container_holds(const struct container *c, const void *obj, uint32_t rights);
/* Remove every capability, in every container, that names obj. */
void containers_purge_object(void *obj);
/* Around an IPC that moves a capability: what the move takes from the giver is undone
 * (threads bound through it killed, ...) only once the IPC's own state is whole. */
void containers_defer_unbinding(void);
void containers_settle_unbinding(void);
/* Debug builds: check every table and pool; panic with the reason if anything is off. */
void containers_check(void);

#endif
