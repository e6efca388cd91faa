/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of capability tables and the derivation tree, with the object and pool hooks faked. */
// uses: kernel/core/cap.c
#include "cap.h"
#include "check.h"

#include <string.h>

#define PAGE    4096u
#define NSLOTS  32
#define NTABLES 3
#define TOTAL   (NTABLES * NSLOTS)
#define NOBJS   8
#define M       0x100000u /* base of the memory ranges of the directed tests */
#define P(n)    ((uint64_t)(n)*PAGE)

/* --- fakes for the hooks ------------------------------------------------------------------ */

struct fake_obj {
    int refs;
    int added, removed;
};

struct fake_owner {
    uint64_t in_use[L4_POOL_KIND_COUNT];
};

static struct cap slots[NTABLES][NSLOTS];
static struct captable tabs[NTABLES];
static struct fake_owner owners[NTABLES];
static struct fake_obj objs[NOBJS];
static const struct fake_obj *last_gone_obj; /* object whose last capability went away */
static unsigned last_gone_type;
static unsigned shrink_calls;
static const struct captable *shrink_table;
static uint64_t shrink_kind, shrink_n;

static void fake_object_ref(struct cap *c, bool added)
{
    struct fake_obj *o = c->obj;

    if (added) {
        o->refs++;
        o->added++;
        return;
    }
    o->refs--;
    o->removed++;
    if (o->refs == 0) {
        last_gone_obj = o;
        last_gone_type = c->type;
    }
}

/* The units of kind the pool capabilities in t hold. */
static uint64_t units(const struct captable *t, uint64_t kind)
{
    uint64_t sum = 0;

    for (uint32_t i = 0; i < t->nslots; i++) {
        if (t->slots[i].type == L4_CAP_POOL && t->slots[i].a == kind)
            sum += t->slots[i].b;
    }
    return sum;
}

static bool fake_pool_may_shrink(const struct captable *t, uint64_t kind, uint64_t n)
{
    const struct fake_owner *o = t->owner;
    uint64_t have = units(t, kind);

    shrink_calls++;
    shrink_table = t;
    shrink_kind = kind;
    shrink_n = n;
    return kind < L4_POOL_KIND_COUNT && n <= have && have - n >= o->in_use[kind];
}

static const struct cap_hooks fake_hooks = {
    .object_ref = fake_object_ref,
    .pool_may_shrink = fake_pool_may_shrink,
};

static struct captable *T(int n)
{
    return &tabs[n];
}

static struct cap *sl(int t, unsigned s)
{
    return &slots[t][s];
}

static void setup(void)
{
    memset(objs, 0, sizeof(objs));
    memset(owners, 0, sizeof(owners));
    for (int i = 0; i < NTABLES; i++)
        captable_init(&tabs[i], slots[i], NSLOTS, &owners[i]);
    cap_hooks = &fake_hooks;
    last_gone_obj = NULL;
    last_gone_type = 0;
    shrink_calls = 0;
    shrink_table = NULL;
    shrink_kind = shrink_n = 0;
}

static bool empty(int t, unsigned s)
{
    const struct cap *c = sl(t, s);

    return c->type == L4_CAP_NULL && !c->obj && !c->parent && !c->children && !c->next && !c->prev;
}

/* Is c among parent's children? */
static bool is_child(const struct cap *parent, const struct cap *c)
{
    unsigned n = 0;

    for (const struct cap *ch = parent->children; ch && n < TOTAL; ch = ch->next, n++) {
        if (ch == c)
            return true;
    }
    return false;
}

static unsigned nchildren(const struct cap *c)
{
    unsigned n = 0;

    for (const struct cap *ch = c->children; ch && n <= TOTAL; ch = ch->next)
        n++;
    return n;
}

static l4_err_t ins_thread(int t, l4_word_t s, uint32_t rights, int obj)
{
    return cap_insert(T(t), s, L4_CAP_THREAD, rights, &objs[obj], 0, 0);
}

static l4_err_t ins_pool(int t, l4_word_t s, uint32_t rights, uint64_t kind, uint64_t n)
{
    return cap_insert(T(t), s, L4_CAP_POOL, rights, NULL, kind, n);
}

static l4_err_t ins_mem(int t, l4_word_t s, uint32_t rights, uint64_t base, uint64_t size)
{
    return cap_insert(T(t), s, L4_CAP_MEMORY, rights, NULL, base, size);
}

/* --- cap_lookup and cap_rights_all ------------------------------------------------------- */

static void lookup_out_of_range_is_ecap(void)
{
    struct cap *out = NULL;

    setup();
    CHECK_EQ(ins_thread(0, NSLOTS - 1, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_lookup(T(0), NSLOTS, L4_CAP_THREAD, 0, &out), L4_ECAP);
    CHECK_EQ(cap_lookup(T(0), ~(l4_word_t)0, L4_CAP_THREAD, 0, &out), L4_ECAP);
    CHECK(out == NULL);
    CHECK(cap_slot(T(0), NSLOTS) == NULL);
    CHECK(cap_slot(T(0), NSLOTS - 1) == sl(0, NSLOTS - 1));
}

static void lookup_empty_is_ecap(void)
{
    struct cap *out = NULL;

    setup();
    CHECK_EQ(cap_lookup(T(0), 5, L4_CAP_THREAD, 0, &out), L4_ECAP);
    CHECK_EQ(cap_lookup(T(0), 5, L4_CAP_NULL, 0, &out), L4_ECAP);
    CHECK(out == NULL);
}

static void lookup_wrong_type_is_ecap(void)
{
    struct cap *out = NULL;

    setup();
    CHECK_EQ(ins_thread(0, 3, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_lookup(T(0), 3, L4_CAP_SPACE, 0, &out), L4_ECAP);
    CHECK_EQ(cap_lookup(T(0), 3, L4_CAP_NULL, 0, &out), L4_ECAP);
    CHECK(out == NULL);
}

static void lookup_missing_rights_is_erights(void)
{
    struct cap *out = NULL;

    setup();
    CHECK_EQ(ins_thread(0, 3, L4_RIGHT_COPY | L4_THR_READ, 0), L4_OK);
    CHECK_EQ(cap_lookup(T(0), 3, L4_CAP_THREAD, L4_THR_READ | L4_THR_WRITE, &out), L4_ERIGHTS);
    CHECK_EQ(cap_lookup(T(0), 3, L4_CAP_THREAD, L4_RIGHT_GRANT, &out), L4_ERIGHTS);
    CHECK(out == NULL);
}

static void lookup_ok_returns_slot(void)
{
    struct cap *out = NULL;

    setup();
    CHECK_EQ(ins_thread(0, 3, L4_RIGHT_COPY | L4_THR_READ, 0), L4_OK);
    CHECK_EQ(cap_lookup(T(0), 3, L4_CAP_THREAD, L4_THR_READ | L4_RIGHT_COPY, &out), L4_OK);
    CHECK(out == sl(0, 3));
    out = NULL;
    CHECK_EQ(cap_lookup(T(0), 3, L4_CAP_THREAD, 0, &out), L4_OK);
    CHECK(out == sl(0, 3));
}

static void rights_all_masks(void)
{
    CHECK_EQ(cap_rights_all(L4_CAP_NULL), 0);
    CHECK_EQ(cap_rights_all(L4_CAP_CONTAINER), L4_CONT_RIGHTS_ALL);
    CHECK_EQ(cap_rights_all(L4_CAP_THREAD), L4_THR_RIGHTS_ALL);
    CHECK_EQ(cap_rights_all(L4_CAP_SPACE), L4_SPACE_RIGHTS_ALL);
    CHECK_EQ(cap_rights_all(L4_CAP_POOL), L4_POOL_RIGHTS_ALL);
    CHECK_EQ(cap_rights_all(L4_CAP_MEMORY), L4_MEM_RIGHTS_ALL);
    CHECK_EQ(cap_rights_all(L4_CAP_DEBUG), L4_DEBUG_RIGHTS_ALL);
    CHECK_EQ(cap_rights_all(L4_CAP_ENDPOINT), L4_EP_RIGHTS_ALL);
    CHECK_EQ(cap_rights_all(L4_CAP_NOTIFICATION), L4_NTF_RIGHTS_ALL);
    CHECK_EQ(cap_rights_all(L4_CAP_TYPE_COUNT), 0);
    CHECK_EQ(cap_rights_all(1000), 0);
}

/* --- cap_insert ---------------------------------------------------------------------------- */

static void insert_occupied_is_ebusy(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 2, L4_THR_READ, 0), L4_OK);
    CHECK_EQ(cap_insert(T(0), 2, L4_CAP_SPACE, L4_SPACE_BIND, &objs[1], 0, 0), L4_EBUSY);
    CHECK_EQ(sl(0, 2)->type, L4_CAP_THREAD);
    CHECK(sl(0, 2)->obj == &objs[0]);
    CHECK_EQ(sl(0, 2)->rights, L4_THR_READ);
    CHECK_EQ(objs[0].refs, 1);
    CHECK_EQ(objs[1].refs, 0);
}

