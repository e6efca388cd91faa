/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability tables and the derivation tree: copy, move, split, deduce, destroy, revoke. */
#include "cap.h"

#include "printk.h"

#define PAGE          4096u
#define CAP_SPLIT     1u /* flags: made by split, so it gives back what it took */
#define CAP_BOOT      2u /* flags: put in its table by the kernel as the container was built */
/* flags: granted immutable (cap_grant_immutable): its holder may use it and destroy it, and
 * nothing more, so whoever gave it knows exactly what it holds and what hangs below it */
#define CAP_IMMUTABLE 4u

const struct cap_hooks *cap_hooks;

/*
 * Capability operations under way. The hooks an operation calls may end threads, and a
 * thread's end may leave a table of its own with no reference, whose destruction removes the
 * capabilities in it: one of them may be the very capability the operation is removing, or
 * the node its walk stands on. So what goes as a side effect waits until the outermost
 * operation has finished (cap_busy, cap_hooks->settled), when no pointer into a table is held.
 */
static unsigned busy;

bool cap_busy(void)
{
    return busy;
}

/* Capability operations begun and pool units charged or refunded so far: with the forest's
 * changes (below), what cap_changes counts. */
static uint64_t operations;

static void begin(void)
{
    busy++;
    operations++;
}

static l4_err_t settle(l4_err_t err)
{
    DEBUG_ASSERT(busy);
    if (--busy == 0 && cap_hooks && cap_hooks->settled)
        cap_hooks->settled();
    return err;
}

void captable_init(struct captable *t, struct cap *slots, uint32_t nslots, void *owner)
{
    t->slots = slots;
    t->nslots = nslots;
    t->owner = owner;
    for (uint32_t i = 0; i < nslots; i++)
        slots[i] = (struct cap){.type = L4_CAP_NULL};
}

struct cap *cap_slot(struct captable *t, l4_word_t slot)
{
    return slot < t->nslots ? &t->slots[slot] : NULL;
}

l4_err_t cap_lookup(struct captable *t, l4_word_t slot, unsigned type, uint32_t rights,
                    struct cap **out)
{
    struct cap *c = cap_slot(t, slot);

    if (!c || c->type == L4_CAP_NULL || c->type != type)
        return L4_ECAP;
    if ((c->rights & rights) != rights)
        return L4_ERIGHTS;
    *out = c;
    return L4_OK;
}

bool cap_immutable(const struct cap *c)
{
    return c->flags & CAP_IMMUTABLE;
}

uint32_t cap_rights_held(const struct cap *c)
{
    if (!cap_immutable(c))
        return c->rights;
    return (c->rights & ~L4_RIGHTS_CAP) | L4_RIGHT_IMMUTABLE; // COPY and GRANT are not its own
}

/* May its holder copy (COPY) or give (GRANT) c? Never an immutable capability. */
static bool may(const struct cap *c, uint32_t right)
{
    return (c->rights & right) && !cap_immutable(c);
}

/* Is c's object being taken apart in steps (cap_hooks closing)? No copy or move of c then. */
static bool closing(const struct cap *c)
{
    return cap_hooks && cap_hooks->closing && c->obj && cap_hooks->closing(c);
}

/* Any non-empty slot, whatever its type. */
static l4_err_t lookup_any(struct captable *t, l4_word_t slot, struct cap **out)
{
    struct cap *c = cap_slot(t, slot);

    if (!c || c->type == L4_CAP_NULL)
        return L4_ECAP;
    *out = c;
    return L4_OK;
}

static l4_err_t empty_slot(struct captable *t, l4_word_t slot, struct cap **out)
{
    struct cap *c = cap_slot(t, slot);

    if (!c)
        return L4_ECAP;
    if (c->type != L4_CAP_NULL)
        return L4_EBUSY;
    *out = c;
    return L4_OK;
}

/*
 * Changes to the shape of the derivation forest: a node linked, unlinked or moved anywhere.
 * A revoke that stopped part way (cap_revoke_step) goes on from where it stood only if this
 * has not moved since: then that node is still in place, under the same ancestors, on the
 * same newest-first path its walk was taking.
 */
static uint64_t forest_changes;

