/* SPDX-License-Identifier: BSD-2-Clause */
/* Host test of the capability code: random operations across three tables (split, grant,
 * destroy, revoke, objects paid and freed, restarts) against the invariants after each. */
// uses: kernel/core/cap.c kernel/core/cap_names.c lib/fmt.c
#include "cap_fakes.h"

#include <stdlib.h>

/* --- randomized operations against invariants -------------------------------------------- */

#define NOPS       20000
#define MAXORIGINS 1024
#define MAXIDS     65536

/* What the test knows of the capability in each slot; it follows the capability on grant. */
struct shadow {
    bool live;
    bool split;       /* made by a successful split */
    unsigned id;      /* unique per capability */
    unsigned origin;  /* the root it was derived from */
    uint32_t ceiling; /* the rights it was made with, less every deduce of it or an ancestor */
    uint64_t badge;   /* the first word of types other than pool and memory */
};

/* A root capability inserted by the test. */
struct origin {
    unsigned type;
    void *obj;
    uint64_t a, b;  /* as inserted */
    uint64_t lost;  /* pool units given up by deduce */
    bool exclusive; /* memory never replicated or shared: every range is disjoint */
};

static struct shadow shadows[NTABLES][NSLOTS];
static struct origin origins[MAXORIGINS];
static unsigned norigins, next_id;
static char why[256];
static unsigned order_failures;

/* Per capability id, as it was before the current operation. */
static unsigned rec_epoch[MAXIDS], rec_parent[MAXIDS];
static int rec_pos[MAXIDS];
static uint64_t rec_b[MAXIDS];
static unsigned epoch;

static unsigned rnd(unsigned n)
{
    return n ? (unsigned)rand() % n : 0;
}

/* The table and slot of a node, or false if it is not a slot of any table. */
static bool locate(const struct cap *c, int *ti, unsigned *si)
{
    for (int t = 0; t < NTABLES; t++) {
        uintptr_t p = (uintptr_t)c, base = (uintptr_t)slots[t];
        if (p < base || p >= base + sizeof(slots[t]))
            continue;
        if ((p - base) % sizeof(struct cap))
            return false;
        *ti = t;
        *si = (unsigned)((p - base) / sizeof(struct cap));
        return true;
    }
    return false;
}

static struct shadow *shadow_of(const struct cap *c)
{
    int t;
    unsigned s;

    return locate(c, &t, &s) ? &shadows[t][s] : NULL;
}

/* A linked node must be a live slot of some table. */
static bool valid_node(const struct cap *c)
{
    int t;
    unsigned s;

    return locate(c, &t, &s) && slots[t][s].type != L4_CAP_NULL;
}

#define INV(cond, ...)                                                                             \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            snprintf(why, sizeof(why), __VA_ARGS__);                                               \
            return false;                                                                          \
        }                                                                                          \
    } while (0)

static bool check_links(int t, unsigned s)
{
    const struct cap *c = &slots[t][s];
    unsigned n = 0;

    INV(c->table == &tabs[t], "%d:%u table pointer", t, s);
    if (c->parent) {
        INV(valid_node(c->parent), "%d:%u parent is not a live slot", t, s);
        INV(is_child(c->parent, c), "%d:%u missing from its parent's children", t, s);
        INV(c->parent->type == c->type, "%d:%u type differs from its parent", t, s);
        INV(c->parent->obj == c->obj, "%d:%u object differs from its parent", t, s);
    } else {
        INV(!c->prev && !c->next, "%d:%u root with sibling links", t, s);
    }
    if (c->prev) {
        INV(valid_node(c->prev), "%d:%u prev is not a live slot", t, s);
        INV(c->prev->next == c, "%d:%u prev->next", t, s);
        INV(c->prev->parent == c->parent, "%d:%u prev has another parent", t, s);
    } else if (c->parent) {
        INV(c->parent->children == c, "%d:%u first child not at its parent's head", t, s);
    }
    if (c->next) {
        INV(valid_node(c->next), "%d:%u next is not a live slot", t, s);
        INV(c->next->prev == c, "%d:%u next->prev", t, s);
        INV(c->next->parent == c->parent, "%d:%u next has another parent", t, s);
    }
    if (c->children)
        INV(!c->children->prev, "%d:%u first child has a prev", t, s);
    for (const struct cap *ch = c->children; ch; ch = ch->next) {
        INV(++n <= TOTAL, "%d:%u children list has a cycle", t, s);
        INV(valid_node(ch), "%d:%u child is not a live slot", t, s);
        INV(ch->parent == c, "%d:%u child with another parent", t, s);
    }
    n = 0;
    for (const struct cap *p = c->parent; p; p = p->parent)
        INV(++n <= TOTAL, "%d:%u parent chain has a cycle", t, s);
    INV(cap_depth(c) == n, "%d:%u cap_depth %u, walked %u", t, s, cap_depth(c), n);
    return true;
}