static void insert_out_of_range_is_ecap(void)
{
    setup();
    CHECK_EQ(ins_thread(0, NSLOTS, L4_THR_READ, 0), L4_ECAP);
    CHECK_EQ(ins_thread(0, ~(l4_word_t)0, L4_THR_READ, 0), L4_ECAP);
    CHECK_EQ(objs[0].refs, 0);
}

static void insert_null_type_is_einval(void)
{
    setup();
    CHECK_EQ(cap_insert(T(0), 1, L4_CAP_NULL, 0, &objs[0], 0, 0), L4_EINVAL);
    CHECK(empty(0, 1));
    CHECK_EQ(objs[0].refs, 0);
}

static void insert_rights_outside_mask_is_einval(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 1, L4_THR_RIGHTS_ALL | (1u << 6), 0), L4_EINVAL);
    CHECK_EQ(ins_pool(0, 2, L4_POOL_ALLOC | L4_MEM_WRITE, L4_POOL_THREADS, 5), L4_EINVAL);
    CHECK_EQ(cap_insert(T(0), 3, L4_CAP_DEBUG, L4_DEBUG_WRITE | (1u << 3), &objs[0], 0, 0),
             L4_EINVAL);
    CHECK_EQ(cap_insert(T(0), 4, L4_CAP_SPACE, 1u << 31, &objs[0], 0, 0), L4_EINVAL);
    CHECK(empty(0, 1) && empty(0, 2) && empty(0, 3) && empty(0, 4));
    CHECK_EQ(objs[0].refs, 0);
    /* the full masks themselves are fine */
    CHECK_EQ(ins_thread(0, 1, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(ins_pool(0, 2, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 5), L4_OK);
    CHECK_EQ(cap_insert(T(0), 3, L4_CAP_CONTAINER, L4_CONT_RIGHTS_ALL, &objs[1], 0, 0), L4_OK);
}

static void insert_makes_root(void)
{
    struct cap *c = sl(1, 7);

    setup();
    CHECK_EQ(cap_insert(T(1), 7, L4_CAP_THREAD, L4_THR_READ | L4_RIGHT_COPY, &objs[2], 0, 0),
             L4_OK);
    CHECK_EQ(c->type, L4_CAP_THREAD);
    CHECK_EQ(c->rights, L4_THR_READ | L4_RIGHT_COPY);
    CHECK(c->obj == &objs[2]);
    CHECK(c->table == T(1));
    CHECK(!c->parent && !c->children && !c->next && !c->prev);
    CHECK_EQ(cap_depth(c), 0);
    CHECK_EQ(objs[2].refs, 1);
    CHECK_EQ(ins_mem(1, 8, L4_MEM_READ, M, P(4)), L4_OK); /* no object: no hook call */
    CHECK_EQ(sl(1, 8)->a, M);
    CHECK_EQ(sl(1, 8)->b, P(4));
    CHECK_EQ(objs[2].added, 1);
}

/* --- cap_replicate and cap_share --------------------------------------------------------- */

static void copy_bad_src_is_ecap(void)
{
    setup();
    CHECK_EQ(cap_replicate(T(0), 4, 5), L4_ECAP);
    CHECK_EQ(cap_share(T(0), 4, 5), L4_ECAP);
    CHECK_EQ(cap_replicate(T(0), NSLOTS, 5), L4_ECAP);
    CHECK_EQ(cap_share(T(0), NSLOTS + 100, 5), L4_ECAP);
    CHECK(empty(0, 5));
}

static void copy_bad_dst(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(ins_thread(0, 1, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_EBUSY);
    CHECK_EQ(cap_share(T(0), 0, 1), L4_EBUSY);
    CHECK_EQ(cap_replicate(T(0), 0, 0), L4_EBUSY);
    CHECK_EQ(cap_replicate(T(0), 0, NSLOTS), L4_ECAP);
    CHECK_EQ(cap_share(T(0), 0, NSLOTS), L4_ECAP);
    CHECK(sl(0, 1)->obj == &objs[1]);
    CHECK(!sl(0, 0)->children);
    CHECK_EQ(objs[0].refs, 1);
    CHECK_EQ(objs[1].refs, 1);
}

static void copy_needs_copy_right(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL & ~L4_RIGHT_COPY, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_ERIGHTS);
    CHECK_EQ(cap_share(T(0), 0, 1), L4_ERIGHTS);
    CHECK(empty(0, 1));
    CHECK_EQ(objs[0].refs, 1);
}

static void copy_pool_is_einval(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_EINVAL);
    CHECK_EQ(cap_share(T(0), 0, 1), L4_EINVAL);
    CHECK(empty(0, 1));
    CHECK(!sl(0, 0)->children);
    CHECK_EQ(units(T(0), L4_POOL_THREADS), 10);
}

static void replicate_makes_child(void)
{
    struct cap *r = sl(0, 0), *a = sl(0, 1), *b = sl(0, 2), *g = sl(0, 3);

    setup();
    CHECK_EQ(cap_insert(T(0), 0, L4_CAP_SPACE, L4_SPACE_RIGHTS_ALL, &objs[3], 7, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 2), L4_OK);
    CHECK(a->parent == r && b->parent == r);
    CHECK(r->children == b); /* newest first */
    CHECK(b->next == a && a->prev == b && !b->prev && !a->next);
    CHECK_EQ(b->type, L4_CAP_SPACE);
    CHECK_EQ(b->rights, L4_SPACE_RIGHTS_ALL);
    CHECK(b->obj == &objs[3]);
    CHECK_EQ(b->a, 7);
    CHECK(b->table == T(0));
    CHECK_EQ(cap_depth(a), 1);
    CHECK_EQ(objs[3].refs, 3);
    CHECK_EQ(cap_replicate(T(0), 1, 3), L4_OK);
    CHECK(g->parent == a && a->children == g);
    CHECK_EQ(cap_depth(g), 2);
    CHECK_EQ(nchildren(r), 2);
    CHECK_EQ(objs[3].refs, 4);
}

static void share_makes_sibling(void)
{
    struct cap *r = sl(0, 0), *a = sl(0, 1), *s = sl(0, 2), *s2 = sl(0, 3);

    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_share(T(0), 1, 2), L4_OK);
    CHECK(s->parent == r);
    CHECK(!a->children);
    CHECK(r->children == s && s->next == a && a->prev == s);
    CHECK_EQ(cap_depth(s), cap_depth(a));
    CHECK_EQ(s->rights, a->rights);
    CHECK(s->obj == a->obj);
    /* a root has no parent to share: sharing it makes a child, as replicate does */
    CHECK_EQ(cap_share(T(0), 0, 3), L4_OK);
    CHECK(s2->parent == r && r->children == s2 && s2->next == s && s->prev == s2);
    CHECK(!s2->prev && !s2->children);
    CHECK_EQ(cap_depth(s2), 1);
    CHECK_EQ(nchildren(r), 3);
    CHECK_EQ(s2->rights, r->rights);
    CHECK(s2->obj == r->obj && s2->table == T(0));
    CHECK_EQ(objs[0].refs, 4);
    /* so revoking the root reaches it */
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK(empty(0, 1) && empty(0, 2) && empty(0, 3));
    CHECK(!r->children);
    CHECK_EQ(objs[0].refs, 1);
}

/* --- cap_grant ----------------------------------------------------------------------------- */

static void grant_needs_grant_right(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL & ~L4_RIGHT_GRANT, 0), L4_OK);
    CHECK_EQ(cap_grant(T(0), 0, T(1), 0), L4_ERIGHTS);
    CHECK_EQ(sl(0, 0)->type, L4_CAP_THREAD);
    CHECK(empty(1, 0));
    CHECK_EQ(objs[0].refs, 1);
}

