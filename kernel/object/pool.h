/* SPDX-License-Identifier: BSD-2-Clause */
/* Pools: per-container stores of kernel objects, and the capabilities that pay for each object. */
#ifndef OBJECT_POOL_H
#define OBJECT_POOL_H

#include "cap.h"
#include "list.h"
#include "store.h"
#include "types.h"

#include <stddef.h>

/*
 * Every thread, space, endpoint and notification carries this header. Its
 * payer is the pool capability that was named when it was made; the object
 * lives no longer than that capability's units: when the capability goes
 * (revoked, or its container restarted) the object is destroyed first. A
 * thread that dies while it still runs on its own kernel stack gives its
 * unit back at once (payer becomes NULL) and its memory when it is reaped.
 */
struct paid {
    struct cap *payer;     /* a pool capability of the object's kind, or NULL (see above) */
    struct store *store;   /* where its memory came from */
    void *maker;           /* the container that made it (whose restart destroys it) */
    struct list_node link; /* on store->live */
    uint32_t units;        /* of the payer's: 1, or a run-time table's slots (cspace.c) */
    bool pinned;           /* made by the boot description: survives its container's restarts */
};

/*
 * Make s a store of units objects of kind for container c, carved from the
 * kernel's RAM (boot only; panics if RAM is short, which the system-file
 * checker prevents). Its root pool capability names it.
 */
void pool_boot_store(struct store *s, void *c, unsigned kind, uint32_t units);

/* An object made by container maker and paid by payer (NULL if payer's units are all in
 * use); hdr is the offset of its struct paid. Its bytes are as its last owner left them. */
void *pool_alloc(struct cap *payer, void *maker, size_t hdr);
/* The same, taking units of payer's (a run-time capability table: one per slot). */
void *pool_alloc_units(struct cap *payer, uint32_t units, void *maker, size_t hdr);
#define POOL_ALLOC(payer, maker, type, member)                                                     \
    ((type *)pool_alloc(payer, maker, offsetof(type, member)))
/* The object is gone: its unit goes back to its payer, its memory to its store. */
void pool_free(struct paid *p);
/* Its unit goes back now; its memory stays taken until pool_free. */
void pool_detach(struct paid *p);

/* A page-table frame (zeroed) paid by pool capability payer of kind L4_POOL_PAGETABLES,
 * or 0 when its units are used up; and back. */
paddr_t pool_frame_alloc(struct cap *payer);
void pool_frame_free(struct cap *payer, paddr_t pa);

/* Destroy an object of kind (tables, spaces, endpoints, notifications) that container c
 * made, not a pinned one, whoever paid for it (c's restart, an object a step): was there one? */
bool pool_destroy_made_by(unsigned kind, void *c);

/* The units store s was carved for, and how many of them pay for objects now, whoever
 * holds them (the live view). */
void pool_store_usage(const struct store *s, uint64_t *used, uint64_t *total);

/* The hooks the capability code calls (struct cap_hooks). */
void pool_reclaim(struct cap *c);
void pool_moved(struct cap *from, struct cap *to);

/* Debug self-check: every store's live objects match what the capabilities naming it say
 * is in use, and no store holds more units than it has slots. Panics with the reason. */
void pools_check(void);
/* pools_check in parts, for a check in steps (container.c): begin zeroes every store's
 * tally (its number back), pool_tally checks one pool capability and counts it, end checks
 * every store against the tally, unless another began since (false then). The tally holds
 * only if no capability changed since its begin (cap_changes): the caller's to know. */
uint64_t pools_tally_begin(void);
void pool_tally(const struct cap *c);
bool pools_tally_end(uint64_t tally);

/* The first store of kind (the others follow by next): a walk by block index, which outlives
 * frees and allocations between its steps (kernel/object/unmap_debt.c). */
struct store *pool_first_store(unsigned kind);
/* The live object of kind after prev (the first if prev is NULL), in any store; NULL after the
 * last. A walk with it must not free prev before it takes the next. */
struct paid *pool_next(unsigned kind, struct paid *prev);
/* The first live object of kind that c made, not pinned nor going (NULL: none left). */
struct paid *pool_made_by(unsigned kind, const void *c);
#define POOL_FOR_EACH(kind, p)                                                                     \
    for (struct paid *p = pool_next(kind, NULL); p; p = pool_next(kind, p))

#endif