/* Make c the newest child of parent (or a root when parent is NULL). */
static void link_child(struct cap *parent, struct cap *c)
{
    forest_changes++;
    c->parent = parent;
    c->prev = NULL;
    c->next = parent ? parent->children : NULL;
    if (c->next)
        c->next->prev = c;
    if (parent)
        parent->children = c;
}

static void unlink(struct cap *c)
{
    forest_changes++;
    if (c->prev)
        c->prev->next = c->next;
    else if (c->parent)
        c->parent->children = c->next;
    if (c->next)
        c->next->prev = c->prev;
    c->next = c->prev = c->parent = NULL;
}

/* Do capabilities of this type hold a reference on their object? Pools, memory and I/O
 * ports name what their root was carved from, which lasts the whole run. */
static bool counted(unsigned type)
{
    return type != L4_CAP_POOL && type != L4_CAP_MEMORY && type != L4_CAP_IOPORT;
}

/* The container owning table t lost rights of c: tell the objects' code. */
static void lost(const struct captable *t, const struct cap *c, uint32_t rights)
{
    if (cap_hooks && cap_hooks->authority_lost)
        cap_hooks->authority_lost(t, c, rights);
}

static bool pool_root(const struct cap *c)
{
    return c->type == L4_CAP_POOL && !c->parent;
}

/* Copy c into the empty slot dst as a child of parent; the object gains a reference. */
static void place_copy(struct cap *dst, const struct cap *c, struct cap *parent, struct captable *t)
{
    *dst = (struct cap){.type = (uint8_t)c->type,
                        .rights = c->rights,
                        .obj = c->obj,
                        .a = c->a,
                        .b = c->b,
                        .table = t};
    link_child(parent, dst);
    if (cap_hooks && dst->obj && counted(dst->type))
        cap_hooks->object_ref(dst, true);
}

l4_err_t cap_insert(struct captable *t, l4_word_t slot, unsigned type, uint32_t rights, void *obj,
                    uint64_t a, uint64_t b)
{
    struct cap *dst;
    l4_err_t err = empty_slot(t, slot, &dst);

    if (err)
        return err;
    if (type == L4_CAP_NULL || type >= L4_CAP_TYPE_COUNT || (rights & ~cap_rights_all(type)))
        return L4_EINVAL;
    DEBUG_ASSERT(obj || type != L4_CAP_ENDPOINT); // the IPC fastpath does not test it (entry.S)
    struct cap proto = {.type = (uint8_t)type, .rights = rights, .obj = obj, .a = a, .b = b};
    place_copy(dst, &proto, NULL, t);
    return L4_OK;
}

l4_err_t cap_insert_boot(struct captable *t, l4_word_t slot, unsigned type, uint32_t rights,
                         void *obj, uint64_t a, uint64_t b)
{
    l4_err_t err = cap_insert(t, slot, type, rights, obj, a, b);

    if (!err)
        t->slots[slot].flags |= CAP_BOOT;
    return err;
}

static l4_err_t copy(struct captable *t, l4_word_t src, l4_word_t dst, bool sibling)
{
    struct cap *c, *d;
    l4_err_t err = lookup_any(t, src, &c);

    if (err || (err = empty_slot(t, dst, &d)))
        return err;
    if (!may(c, L4_RIGHT_COPY))
        return L4_ERIGHTS;
    if (c->type == L4_CAP_POOL)
        return L4_EINVAL; // a copy would create units: pools are divided with split
    if (closing(c))
        return L4_ESTATE;
    /* a root has no parent to share: its "sibling" would escape every revoke */
    place_copy(d, c, sibling && c->parent ? c->parent : c, t);
    return L4_OK;
}

l4_err_t cap_replicate(struct captable *t, l4_word_t src, l4_word_t dst)
{
    return copy(t, src, dst, false);
}

l4_err_t cap_share(struct captable *t, l4_word_t src, l4_word_t dst)
{
    return copy(t, src, dst, true);
}

/* Move the node at from into the empty slot to, keeping every tree link pointing at it. */
static void relocate(struct cap *from, struct cap *to, struct captable *t)
{
    forest_changes++;
    *to = *from;
    to->table = t;
    if (to->prev)
        to->prev->next = to;
    else if (to->parent)
        to->parent->children = to;
    if (to->next)
        to->next->prev = to;
    for (struct cap *ch = to->children; ch; ch = ch->next)
        ch->parent = to;
    *from = (struct cap){.type = L4_CAP_NULL};
}