static void grant_slot_errors(void)
{
    setup();
    CHECK_EQ(cap_grant(T(0), 0, T(1), 0), L4_ECAP);
    CHECK_EQ(cap_grant(T(0), NSLOTS, T(1), 0), L4_ECAP);
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(ins_thread(1, 0, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_grant(T(0), 0, T(1), 0), L4_EBUSY);
    CHECK_EQ(cap_grant(T(0), 0, T(0), 0), L4_EBUSY);
    CHECK_EQ(cap_grant(T(0), 0, T(1), NSLOTS), L4_ECAP);
    CHECK(sl(0, 0)->obj == &objs[0] && sl(1, 0)->obj == &objs[1]);
    CHECK(sl(0, 0)->table == T(0));
}

static void grant_pool_refused_by_hook(void)
{
    static struct cap before[NTABLES][NSLOTS];

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 6), L4_OK); /* slot 0 keeps 4, slot 1 gets 6 */
    owners[0].in_use[L4_POOL_THREADS] = 5;
    memcpy(before, slots, sizeof(before));
    CHECK_EQ(cap_grant(T(0), 1, T(1), 0), L4_EBUSY); /* table 0 would keep 4 of the 5 it uses */
    CHECK(shrink_table == T(0));
    CHECK_EQ(shrink_kind, L4_POOL_THREADS);
    CHECK_EQ(shrink_n, 6);
    CHECK(!memcmp(before, slots, sizeof(before)));
    owners[0].in_use[L4_POOL_THREADS] = 4;
    CHECK_EQ(cap_grant(T(0), 1, T(1), 0), L4_OK);
    CHECK(empty(0, 1));
    CHECK_EQ(units(T(0), L4_POOL_THREADS), 4);
    CHECK_EQ(units(T(1), L4_POOL_THREADS), 6);
    CHECK(sl(1, 0)->parent == sl(0, 0));
    /* a second part, and the hook asked each time */
    CHECK_EQ(cap_split(T(0), 0, 2, 3), L4_OK); /* slot 0 keeps 1 */
    CHECK_EQ(cap_grant(T(0), 2, T(1), 1), L4_EBUSY);
    CHECK_EQ(shrink_n, 3);
    CHECK_EQ(units(T(0), L4_POOL_THREADS), 4);
    owners[0].in_use[L4_POOL_THREADS] = 1;
    CHECK_EQ(cap_grant(T(0), 2, T(1), 1), L4_OK);
    CHECK_EQ(units(T(1), L4_POOL_THREADS), 9);
    /* a part granted on asks the table it leaves */
    owners[1].in_use[L4_POOL_THREADS] = 4;
    CHECK_EQ(cap_grant(T(1), 0, T(2), 0), L4_EBUSY);
    CHECK(shrink_table == T(1));
    CHECK_EQ(shrink_n, 6);
    CHECK(empty(2, 0));
    owners[1].in_use[L4_POOL_THREADS] = 3;
    CHECK_EQ(cap_grant(T(1), 0, T(2), 0), L4_OK);
    CHECK_EQ(units(T(1), L4_POOL_THREADS), 3);
    CHECK_EQ(units(T(2), L4_POOL_THREADS), 6);
    CHECK(sl(2, 0)->parent == sl(0, 0));
}

/*
 * The roots of pools and memory stay in their container, so that a restart can revoke all
 * that was made of them: granting one to another table is refused, and changes nothing.
 */
static void grant_pool_memory_root_stays(void)
{
    static struct cap before[NTABLES][NSLOTS];
    struct fake_obj objs_before[NOBJS];

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(ins_mem(0, 1, L4_MEM_RIGHTS_ALL, M, P(16)), L4_OK);
    CHECK_EQ(ins_thread(0, 2, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 2, 3), L4_OK);
    memcpy(before, slots, sizeof(before));
    memcpy(objs_before, objs, sizeof(objs));
    CHECK_EQ(cap_grant(T(0), 0, T(1), 0), L4_EINVAL);
    CHECK_EQ(cap_grant(T(0), 1, T(2), 5), L4_EINVAL);
    CHECK_EQ(shrink_calls, 0); /* refused before the hook is asked */
    CHECK(!memcmp(before, slots, sizeof(before)));
    CHECK(!memcmp(objs_before, objs, sizeof(objs)));
    /* the slot and rights checks come first */
    CHECK_EQ(ins_thread(1, 4, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_grant(T(0), 0, T(1), 4), L4_EBUSY);
    CHECK_EQ(cap_grant(T(0), 1, T(1), NSLOTS), L4_ECAP);
    CHECK_EQ(cap_destroy(T(1), 4), L4_OK);
    CHECK_EQ(ins_pool(0, 4, L4_POOL_RIGHTS_ALL & ~L4_RIGHT_GRANT, L4_POOL_SPACES, 3), L4_OK);
    CHECK_EQ(ins_mem(0, 5, L4_MEM_RIGHTS_ALL & ~L4_RIGHT_GRANT, M + P(16), P(1)), L4_OK);
    CHECK_EQ(cap_grant(T(0), 4, T(1), 0), L4_ERIGHTS);
    CHECK_EQ(cap_grant(T(0), 5, T(1), 0), L4_ERIGHTS);
    /* ...and the hook is not asked even where it would refuse */
    owners[0].in_use[L4_POOL_THREADS] = 10;
    CHECK_EQ(cap_grant(T(0), 0, T(1), 0), L4_EINVAL);
    CHECK_EQ(shrink_calls, 0);
    owners[0].in_use[L4_POOL_THREADS] = 0;
    /* a root with parts split off is refused too; the parts may go */
    CHECK_EQ(cap_split(T(0), 0, 6, 4), L4_OK);
    CHECK_EQ(cap_split(T(0), 1, 7, P(4)), L4_OK);
    CHECK_EQ(cap_grant(T(0), 0, T(1), 0), L4_EINVAL);
    CHECK_EQ(cap_grant(T(0), 1, T(1), 1), L4_EINVAL);
    CHECK(empty(1, 0) && empty(1, 1));
    CHECK_EQ(sl(0, 0)->b, 6);
    CHECK_EQ(sl(0, 1)->b, P(4));
    CHECK_EQ(cap_grant(T(0), 6, T(1), 0), L4_OK);
    CHECK_EQ(cap_grant(T(0), 7, T(1), 1), L4_OK);
    CHECK(sl(1, 0)->parent == sl(0, 0) && sl(1, 1)->parent == sl(0, 1));
    CHECK_EQ(sl(1, 0)->b, 4);
    CHECK_EQ(sl(1, 1)->a, M + P(4));
    /* within its own table a root moves freely, and keeps its children */
    CHECK_EQ(cap_grant(T(0), 0, T(0), 10), L4_OK);
    CHECK_EQ(cap_grant(T(0), 1, T(0), 11), L4_OK);
    CHECK(empty(0, 0) && empty(0, 1));
    CHECK(sl(0, 10)->table == T(0) && !sl(0, 10)->parent && sl(0, 10)->children == sl(1, 0));
    CHECK(sl(0, 11)->table == T(0) && !sl(0, 11)->parent && sl(0, 11)->children == sl(1, 1));
    CHECK(sl(1, 0)->parent == sl(0, 10) && sl(1, 1)->parent == sl(0, 11));
    CHECK_EQ(sl(0, 10)->b, 6);
    CHECK_EQ(sl(0, 11)->b, P(4));
    /* but it is still a root: another table stays out of reach */
    CHECK_EQ(cap_grant(T(0), 10, T(2), 0), L4_EINVAL);
    CHECK_EQ(cap_grant(T(0), 11, T(2), 0), L4_EINVAL);
    CHECK(empty(2, 0));
    /* roots of other types may leave */
    CHECK_EQ(cap_grant(T(0), 2, T(1), 2), L4_OK);
    CHECK(empty(0, 2));
    CHECK(sl(1, 2)->children == sl(0, 3) && sl(0, 3)->parent == sl(1, 2));
    CHECK_EQ(objs[0].refs, 2);
    /* a part whose parent is destroyed becomes a root, and stays where it is */
    CHECK_EQ(cap_destroy(T(0), 11), L4_OK);
    CHECK(!sl(1, 1)->parent);
    CHECK_EQ(cap_grant(T(1), 1, T(2), 0), L4_EINVAL);
    CHECK_EQ(cap_grant(T(1), 1, T(1), 9), L4_OK);
    CHECK_EQ(sl(1, 9)->a, M + P(4));
}

static void grant_within_table_needs_no_units(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    owners[0].in_use[L4_POOL_THREADS] = 10;
    CHECK_EQ(cap_grant(T(0), 0, T(0), 9), L4_OK);
    CHECK(empty(0, 0));
    CHECK_EQ(sl(0, 9)->b, 10);
    CHECK(sl(0, 9)->table == T(0));
}

static void grant_keeps_tree_links(void)
{
    struct cap *r = sl(0, 0), *a = sl(0, 1), *c = sl(0, 3), *x = sl(0, 4), *y = sl(0, 5);
    struct cap *g = sl(1, 10);

    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK); /* a, oldest */
    CHECK_EQ(cap_replicate(T(0), 0, 2), L4_OK); /* b, moved below */
    CHECK_EQ(cap_replicate(T(0), 0, 3), L4_OK); /* c, newest */
    CHECK_EQ(cap_replicate(T(0), 2, 4), L4_OK); /* children of b */
    CHECK_EQ(cap_replicate(T(0), 2, 5), L4_OK);
    CHECK_EQ(objs[0].refs, 6);
    CHECK_EQ(cap_grant(T(0), 2, T(1), 10), L4_OK);
    CHECK(empty(0, 2));
    CHECK(g->table == T(1));
    CHECK(g->parent == r);
    CHECK(r->children == c && c->next == g && g->prev == c && g->next == a && a->prev == g);
    CHECK(g->children == y && y->next == x && x->prev == y);
    CHECK(x->parent == g && y->parent == g);
    CHECK_EQ(cap_depth(x), 2);
    CHECK_EQ(cap_depth(g), 1);
    CHECK_EQ(objs[0].refs, 6);
    CHECK_EQ(objs[0].removed, 0);
    /* a granted root keeps no links */
    CHECK_EQ(cap_grant(T(0), 0, T(2), 0), L4_OK);
    CHECK(sl(2, 0)->children == c && c->parent == sl(2, 0) && g->parent == sl(2, 0));
    CHECK(!sl(2, 0)->parent && !sl(2, 0)->next && !sl(2, 0)->prev);
}

