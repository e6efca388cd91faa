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
 *   type         a              b
 *   POOL         pool kind      quantity (units)
 *   MEMORY       base address   size in bytes
 *   IOPORT       first port     number of ports
 *   IRQ          line           0
 *   ENDPOINT     badge          0
 *   NOTIFICATION badge (bits)   0
 *   others       0              0
 *
 * Derivation tree: every capability made from another (replicate, split)
 * is its child; share makes a sibling (same parent). A node's children form
 * a doubly linked list, newest first, so that revoke undoes splits in the
 * reverse order they were made and ranges merge back whole.
 */
struct captable;

struct cap {
    uint8_t type;  /* enum l4_cap_type */
    uint8_t flags; /* private to cap.c */
    uint32_t rights;
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
    /* a capability to c->obj appeared (true) or went away (false) */
    void (*object_ref)(struct cap *c, bool added);
    /* may t's pool-kind units shrink by n without falling below what is in use? */
    bool (*pool_may_shrink)(const struct captable *t, uint64_t kind, uint64_t n);
    /* a memory capability over [base, base+size) is gone (optional): mappings made
     * through it must not outlive the authority to make them */
    void (*memory_gone)(uint64_t base, uint64_t size);
};

extern const struct cap_hooks *cap_hooks;

void captable_init(struct captable *t, struct cap *slots, uint32_t nslots, void *owner);
/* The slot, or NULL if out of range. */
struct cap *cap_slot(struct captable *t, l4_word_t slot);
/* The capability in slot if it has type and every right in rights: else ECAP or ERIGHTS. */
l4_err_t cap_lookup(struct captable *t, l4_word_t slot, unsigned type, uint32_t rights,
                    struct cap **out);
/* The all-rights mask of a type (0 for an unknown type). */
uint32_t cap_rights_all(unsigned type);
/* A new root capability in an empty slot (object creation and boot). */
l4_err_t cap_insert(struct captable *t, l4_word_t slot, unsigned type, uint32_t rights, void *obj,
                    uint64_t a, uint64_t b);

l4_err_t cap_replicate(struct captable *t, l4_word_t src, l4_word_t dst);
l4_err_t cap_share(struct captable *t, l4_word_t src, l4_word_t dst);
l4_err_t cap_grant(struct captable *t, l4_word_t src, struct captable *to, l4_word_t dst);
l4_err_t cap_split(struct captable *t, l4_word_t src, l4_word_t dst, uint64_t amount);
l4_err_t cap_deduce(struct captable *t, l4_word_t slot, uint32_t rights, uint64_t a, uint64_t b);
l4_err_t cap_destroy(struct captable *t, l4_word_t slot);
l4_err_t cap_revoke(struct captable *t, l4_word_t slot);
/* Remove every capability of the table (container teardown); revokes nothing else. */
void captable_clear(struct captable *t);
/* Distance from the root of c's derivation tree. */
unsigned cap_depth(const struct cap *c);

#endif