static l4_err_t grant(struct captable *t, l4_word_t src, struct captable *to, l4_word_t dst,
                      uint8_t flags)
{
    struct cap *c, *d;
    l4_err_t err = lookup_any(t, src, &c);

    if (err || (err = empty_slot(to, dst, &d)))
        return err;
    if (!may(c, L4_RIGHT_GRANT))
        return L4_ERIGHTS;
    if (closing(c))
        return L4_ESTATE;
    /*
     * What the kernel put in a container's table (its pools, its memory, what
     * its system file gives it) stays in that container, so that a restart can
     * revoke everything made from it and give it afresh without giving it
     * twice: grant a copy or a part. Pool roots do not even change slots:
     * pinned objects are paid by them.
     */
    bool boot_root = !c->parent && (c->type == L4_CAP_MEMORY || (c->flags & CAP_BOOT));
    if (pool_root(c) || (to != t && boot_root))
        return L4_EINVAL;
    /* units paying for the giver's objects stay with it: nobody else may hold them */
    if (to != t && c->type == L4_CAP_POOL && c->used)
        return L4_EBUSY;
    relocate(c, d, to);
    d->flags |= flags;
    if (d->type == L4_CAP_POOL && d->used && cap_hooks)
        cap_hooks->pool_moved(c, d); // objects name their payer
    if (to != t && d->type == L4_CAP_MEMORY && cap_hooks && cap_hooks->memory_gone)
        cap_hooks->memory_gone(d->a, d->b); // the giver may no longer keep it mapped
    if (to != t)
        lost(t, d, d->rights);
    return L4_OK;
}

l4_err_t cap_grant(struct captable *t, l4_word_t src, struct captable *to, l4_word_t dst)
{
    begin();
    return settle(grant(t, src, to, dst, 0));
}

l4_err_t cap_grant_immutable(struct captable *t, l4_word_t src, struct captable *to, l4_word_t dst)
{
    begin();
    return settle(grant(t, src, to, dst, CAP_IMMUTABLE));
}

/* Give amount of pool capability c's free units to a new child in the empty slot d of to. */
static l4_err_t split_pool(struct cap *c, struct cap *d, struct captable *to, uint64_t amount)
{
    if (amount == 0 || amount >= c->b)
        return L4_ERANGE; // both halves must keep at least one unit
    if (amount > c->b - c->used)
        return L4_EBUSY; // units paying for objects stay where they are
    place_copy(d, c, c, to);
    d->b = amount;
    c->b -= amount;
    d->flags |= CAP_SPLIT;
    return L4_OK;
}

/*
 * Copy the capability in t's slot src into the empty slot dst of table to, as its child (a
 * revoke of src reaches it), with rights (a subset of its own). A pool is split instead
 * (copies would make units): amount units go to the child, as cap_split does; other types
 * take amount 0.
 */
l4_err_t cap_put(struct captable *t, l4_word_t src, struct captable *to, l4_word_t dst,
                 uint32_t rights, uint64_t amount)
{
    struct cap *c, *d;
    l4_err_t err = lookup_any(t, src, &c);

    if (err || (err = empty_slot(to, dst, &d)))
        return err;
    if (!may(c, L4_RIGHT_COPY)) // an immutable capability is not copied, into any table
        return L4_ERIGHTS;
    if (rights & ~cap_rights_all(c->type))
        return L4_EINVAL;
    if (~c->rights & rights)
        return L4_ERIGHTS; // rights never grow along the tree
    if (closing(c))
        return L4_ESTATE;
    if (c->type == L4_CAP_POOL)
        err = split_pool(c, d, to, amount);
    else if (amount)
        err = L4_EINVAL;
    else
        place_copy(d, c, c, to);
    if (!err)
        d->rights = rights;
    return err;
}

/* Types whose two words are a range (base, size), and the unit ranges are cut in. */
static bool ranged(unsigned type)
{
    return type == L4_CAP_MEMORY || type == L4_CAP_IOPORT;
}

static uint64_t granule(unsigned type)
{
    return type == L4_CAP_MEMORY ? PAGE : 1;
}

static bool badged(unsigned type)
{
    return type == L4_CAP_ENDPOINT || type == L4_CAP_NOTIFICATION;
}