static void revoke_reaches_granted_cap(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_grant(T(0), 1, T(1), 5), L4_OK);
    CHECK_EQ(cap_replicate(T(1), 5, 6), L4_OK);
    CHECK_EQ(cap_grant(T(1), 6, T(2), 0), L4_OK);
    CHECK_EQ(objs[0].refs, 3);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK(empty(1, 5));
    CHECK(empty(2, 0));
    CHECK(!sl(0, 0)->children);
    CHECK_EQ(sl(0, 0)->type, L4_CAP_THREAD);
    CHECK_EQ(objs[0].refs, 1);
}

/* --- cap_split ----------------------------------------------------------------------------- */

static void split_pool_range_errors(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_SPACES, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 0), L4_ERANGE);
    CHECK_EQ(cap_split(T(0), 0, 1, 10), L4_ERANGE);
    CHECK_EQ(cap_split(T(0), 0, 1, 11), L4_ERANGE);
    CHECK_EQ(cap_split(T(0), 0, 1, ~(uint64_t)0), L4_ERANGE);
    CHECK_EQ(cap_split(T(0), 0, 0, 1), L4_EBUSY);
    CHECK_EQ(cap_split(T(0), 0, NSLOTS, 1), L4_ECAP);
    CHECK_EQ(cap_split(T(0), 2, 1, 1), L4_ECAP);
    CHECK_EQ(ins_pool(0, 2, L4_RIGHT_GRANT | L4_POOL_ALLOC, L4_POOL_SPACES, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 2, 1, 5), L4_ERIGHTS);
    CHECK(empty(0, 1));
    CHECK_EQ(sl(0, 0)->b, 10);
    CHECK_EQ(sl(0, 2)->b, 10);
}

static void split_pool_moves_units(void)
{
    struct cap *p = sl(0, 0), *d = sl(0, 1), *e = sl(0, 2);

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_RIGHT_COPY | L4_POOL_ALLOC, L4_POOL_SPACES, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 3), L4_OK);
    CHECK_EQ(p->b, 7);
    CHECK_EQ(d->b, 3);
    CHECK_EQ(d->a, L4_POOL_SPACES);
    CHECK_EQ(d->type, L4_CAP_POOL);
    CHECK_EQ(d->rights, L4_RIGHT_COPY | L4_POOL_ALLOC);
    CHECK(d->parent == p && p->children == d);
    CHECK_EQ(cap_split(T(0), 0, 2, 6), L4_OK);
    CHECK_EQ(p->b, 1);
    CHECK_EQ(e->b, 6);
    CHECK(p->children == e && e->next == d);
    CHECK_EQ(units(T(0), L4_POOL_SPACES), 10);
}

static void destroy_split_pool_gives_back(void)
{
    struct cap *p = sl(0, 0), *e = sl(0, 3);

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_SPACES, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 3), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 2, 4), L4_OK);
    CHECK_EQ(cap_split(T(0), 2, 3, 1), L4_OK); /* a grandchild: 2 keeps 3, 3 gets 1 */
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK_EQ(p->b, 6);
    CHECK_EQ(cap_destroy(T(0), 2), L4_OK);
    CHECK_EQ(p->b, 9);
    CHECK(e->parent == p);
    CHECK_EQ(cap_destroy(T(0), 3), L4_OK);
    CHECK_EQ(p->b, 10);
    CHECK(!p->children);
}

static void split_memory_range_errors(void)
{
    setup();
    CHECK_EQ(ins_mem(0, 0, L4_MEM_RIGHTS_ALL, M, P(16)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 0), L4_ERANGE);
    CHECK_EQ(cap_split(T(0), 0, 1, P(16)), L4_ERANGE);
    CHECK_EQ(cap_split(T(0), 0, 1, P(17)), L4_ERANGE);
    CHECK(empty(0, 1));
    CHECK_EQ(sl(0, 0)->a, M);
    CHECK_EQ(sl(0, 0)->b, P(16));
}

static void split_memory_unaligned_einval(void)
{
    setup();
    CHECK_EQ(ins_mem(0, 0, L4_MEM_RIGHTS_ALL, M, P(16)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 100), L4_EINVAL);
    CHECK_EQ(cap_split(T(0), 0, 1, P(1) + 1), L4_EINVAL);
    CHECK_EQ(cap_split(T(0), 0, 1, P(16) - 1), L4_EINVAL);
    CHECK(empty(0, 1));
    CHECK_EQ(sl(0, 0)->b, P(16));
}

static void split_memory_ranges(void)
{
    struct cap *p = sl(0, 0), *d = sl(0, 1), *e = sl(0, 2);

    setup();
    CHECK_EQ(ins_mem(0, 0, L4_RIGHT_COPY | L4_MEM_READ, M, P(16)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, P(4)), L4_OK);
    CHECK_EQ(p->a, M);
    CHECK_EQ(p->b, P(4));
    CHECK_EQ(d->a, M + P(4));
    CHECK_EQ(d->b, P(12));
    CHECK_EQ(d->rights, L4_RIGHT_COPY | L4_MEM_READ);
    CHECK(d->parent == p);
    CHECK_EQ(cap_split(T(0), 1, 2, P(4)), L4_OK);
    CHECK_EQ(d->a, M + P(4));
    CHECK_EQ(d->b, P(4));
    CHECK_EQ(e->a, M + P(8));
    CHECK_EQ(e->b, P(8));
    CHECK(e->parent == d);
    CHECK_EQ(cap_depth(e), 2);
}

static void split_memory_destroy_reverse_merges(void)
{
    struct cap *p = sl(0, 0);

    setup();
    CHECK_EQ(ins_mem(0, 0, L4_MEM_RIGHTS_ALL, M, P(16)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, P(8)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 2, P(4)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 3, P(2)), L4_OK);
    CHECK_EQ(p->b, P(2));
    CHECK_EQ(cap_destroy(T(0), 3), L4_OK);
    CHECK_EQ(p->b, P(4));
    CHECK_EQ(cap_destroy(T(0), 2), L4_OK);
    CHECK_EQ(p->b, P(8));
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK_EQ(p->a, M);
    CHECK_EQ(p->b, P(16));
}

static void split_memory_nonadjacent_not_merged(void)
{
    struct cap *p = sl(0, 0);

    setup();
    CHECK_EQ(ins_mem(0, 0, L4_MEM_RIGHTS_ALL, M, P(16)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, P(8)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 2, P(4)), L4_OK);
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK); /* [8,16) is not next to [0,4): it is gone */
    CHECK_EQ(p->a, M);
    CHECK_EQ(p->b, P(4));
    CHECK_EQ(cap_destroy(T(0), 2), L4_OK);
    CHECK_EQ(p->a, M);
    CHECK_EQ(p->b, P(8));
}

static void split_rights_einval(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 0), L4_EINVAL);
    CHECK_EQ(cap_split(T(0), 0, 1, L4_RIGHT_COPY), L4_EINVAL);
    CHECK_EQ(cap_split(T(0), 0, 1, L4_RIGHT_GRANT | L4_THR_READ), L4_EINVAL);
    CHECK_EQ(cap_split(T(0), 0, 1, 1u << 6), L4_EINVAL);
    CHECK_EQ(cap_split(T(0), 0, 1, (uint64_t)L4_THR_READ << 32), L4_EINVAL);
    CHECK(empty(0, 1));
    CHECK_EQ(sl(0, 0)->rights, L4_THR_RIGHTS_ALL);
    CHECK_EQ(objs[0].refs, 1);
}

static void split_rights_not_held(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_RIGHT_COPY | L4_THR_READ, 0), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, L4_THR_WRITE), L4_ERIGHTS);
    CHECK_EQ(cap_split(T(0), 0, 1, L4_THR_READ | L4_THR_WRITE), L4_ERIGHTS);
    CHECK_EQ(ins_thread(0, 2, L4_THR_READ | L4_THR_WRITE, 0), L4_OK); /* no COPY */
    CHECK_EQ(cap_split(T(0), 2, 1, L4_THR_READ), L4_ERIGHTS);
    CHECK(empty(0, 1));
    CHECK_EQ(sl(0, 0)->rights, L4_RIGHT_COPY | L4_THR_READ);
    CHECK_EQ(sl(0, 2)->rights, L4_THR_READ | L4_THR_WRITE);
}