static bool check_cap(int t, unsigned s)
{
    const struct cap *c = &slots[t][s];
    const struct shadow *h = &shadows[t][s];
    const struct origin *o = &origins[h->origin];

    if (c->type == L4_CAP_NULL) {
        INV(!h->live, "%d:%u emptied behind the test's back", t, s);
        INV(!c->obj && !c->parent && !c->children && !c->next && !c->prev,
            "%d:%u empty slot with stale fields", t, s);
        return true;
    }
    INV(h->live, "%d:%u filled behind the test's back", t, s);
    if (!check_links(t, s))
        return false;
    INV(c->type == o->type && c->obj == o->obj, "%d:%u type or object changed", t, s);
    INV(!(c->rights & ~cap_rights_all(c->type)), "%d:%u rights outside the mask", t, s);
    INV(!(c->rights & ~h->ceiling), "%d:%u rights %#x above what it was made with %#x", t, s,
        c->rights, h->ceiling);
    if (c->parent) {
        const struct shadow *ph = shadow_of(c->parent);
        INV(ph->origin == h->origin, "%d:%u parent from another root", t, s);
        INV(!(h->ceiling & ~ph->ceiling), "%d:%u made with more rights than its parent's", t, s);
        INV(!(c->rights & L4_RIGHTS_CAP & ~c->parent->rights),
            "%d:%u holds COPY/GRANT its parent lacks", t, s);
    }
    if (c->type == L4_CAP_POOL) {
        INV(c->a == o->a, "%d:%u pool kind changed", t, s);
        INV(c->b > 0, "%d:%u empty pool", t, s);
        INV(c->used <= c->b, "%d:%u %u units in use of %llu", t, s, c->used,
            (unsigned long long)c->b);
        INV(c->used == paid_by(c), "%d:%u says %u in use, pays for %u", t, s, c->used, paid_by(c));
        INV(c->parent || !shadows[t][s].split, "%d:%u a part became a pool root", t, s);
    } else {
        INV(!c->used, "%d:%u units in use on a %u capability", t, s, c->type);
    }
    if (c->type == L4_CAP_MEMORY) {
        INV(c->b > 0 && c->a % PAGE == 0 && c->b % PAGE == 0, "%d:%u range %#llx+%#llx", t, s,
            (unsigned long long)c->a, (unsigned long long)c->b);
        INV(c->a >= o->a && c->b <= o->b && c->a - o->a <= o->b - c->b,
            "%d:%u range %#llx+%#llx outside its root %#llx+%#llx", t, s, (unsigned long long)c->a,
            (unsigned long long)c->b, (unsigned long long)o->a, (unsigned long long)o->b);
    }
    if (c->type != L4_CAP_POOL && c->type != L4_CAP_MEMORY)
        INV(c->a == h->badge && c->b == 0, "%d:%u badge %#llx or b %#llx changed", t, s,
            (unsigned long long)c->a, (unsigned long long)c->b);
    return true;
}