/*
 * Take rights from c and everything derived from it (rights never grow along
 * the tree), telling each holder what it lost. A walk, not a recursion: trees
 * can be as deep as a table is long, and kernel stacks are small. (The hook
 * may destroy threads, never capabilities of this tree: the walk stays sound.)
 */
static void mask_rights(struct cap *c, uint32_t keep)
{
    struct cap *n = c;

    for (;;) {
        uint32_t gone = n->rights & ~keep;
        n->rights &= keep;
        if (gone)
            lost(n->table, n, gone);
        if (n->children) {
            n = n->children;
            continue;
        }
        while (n != c && !n->next)
            n = n->parent;
        if (n == c)
            return;
        n = n->next;
    }
}

static l4_err_t split_rights(struct cap *c, struct cap *d, uint64_t amount)
{
    uint32_t specific = cap_rights_all(c->type) & ~L4_RIGHTS_CAP;

    if (amount == 0 || (amount & ~(uint64_t)specific))
        return L4_EINVAL;
    if ((c->rights & amount) != amount)
        return L4_ERIGHTS;
    /* what was derived from c before loses the bits too: rights never grow down the tree */
    mask_rights(c, c->rights & ~(uint32_t)amount);
    place_copy(d, c, c, c->table);
    d->rights = (c->rights & L4_RIGHTS_CAP) | (uint32_t)amount;
    return L4_OK;
}

static l4_err_t split(struct captable *t, l4_word_t src, l4_word_t dst, uint64_t amount)
{
    struct cap *c, *d;
    l4_err_t err = lookup_any(t, src, &c);

    if (err || (err = empty_slot(t, dst, &d)))
        return err;
    if (closing(c))
        return L4_ESTATE;
    if (!may(c, L4_RIGHT_COPY))
        return L4_ERIGHTS;
    if (c->type == L4_CAP_POOL) {
        err = split_pool(c, d, t, amount);
        if (err)
            return err;
    } else if (ranged(c->type)) {
        if (amount == 0 || amount >= c->b)
            return L4_ERANGE;
        if (amount % granule(c->type))
            return L4_EINVAL;
        place_copy(d, c, c, t);
        d->a = c->a + amount;
        d->b = c->b - amount;
        c->b = amount;
    } else {
        err = split_rights(c, d, amount);
        if (err)
            return err;
    }
    d->flags |= CAP_SPLIT;
    return L4_OK;
}

l4_err_t cap_split(struct captable *t, l4_word_t src, l4_word_t dst, uint64_t amount)
{
    begin();
    return settle(split(t, src, dst, amount));
}

static l4_err_t deduce(struct captable *t, l4_word_t slot, uint32_t rights, uint64_t a, uint64_t b)
{
    struct cap *c;
    l4_err_t err = lookup_any(t, slot, &c);

    if (err)
        return err;
    if (cap_immutable(c))
        return L4_ERIGHTS; // not even narrower: its giver knows what it holds
    if (rights & ~cap_rights_all(c->type))
        return L4_EINVAL;
    if (rights & ~c->rights)
        return L4_ERIGHTS;
    if (c->type == L4_CAP_POOL) {
        if (a != c->a)
            return L4_EINVAL;
        if (b > c->b || b == 0)
            return L4_ERANGE;
        if (b < c->used)
            return L4_EBUSY; // units paying for objects cannot be given up
    } else if (ranged(c->type)) {
        if (a % granule(c->type) || b % granule(c->type))
            return L4_EINVAL;
        if (b == 0 || a < c->a || b > c->b || a - c->a > c->b - b)
            return L4_ERANGE;
    } else if (badged(c->type) && c->a == 0 && b == 0) {
        /* an unbadged capability may be given a badge: that narrows what it can say */
    } else if (a != c->a || b != c->b) {
        return L4_EINVAL;
    }
    uint64_t old_a = c->a, old_b = c->b;
    c->a = a;
    c->b = b;
    mask_rights(c, rights);
    if (c->type == L4_CAP_MEMORY && cap_hooks && cap_hooks->memory_gone)
        cap_hooks->memory_gone(old_a, old_b); // what the range lost may not stay mapped
    return L4_OK;
}

l4_err_t cap_deduce(struct captable *t, l4_word_t slot, uint32_t rights, uint64_t a, uint64_t b)
{
    begin();
    return settle(deduce(t, slot, rights, a, b));
}