static void split_rights_moves_bits(void)
{
    struct cap *p = sl(0, 0), *d = sl(0, 1);

    setup();
    CHECK_EQ(ins_thread(0, 0, L4_RIGHTS_CAP | L4_THR_READ | L4_THR_WRITE | L4_THR_RUN, 0), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, L4_THR_READ | L4_THR_RUN), L4_OK);
    CHECK_EQ(p->rights, L4_RIGHTS_CAP | L4_THR_WRITE);
    CHECK_EQ(d->rights, L4_RIGHTS_CAP | L4_THR_READ | L4_THR_RUN);
    CHECK(d->parent == p && p->children == d);
    CHECK(d->obj == p->obj);
    CHECK_EQ(objs[0].refs, 2);
    /* the debug type has one specific bit */
    CHECK_EQ(cap_insert(T(0), 2, L4_CAP_DEBUG, L4_RIGHT_COPY | L4_DEBUG_WRITE, &objs[1], 0, 0),
             L4_OK);
    CHECK_EQ(cap_split(T(0), 2, 3, L4_DEBUG_WRITE), L4_OK);
    CHECK_EQ(sl(0, 2)->rights, L4_RIGHT_COPY);
    CHECK_EQ(sl(0, 3)->rights, L4_RIGHT_COPY | L4_DEBUG_WRITE);
}

/* --- cap_deduce ---------------------------------------------------------------------------- */

static void deduce_bad_mask_einval(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 0, L4_THR_READ | (1u << 6), 0, 0), L4_EINVAL);
    CHECK_EQ(ins_pool(0, 1, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 5), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 1, L4_MEM_WRITE, L4_POOL_THREADS, 5), L4_EINVAL);
    CHECK_EQ(sl(0, 0)->rights, L4_THR_RIGHTS_ALL);
    CHECK_EQ(sl(0, 1)->rights, L4_POOL_RIGHTS_ALL);
    CHECK_EQ(cap_deduce(T(0), 2, 0, 0, 0), L4_ECAP);
    CHECK_EQ(cap_deduce(T(0), NSLOTS, 0, 0, 0), L4_ECAP);
}

static void deduce_growing_rights_erights(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_RIGHT_COPY | L4_THR_READ, 0), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 0, L4_THR_READ | L4_THR_WRITE, 0, 0), L4_ERIGHTS);
    CHECK_EQ(cap_deduce(T(0), 0, L4_RIGHTS_CAP | L4_THR_READ, 0, 0), L4_ERIGHTS);
    CHECK_EQ(sl(0, 0)->rights, L4_RIGHT_COPY | L4_THR_READ);
    CHECK_EQ(cap_deduce(T(0), 0, L4_THR_READ, 0, 0), L4_OK);
    CHECK_EQ(sl(0, 0)->rights, L4_THR_READ);
}

static void deduce_pool(void)
{
    struct cap *p = sl(0, 0);

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_RIGHTS_ALL, L4_POOL_SPACES, 10), L4_EINVAL);
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 11), L4_ERANGE);
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 0), L4_ERANGE);
    CHECK_EQ(p->a, L4_POOL_THREADS);
    CHECK_EQ(p->b, 10);
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_ALLOC, L4_POOL_THREADS, 6), L4_OK);
    CHECK_EQ(p->b, 6);
    CHECK_EQ(p->rights, L4_POOL_ALLOC);
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_ALLOC, L4_POOL_THREADS, 7), L4_ERANGE);
    CHECK_EQ(p->b, 6);
}

static void deduce_pool_refused_by_hook(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    owners[0].in_use[L4_POOL_THREADS] = 8;
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 7), L4_EBUSY);
    CHECK(shrink_table == T(0));
    CHECK_EQ(shrink_n, 3);
    CHECK_EQ(sl(0, 0)->b, 10);
    CHECK_EQ(sl(0, 0)->rights, L4_POOL_RIGHTS_ALL);
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_ALLOC, L4_POOL_THREADS, 8), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 8);
    CHECK_EQ(sl(0, 0)->rights, L4_POOL_ALLOC);
}

static void deduce_memory(void)
{
    struct cap *m = sl(0, 0);
    const uint32_t all = L4_MEM_RIGHTS_ALL;

    setup();
    CHECK_EQ(ins_mem(0, 0, all, M, P(16)), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 0, all, M + 1, P(4)), L4_EINVAL);
    CHECK_EQ(cap_deduce(T(0), 0, all, M, P(4) + 8), L4_EINVAL);
    CHECK_EQ(cap_deduce(T(0), 0, all, M, 0), L4_ERANGE);
    CHECK_EQ(cap_deduce(T(0), 0, all, M, P(17)), L4_ERANGE);
    CHECK_EQ(cap_deduce(T(0), 0, all, M - P(1), P(4)), L4_ERANGE);
    CHECK_EQ(cap_deduce(T(0), 0, all, M + P(4), P(13)), L4_ERANGE);
    CHECK_EQ(cap_deduce(T(0), 0, all, M + P(16), P(1)), L4_ERANGE);
    CHECK_EQ(cap_deduce(T(0), 0, all, M + P(15), ~(uint64_t)0 & ~(uint64_t)(PAGE - 1)), L4_ERANGE);
    CHECK_EQ(m->a, M);
    CHECK_EQ(m->b, P(16));
    CHECK_EQ(cap_deduce(T(0), 0, all, M + P(4), P(12)), L4_OK);
    CHECK_EQ(m->a, M + P(4));
    CHECK_EQ(m->b, P(12));
    CHECK_EQ(cap_deduce(T(0), 0, L4_MEM_READ, M + P(5), P(2)), L4_OK);
    CHECK_EQ(m->a, M + P(5));
    CHECK_EQ(m->b, P(2));
    CHECK_EQ(m->rights, L4_MEM_READ);
    CHECK_EQ(cap_deduce(T(0), 0, L4_MEM_READ, M + P(4), P(2)), L4_ERANGE); /* never grows */
}

static void deduce_other_types_keep_ab(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 0, L4_THR_READ, 1, 0), L4_EINVAL);
    CHECK_EQ(cap_deduce(T(0), 0, L4_THR_READ, 0, 1), L4_EINVAL);
    CHECK_EQ(sl(0, 0)->rights, L4_THR_RIGHTS_ALL);
    CHECK_EQ(sl(0, 0)->a, 0);
    CHECK_EQ(sl(0, 0)->b, 0);
    CHECK_EQ(cap_deduce(T(0), 0, L4_THR_READ, 0, 0), L4_OK);
    CHECK_EQ(sl(0, 0)->rights, L4_THR_READ);
}

static void deduce_badges_unbadged_endpoint(void)
{
    struct cap *e = sl(0, 0);
    const uint32_t all = L4_EP_RIGHTS_ALL;

    setup();
    CHECK_EQ(cap_insert(T(0), 0, L4_CAP_ENDPOINT, all, &objs[0], 0, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 0, all, 0x55, 1), L4_EINVAL);
    CHECK_EQ(e->a, 0);
    CHECK_EQ(cap_deduce(T(0), 0, all, 0x55, 0), L4_OK);
    CHECK_EQ(e->a, 0x55);
    CHECK_EQ(e->b, 0);
    CHECK_EQ(sl(0, 1)->a, 0); /* the badge is the node's own */
    /* a badge, once given, stays */
    CHECK_EQ(cap_deduce(T(0), 0, all, 0x66, 0), L4_EINVAL);
    CHECK_EQ(cap_deduce(T(0), 0, all, 0, 0), L4_EINVAL);
    CHECK_EQ(e->a, 0x55);
    CHECK_EQ(cap_deduce(T(0), 0, L4_EP_SEND | L4_RIGHT_COPY, 0x55, 0), L4_OK);
    CHECK_EQ(e->rights, L4_EP_SEND | L4_RIGHT_COPY);
    CHECK_EQ(cap_replicate(T(0), 0, 2), L4_OK);
    CHECK_EQ(sl(0, 2)->a, 0x55);
    /* notifications likewise; other types never take a badge */
    CHECK_EQ(cap_insert(T(0), 3, L4_CAP_NOTIFICATION, L4_NTF_RIGHTS_ALL, &objs[1], 0, 0), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 3, L4_NTF_SIGNAL, 0x3, 0), L4_OK);
    CHECK_EQ(sl(0, 3)->a, 0x3);
    CHECK_EQ(cap_deduce(T(0), 3, L4_NTF_SIGNAL, 0x1, 0), L4_EINVAL);
    CHECK_EQ(ins_thread(0, 4, L4_THR_RIGHTS_ALL, 2), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 4, L4_THR_RIGHTS_ALL, 0x55, 0), L4_EINVAL);
    CHECK_EQ(sl(0, 4)->a, 0);
}