static bool check_invariants(void)
{
    static uint64_t sum[MAXORIGINS];
    int refs[NOBJS] = {0};

    memset(sum, 0, sizeof(sum));
    for (int t = 0; t < NTABLES; t++) {
        for (unsigned s = 0; s < NSLOTS; s++) {
            const struct cap *c = &slots[t][s];
            if (!check_cap(t, s))
                return false;
            if (c->type == L4_CAP_NULL)
                continue;
            if (c->type == L4_CAP_POOL)
                sum[shadows[t][s].origin] += c->b;
            for (int k = 0; k < NOBJS; k++)
                refs[k] += c->obj == &objs[k];
        }
    }
    for (unsigned o = 0; o < norigins; o++) {
        if (origins[o].type != L4_CAP_POOL)
            continue;
        INV(sum[o] + origins[o].lost == origins[o].b, "pool root %u: %llu held + %llu lost != %llu",
            o, (unsigned long long)sum[o], (unsigned long long)origins[o].lost,
            (unsigned long long)origins[o].b);
    }
    for (int k = 0; k < NOBJS; k++)
        INV(objs[k].refs == refs[k], "object %d: %d references, %d capabilities", k, objs[k].refs,
            refs[k]);
    /* nothing outlives the units it was paid by */
    for (unsigned i = 0; i < NPAID; i++) {
        if (!paid[i].live)
            continue;
        INV(valid_node(paid[i].payer) && paid[i].payer->type == L4_CAP_POOL,
            "object %u paid by a capability that is gone", i);
        INV(!paid[i].pinned || !paid[i].payer->parent, "pinned object %u paid by a part", i);
    }
    for (int t = 0; t < NTABLES; t++) {
        uint32_t bad;
        const char *w = captable_check(&tabs[t], &bad);
        INV(!w, "captable_check: table %d slot %u: %s", t, bad, w);
    }
    /* the ranges of a memory tree that was never copied are disjoint */
    for (unsigned i = 0; i < TOTAL; i++) {
        const struct cap *x = &slots[i / NSLOTS][i % NSLOTS];
        const struct shadow *hx = &shadows[i / NSLOTS][i % NSLOTS];
        if (x->type != L4_CAP_MEMORY || !origins[hx->origin].exclusive)
            continue;
        for (unsigned j = i + 1; j < TOTAL; j++) {
            const struct cap *y = &slots[j / NSLOTS][j % NSLOTS];
            const struct shadow *hy = &shadows[j / NSLOTS][j % NSLOTS];
            if (y->type != L4_CAP_MEMORY || hy->origin != hx->origin)
                continue;
            INV(x->a + x->b <= y->a || y->a + y->b <= x->a,
                "slots %u and %u: ranges %#llx+%#llx and %#llx+%#llx overlap", i, j,
                (unsigned long long)x->a, (unsigned long long)x->b, (unsigned long long)y->a,
                (unsigned long long)y->b);
        }
    }
    return true;
}

/* Remember every capability's parent, place among its siblings and quantity. */
static void record(void)
{
    epoch++;
    for (int t = 0; t < NTABLES; t++) {
        for (unsigned s = 0; s < NSLOTS; s++) {
            const struct cap *c = &slots[t][s];
            unsigned id = shadows[t][s].id;
            int pos = 0;
            if (c->type == L4_CAP_NULL)
                continue;
            rec_epoch[id] = epoch;
            rec_b[id] = c->b;
            rec_parent[id] = c->parent ? shadow_of(c->parent)->id : 0;
            for (const struct cap *x = c->prev; x && pos <= TOTAL; x = x->prev)
                pos++;
            rec_pos[id] = pos;
        }
    }
}

/* Two capabilities that were siblings before the operation and still are keep their order. */
static bool check_order(void)
{
    for (int t = 0; t < NTABLES; t++) {
        for (unsigned s = 0; s < NSLOTS; s++) {
            unsigned ids[TOTAL], k = 0;
            if (slots[t][s].type == L4_CAP_NULL)
                continue;
            for (const struct cap *ch = slots[t][s].children; ch && k < TOTAL; ch = ch->next)
                ids[k++] = shadow_of(ch)->id;
            for (unsigned i = 0; i < k; i++) {
                for (unsigned j = 0; j < i; j++) {
                    unsigned x = ids[j], y = ids[i];
                    if (rec_epoch[x] != epoch || rec_epoch[y] != epoch || !rec_parent[x] ||
                        rec_parent[x] != rec_parent[y])
                        continue;
                    INV(rec_pos[x] < rec_pos[y],
                        "children of %d:%u: ids %u and %u (siblings under id %u before) swapped "
                        "places",
                        t, s, x, y, rec_parent[x]);
                }
            }
        }
    }
    return true;
}

static unsigned new_origin(unsigned type, void *obj, uint64_t a, uint64_t b, bool exclusive)
{
    origins[norigins] =
        (struct origin){.type = type, .obj = obj, .a = a, .b = b, .exclusive = exclusive};
    return norigins++;
}

static void set_shadow(int t, unsigned s, unsigned origin, const struct cap *like, bool split)
{
    shadows[t][s] = (struct shadow){.live = true,
                                    .split = split,
                                    .id = next_id++,
                                    .origin = origin,
                                    .ceiling = like->rights,
                                    .badge = like->a};
}

static void random_root(int t, unsigned s, unsigned type, uint32_t rights, void *obj, uint64_t a,
                        uint64_t b, bool exclusive)
{
    if (cap_insert(&tabs[t], s, type, rights, obj, a, b) == L4_OK)
        set_shadow(t, s, new_origin(type, obj, a, b, exclusive), &slots[t][s], false);
}

static unsigned table_live(int t)
{
    unsigned n = 0;

    for (unsigned s = 0; s < NSLOTS; s++)
        n += slots[t][s].type != L4_CAP_NULL;
    return n;
}