/* Give a split capability's units or range back to its parent. */
static void give_back(struct cap *c)
{
    struct cap *p = c->parent;

    if (!p || !(c->flags & CAP_SPLIT))
        return;
    if (c->type == L4_CAP_POOL) {
        p->b += c->b;
    } else if (ranged(c->type) && p->a + p->b == c->a) {
        p->b += c->b; // newest split first, so the range lines up again
    } else if (ranged(c->type) && c->a + c->b == p->a) {
        p->a = c->a;
        p->b += c->b;
    }
}

/* The table of a reset whose owner has no mapping (captable_reset_cursor defer_unmap): its
 * memory capabilities go without memory_gone, a walk of every space each, which would find
 * nothing (a container's coverage is its own tables': another's is not changed by them). */
static const struct captable *unmapped;

/*
 * Take c out of the tree: what it paid for is destroyed first (nothing
 * outlives the units it was paid by), then its units or range go back to its
 * parent and its children move up to it.
 */
static void remove_cap(struct cap *c)
{
    struct cap gone;

    if (c->type == L4_CAP_POOL && c->used && cap_hooks)
        cap_hooks->pool_reclaim(c);
    ASSERT(c->type != L4_CAP_POOL || c->used == 0);
    give_back(c);
    /* oldest first, each to the front: the children keep their newest-first order */
    struct cap *ch = c->children;
    while (ch && ch->next)
        ch = ch->next;
    while (ch) {
        struct cap *newer = ch->prev;
        unlink(ch);
        link_child(c->parent, ch);
        ch = newer;
    }
    unlink(c);
    gone = *c;
    *c = (struct cap){.type = L4_CAP_NULL};
    lost(gone.table, &gone, gone.rights); // first: the count below may destroy the object
    if (cap_hooks && gone.obj && counted(gone.type))
        cap_hooks->object_ref(&gone, false); // last: this may destroy the object
    if (cap_hooks && cap_hooks->memory_gone && gone.type == L4_CAP_MEMORY && gone.table != unmapped)
        cap_hooks->memory_gone(gone.a, gone.b);
}

void cap_remove(struct cap *c)
{
    begin();
    remove_cap(c);
    settle(L4_OK);
}

/*
 * Remove what is derived from c, leaves first, so each gives back up the tree to c. The walk
 * starts at from (c, or a node on c's newest-first path where an earlier call stopped), goes
 * down newest child first (so splits undo in the reverse of their order) and, once it removed
 * a leaf, goes on from that leaf's parent, not from c: a chain costs what it removes, not
 * its length for every node. A unit of work is a node removed or a level walked down; it
 * stops after budget units, but not before it removed one node (each call makes progress).
 * Returns where the walk stands; c's subtree is empty once c has no children.
 */
static struct cap *remove_some(struct cap *c, struct cap *from, unsigned budget, unsigned *spent)
{
    struct cap *n = from;
    unsigned work = 0, limit = UINT32_MAX; // no limit before the first removal: progress

    while (c->children) {
        for (; n->children; work++) {
            if (work >= limit)
                goto out; // on the way down: n is on the path, and where the next call starts
            n = n->children;
        }
        struct cap *up = n->parent;
        DEBUG_ASSERT(n != c && up); // n is below c: c has children, n has none
        remove_cap(n);
        n = up;
        limit = budget;
        if (++work >= limit)
            break;
    }
out:
    *spent = work;
    return n;
}

/* Where to go on from: cur->at if the forest kept its shape since cur was written for c. */
static struct cap *resume_at(const struct cap *c, const struct cap_revoke_cursor *cur)
{
    if (cur->target == c && cur->changes == forest_changes && cur->at)
        return cur->at;
    return (struct cap *)c;
}

/* Remove what is derived from c, budget units of work at a time (remove_some), going on
 * where cur says the last call stood: is anything left below c? The units it spent go to
 * *spent. */
static bool walk_spending(struct cap *c, unsigned budget, struct cap_revoke_cursor *cur,
                          unsigned *spent)
{
    struct cap *at = c;

    *spent = 0;
    if (c->children)
        at = remove_some(c, resume_at(c, cur), budget, spent);
    *cur = (struct cap_revoke_cursor){.target = c, .at = at, .changes = forest_changes};
    return c->children;
}