static void deduce_propagates_rights(void)
{
    struct cap *r = sl(0, 0), *a = sl(0, 1), *b = sl(0, 2), *c = sl(0, 3), *s = sl(0, 4);
    struct cap *gb = sl(1, 0);

    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK); /* a */
    CHECK_EQ(cap_replicate(T(0), 1, 2), L4_OK); /* b under a */
    CHECK_EQ(cap_replicate(T(0), 0, 3), L4_OK); /* c, sibling of a */
    CHECK_EQ(cap_share(T(0), 1, 4), L4_OK);     /* s, sibling of a */
    CHECK_EQ(cap_replicate(T(0), 2, 5), L4_OK); /* under b, then granted away */
    CHECK_EQ(cap_grant(T(0), 5, T(1), 0), L4_OK);
    CHECK_EQ(cap_deduce(T(0), 1, L4_RIGHTS_CAP | L4_THR_READ | L4_THR_RUN, 0, 0), L4_OK);
    CHECK_EQ(a->rights, L4_RIGHTS_CAP | L4_THR_READ | L4_THR_RUN);
    CHECK_EQ(b->rights, L4_RIGHTS_CAP | L4_THR_READ | L4_THR_RUN);
    CHECK_EQ(gb->rights, L4_RIGHTS_CAP | L4_THR_READ | L4_THR_RUN);
    CHECK_EQ(r->rights, L4_THR_RIGHTS_ALL);
    CHECK_EQ(c->rights, L4_THR_RIGHTS_ALL);
    CHECK_EQ(s->rights, L4_THR_RIGHTS_ALL);
    CHECK_EQ(cap_deduce(T(0), 0, L4_RIGHT_COPY | L4_THR_READ | L4_THR_WRITE, 0, 0), L4_OK);
    CHECK_EQ(c->rights, L4_RIGHT_COPY | L4_THR_READ | L4_THR_WRITE);
    CHECK_EQ(s->rights, L4_RIGHT_COPY | L4_THR_READ | L4_THR_WRITE);
    CHECK_EQ(a->rights, L4_RIGHT_COPY | L4_THR_READ);
    CHECK_EQ(b->rights, L4_RIGHT_COPY | L4_THR_READ);
    CHECK_EQ(gb->rights, L4_RIGHT_COPY | L4_THR_READ);
}

/*
 * Trees can be as deep as a table is long. deduce (and split, which takes rights the same way)
 * must reach the deepest node without recursing: a 1000-deep chain used to overflow an 8 KiB
 * kernel stack. On the host these check that the walk is right at a depth of thousands.
 */
#define DEEP 4096

static struct cap deep_slots[DEEP];
static struct captable deep_tab;
static struct fake_owner deep_owner;

static struct cap *dl(unsigned s)
{
    return &deep_slots[s];
}

static void deduce_reaches_deepest_node(void)
{
    const unsigned last = DEEP - 2; /* the chain fills all but the last slot */
    const uint32_t all = L4_THR_RIGHTS_ALL, cp = L4_RIGHTS_CAP;
    struct captable *d = &deep_tab;
    unsigned bad = 0;

    setup();
    captable_init(d, deep_slots, DEEP, &deep_owner);
    CHECK_EQ(cap_insert(d, 0, L4_CAP_THREAD, all, &objs[0], 0, 0), L4_OK);
    for (unsigned i = 1; i <= last; i++)
        bad += cap_replicate(d, i - 1, i) != L4_OK;
    CHECK_EQ(bad, 0);
    CHECK_EQ(cap_depth(dl(last)), last);
    CHECK(dl(last - 1)->children == dl(last) && !dl(last)->children);
    /* two more levels in other tables, through grants of copies (not roots) */
    CHECK_EQ(cap_grant(d, last, T(1), 0), L4_OK);
    CHECK_EQ(cap_replicate(T(1), 0, 1), L4_OK);
    CHECK_EQ(cap_grant(T(1), 1, T(2), 0), L4_OK);
    CHECK_EQ(cap_depth(sl(2, 0)), last + 1);
    CHECK_EQ(objs[0].refs, DEEP);
    /* from the root, down to the bottom */
    CHECK_EQ(cap_deduce(d, 0, cp | L4_THR_READ | L4_THR_WRITE, 0, 0), L4_OK);
    bad = 0;
    for (unsigned i = 0; i < last; i++)
        bad += dl(i)->rights != (cp | L4_THR_READ | L4_THR_WRITE);
    CHECK_EQ(bad, 0);
    CHECK_EQ(sl(1, 0)->rights, cp | L4_THR_READ | L4_THR_WRITE);
    CHECK_EQ(sl(2, 0)->rights, cp | L4_THR_READ | L4_THR_WRITE);
    /* split takes the bits from the whole tree too */
    CHECK_EQ(cap_split(d, 0, DEEP - 1, L4_THR_WRITE), L4_OK);
    CHECK_EQ(dl(DEEP - 1)->rights, cp | L4_THR_WRITE);
    bad = 0;
    for (unsigned i = 0; i < last; i++)
        bad += dl(i)->rights != (cp | L4_THR_READ);
    CHECK_EQ(bad, 0);
    CHECK_EQ(sl(2, 0)->rights, cp | L4_THR_READ);
    /* from the middle: what is above, and the split child beside the chain, keep theirs */
    CHECK_EQ(cap_deduce(d, DEEP / 2, L4_RIGHT_COPY | L4_THR_READ, 0, 0), L4_OK);
    bad = 0;
    for (unsigned i = 0; i < last; i++)
        bad += dl(i)->rights != (i < DEEP / 2 ? cp | L4_THR_READ : L4_RIGHT_COPY | L4_THR_READ);
    CHECK_EQ(bad, 0);
    CHECK_EQ(sl(1, 0)->rights, L4_RIGHT_COPY | L4_THR_READ);
    CHECK_EQ(sl(2, 0)->rights, L4_RIGHT_COPY | L4_THR_READ);
    CHECK_EQ(dl(DEEP - 1)->rights, cp | L4_THR_WRITE);
    /* and revoke takes it all down */
    CHECK_EQ(cap_revoke(d, 0), L4_OK);
    CHECK(!dl(0)->children);
    CHECK(empty(1, 0) && empty(2, 0));
    CHECK_EQ(objs[0].refs, 1);
    bad = 0;
    for (unsigned i = 1; i < DEEP; i++)
        bad += dl(i)->type != L4_CAP_NULL;
    CHECK_EQ(bad, 0);
}

/*
 * A deep chain with a leaf beside every link: the leaf is the older child on even levels and
 * the newer on odd ones, so the walk both climbs back up to siblings and goes on down.
 * Chain node i is in slot 2i, its leaf in slot 2i + 1; both are below chain node k iff i >= k.
 */
static void deduce_walks_deep_wide_tree(void)
{
    const unsigned n = DEEP / 2, k1 = n / 2 + 1, k0 = n / 4;
    const uint32_t all = L4_THR_RIGHTS_ALL;
    struct captable *d = &deep_tab;
    unsigned bad = 0;

    setup();
    captable_init(d, deep_slots, DEEP, &deep_owner);
    CHECK_EQ(cap_insert(d, 0, L4_CAP_THREAD, all, &objs[0], 0, 0), L4_OK);
    for (unsigned i = 0; i < n; i++) {
        bool last = i + 1 == n;
        if (i % 2 == 0)
            bad += cap_replicate(d, 2 * i, 2 * i + 1) != L4_OK;
        if (!last)
            bad += cap_replicate(d, 2 * i, 2 * i + 2) != L4_OK;
        if (i % 2 == 1)
            bad += cap_replicate(d, 2 * i, 2 * i + 1) != L4_OK;
    }
    CHECK_EQ(bad, 0);
    CHECK(dl(0)->children == dl(2) && dl(2)->next == dl(1));
    CHECK(dl(2)->children == dl(3) && dl(3)->next == dl(4));
    CHECK_EQ(cap_depth(dl(2 * (n - 1))), n - 1);
    CHECK_EQ(cap_depth(dl(DEEP - 1)), n);
    CHECK_EQ(objs[0].refs, DEEP);
    /* an odd link, then an even one above it */
    CHECK_EQ(k1 % 2, 1);
    CHECK_EQ(k0 % 2, 0);
    CHECK_EQ(cap_deduce(d, 2 * k1, all & ~L4_THR_WRITE, 0, 0), L4_OK);
    CHECK_EQ(cap_deduce(d, 2 * k0, all & ~L4_THR_RUN, 0, 0), L4_OK);
    bad = 0;
    for (unsigned s = 0; s < DEEP; s++) {
        unsigned i = s / 2;
        uint32_t want = all;
        if (i >= k0)
            want &= ~L4_THR_RUN;
        if (i >= k1)
            want &= ~L4_THR_WRITE;
        bad += dl(s)->rights != want;
    }
    CHECK_EQ(bad, 0);
    CHECK_EQ(dl(DEEP - 1)->rights, all & ~L4_THR_RUN & ~L4_THR_WRITE);
    CHECK_EQ(dl(2 * k1 - 1)->rights, all & ~L4_THR_RUN); /* the leaf beside link k1 */
    CHECK_EQ(dl(2 * k0 - 1)->rights, all);               /* the leaf beside link k0 */
    /* from the root: every node */
    CHECK_EQ(cap_deduce(d, 0, L4_THR_READ, 0, 0), L4_OK);
    bad = 0;
    for (unsigned s = 0; s < DEEP; s++)
        bad += dl(s)->rights != L4_THR_READ;
    CHECK_EQ(bad, 0);
    CHECK_EQ(cap_revoke(d, 0), L4_OK);
    CHECK_EQ(objs[0].refs, 1);
}

/* --- cap_destroy --------------------------------------------------------------------------- */