static unsigned nlive(void)
{
    unsigned n = 0;

    for (int t = 0; t < NTABLES; t++) {
        for (unsigned s = 0; s < NSLOTS; s++)
            n += slots[t][s].type != L4_CAP_NULL;
    }
    return n;
}

/* A random table, mostly one holding capabilities. */
static int pick_table(void)
{
    int t = (int)rnd(NTABLES);

    for (int i = 0; i < NTABLES && rnd(10) && table_live(t) == 0; i++)
        t = (t + 1) % NTABLES;
    return t;
}

/* A random slot: mostly a live one, sometimes any, rarely out of range. */
static unsigned pick_slot(int t, bool live)
{
    unsigned cand[NSLOTS], n = 0;

    if (rnd(40) == 0)
        return NSLOTS + rnd(3);
    if (live && rnd(10) < 8) {
        for (unsigned s = 0; s < NSLOTS; s++) {
            if (slots[t][s].type != L4_CAP_NULL)
                cand[n++] = s;
        }
        if (n)
            return cand[rnd(n)];
    }
    if (!live && rnd(10) < 8) {
        for (unsigned s = 0; s < NSLOTS; s++) {
            if (slots[t][s].type == L4_CAP_NULL)
                cand[n++] = s;
        }
        if (n)
            return cand[rnd(n)];
    }
    return rnd(NSLOTS);
}

/* A pool or memory capability of t that can be split, if there is one, else s. */
static unsigned pick_divisible(int t, unsigned s)
{
    unsigned cand[NSLOTS], n = 0;

    for (unsigned i = 0; i < NSLOTS; i++) {
        const struct cap *c = &slots[t][i];
        if ((c->type == L4_CAP_POOL && c->b > 1) || (c->type == L4_CAP_MEMORY && c->b > PAGE))
            cand[n++] = i;
    }
    return n ? cand[rnd(n)] : s;
}

static uint32_t random_rights(unsigned type)
{
    uint32_t all = cap_rights_all(type), r = all & (uint32_t)rand();

    if (rnd(4))
        r |= L4_RIGHT_COPY;
    if (rnd(2))
        r |= L4_RIGHT_GRANT;
    if (rnd(50) == 0)
        r |= 1u << (6 + rnd(20)); /* rejected */
    return r;
}

/* A deduced rights argument: mostly a subset of what c holds. */
static uint32_t deduce_rights(const struct cap *c)
{
    switch (rnd(10)) {
    case 0:
        return (uint32_t)rand();
    case 1:
        return cap_rights_all(c->type) & (uint32_t)rand();
    default:
        return c->rights & ~(1u << rnd(8)); /* drop at most one right */
    }
}

/* A random live object, or -1. */
static int pick_paid(void)
{
    int cand[NPAID], n = 0;

    for (int i = 0; i < NPAID; i++) {
        if (paid[i].live && !paid[i].pinned)
            cand[n++] = i;
    }
    return n ? cand[rnd((unsigned)n)] : -1;
}

/* A random pool capability of t, else s. */
static unsigned pick_pool(int t, unsigned s)
{
    unsigned cand[NSLOTS], n = 0;

    for (unsigned i = 0; i < NSLOTS; i++) {
        if (slots[t][i].type == L4_CAP_POOL)
            cand[n++] = i;
    }
    return n ? cand[rnd(n)] : s;
}

/* Is c, or a capability it was derived from, in table t? */
static bool derived_from_table(const struct cap *c, int t)
{
    unsigned n = 0;

    for (const struct cap *p = c->parent; p && n <= TOTAL; p = p->parent, n++) {
        if (p->table == &tabs[t])
            return true;
    }
    return false;
}

/* Mask the ceiling of c and of every capability below it, as deduce does to the rights. */
static void mask_ceilings(const struct cap *c, uint32_t keep, unsigned depth)
{
    if (depth > TOTAL || !valid_node(c))
        return; /* check_links reports it */
    shadow_of(c)->ceiling &= keep;
    for (const struct cap *ch = c->children; ch; ch = ch->next)
        mask_ceilings(ch, keep, depth + 1);
}

/* After removals, forget the slots that are now empty. */
static void forget_emptied(void)
{
    for (int t = 0; t < NTABLES; t++) {
        for (unsigned s = 0; s < NSLOTS; s++) {
            if (slots[t][s].type == L4_CAP_NULL && shadows[t][s].live)
                shadows[t][s] = (struct shadow){0};
        }
    }
}