static bool walk(struct cap *c, unsigned budget, struct cap_revoke_cursor *cur)
{
    unsigned spent;

    return walk_spending(c, budget, cur, &spent);
}

/* A step's whole operation: begin, settle, and a cursor that settling made stale cleared. */
static l4_err_t
stepped(l4_err_t (*step)(struct captable *, l4_word_t, unsigned, struct cap_revoke_cursor *),
        struct captable *t, l4_word_t slot, unsigned budget, struct cap_revoke_cursor *cur)
{
    begin();
    l4_err_t err = step(t, slot, budget, cur);
    settle(err);
    /* settling may take tables apart (their capabilities go): then the walk starts afresh */
    if (cur->changes != forest_changes)
        cur->at = NULL;
    return err;
}

/*
 * A root has no parent to take its children, and letting them become roots
 * would free them from every revoke that could reach them (its container's
 * restart, say): destroying a root takes its descendants with it (in steps, as
 * a revoke). Pool roots are the container's quota for its whole run and are
 * never destroyed.
 */
static l4_err_t destroy_step(struct captable *t, l4_word_t slot, unsigned budget,
                             struct cap_revoke_cursor *cur)
{
    struct cap *c;
    l4_err_t err = lookup_any(t, slot, &c);

    if (err)
        return err;
    if (pool_root(c))
        return L4_EINVAL;
    if (c->type == L4_CAP_POOL && c->used)
        return L4_EBUSY; // destroy what it paid for first, or revoke it from above
    if (!c->parent && walk(c, budget, cur))
        return CAP_MORE;
    remove_cap(c);
    return L4_OK;
}

l4_err_t cap_destroy(struct captable *t, l4_word_t slot)
{
    struct cap_revoke_cursor cur = {0};

    return stepped(destroy_step, t, slot, UINT32_MAX, &cur);
}

l4_err_t cap_destroy_step(struct captable *t, l4_word_t slot, unsigned budget,
                          struct cap_revoke_cursor *cur)
{
    return stepped(destroy_step, t, slot, budget, cur);
}

static l4_err_t revoke_step(struct captable *t, l4_word_t slot, unsigned budget,
                            struct cap_revoke_cursor *cur)
{
    struct cap *c;
    l4_err_t err = lookup_any(t, slot, &c);

    if (err)
        return err;
    if (cap_immutable(c))
        return L4_ERIGHTS; // what hangs below it was made by its giver, and is the giver's
    return walk(c, budget, cur) ? CAP_MORE : L4_OK;
}

l4_err_t cap_revoke(struct captable *t, l4_word_t slot)
{
    struct cap_revoke_cursor cur = {0};

    return stepped(revoke_step, t, slot, UINT32_MAX, &cur);
}

l4_err_t cap_revoke_step(struct captable *t, l4_word_t slot, unsigned budget,
                         struct cap_revoke_cursor *cur)
{
    return stepped(revoke_step, t, slot, budget, cur);
}

/*
 * One batch of a reset (captable_reset_step): at most budget units, a unit being a slot
 * looked at, a capability removed or a level walked down (the walk's first removal may go
 * over: progress). Three passes over t, each going on from cur->slot: every descendant of
 * every capability first, wherever it went (then no capability of t has children); then
 * every capability but the pool roots; then what the roots paid for, but pinned objects.
 */
static l4_err_t reset_step(struct captable *t, unsigned budget, struct captable_reset_cursor *cur)
{
    unsigned work = 0, spent;

    for (; cur->pass == RESET_DESCENDANTS && cur->slot < t->nslots; cur->slot++, work++) {
        struct cap *c = &t->slots[cur->slot];
        if (work >= budget)
            return CAP_MORE;
        if (c->type == L4_CAP_NULL)
            continue;
        if (walk_spending(c, budget - work, &cur->walk, &spent))
            return CAP_MORE; // the walk stands on this slot still: the next batch goes on there
        work += spent;
    }
    if (cur->pass == RESET_DESCENDANTS)
        *cur =
            (struct captable_reset_cursor){.pass = RESET_OTHERS, .defer_unmap = cur->defer_unmap};
    for (; cur->pass == RESET_OTHERS && cur->slot < t->nslots; cur->slot++, work++) {
        struct cap *c = &t->slots[cur->slot];
        if (work >= budget)
            return CAP_MORE;
        if (c->type == L4_CAP_NULL || pool_root(c))
            continue;
        /* nothing derives from t between batches (its container has no thread): but if a
         * root has children anyway, they go with it, as for cap_destroy */
        if (!c->parent && walk_spending(c, budget - work, &cur->walk, &spent))
            return CAP_MORE;
        remove_cap(c);
    }
    /* a few pool roots; each reclaim's work is bounded by its store (docs: Long operations) */
    for (uint32_t i = 0; i < t->nslots; i++) {
        struct cap *c = &t->slots[i];
        if (pool_root(c) && c->used && cap_hooks)
            cap_hooks->pool_reclaim(c); // what stays is pinned, made by the boot description
    }
    *cur = (struct captable_reset_cursor){.defer_unmap = cur->defer_unmap};
    return L4_OK;
}