static void destroy_empty_is_ecap(void)
{
    setup();
    CHECK_EQ(cap_destroy(T(0), 0), L4_ECAP);
    CHECK_EQ(cap_destroy(T(0), NSLOTS), L4_ECAP);
    CHECK_EQ(ins_thread(0, 0, L4_THR_READ, 0), L4_OK);
    CHECK_EQ(cap_destroy(T(0), 1), L4_ECAP);
    CHECK_EQ(sl(0, 0)->type, L4_CAP_THREAD);
    CHECK_EQ(objs[0].refs, 1);
}

static void destroy_moves_children_up(void)
{
    struct cap *r = sl(0, 0), *b = sl(0, 2), *c = sl(0, 3), *s = sl(1, 0);

    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 1, 2), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 1, 3), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 4), L4_OK); /* a sibling of a */
    CHECK_EQ(cap_grant(T(0), 4, T(1), 0), L4_OK);
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK(empty(0, 1));
    CHECK(b->parent == r && c->parent == r);
    CHECK(is_child(r, b) && is_child(r, c) && is_child(r, s));
    CHECK_EQ(nchildren(r), 3);
    CHECK_EQ(cap_depth(b), 1);
    CHECK_EQ(objs[0].refs, 4);
    /* a root's children become roots */
    CHECK_EQ(cap_destroy(T(0), 0), L4_OK);
    CHECK(empty(0, 0));
    CHECK(!b->parent && !b->next && !b->prev);
    CHECK(!c->parent && !c->next && !c->prev);
    CHECK(!s->parent && !s->next && !s->prev);
    CHECK_EQ(cap_depth(s), 0);
    CHECK_EQ(objs[0].refs, 3);
}

static void destroy_drops_object_refs(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(ins_thread(0, 5, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_share(T(0), 0, 2), L4_OK);
    CHECK_EQ(objs[0].refs, 3);
    CHECK_EQ(cap_destroy(T(0), 0), L4_OK);
    CHECK_EQ(objs[0].refs, 2);
    CHECK(last_gone_obj == NULL);
    CHECK_EQ(cap_destroy(T(0), 2), L4_OK);
    CHECK(last_gone_obj == NULL);
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK_EQ(objs[0].refs, 0);
    CHECK(last_gone_obj == &objs[0]);
    CHECK_EQ(last_gone_type, L4_CAP_THREAD);
    CHECK_EQ(objs[0].added, 3);
    CHECK_EQ(objs[0].removed, 3);
    CHECK_EQ(objs[1].refs, 1);
}

static void destroy_pool_refused_by_hook(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    owners[0].in_use[L4_POOL_THREADS] = 1;
    CHECK_EQ(cap_destroy(T(0), 0), L4_EBUSY);
    CHECK_EQ(sl(0, 0)->b, 10);
    /* a split child in the same table gives its units back: nothing shrinks */
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK);
    owners[0].in_use[L4_POOL_THREADS] = 10;
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 10);
    /* a split child in another table takes units from that table */
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK);
    owners[0].in_use[L4_POOL_THREADS] = 0;
    CHECK_EQ(cap_grant(T(0), 1, T(1), 3), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 6);
    owners[1].in_use[L4_POOL_THREADS] = 1;
    CHECK_EQ(cap_destroy(T(1), 3), L4_EBUSY);
    CHECK(shrink_table == T(1));
    CHECK_EQ(shrink_n, 4);
    owners[1].in_use[L4_POOL_THREADS] = 0;
    CHECK_EQ(cap_destroy(T(1), 3), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 10);
}

/*
 * Destroying a node moves its children up to its parent. They must keep their newest-first
 * order, or revoke no longer undoes the splits in reverse and the ranges do not merge back.
 */
static void destroy_keeps_child_order(void)
{
    struct cap *r = sl(0, 0), *p = sl(0, 2), *q = sl(0, 3);

    setup();
    CHECK_EQ(ins_mem(0, 0, L4_MEM_RIGHTS_ALL, M, P(32)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, P(8)), L4_OK); /* r [0,8)  g [8,32) */
    CHECK_EQ(cap_split(T(0), 1, 2, P(8)), L4_OK); /* g [8,16) p [16,32) */
    CHECK_EQ(cap_split(T(0), 1, 3, P(4)), L4_OK); /* g [8,12) q [12,16) */
    CHECK(sl(0, 1)->children == q && q->next == p);
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK); /* g merges: r [0,12) */
    CHECK_EQ(r->b, P(12));
    CHECK(r->children == q && q->next == p && p->prev == q);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK_EQ(r->a, M);
    CHECK_EQ(r->b, P(32));
}

/* --- cap_revoke ---------------------------------------------------------------------------- */

static void revoke_empty_is_ecap(void)
{
    setup();
    CHECK_EQ(cap_revoke(T(0), 0), L4_ECAP);
    CHECK_EQ(cap_revoke(T(0), NSLOTS), L4_ECAP);
}

static void revoke_removes_subtree_across_tables(void)
{
    struct cap *p = sl(0, 0);

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 100), L4_OK);
    CHECK_EQ(ins_pool(0, 9, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 7), L4_OK); /* unrelated */
    CHECK_EQ(cap_split(T(0), 0, 1, 30), L4_OK);                              /* d: 30 */
    CHECK_EQ(cap_split(T(0), 1, 2, 10), L4_OK);                              /* e: 10, d: 20 */
    CHECK_EQ(cap_grant(T(0), 2, T(1), 0), L4_OK);
    CHECK_EQ(cap_split(T(1), 0, 1, 4), L4_OK); /* f: 4, e: 6 */
    CHECK_EQ(cap_grant(T(0), 1, T(2), 3), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 3, 5), L4_OK); /* p: 65 */
    CHECK_EQ(p->b, 65);
    /* a middle node: only its descendants go */
    CHECK_EQ(cap_revoke(T(2), 3), L4_OK);
    CHECK(empty(1, 0) && empty(1, 1));
    CHECK_EQ(sl(2, 3)->b, 30);
    CHECK_EQ(sl(0, 3)->b, 5);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK(empty(2, 3) && empty(0, 3));
    CHECK_EQ(p->b, 100);
    CHECK(!p->children);
    CHECK_EQ(sl(0, 9)->b, 7);
    /* object references go too */
    CHECK_EQ(ins_thread(1, 5, L4_THR_RIGHTS_ALL, 2), L4_OK);
    CHECK_EQ(cap_replicate(T(1), 5, 6), L4_OK);
    CHECK_EQ(cap_replicate(T(1), 6, 7), L4_OK);
    CHECK_EQ(cap_grant(T(1), 7, T(2), 7), L4_OK);
    CHECK_EQ(objs[2].refs, 3);
    CHECK_EQ(cap_revoke(T(1), 5), L4_OK);
    CHECK_EQ(objs[2].refs, 1);
    CHECK(empty(1, 6) && empty(2, 7));
}

static void revoke_merges_memory_whole(void)
{
    struct cap *r = sl(0, 0);

    setup();
    CHECK_EQ(ins_mem(0, 0, L4_MEM_RIGHTS_ALL, M, P(32)), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, P(16)), L4_OK); /* r [0,16) a [16,32) */
    CHECK_EQ(cap_split(T(0), 1, 2, P(8)), L4_OK);  /* a [16,24) b [24,32) */
    CHECK_EQ(cap_split(T(0), 0, 3, P(8)), L4_OK);  /* r [0,8) c [8,16) */
    CHECK_EQ(cap_split(T(0), 1, 4, P(4)), L4_OK);  /* a [16,20) d [20,24) */
    CHECK_EQ(cap_grant(T(0), 1, T(1), 0), L4_OK);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK_EQ(r->a, M);
    CHECK_EQ(r->b, P(32));
    CHECK(empty(1, 0));
    for (unsigned i = 1; i < 5; i++)
        CHECK(empty(0, i));
}

/* --- captable_clear and cap_depth ------------------------------------------------------- */