enum op {
    OP_REPLICATE,
    OP_SHARE,
    OP_GRANT,
    OP_SPLIT,
    OP_DEDUCE,
    OP_DESTROY,
    OP_REVOKE,
    OP_INSERT,
    OP_CHARGE,
    OP_UNCHARGE,
    OP_LOOKUP,
    OP_RESET,
};

static const char *const op_names[] = {
    "replicate", "share",  "grant",  "split",    "deduce", "destroy",
    "revoke",    "insert", "charge", "uncharge", "lookup", "reset",
};

static enum op pick_op(void)
{
    static const struct {
        enum op op;
        unsigned weight;
    } w[] = {
        {OP_REPLICATE, 12}, {OP_SHARE, 8},    {OP_GRANT, 12}, {OP_SPLIT, 20},
        {OP_DEDUCE, 14},    {OP_DESTROY, 8},  {OP_REVOKE, 3}, {OP_INSERT, 5},
        {OP_CHARGE, 10},    {OP_UNCHARGE, 5}, {OP_LOOKUP, 4},
    };
    unsigned total = 0, r;

    if (rnd(800) == 0)
        return OP_RESET;
    for (unsigned i = 0; i < ARRAY_SIZE(w); i++)
        total += w[i].weight;
    r = rnd(total);
    for (unsigned i = 0; i < ARRAY_SIZE(w); i++) {
        if (r < w[i].weight)
            return w[i].op;
        r -= w[i].weight;
    }
    return OP_LOOKUP;
}

static void random_roots(void)
{
    norigins = 0;
    next_id = 1; /* 0 means "no parent" in the records */
    memset(shadows, 0, sizeof(shadows));
    random_root(0, 0, L4_CAP_POOL, L4_POOL_RIGHTS_ALL, NULL, L4_POOL_THREADS, 100, false);
    random_root(0, 1, L4_CAP_POOL, L4_RIGHT_COPY | L4_POOL_ALLOC, NULL, L4_POOL_PAGETABLES, 50,
                false);
    random_root(0, 2, L4_CAP_MEMORY, L4_MEM_RIGHTS_ALL, NULL, 0x100000, P(256), true);
    random_root(0, 3, L4_CAP_MEMORY, L4_MEM_RIGHTS_ALL, NULL, 0x200000, P(128), false);
    random_root(0, 4, L4_CAP_THREAD, L4_THR_RIGHTS_ALL, &objs[0], 0, 0, false);
    random_root(0, 5, L4_CAP_SPACE, L4_SPACE_RIGHTS_ALL, &objs[1], 0, 0, false);
    random_root(0, 6, L4_CAP_DEBUG, L4_RIGHTS_CAP | L4_DEBUG_WRITE, &objs[2], 0, 0, false);
    random_root(1, 0, L4_CAP_POOL, L4_POOL_RIGHTS_ALL, NULL, L4_POOL_THREADS, 40, false);
    random_root(1, 1, L4_CAP_THREAD, L4_RIGHTS_CAP | L4_THR_READ | L4_THR_RUN, &objs[3], 0, 0,
                false);
    random_root(1, 2, L4_CAP_CONTAINER, L4_CONT_RIGHTS_ALL, &objs[4], 0, 0, false);
    random_root(1, 3, L4_CAP_MEMORY, L4_RIGHT_COPY | L4_MEM_READ, NULL, 0x300000, P(16), true);
    random_root(2, 0, L4_CAP_POOL, L4_POOL_RIGHTS_ALL, NULL, L4_POOL_ENDPOINTS, 20, false);
    random_root(2, 1, L4_CAP_SPACE, L4_RIGHT_COPY | L4_SPACE_BIND, &objs[5], 0, 0, false);
    random_root(2, 2, L4_CAP_ENDPOINT, L4_EP_RIGHTS_ALL, &objs[6], 0, 0, false);
    random_root(1, 4, L4_CAP_NOTIFICATION, L4_NTF_RIGHTS_ALL, &objs[7], 0, 0, false);
    /* what the boot description made stays through a restart */
    charge(0, 0, true);
    charge(2, 0, true);
    for (int i = 0; i < 10; i++)
        charge(0, 0, false);
    for (int i = 0; i < 3; i++)
        charge(0, 1, false);
    for (int i = 0; i < 5; i++)
        charge(1, 0, false);
}