l4_err_t captable_reset_step(struct captable *t, unsigned budget, struct captable_reset_cursor *cur)
{
    begin();
    unmapped = cur->defer_unmap ? t : NULL;
    l4_err_t err = reset_step(t, budget, cur);
    unmapped = NULL; // before settling: the tables it takes apart are others'
    settle(err);
    /* settling may take tables apart (their capabilities go): then the walk starts afresh */
    if (cur->walk.changes != forest_changes)
        cur->walk.at = NULL;
    return err;
}

void captable_reset(struct captable *t)
{
    struct captable_reset_cursor cur = {0};

    while (captable_reset_step(t, UINT32_MAX, &cur) == CAP_MORE)
        ;
}

/* Make c the sibling just newer than at (before it in its parent's newest-first list). */
static void link_before(struct cap *at, struct cap *c)
{
    forest_changes++;
    c->parent = at->parent;
    c->next = at;
    c->prev = at->prev;
    if (at->prev)
        at->prev->next = c;
    else
        at->parent->children = c;
    at->prev = c;
}

/*
 * Move up to budget of c's children, newest first, to c's place among its parent's children
 * (each just before c, so they keep their order): what remove_cap does at once, in steps, for
 * a capability with 10,000 children. The tree is whole after every move. Returns the moves.
 */
static unsigned lift_children(struct cap *c, unsigned budget)
{
    unsigned n = 0;

    DEBUG_ASSERT(c->parent);
    for (; c->children && n < budget; n++) {
        struct cap *ch = c->children;
        unlink(ch);
        link_before(c, ch);
    }
    return n;
}

/*
 * One batch of a run-time table's end: at most budget units (a slot looked at, a capability
 * removed, a level walked down, a child moved up; a walk's first removal may go over:
 * progress), from slot *slot on. A root goes with its descendants (as cap_destroy: nothing
 * escapes every revoke), anything else once its children moved up to its parent.
 */
static l4_err_t clear_step(struct captable *t, unsigned budget, uint32_t *slot,
                           struct cap_revoke_cursor *cur)
{
    unsigned work = 0, spent;

    for (; *slot < t->nslots; (*slot)++, work++) {
        struct cap *c = &t->slots[*slot];
        if (work >= budget)
            return CAP_MORE;
        if (c->type == L4_CAP_NULL)
            continue;
        if (!c->parent && walk_spending(c, budget - work, cur, &spent))
            return CAP_MORE; // the walk stands below this slot: the next batch goes on there
        if (!c->parent)
            work += spent;
        else if ((work += lift_children(c, budget - work), c->children))
            return CAP_MORE;
        remove_cap(c);
    }
    *slot = 0;
    return L4_OK;
}

l4_err_t captable_clear_step(struct captable *t, unsigned budget, uint32_t *slot,
                             struct cap_revoke_cursor *cur)
{
    begin();
    l4_err_t err = clear_step(t, budget, slot, cur);
    settle(err);
    /* settling may take tables apart (their capabilities go): then the walk starts afresh */
    if (cur->changes != forest_changes)
        cur->at = NULL;
    return err;
}

void captable_clear(struct captable *t)
{
    struct cap_revoke_cursor cur = {0};
    uint32_t slot = 0;

    while (captable_clear_step(t, UINT32_MAX, &slot, &cur) == CAP_MORE)
        ;
}