static void captable_clear_empties_table(void)
{
    struct cap *r = sl(0, 0), *gc = sl(0, 1);

    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 2), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 2, 1), L4_OK); /* gc stays in table 0 */
    CHECK_EQ(cap_grant(T(0), 2, T(1), 4), L4_OK);
    CHECK_EQ(ins_thread(1, 0, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_replicate(T(1), 0, NSLOTS - 1), L4_OK);
    CHECK_EQ(ins_pool(0, 5, L4_POOL_RIGHTS_ALL, L4_POOL_SPACES, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 5, 6, 3), L4_OK);
    CHECK_EQ(cap_grant(T(0), 6, T(1), 9), L4_OK);
    CHECK_EQ(ins_pool(1, 10, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    owners[1].in_use[L4_POOL_THREADS] = 10; /* clear does not ask */
    CHECK_EQ(objs[0].refs, 3);
    CHECK_EQ(objs[1].refs, 2);
    captable_clear(T(1));
    for (unsigned i = 0; i < NSLOTS; i++)
        CHECK(empty(1, i));
    CHECK_EQ(objs[0].refs, 2);
    CHECK_EQ(objs[1].refs, 0);
    CHECK(last_gone_obj == &objs[1]);
    CHECK(gc->parent == r && r->children == gc);
    CHECK_EQ(sl(0, 5)->b, 10);
    CHECK(!sl(0, 5)->children);
    CHECK_EQ(r->type, L4_CAP_THREAD);
}

static void cap_depth_counts(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_split(T(0), 1, 2, L4_THR_READ), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 2, 3), L4_OK);
    CHECK_EQ(cap_share(T(0), 3, 4), L4_OK);
    CHECK_EQ(cap_grant(T(0), 3, T(1), 0), L4_OK);
    CHECK_EQ(cap_depth(sl(0, 0)), 0);
    CHECK_EQ(cap_depth(sl(0, 1)), 1);
    CHECK_EQ(cap_depth(sl(0, 2)), 2);
    CHECK_EQ(cap_depth(sl(1, 0)), 3);
    CHECK_EQ(cap_depth(sl(0, 4)), 3);
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK_EQ(cap_depth(sl(1, 0)), 2);
}

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
    uint64_t lost;  /* pool units lost to deduce and to destroying roots */
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

static uint64_t units_before[NTABLES][L4_POOL_KIND_COUNT];

static void note_units(void)
{
    for (int t = 0; t < NTABLES; t++) {
        for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++)
            units_before[t][k] = units(&tabs[t], k);
    }
}

/* An operation the hook guards never leaves a table below what it uses, if it was not already. */
static bool check_units_guarded(void)
{
    for (int t = 0; t < NTABLES; t++) {
        for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++) {
            uint64_t use = owners[t].in_use[k];
            INV(units_before[t][k] < use || units(&tabs[t], k) >= use,
                "table %d kind %u: %llu units, %llu in use", t, k,
                (unsigned long long)units(&tabs[t], k), (unsigned long long)use);
        }
    }
    return true;
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
    OP_IN_USE,
    OP_LOOKUP,
    OP_CLEAR,
};

static const char *const op_names[] = {
    "replicate", "share",  "grant",  "split",  "deduce", "destroy",
    "revoke",    "insert", "in_use", "lookup", "clear",
};

static enum op pick_op(void)
{
    static const struct {
        enum op op;
        unsigned weight;
    } w[] = {
        {OP_REPLICATE, 12}, {OP_SHARE, 8},  {OP_GRANT, 12}, {OP_SPLIT, 20}, {OP_DEDUCE, 14},
        {OP_DESTROY, 8},    {OP_REVOKE, 3}, {OP_INSERT, 5}, {OP_IN_USE, 5}, {OP_LOOKUP, 4},
    };
    unsigned total = 0, r;

    if (rnd(800) == 0)
        return OP_CLEAR;
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
    owners[0].in_use[L4_POOL_THREADS] = 10;
    owners[0].in_use[L4_POOL_PAGETABLES] = 3;
    owners[1].in_use[L4_POOL_THREADS] = 5;
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

static void random_operations(void)
{
    static struct cap before[NTABLES][NSLOTS];
    static struct fake_obj objs_before[NOBJS];
    bool failed = false;
    unsigned root_shares = 0, pinned_refused = 0, parts_moved = 0;

    setup();
    order_failures = 0;
    srand(20240607);
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
        bool ok = true, guarded = false;
        struct cap *out = NULL;
        char desc[96];

        if (op == OP_SPLIT && rnd(3))
            s = pick_divisible(t, s);
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
        note_units();
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
            /* the roots of pools and memory never leave their table */
            bool pinned = pre.type != L4_CAP_NULL && (pre.rights & L4_RIGHT_GRANT) &&
                          dto < NSLOTS && slots[to][dto].type == L4_CAP_NULL && to != t &&
                          !pre.parent && (pre.type == L4_CAP_POOL || pre.type == L4_CAP_MEMORY);
            guarded = true;
            err = cap_grant(&tabs[t], s, &tabs[to], dto);
            ok = (err == L4_EINVAL) == pinned;
            pinned_refused += pinned;
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
            guarded = true;
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
            guarded = true;
            err = cap_destroy(&tabs[t], s);
            if (!err) {
                if (pre.type == L4_CAP_POOL && !(pre.parent && pre_sh.split))
                    origins[pre_sh.origin].lost += pre.b;
                forget_emptied();
                ok = slots[t][s].type == L4_CAP_NULL;
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
            guarded = true;
            random_insert(t, d);
            break;
        case OP_IN_USE: {
            unsigned k = rnd(L4_POOL_KIND_COUNT);
            owners[t].in_use[k] = rnd((unsigned)units(&tabs[t], k) + 1);
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
        case OP_CLEAR: {
            /* units leave the cleared table to a parent outside it, or are lost */
            static uint64_t held[MAXORIGINS], left[MAXORIGINS];
            memset(held, 0, sizeof(held));
            memset(left, 0, sizeof(left));
            for (int u = 0; u < NTABLES; u++) {
                for (unsigned k = 0; k < NSLOTS; k++) {
                    if (slots[u][k].type == L4_CAP_POOL)
                        held[shadows[u][k].origin] += slots[u][k].b;
                }
            }
            captable_clear(&tabs[t]);
            forget_emptied();
            for (unsigned k = 0; k < NSLOTS; k++)
                ok = ok && slots[t][k].type == L4_CAP_NULL;
            for (int u = 0; u < NTABLES; u++) {
                for (unsigned k = 0; k < NSLOTS; k++) {
                    const struct cap *x = &slots[u][k];
                    if (x->type != L4_CAP_POOL)
                        continue;
                    left[shadows[u][k].origin] += x->b;
                    ok = ok && x->b >= rec_b[shadows[u][k].id];
                }
            }
            for (unsigned o = 0; o < norigins; o++) {
                ok = ok && left[o] <= held[o];
                origins[o].lost += held[o] - left[o];
            }
            break;
        }
        }
        if (err || op == OP_LOOKUP || op == OP_IN_USE) {
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
        } else if (!check_invariants() || (guarded && !check_units_guarded())) {
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
}

int main(void)
{
    RUN("cap", lookup_out_of_range_is_ecap);
    RUN("cap", lookup_empty_is_ecap);
    RUN("cap", lookup_wrong_type_is_ecap);
    RUN("cap", lookup_missing_rights_is_erights);
    RUN("cap", lookup_ok_returns_slot);
    RUN("cap", rights_all_masks);
    RUN("cap", insert_occupied_is_ebusy);
    RUN("cap", insert_out_of_range_is_ecap);
    RUN("cap", insert_null_type_is_einval);
    RUN("cap", insert_rights_outside_mask_is_einval);
    RUN("cap", insert_makes_root);
    RUN("cap", copy_bad_src_is_ecap);
    RUN("cap", copy_bad_dst);
    RUN("cap", copy_needs_copy_right);
    RUN("cap", copy_pool_is_einval);
    RUN("cap", replicate_makes_child);
    RUN("cap", share_makes_sibling);
    RUN("cap", grant_needs_grant_right);
    RUN("cap", grant_slot_errors);
    RUN("cap", grant_pool_refused_by_hook);
    RUN("cap", grant_pool_memory_root_stays);
    RUN("cap", grant_within_table_needs_no_units);
    RUN("cap", grant_keeps_tree_links);
    RUN("cap", revoke_reaches_granted_cap);
    RUN("cap", split_pool_range_errors);
    RUN("cap", split_pool_moves_units);
    RUN("cap", destroy_split_pool_gives_back);
    RUN("cap", split_memory_range_errors);
    RUN("cap", split_memory_unaligned_einval);
    RUN("cap", split_memory_ranges);
    RUN("cap", split_memory_destroy_reverse_merges);
    RUN("cap", split_memory_nonadjacent_not_merged);
    RUN("cap", split_rights_einval);
    RUN("cap", split_rights_not_held);
    RUN("cap", split_rights_moves_bits);
    RUN("cap", deduce_bad_mask_einval);
    RUN("cap", deduce_growing_rights_erights);
    RUN("cap", deduce_pool);
    RUN("cap", deduce_pool_refused_by_hook);
    RUN("cap", deduce_memory);
    RUN("cap", deduce_other_types_keep_ab);
    RUN("cap", deduce_badges_unbadged_endpoint);
    RUN("cap", deduce_propagates_rights);
    RUN("cap", deduce_reaches_deepest_node);
    RUN("cap", deduce_walks_deep_wide_tree);
    RUN("cap", destroy_empty_is_ecap);
    RUN("cap", destroy_moves_children_up);
    RUN("cap", destroy_drops_object_refs);
    RUN("cap", destroy_pool_refused_by_hook);
    RUN("cap", destroy_keeps_child_order);
    RUN("cap", revoke_empty_is_ecap);
    RUN("cap", revoke_removes_subtree_across_tables);
    RUN("cap", revoke_merges_memory_whole);
    RUN("cap", captable_clear_empties_table);
    RUN("cap", cap_depth_counts);
    RUN("cap", random_operations);
    return CHECK_DONE();
}
