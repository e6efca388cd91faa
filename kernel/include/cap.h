/* SPDX-License-Identifier: BSD-2-Clause */
/* Capabilities, capability tables and the derivation tree (hardware free, host tested). */
#ifndef KERNEL_CAP_H
#define KERNEL_CAP_H

#include "types.h"

#include <coffer/cap.h>

/*
 * A capability lives in a table slot. Besides type, object and rights it
 * carries two words whose meaning depends on the type:
 *
 *   type         a              b                 obj
 *   POOL         pool kind      quantity (units)  the store its root was carved as
 *   MEMORY       base address   size in bytes     the boot range its root covers
 *   IOPORT       first port     number of ports   the boot range its root covers
 *   IRQ          line           0                 the line
 *   ENDPOINT     badge          0                 the endpoint
 *   NOTIFICATION badge (bits)   0                 the notification
 *   others       0              0                 the object, if any
 *
 * Derivation tree: every capability made from another (replicate, split)
 * is its child; share makes a sibling (same parent). A node's children form
 * a doubly linked list, newest first, so that revoke undoes splits in the
 * reverse order they were made and ranges merge back whole.
 *
 * Pools: every kernel object is paid by one pool capability, which counts
 * it in `used`; the units that pay for objects cannot leave it (split,
 * deduce, destroy and grant to another table refuse with EBUSY), and when a
 * pool capability goes (revoke, restart), the objects it paid for go first.
 * Pool roots (the ones the boot description made) never leave their slot.
 */
struct captable;

/*
 * What a memory or I/O port root was carved as: every range derived from it stays inside.
 * device: memory that is not RAM (MMIO, a system file's `devices`): mapped uncached and
 * never executable, never the kernel's to allocate or to reach through its direct map. Its
 * capabilities split, deduce, grant and revoke as RAM's do; the origin keeps a RAM
 * capability from ever covering a device (and a device one from covering RAM).
 */
struct cap_origin {
    uint64_t base, size;
    bool device;
};

struct cap {
    uint8_t type;  /* enum l4_cap_type */
    uint8_t flags; /* private to cap.c */
    uint32_t rights;
    uint32_t used; /* pool: objects it pays for (at most b) */
    void *obj;
    uint64_t a, b;
    struct cap *parent, *children, *next, *prev;
    struct captable *table;
};

struct captable {
    struct cap *slots;
    uint32_t nslots;
    void *owner; /* the container */
};

/*
 * What the capability code asks of the objects it names. The kernel wires
 * these to the containers, threads and spaces; host tests wire them to fakes.
 */
struct cap_hooks {
    /* a capability to c->obj appeared (true) or went away (false); not called for pools */
    void (*object_ref)(struct cap *c, bool added);
    /* pool capability c is going: destroy every object it paid for that is not pinned
     * (only a root pays for pinned ones); each refunds c, so c->used drops to that count */
    void (*pool_reclaim)(struct cap *c);
    /* pool capability from, which pays for objects, now lives at to: objects follow it */
    void (*pool_moved)(struct cap *from, struct cap *to);
    /* a memory capability over [base, base+size) is gone (optional): mappings made
     * through it must not outlive the authority to make them */
    void (*memory_gone)(uint64_t base, uint64_t size);
    /* the container owning table from lost the rights lost of capability c: c left from
     * (destroyed, revoked, granted away) or had rights taken (optional). What it set up
     * through such a capability (a thread bound to a space, a fault endpoint, an interrupt
     * delivered to a notification) must not outlive its last one. */
    void (*authority_lost)(const struct captable *from, const struct cap *c, uint32_t lost);
    /* the outermost capability operation has ended (optional): what its hooks destroyed as a
     * side effect while it ran (cap_busy) may be taken apart now */
    void (*settled)(void);
    /* c's object is being taken apart in steps (optional): a pass over the tables removes
     * the capabilities naming it, so none may be copied or moved (a copy or move behind the
     * pass would escape it): replicate, share, split, grant and put refuse with ESTATE */
    bool (*closing)(const struct cap *c);
};

extern const struct cap_hooks *cap_hooks;
/* Is a capability operation under way (its hooks running)? Then a table that loses its last
 * reference waits for cap_hooks->settled to be taken apart. */