/* Insert a new root of a random type into a random slot. */
static void random_insert(int t, unsigned s)
{
    static const unsigned types[] = {L4_CAP_POOL,     L4_CAP_MEMORY,      L4_CAP_THREAD,
                                     L4_CAP_SPACE,    L4_CAP_CONTAINER,   L4_CAP_DEBUG,
                                     L4_CAP_ENDPOINT, L4_CAP_NOTIFICATION};
    unsigned type = types[rnd(ARRAY_SIZE(types))];
    uint32_t rights = random_rights(type);

    if (norigins >= MAXORIGINS)
        return;
    if (type == L4_CAP_POOL)
        random_root(t, s, type, rights, NULL, rnd(L4_POOL_KIND_COUNT), 1 + rnd(200), false);
    else if (type == L4_CAP_MEMORY)
        random_root(t, s, type, rights, NULL, 0x10000000 + (uint64_t)norigins * 0x100000,
                    P(1 + rnd(64)), rnd(2));
    else
        random_root(t, s, type, rights, &objs[rnd(NOBJS)], 0, 0, false);
}

static void random_split_args(const struct cap *c, uint64_t *amount)
{
    if (c->type == L4_CAP_POOL) {
        *amount = rnd(8) ? 1 + rnd((unsigned)c->b) : rnd((unsigned)c->b + 2);
    } else if (c->type == L4_CAP_MEMORY) {
        *amount = P(rnd(8) ? 1 + rnd((unsigned)(c->b / PAGE)) : rnd((unsigned)(c->b / PAGE) + 2));
        if (rnd(10) == 0)
            *amount += 1 + rnd(PAGE - 1);
    } else {
        *amount = c->rights & ~L4_RIGHTS_CAP & (uint32_t)rand();
        if (rnd(8) == 0)
            *amount = (uint32_t)rand() & 0x7f;
    }
}

static void random_deduce_args(const struct cap *c, uint32_t *rights, uint64_t *a, uint64_t *b)
{
    *rights = deduce_rights(c);
    *a = c->a;
    *b = c->b;
    if (rnd(2))
        return; /* rights only, or nothing at all */
    if (c->type == L4_CAP_POOL) {
        if (rnd(10) == 0)
            *a = rnd(L4_POOL_KIND_COUNT);
        *b = rnd((unsigned)c->b + 2);
    } else if (c->type == L4_CAP_MEMORY) {
        unsigned pages = (unsigned)(c->b / PAGE), off = rnd(pages + 1);
        *a = c->a + P(off);
        *b = P(rnd(pages - off + 2));
        if (rnd(10) == 0)
            *a -= P(1);
        if (rnd(10) == 0)
            *b += rnd(PAGE);
    } else if ((c->type == L4_CAP_ENDPOINT || c->type == L4_CAP_NOTIFICATION) && rnd(2)) {
        *a = rnd(4); /* a badge, or a try at changing one */
    } else if (rnd(10) == 0) {
        *a += 1;
    }
}