void captable_move(struct captable *t, struct cap *to)
{
    DEBUG_ASSERT(to < t->slots); // down: each slot's new place is free or already moved
    for (uint32_t i = 0; i < t->nslots; i++) {
        struct cap *from = &t->slots[i];
        if (from->type == L4_CAP_NULL) {
            to[i] = (struct cap){.type = L4_CAP_NULL};
            continue;
        }
        relocate(from, &to[i], t);
        if (to[i].type == L4_CAP_POOL && to[i].used && cap_hooks)
            cap_hooks->pool_moved(from, &to[i]); // objects name their payer
    }
    t->slots = to;
}

uint64_t cap_changes(void)
{
    return operations + forest_changes;
}

unsigned cap_depth(const struct cap *c)
{
    unsigned d = 0;

    for (; c->parent; c = c->parent)
        d++;
    return d;
}

l4_err_t cap_pool_charge(struct cap *c, uint32_t units)
{
    DEBUG_ASSERT(c->type == L4_CAP_POOL && c->used <= c->b && units);
    if (units > c->b - c->used)
        return L4_ENOMEM;
    operations++;
    c->used += units;
    return L4_OK;
}

void cap_pool_refund(struct cap *c, uint32_t units)
{
    ASSERT(c->type == L4_CAP_POOL && c->used >= units);
    operations++;
    c->used -= units;
}

/* --- self-check ----------------------------------------------------------------------------- */

static bool in_table(const struct cap *c)
{
    const struct captable *t = c->table;

    return t && c >= t->slots && c < t->slots + t->nslots && c->type != L4_CAP_NULL;
}

static const char *check_links(const struct cap *c)
{
    if (c->parent) {
        if (!in_table(c->parent))
            return "parent is not a live slot";
        if (c->parent->type != c->type || c->parent->obj != c->obj)
            return "type or object differs from its parent";
        if (c->rights & L4_RIGHTS_CAP & ~c->parent->rights)
            return "holds COPY or GRANT its parent lacks";
    } else if (c->prev || c->next) {
        return "root with sibling links";
    }
    if (c->prev && (!in_table(c->prev) || c->prev->next != c || c->prev->parent != c->parent))
        return "broken prev link";
    if (!c->prev && c->parent && c->parent->children != c)
        return "first child not at its parent's head";
    if (c->next && (!in_table(c->next) || c->next->prev != c || c->next->parent != c->parent))
        return "broken next link";
    if (c->children && (!in_table(c->children) || c->children->parent != c || c->children->prev))
        return "broken first child";
    return NULL;
}

static const char *check_words(const struct cap *c)
{
    if (c->type == L4_CAP_POOL) {
        if (c->a >= L4_POOL_KIND_COUNT || c->b == 0 || c->used > c->b)
            return "pool kind, units or units in use out of range";
    } else if (c->used) {
        return "units in use on a capability that is no pool";
    }
    if (ranged(c->type) &&
        (c->b == 0 || c->a + c->b < c->a || c->a % granule(c->type) || c->b % granule(c->type)))
        return "range empty, wrapping or unaligned";
    const struct cap_origin *o = c->obj;
    if (ranged(c->type) && o &&
        (c->a < o->base || c->a - o->base > o->size || c->b > o->size - (c->a - o->base)))
        return "range outside what its root was made with";
    return NULL;
}

const char *captable_check(const struct captable *t, uint32_t *bad)
{
    return captable_check_range(t, 0, t->nslots, bad);
}

const char *captable_check_range(const struct captable *t, uint32_t from, uint32_t to,
                                 uint32_t *bad)
{
    DEBUG_ASSERT(from <= to && to <= t->nslots);
    for (uint32_t i = from; i < to; i++) {
        const struct cap *c = &t->slots[i];
        const char *why = NULL;
        *bad = i;
        if (c->type == L4_CAP_NULL) {
            if (c->parent || c->children || c->next || c->prev || c->used)
                return "empty slot with stale links";
            continue;
        }
        if (c->type >= L4_CAP_TYPE_COUNT || c->table != t)
            return "type or table pointer wrong";
        if (c->rights & ~cap_rights_all(c->type))
            return "rights outside the type's mask";
        if ((why = check_links(c)) || (why = check_words(c)))
            return why;
        if ((c->flags & CAP_BOOT) && c->parent)
            return "a capability the kernel gave at boot has a parent";
    }
    return NULL;
}