bool cap_busy(void);

void captable_init(struct captable *t, struct cap *slots, uint32_t nslots, void *owner);
/* The slot, or NULL if out of range. */
struct cap *cap_slot(struct captable *t, l4_word_t slot);
/* The capability in slot if it has type and every right in rights: else ECAP or ERIGHTS. */
l4_err_t cap_lookup(struct captable *t, l4_word_t slot, unsigned type, uint32_t rights,
                    struct cap **out);
/* A type's name for messages ("endpoint"), and the same with its article ("an endpoint"). */
const char *cap_type_name(unsigned type);
const char *cap_type_phrase(unsigned type);
/* rights as names for type ("copy, send"; "none"), into buf; returns the length written. */
size_t cap_rights_names(unsigned type, uint32_t rights, char *buf, size_t size);
/* A pool kind's name as system files spell it ("threads"), "unknown" past the last. */
const char *cap_pool_kind_name(l4_word_t kind);
/* Debug builds: print why cap_lookup refused slot (cold; kernel/core/reject.c). */
void cap_reject(const char *call, struct captable *t, l4_word_t slot, unsigned type,
                uint32_t rights) __attribute__((cold, noinline));
/* The all-rights mask of a type (0 for an unknown type). */
uint32_t cap_rights_all(unsigned type);
/* A new root capability in an empty slot (object creation and boot). */
l4_err_t cap_insert(struct captable *t, l4_word_t slot, unsigned type, uint32_t rights, void *obj,
                    uint64_t a, uint64_t b);
/* The same, for what the kernel gives a container as it builds it (boot and restart): such a
 * root never leaves its table (copies and parts of it may). */
l4_err_t cap_insert_boot(struct captable *t, l4_word_t slot, unsigned type, uint32_t rights,
                         void *obj, uint64_t a, uint64_t b);

l4_err_t cap_replicate(struct captable *t, l4_word_t src, l4_word_t dst);
l4_err_t cap_share(struct captable *t, l4_word_t src, l4_word_t dst);
l4_err_t cap_grant(struct captable *t, l4_word_t src, struct captable *to, l4_word_t dst);
/*
 * cap_grant, and the capability arrives immutable: its holder may use it and destroy it,
 * but not replicate, share, grant, split, deduce or revoke it (ERIGHTS), so the giver knows
 * exactly what it holds. The mark stays with the capability (a revoke or deduce from above
 * still reaches it) until it goes.
 */
l4_err_t cap_grant_immutable(struct captable *t, l4_word_t src, struct captable *to, l4_word_t dst);
bool cap_immutable(const struct cap *c);
/* c's rights as its holder may use them (cap_read): an immutable capability's COPY and GRANT
 * are not its holder's, and it shows L4_RIGHT_IMMUTABLE instead. */
uint32_t cap_rights_held(const struct cap *c);
l4_err_t cap_split(struct captable *t, l4_word_t src, l4_word_t dst, uint64_t amount);
l4_err_t cap_deduce(struct captable *t, l4_word_t slot, uint32_t rights, uint64_t a, uint64_t b);
l4_err_t cap_destroy(struct captable *t, l4_word_t slot);
l4_err_t cap_revoke(struct captable *t, l4_word_t slot);

/*
 * A revoke in steps, so that the system call can stop between them (kernel/api/sys_cap.c):
 * a step returns CAP_MORE while something derived from the capability is left. Between
 * steps the tree is whole and every side effect has settled, so anything may happen in
 * between, to this tree too; the next step looks the slot up again. The cursor (one per
 * thread) tells the next step where the walk stood, and is used only if no node was linked,
 * unlinked or moved anywhere since (else the walk starts again at the capability).
 */
#define CAP_MORE (-1) /* not an l4_err_t user space ever sees */
struct cap_revoke_cursor {
    const struct cap *target; /* the capability whose descendants go */
    struct cap *at;           /* where the walk stood, on target's newest-first path */
    uint64_t changes;         /* the forest's change count then */
};
/* At least one descendant removed (if any), then at most budget units of work (a node
 * removed or a level walked down): L4_OK when none is left, CAP_MORE, or cap_revoke's errors. */