static void random_operations(unsigned seed)
{
    static struct cap before[NTABLES][NSLOTS];
    static struct fake_obj objs_before[NOBJS];
    bool failed = false;
    unsigned root_shares = 0, pinned_refused = 0, parts_moved = 0, busy = 0, resets = 0;
    unsigned reclaimed = 0, root_destroys = 0;

    setup();
    order_failures = 0;
    srand(seed);
    random_roots();
    CHECK(check_invariants());
    for (unsigned i = 0; i < NOPS && !failed; i++) {
        enum op op = pick_op();
        int t = pick_table(), to = (int)rnd(NTABLES);
        unsigned s = pick_slot(t, true), d = pick_slot(t, false), dto = pick_slot(to, false);
        struct cap *c, pre = {0};
        struct shadow pre_sh = {0};
        uint32_t rights = 0;
        uint64_t amount = 0, a = 0, b = 0;
        l4_err_t err = L4_OK, want = L4_OK;
        bool ok = true;
        unsigned reclaims_before = reclaim_calls;
        struct cap *out = NULL;
        char desc[96];

        if (op == OP_SPLIT && rnd(3))
            s = pick_divisible(t, s);
        if ((op == OP_CHARGE || op == OP_DESTROY || op == OP_GRANT) && rnd(3) == 0)
            s = pick_pool(t, s);
        c = s < NSLOTS ? &slots[t][s] : NULL;
        if (c && c->type != L4_CAP_NULL) {
            pre = *c;
            pre_sh = shadows[t][s];
        }
        /* new roots only while the tables are sparse, so that trees grow deep */
        if (op == OP_INSERT && nlive() > TOTAL / 3)
            op = OP_SPLIT;
        /* never copy an exclusive memory range: its tree must stay disjoint */
        if ((op == OP_REPLICATE || op == OP_SHARE) && pre.type == L4_CAP_MEMORY &&
            origins[pre_sh.origin].exclusive)
            op = OP_LOOKUP;
        memcpy(before, slots, sizeof(before));
        memcpy(objs_before, objs, sizeof(objs));
        record();
        switch (op) {
        case OP_REPLICATE:
            err = cap_replicate(&tabs[t], s, d);
            if (!err) {
                set_shadow(t, d, pre_sh.origin, &pre, false);
                ok = slots[t][d].parent == c;
            }
            break;
        case OP_SHARE:
            err = cap_share(&tabs[t], s, d);
            if (!err) {
                /* a sibling, but a root's share is its child: no second root */
                set_shadow(t, d, pre_sh.origin, &pre, false);
                ok = slots[t][d].parent == (pre.parent ? pre.parent : c);
                root_shares += !pre.parent;
            }
            break;
        case OP_GRANT: {
            /* pool roots never move, memory roots never leave their table, and units that
             * pay for objects never leave theirs */
            bool may = pre.type != L4_CAP_NULL && (pre.rights & L4_RIGHT_GRANT) && dto < NSLOTS &&
                       slots[to][dto].type == L4_CAP_NULL;
            bool pinned = may && !pre.parent &&
                          (pre.type == L4_CAP_POOL || (to != t && pre.type == L4_CAP_MEMORY));
            bool paying = may && !pinned && to != t && pre.type == L4_CAP_POOL && pre.used;
            err = cap_grant(&tabs[t], s, &tabs[to], dto);
            ok = (err == L4_EINVAL) == pinned && (!may || (err == L4_EBUSY) == paying);
            pinned_refused += pinned;
            busy += paying;
            if (!err) {
                shadows[t][s] = (struct shadow){0};
                shadows[to][dto] = pre_sh;
                ok = ok && slots[to][dto].rights == pre.rights && slots[to][dto].b == pre.b &&
                     slots[to][dto].parent == pre.parent;
                parts_moved += to != t && (pre.type == L4_CAP_POOL || pre.type == L4_CAP_MEMORY);
            }
            break;
        }
        case OP_SPLIT:
            if (c)
                random_split_args(c, &amount);
            err = cap_split(&tabs[t], s, d, amount);
            if (!err) {
                set_shadow(t, d, pre_sh.origin, &pre, true);
                ok = slots[t][d].parent == c;
                if (pre.type == L4_CAP_POOL || pre.type == L4_CAP_MEMORY)
                    ok = ok && c->b + slots[t][d].b == pre.b;
                else
                    ok = ok && (c->rights | slots[t][d].rights) == pre.rights;
            }
            break;
        case OP_DEDUCE:
            if (c)
                random_deduce_args(c, &rights, &a, &b);
            err = cap_deduce(&tabs[t], s, rights, a, b);
            if (!err) {
                mask_ceilings(c, rights, 0);
                shadows[t][s].badge = a;
                if (pre.type == L4_CAP_POOL)
                    origins[pre_sh.origin].lost += pre.b - c->b;
                ok = c->rights == rights && c->a == a && c->b == b;
                if (pre.type != L4_CAP_POOL && pre.type != L4_CAP_MEMORY) {
                    bool badged = pre.type == L4_CAP_ENDPOINT || pre.type == L4_CAP_NOTIFICATION;
                    ok = ok && b == 0 && (a == pre.a || (badged && pre.a == 0));
                }
            }
            break;
        case OP_DESTROY:
            err = cap_destroy(&tabs[t], s);
            if (pre.type == L4_CAP_POOL && !pre.parent)
                ok = err == L4_EINVAL; /* pool roots stay */
            else if (pre.type == L4_CAP_POOL && pre.used)
                ok = err == L4_EBUSY;
            busy += err == L4_EBUSY;
            if (!err) {
                /* a root takes its descendants with it; anything else hands them up */
                ok = slots[t][s].type == L4_CAP_NULL &&
                     (pre.parent || !pre.children || reclaim_calls >= reclaims_before);
                root_destroys += !pre.parent && pre.children;
                forget_emptied();
            }
            break;
        case OP_REVOKE:
            err = cap_revoke(&tabs[t], s);
            if (!err) {
                forget_emptied();
                ok = c->type == pre.type && !c->children && c->b >= pre.b;
            }
            break;
        case OP_INSERT:
            random_insert(t, d);
            break;
        case OP_CHARGE:
            if (c && c->type == L4_CAP_POOL) {
                bool full = c->used == c->b;
                ok = (charge(t, s, false) < 0) == full;
            }
            break;
        case OP_UNCHARGE: {
            int o = pick_paid();
            if (o >= 0)
                uncharge(o);
            break;
        }
        case OP_LOOKUP: {
            unsigned type = rnd(L4_CAP_TYPE_COUNT);
            rights = (uint32_t)rand() & (rnd(2) ? 0x3f : 0);
            err = cap_lookup(&tabs[t], s, type, rights, &out);
            if (!c || c->type == L4_CAP_NULL || c->type != type)
                want = L4_ECAP;
            else if ((c->rights & rights) != rights)
                want = L4_ERIGHTS;
            ok = err == want && (err || out == c);
            break;
        }
        case OP_RESET: {
            /* a restart: t keeps only its pool roots, with what is pinned to them */
            captable_reset(&tabs[t]);
            forget_emptied();
            resets++;
            for (unsigned k = 0; k < NSLOTS; k++) {
                const struct cap *x = &slots[t][k];
                if (x->type == L4_CAP_NULL)
                    continue;
                ok = ok && x->type == L4_CAP_POOL && !x->parent && !x->children;
                for (unsigned o = 0; o < NPAID; o++)
                    ok = ok && !(paid[o].live && paid[o].payer == x && !paid[o].pinned);
            }
            /* and nothing anywhere was derived from it */
            for (int u = 0; u < NTABLES; u++) {
                for (unsigned k = 0; k < NSLOTS; k++)
                    ok = ok &&
                         (slots[u][k].type == L4_CAP_NULL || !derived_from_table(&slots[u][k], t));
            }
            break;
        }
        }
        reclaimed += reclaim_calls > reclaims_before;
        if (err || op == OP_LOOKUP) {
            /* a refused operation changes nothing */
            ok = ok && !memcmp(before, slots, sizeof(before)) &&
                 !memcmp(objs_before, objs, sizeof(objs));
        }
        switch (op) {
        case OP_REPLICATE:
        case OP_SHARE:
            snprintf(desc, sizeof(desc), "%s %d:%u -> %d:%u", op_names[op], t, s, t, d);
            break;
        case OP_GRANT:
            snprintf(desc, sizeof(desc), "grant %d:%u -> %d:%u", t, s, to, dto);
            break;
        case OP_SPLIT:
            snprintf(desc, sizeof(desc), "split %d:%u -> %d:%u amount %#llx", t, s, t, d,
                     (unsigned long long)amount);
            break;
        case OP_DEDUCE:
            snprintf(desc, sizeof(desc), "deduce %d:%u rights %#x a %#llx b %#llx", t, s, rights,
                     (unsigned long long)a, (unsigned long long)b);
            break;
        case OP_INSERT:
            snprintf(desc, sizeof(desc), "insert %d:%u", t, d);
            break;
        case OP_LOOKUP:
            snprintf(desc, sizeof(desc), "lookup %d:%u rights %#x", t, s, rights);
            break;
        default:
            snprintf(desc, sizeof(desc), "%s %d:%u", op_names[op], t, s);
            break;
        }
        if (!ok) {
            printf("    random op %u (%s) returned %d: unexpected result\n", i, desc, err);
            check_failures++;
            failed = true;
        } else if (!check_invariants()) {
            printf("    random op %u (%s) returned %d: invariant broken: %s\n", i, desc, err, why);
            check_failures++;
            failed = true;
        } else if (!check_order()) {
            /* reported once; the other invariants keep being checked */
            if (!order_failures++) {
                printf("    random op %u (%s): sibling order broken: %s\n", i, desc, why);
                check_failures++;
            }
        }
    }
    if (order_failures)
        printf("    sibling order broken after %u operations in all\n", order_failures);
    /* the run reached the cases the rules are about */
    CHECK(failed || root_shares > 0);
    CHECK(failed || pinned_refused > 0);
    CHECK(failed || parts_moved > 0);
    CHECK(failed || busy > 0);
    CHECK(failed || resets > 0);
    CHECK(failed || reclaimed > 0);
    CHECK(failed || root_destroys > 0);
}

/* Several seeds, so the run is not one lucky sequence; every seed is fixed, so it repeats. */
static void random_seed_1(void)
{
    random_operations(20240607);
}

static void random_seed_2(void)
{
    random_operations(7);
}

static void random_seed_3(void)
{
    random_operations(424242);
}

int main(void)
{
    RUN("cap_random", random_seed_1);
    RUN("cap_random", random_seed_2);
    RUN("cap_random", random_seed_3);
    return CHECK_DONE();
}
