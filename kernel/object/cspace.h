/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability tables made at run time: a thread's own, smaller authority inside its container. */
#ifndef OBJECT_CSPACE_H
#define OBJECT_CSPACE_H

#include "cap.h"
#include "pool.h"
#include "types.h"

struct container;
struct tcb;

/*
 * A run-time table (L4_CAP_CAPTABLE names it). Its header is a block of the
 * capslots store of the pool that paid for it; its slots lie in that store's
 * slot arena (struct container: table_arena), one pool unit each. It lives
 * while a capability names it or a thread uses it, and no longer than its
 * payer's units or its owner's run (a restart destroys it): then the threads
 * using it are killed, never left with another table.
 */
struct cspace {
    struct captable table; /* first: a free block's first word is the store's link */
    struct paid paid;      /* units: its slots */
    uint32_t refs;         /* capabilities naming it, and threads using it */
    uint32_t id;
    uint32_t clear_slot;        /* dying: where the clearing of its slots stands */
    bool dying;                 /* being taken apart: references no longer count */
    struct cspace *doomed_next; /* on the list of tables waiting to be taken apart */
    /* dying, opened (no thread uses it, nothing names it): whose call clears it in batches
     * before it returns, or NULL: the kernel's, a batch a tick and while idle (cspace.c) */
    struct tcb *carrier;
    struct cap_revoke_cursor clear_walk; /* and where a walk below clear_slot stood */
};

/* Units of a table's clearing between two preemption points, as cap_revoke's batches. */
#define CSPACE_BATCH 64

/* The table of a thread that has ended: no slot, so every lookup is refused. */
extern struct captable captable_none;

/* A new empty table of nslots slots owned by c, paid by payer (a capslots pool capability,
 * nslots units); ENOMEM when it has fewer free. Its slots may move other tables' (they are
 * packed to make room): a struct cap * held across the call is stale. */
l4_err_t cspace_create(struct container *c, struct cap *payer, uint32_t nslots,
                       struct cspace **out);
/* The run-time table t is, or NULL (a container's own table, captable_none). */
struct cspace *cspace_of(struct captable *t);
/* Destroy it now: the threads using it are killed, every capability in it and naming it goes. */
void cspace_destroy(struct cspace *cs);
/* The outermost capability operation ended (cap_hooks->settled): take apart the tables it
 * destroyed. */
void cspaces_settle(void);
/* A capability naming cs was made or removed; the last reference gone destroys it. */
void cspace_cap_ref(struct cspace *cs, bool added);
/* Thread t names slots in table from now on (its container's, a run-time one of its
 * container, or captable_none); the table it used loses a reference. */
void cspace_use(struct tcb *t, struct captable *table);

/*
 * Taking tables apart in batches (docs/architecture.md "Long operations"). From t's call on
 * (cspaces_carry(t), till cspaces_carry(NULL)) the tables it destroys are opened at once (their
 * threads killed, the capabilities naming them removed) and their slots cleared later, carried
 * by t: cspaces_clear_carried does a batch of them (any left?). Out of such a call a table is
 * taken apart whole, or by the kernel when the kernel's own clearing destroyed it.
 */
void cspaces_carry(struct tcb *t);
bool cspaces_clear_carried(struct tcb *t, unsigned budget);
/* t ends: what it carried is the kernel's (the tick's and the idle loop's) from now on. */
void cspaces_orphan(const struct tcb *t);
/* A batch of the kernel's (orphans): is any left? The timer tick does one, the idle loop all. */
bool cspaces_clear_orphans(unsigned budget);
bool cspaces_orphans(void);
/* A batch of the dying tables of store s (they hold its blocks and arena slots): any left? */
bool cspaces_clear_store(const struct store *s, unsigned budget);

/* Every table, each container's first, then every run-time one; NULL after the last. A walk
 * with it must not destroy a table while it stands on it. */
struct captable *captable_next(struct captable *prev);
/* How many run-time tables have left captable_next's list so far: a walk over the tables
 * that sees this change must start again from the first (its place may have gone). */
unsigned long captables_left(void);
#define CAPTABLES_FOR_EACH(t)                                                                      \
    for (struct captable *t = captable_next(NULL); t; t = captable_next(t))

/* Debug self-check: references, slots inside their store's arena and not shared, threads'
 * tables of their own container. Panics with the reason. */
void cspaces_check(void);

#endif