l4_err_t cap_revoke_step(struct captable *t, l4_word_t slot, unsigned budget,
                         struct cap_revoke_cursor *cur);
/* cap_destroy in steps the same way: a root's descendants go first, CAP_MORE while some are
 * left, then the root itself. */
l4_err_t cap_destroy_step(struct captable *t, l4_word_t slot, unsigned budget,
                          struct cap_revoke_cursor *cur);
/* Copy into another table (captable_put): see cap.c. */
l4_err_t cap_put(struct captable *t, l4_word_t src, struct captable *to, l4_word_t dst,
                 uint32_t rights, uint64_t amount);
/* Remove one capability without the checks cap_destroy makes for users (its object is
 * being destroyed); its children move up to its parent. */
void cap_remove(struct cap *c);
/*
 * Container restart: revoke everything derived from any capability of t, in
 * every table, then empty t except its pool roots, whose own objects are
 * reclaimed (pinned ones stay). The caller restores the roots' units.
 */
void captable_reset(struct captable *t);
/*
 * captable_reset in steps, as cap_revoke_step: a step returns CAP_MORE while something is
 * left, and between steps the tables are whole and every side effect has settled. The
 * cursor (zeroed to begin; zeroed again once the reset is done) says which pass and slot the
 * reset stands at, and where a walk below that slot stood. Nothing may derive from t's
 * capabilities between steps (its container has no thread), or what was derived from a
 * slot already passed stays until the next pass removes that slot (its children then move
 * up the tree, or go with it if it is a root).
 */
enum { RESET_DESCENDANTS, RESET_OTHERS };
struct captable_reset_cursor {
    uint32_t pass; /* RESET_DESCENDANTS, then RESET_OTHERS */
    uint32_t slot; /* the slot the pass stands at */
    struct cap_revoke_cursor walk;
    /* set by the caller: t's memory capabilities go without memory_gone, since t's owner
     * has no mapping (the caller took them first); another's coverage is not t's */
    bool defer_unmap;
};
l4_err_t captable_reset_step(struct captable *t, unsigned budget,
                             struct captable_reset_cursor *cur);
/* A run-time table goes: every capability in it is removed, roots with their descendants. */
void captable_clear(struct captable *t);
/* The same in steps, as cap_revoke_step: CAP_MORE while some is left, the tables whole and
 * every side effect settled between steps. *slot (0 to begin, 0 again at the end) is the slot
 * it stands at, cur where a walk below that slot stood. Nothing may be put into t meanwhile
 * (nothing names it, no thread uses it): a slot passed stays empty. */
l4_err_t captable_clear_step(struct captable *t, unsigned budget, uint32_t *slot,
                             struct cap_revoke_cursor *cur);
/* Move t's slots down to to (below them; the slots between are empty or t's own), keeping
 * every tree link and every object's payer pointing at them. */
void captable_move(struct captable *t, struct cap *to);
/* Distance from the root of c's derivation tree. */
unsigned cap_depth(const struct cap *c);

/* Pool accounting: units more in use of pool capability c (one per object; a run-time table
 * takes one per slot), ENOMEM when fewer are free; or units fewer. */
l4_err_t cap_pool_charge(struct cap *c, uint32_t units);
void cap_pool_refund(struct cap *c, uint32_t units);

/*
 * Self-check of one table (debug builds run it after every capability
 * operation): tree links, rights within each type's mask and the parent's,
 * pool units in use within the units held, ranges aligned and not wrapping.
 * Returns NULL or what is wrong; *bad gets the slot.
 */
const char *captable_check(const struct captable *t, uint32_t *bad);
/* The same for slots [from, to) only: each slot's checks look at it and its neighbours in
 * the tree, so a check in batches (container.c) sees each slot whole. */
const char *captable_check_range(const struct captable *t, uint32_t from, uint32_t to,
                                 uint32_t *bad);
/* A count that moves whenever a capability or a pool's units change (an operation begun, a
 * node linked or moved, units charged or refunded): a tally over the tables taken in steps
 * holds if it did not move meanwhile. */
uint64_t cap_changes(void);

#endif
