/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of capability tables, the derivation tree and pool accounting, hooks faked. */
// uses: kernel/core/cap.c kernel/core/cap_names.c lib/fmt.c
#include "cap_fakes.h"

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

/* Units that pay for objects stay in the table that uses them; free units may go. */
static void grant_pool_paying_refused(void)
{
    static struct cap before[NTABLES][NSLOTS];
    int o, o2;

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 6), L4_OK); /* slot 0 keeps 4, slot 1 gets 6 */
    o = charge(0, 1, false);
    CHECK(o >= 0);
    memcpy(before, slots, sizeof(before));
    CHECK_EQ(cap_grant(T(0), 1, T(1), 0), L4_EBUSY);
    CHECK(!memcmp(before, slots, sizeof(before)));
    CHECK_EQ(moved_calls, 0);
    uncharge(o);
    CHECK_EQ(cap_grant(T(0), 1, T(1), 0), L4_OK);
    CHECK(empty(0, 1));
    CHECK_EQ(units(T(0), L4_POOL_THREADS), 4);
    CHECK_EQ(units(T(1), L4_POOL_THREADS), 6);
    CHECK(sl(1, 0)->parent == sl(0, 0));
    /* what the root pays for does not hold a free part back */
    o = charge(0, 0, false);
    CHECK(o >= 0);
    CHECK_EQ(cap_split(T(0), 0, 2, 3), L4_OK); /* the root keeps 1, paying for o */
    CHECK_EQ(cap_grant(T(0), 2, T(1), 1), L4_OK);
    CHECK_EQ(units(T(1), L4_POOL_THREADS), 9);
    CHECK(paid[o].live && paid[o].payer == sl(0, 0));
    /* a part granted on: what it pays for in the table it is in decides */
    o2 = charge(1, 0, false);
    CHECK(o2 >= 0);
    CHECK_EQ(cap_grant(T(1), 0, T(2), 0), L4_EBUSY);
    CHECK(empty(2, 0));
    uncharge(o2);
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
    /* ...the same whether or not the root pays for objects */
    int o = charge(0, 0, false);
    CHECK_EQ(cap_grant(T(0), 0, T(1), 0), L4_EINVAL);
    uncharge(o);
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
    /* within its own table a memory root moves and keeps its children; a pool root never
     * moves (what it pays for names it) */
    CHECK_EQ(cap_grant(T(0), 0, T(0), 10), L4_EINVAL);
    CHECK_EQ(cap_grant(T(0), 1, T(0), 11), L4_OK);
    CHECK(!empty(0, 0) && empty(0, 1) && empty(0, 10));
    CHECK(sl(0, 11)->table == T(0) && !sl(0, 11)->parent && sl(0, 11)->children == sl(1, 1));
    CHECK(sl(1, 0)->parent == sl(0, 0) && sl(1, 1)->parent == sl(0, 11));
    CHECK_EQ(sl(0, 0)->b, 6);
    CHECK_EQ(sl(0, 11)->b, P(4));
    /* but it is still a root: another table stays out of reach */
    CHECK_EQ(cap_grant(T(0), 0, T(2), 0), L4_EINVAL);
    CHECK_EQ(cap_grant(T(0), 11, T(2), 0), L4_EINVAL);
    CHECK(empty(2, 0));
    /* roots of other types may leave */
    CHECK_EQ(cap_grant(T(0), 2, T(1), 2), L4_OK);
    CHECK(empty(0, 2));
    CHECK(sl(1, 2)->children == sl(0, 3) && sl(0, 3)->parent == sl(1, 2));
    CHECK_EQ(objs[0].refs, 2);
    /* destroying a root takes what was split off it too, wherever that went */
    CHECK_EQ(cap_destroy(T(0), 11), L4_OK);
    CHECK(empty(0, 11) && empty(1, 1));
    CHECK_EQ(sl(1, 0)->b, 4);
}

/* Within its table a paying part may move: the objects it pays for follow it. */
static void grant_within_table_moves_payer(void)
{
    int x, y;

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 5), L4_OK);
    x = charge(0, 1, false);
    y = charge(0, 1, false);
    CHECK_EQ(cap_grant(T(0), 1, T(0), 9), L4_OK);
    CHECK(empty(0, 1));
    CHECK_EQ(sl(0, 9)->b, 5);
    CHECK_EQ(sl(0, 9)->used, 2);
    CHECK(sl(0, 9)->table == T(0));
    CHECK(paid[x].payer == sl(0, 9) && paid[y].payer == sl(0, 9));
    CHECK_EQ(moved_calls, 1);
    /* and a revoke finds them at their new payer */
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK(!paid[x].live && !paid[y].live);
    CHECK_EQ(sl(0, 0)->b, 10);
    CHECK(tables_check());
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

static void deduce_pool_below_paying_ebusy(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    for (int i = 0; i < 8; i++)
        CHECK(charge(0, 0, false) >= 0);
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 7), L4_EBUSY);
    CHECK_EQ(sl(0, 0)->b, 10);
    CHECK_EQ(sl(0, 0)->rights, L4_POOL_RIGHTS_ALL);
    CHECK_EQ(cap_deduce(T(0), 0, L4_POOL_ALLOC, L4_POOL_THREADS, 8), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 8);
    CHECK_EQ(sl(0, 0)->rights, L4_POOL_ALLOC);
    CHECK_EQ(charge(0, 0, false), -1); /* every unit pays for something */
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
    captable_init(d, deep_slots, DEEP, NULL);
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
    captable_init(d, deep_slots, DEEP, NULL);
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
    /* a root has no parent to take them: its descendants go with it, in every table */
    CHECK_EQ(cap_destroy(T(0), 0), L4_OK);
    CHECK(empty(0, 0) && empty(0, 2) && empty(0, 3) && empty(1, 0));
    CHECK(b != s && c != s);
    CHECK_EQ(objs[0].refs, 0);
    CHECK(last_gone_obj == &objs[0]);
}

static void destroy_drops_object_refs(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(ins_thread(0, 5, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_share(T(0), 1, 2), L4_OK); /* a sibling of 1 */
    CHECK_EQ(objs[0].refs, 3);
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK_EQ(objs[0].refs, 2);
    CHECK(last_gone_obj == NULL);
    CHECK_EQ(cap_destroy(T(0), 2), L4_OK);
    CHECK(last_gone_obj == NULL);
    CHECK_EQ(cap_destroy(T(0), 0), L4_OK);
    CHECK_EQ(objs[0].refs, 0);
    CHECK(last_gone_obj == &objs[0]);
    CHECK_EQ(last_gone_type, L4_CAP_THREAD);
    CHECK_EQ(objs[0].added, 3);
    CHECK_EQ(objs[0].removed, 3);
    CHECK_EQ(objs[1].refs, 1);
}

static void destroy_pool_rules(void)
{
    int o;

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    /* a pool root is the container's for its whole run, paying or not */
    CHECK_EQ(cap_destroy(T(0), 0), L4_EINVAL);
    CHECK_EQ(sl(0, 0)->b, 10);
    /* a part that pays for objects stays until they go */
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK);
    o = charge(0, 1, false);
    CHECK_EQ(cap_destroy(T(0), 1), L4_EBUSY);
    CHECK_EQ(sl(0, 0)->b, 6);
    CHECK_EQ(sl(0, 1)->b, 4);
    uncharge(o);
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 10);
    /* a part in another table gives its units back across tables */
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK);
    CHECK_EQ(cap_grant(T(0), 1, T(1), 3), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 6);
    CHECK_EQ(cap_destroy(T(1), 3), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 10);
    /* a part whose own part pays may go: that one moves up and keeps paying */
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK);
    CHECK_EQ(cap_split(T(0), 1, 2, 2), L4_OK);
    o = charge(0, 2, false);
    CHECK_EQ(cap_destroy(T(0), 1), L4_OK);
    CHECK(sl(0, 2)->parent == sl(0, 0));
    CHECK_EQ(sl(0, 0)->b, 8);
    CHECK(paid[o].live && paid[o].payer == sl(0, 2));
    CHECK_EQ(reclaim_calls, 0);
    CHECK(tables_check());
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

/*
 * A restart takes back everything derived from the table's capabilities, in
 * every table, destroys what its removed pool capabilities paid for, and leaves
 * only its pool roots, with what is pinned to them.
 */
static void captable_reset_takes_all_back(void)
{
    struct cap *r = sl(0, 0), *root = sl(1, 10);
    int pinned, own, away, lent;

    setup();
    CHECK_EQ(ins_pool(1, 10, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    pinned = charge(1, 10, true);
    own = charge(1, 10, false);
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 2), L4_OK);
    CHECK_EQ(cap_grant(T(0), 2, T(1), 4), L4_OK);
    CHECK_EQ(cap_replicate(T(1), 4, 1), L4_OK);
    CHECK_EQ(cap_grant(T(1), 1, T(0), 1), L4_OK); /* back in table 0, but derived in 1 */
    CHECK_EQ(ins_thread(1, 0, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_replicate(T(1), 0, NSLOTS - 1), L4_OK);
    CHECK_EQ(ins_pool(0, 5, L4_POOL_RIGHTS_ALL, L4_POOL_SPACES, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 5, 6, 3), L4_OK);
    CHECK_EQ(cap_grant(T(0), 6, T(1), 9), L4_OK);
    lent = charge(1, 9, false); /* table 1 uses units table 0 lent it */
    CHECK_EQ(cap_split(T(1), 10, 11, 4), L4_OK);
    CHECK_EQ(cap_grant(T(1), 11, T(2), 0), L4_OK);
    away = charge(2, 0, false); /* table 2 uses units table 1 lent it */
    CHECK_EQ(objs[0].refs, 3);
    CHECK_EQ(objs[1].refs, 2);
    captable_reset(T(1));
    for (unsigned i = 0; i < NSLOTS; i++)
        CHECK(i == 10 || empty(1, i));
    CHECK(!root->children && !root->parent);
    CHECK_EQ(root->b, 10);
    CHECK_EQ(root->used, 1);
    CHECK(paid[pinned].live && !paid[own].live && !paid[away].live && !paid[lent].live);
    CHECK(empty(2, 0) && empty(0, 1));
    CHECK(!r->children);
    CHECK_EQ(objs[0].refs, 1);
    CHECK_EQ(objs[1].refs, 0);
    CHECK(last_gone_obj == &objs[1]);
    CHECK_EQ(sl(0, 5)->b, 10);
    CHECK(!sl(0, 5)->children);
    CHECK_EQ(r->type, L4_CAP_THREAD);
    CHECK(tables_check());
}

/* --- run-time tables: put, move, clear ------------------------------------------------------- */

/* A put copy is a child of its source, with fewer rights: a revoke of the source reaches it. */
static void put_copies_a_child(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_put(T(0), 0, T(1), 3, L4_RIGHT_COPY | L4_THR_READ, 0), L4_OK);
    CHECK(sl(1, 3)->type == L4_CAP_THREAD && sl(1, 3)->table == T(1));
    CHECK_EQ(sl(1, 3)->rights, L4_RIGHT_COPY | L4_THR_READ);
    CHECK(sl(1, 3)->parent == sl(0, 0) && is_child(sl(0, 0), sl(1, 3)));
    CHECK_EQ(objs[0].refs, 2);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK(empty(1, 3));
    CHECK_EQ(objs[0].refs, 1);
}

static void put_refusals(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_READ | L4_THR_WRITE, 0), L4_OK); // no COPY
    CHECK_EQ(ins_thread(0, 1, L4_RIGHT_COPY | L4_THR_READ, 1), L4_OK);
    CHECK_EQ(cap_put(T(0), 5, T(1), 0, 0, 0), L4_ECAP);               // empty source
    CHECK_EQ(cap_put(T(0), 1, T(1), NSLOTS, 0, 0), L4_ECAP);          // outside the target
    CHECK_EQ(cap_put(T(0), 0, T(1), 0, L4_THR_READ, 0), L4_ERIGHTS);  // source lacks COPY
    CHECK_EQ(cap_put(T(0), 1, T(1), 0, L4_THR_WRITE, 0), L4_ERIGHTS); // rights would grow
    CHECK_EQ(cap_put(T(0), 1, T(1), 0, 1u << 20, 0), L4_EINVAL);      // not a thread right
    CHECK_EQ(cap_put(T(0), 1, T(1), 0, L4_THR_READ, 1), L4_EINVAL);   // amount for no pool
    CHECK_EQ(cap_put(T(0), 1, T(1), 0, L4_THR_READ, 0), L4_OK);
    CHECK_EQ(cap_put(T(0), 1, T(1), 0, L4_THR_READ, 0), L4_EBUSY); // dest taken
    CHECK_EQ(objs[1].refs, 2);
}

/* A pool is split into the other table: free units only, both keep one, given back on remove. */
static void put_splits_pools(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_CAPSLOTS, 10), L4_OK);
    for (int i = 0; i < 4; i++)
        CHECK(charge(0, 0, false) >= 0);
    CHECK_EQ(cap_put(T(0), 0, T(1), 0, L4_POOL_RIGHTS_ALL, 0), L4_ERANGE);
    CHECK_EQ(cap_put(T(0), 0, T(1), 0, L4_POOL_RIGHTS_ALL, 10), L4_ERANGE);
    CHECK_EQ(cap_put(T(0), 0, T(1), 0, L4_POOL_RIGHTS_ALL, 7), L4_EBUSY);
    CHECK(empty(1, 0));
    CHECK_EQ(cap_put(T(0), 0, T(1), 0, L4_POOL_ALLOC, 6), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 4);
    CHECK_EQ(sl(1, 0)->b, 6);
    CHECK_EQ(sl(1, 0)->rights, L4_POOL_ALLOC);
    CHECK_EQ(cap_destroy(T(1), 0), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 10); // split units come back
}

/* Moving a table's slots keeps every link (parents, children, siblings in other tables) and
 * tells the objects a paying pool capability moved. */
static void move_keeps_links_and_payers(void)
{
    static struct cap arena[8];
    struct captable t;

    setup();
    captable_init(&t, &arena[4], 4, NULL);
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(ins_pool(0, 1, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_put(T(0), 0, &t, 0, L4_RIGHT_COPY | L4_THR_READ, 0), L4_OK); // child of 0:0
    CHECK_EQ(cap_put(T(0), 0, T(1), 0, L4_THR_READ, 0), L4_OK);               // its sibling
    CHECK_EQ(cap_replicate(&t, 0, 2), L4_OK);                                 // and its child
    CHECK_EQ(cap_put(T(0), 1, &t, 3, L4_POOL_RIGHTS_ALL, 5), L4_OK);
    struct cap *payer = &arena[4 + 3];
    CHECK(charge_cap(payer) >= 0);
    CHECK_EQ(cap_put(&t, 0, T(2), 0, L4_THR_READ, 0), L4_OK); // a grandchild elsewhere
    captable_move(&t, &arena[1]);                             // overlapping: three slots down
    CHECK(t.slots == &arena[1]);
    CHECK(arena[1].type == L4_CAP_THREAD && arena[1].parent == sl(0, 0));
    CHECK(is_child(sl(0, 0), &arena[1]) && is_child(sl(0, 0), sl(1, 0)));
    CHECK(arena[3].parent == &arena[1] && is_child(&arena[1], &arena[3]));
    CHECK(sl(2, 0)->parent == &arena[1]);
    CHECK(arena[2].type == L4_CAP_NULL);
    CHECK(arena[4].type == L4_CAP_POOL && arena[4].used == 1 && arena[4].table == &t);
    CHECK(arena[5].type == L4_CAP_NULL && arena[7].type == L4_CAP_NULL);
    CHECK_EQ(paid_by(&arena[4]), 1); // pool_moved: the object names its payer's new place
    CHECK_EQ(paid_by(payer), 0);
    uint32_t bad;
    CHECK(captable_check(&t, &bad) == NULL);
    CHECK(captable_check(T(0), &bad) == NULL && captable_check(T(2), &bad) == NULL);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK); // the tree still reaches every copy
    CHECK(arena[1].type == L4_CAP_NULL && arena[3].type == L4_CAP_NULL && empty(2, 0));
}

/* A table going takes every capability in it: roots with their descendants elsewhere, copies
 * alone (their children move up), pools after what they paid for. */
static void clear_takes_everything(void)
{
    setup();
    CHECK_EQ(ins_thread(1, 0, L4_THR_RIGHTS_ALL, 0), L4_OK); // a root of the table going
    CHECK_EQ(cap_replicate(T(1), 0, 1), L4_OK);
    CHECK_EQ(cap_put(T(1), 0, T(2), 0, L4_THR_READ, 0), L4_OK); // its descendant elsewhere
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_put(T(0), 0, T(1), 2, L4_RIGHT_COPY | L4_THR_READ, 0), L4_OK); // a copy
    CHECK_EQ(cap_put(T(1), 2, T(2), 1, L4_THR_READ, 0), L4_OK);                 // the copy's child
    CHECK_EQ(ins_pool(0, 1, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_put(T(0), 1, T(1), 3, L4_POOL_RIGHTS_ALL, 4), L4_OK);
    CHECK(charge(1, 3, false) >= 0);
    captable_clear(T(1));
    for (unsigned i = 0; i < NSLOTS; i++)
        CHECK(empty(1, i));
    CHECK(empty(2, 0));                  // went with its root
    CHECK(sl(2, 1)->parent == sl(0, 0)); // moved up to the copy's parent
    CHECK_EQ(objs[0].refs, 0);
    CHECK_EQ(objs[1].refs, 2);
    CHECK_EQ(sl(0, 1)->b, 10); // units back, and what they paid for gone
    CHECK_EQ(paid_by(sl(0, 1)), 0);
}

/*
 * The same end in batches (a run-time table going, kernel/object/cspace.c): the tables are
 * whole after every batch, each batch makes progress, and the end is the whole clear's, the
 * children of a copy moved up to its parent in their order, a root's descendants gone.
 */
static void clear_in_steps(void)
{
    struct cap_revoke_cursor cur = {0};
    uint32_t slot = 0;
    unsigned steps = 0;
    l4_err_t err;

    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_put(T(0), 0, T(1), 0, L4_THR_RIGHTS_ALL, 0), L4_OK); // a copy, ...
    for (unsigned i = 0; i < NSLOTS; i++)
        CHECK_EQ(cap_put(T(1), 0, T(2), i, L4_THR_READ, 0), L4_OK); // ... with NSLOTS children
    CHECK_EQ(ins_thread(1, 1, L4_THR_RIGHTS_ALL, 1), L4_OK);        // a root ...
    for (unsigned i = 2; i < NSLOTS; i++)
        CHECK_EQ(cap_replicate(T(1), i - 1, i), L4_OK); // ... with a chain below it
    struct cap *oldest = sl(2, 0), *newest = sl(2, NSLOTS - 1);
    CHECK_EQ(captable_clear_step(T(1), 3, &slot, &cur), CAP_MORE);
    unsigned left = 0; // the first batch moved 3 children up, no more
    for (struct cap *ch = sl(1, 0)->children; ch; ch = ch->next)
        left++;
    CHECK(sl(1, 0)->type == L4_CAP_THREAD && left == NSLOTS - 3 && slot == 0);
    CHECK(sl(0, 0)->children == newest && newest->next == sl(2, NSLOTS - 2));
    while ((err = captable_clear_step(T(1), 3, &slot, &cur)) == CAP_MORE) {
        steps++;
        CHECK(tables_check());
    }
    CHECK_EQ(err, L4_OK);
    CHECK(steps > (NSLOTS + NSLOTS) / 3 - 2); // 3 units a batch, and no batch did nothing
    for (unsigned i = 0; i < NSLOTS; i++)
        CHECK(empty(1, i) && sl(2, i)->parent == sl(0, 0)); // moved up to the copy's parent
    CHECK(sl(0, 0)->children == newest && !oldest->next);   // newest first, as they were
    CHECK_EQ(objs[0].refs, 1 + NSLOTS);
    CHECK_EQ(objs[1].refs, 0);
    CHECK_EQ(slot, 0);
    CHECK(tables_check());
}

static void split_pool_keeps_paying_units(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    for (int i = 0; i < 7; i++)
        CHECK(charge(0, 0, false) >= 0);
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_EBUSY);
    CHECK(empty(0, 1));
    CHECK_EQ(cap_split(T(0), 0, 1, 3), L4_OK);
    CHECK_EQ(sl(0, 0)->b, 7);
    CHECK_EQ(sl(0, 1)->used, 0);
    CHECK_EQ(cap_split(T(0), 0, 2, 1), L4_EBUSY);
    CHECK_EQ(cap_split(T(0), 1, 2, 3), L4_ERANGE); /* range comes before units in use */
}

static void charge_counts_units(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_ENDPOINTS, 3), L4_OK);
    CHECK(charge(0, 0, false) >= 0);
    CHECK(charge(0, 0, false) >= 0);
    int last = charge(0, 0, false);
    CHECK(last >= 0);
    CHECK_EQ(charge(0, 0, false), -1);
    CHECK_EQ(sl(0, 0)->used, 3);
    uncharge(last);
    CHECK_EQ(sl(0, 0)->used, 2);
    CHECK(charge(0, 0, false) >= 0);
}

/* Revoking a pool destroys what its descendants paid for, wherever they are; its own stay. */
static void revoke_reclaims_what_parts_paid(void)
{
    int own, a1, a2, b1;

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    own = charge(0, 0, false);
    CHECK_EQ(cap_split(T(0), 0, 1, 5), L4_OK);
    CHECK_EQ(cap_grant(T(0), 1, T(1), 3), L4_OK);
    a1 = charge(1, 3, false);
    a2 = charge(1, 3, false);
    CHECK_EQ(cap_split(T(1), 3, 4, 1), L4_OK);
    CHECK_EQ(cap_grant(T(1), 4, T(2), 7), L4_OK);
    b1 = charge(2, 7, false);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK(!paid[a1].live && !paid[a2].live && !paid[b1].live);
    CHECK(paid[own].live);
    CHECK_EQ(reclaim_calls, 2);
    CHECK(empty(1, 3) && empty(2, 7));
    CHECK_EQ(sl(0, 0)->b, 10);
    CHECK_EQ(sl(0, 0)->used, 1);
    CHECK(tables_check());
}

/* What the kernel gave a container at boot stays in its table; copies and parts may go. */
static void grant_boot_root_stays(void)
{
    setup();
    CHECK_EQ(cap_insert_boot(T(0), 0, L4_CAP_THREAD, L4_THR_RIGHTS_ALL, &objs[0], 0, 0), L4_OK);
    CHECK_EQ(cap_grant(T(0), 0, T(1), 0), L4_EINVAL);
    CHECK(empty(1, 0));
    CHECK_EQ(cap_grant(T(0), 0, T(0), 5), L4_OK); /* within its table it may move */
    CHECK_EQ(cap_grant(T(0), 5, T(1), 0), L4_EINVAL);
    CHECK_EQ(cap_replicate(T(0), 5, 6), L4_OK);
    CHECK_EQ(cap_grant(T(0), 6, T(1), 0), L4_OK); /* a copy may go, and a revoke reaches it */
    CHECK_EQ(cap_revoke(T(0), 5), L4_OK);
    CHECK(empty(1, 0));
    /* a runtime root (a new object's capability) may go */
    CHECK_EQ(ins_thread(0, 7, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_grant(T(0), 7, T(1), 0), L4_OK);
    CHECK(tables_check());
}

/* cap.c's self-check notices what a kernel bug would leave behind. */
static void captable_check_catches_damage(void)
{
    uint32_t bad = 99;

    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK);
    CHECK_EQ(ins_mem(0, 2, L4_MEM_RIGHTS_ALL, M, P(4)), L4_OK);
    CHECK(captable_check(T(0), &bad) == NULL);
    sl(0, 1)->used = 5; /* more in use than it holds */
    CHECK(captable_check(T(0), &bad) != NULL);
    CHECK_EQ(bad, 1);
    sl(0, 1)->used = 0;
    sl(0, 1)->parent = NULL; /* a child its parent still lists */
    CHECK(captable_check(T(0), &bad) != NULL);
    sl(0, 1)->parent = sl(0, 0);
    sl(0, 2)->a = M + 1; /* an unaligned range */
    CHECK(captable_check(T(0), &bad) != NULL);
    CHECK_EQ(bad, 2);
    sl(0, 2)->a = M;
    struct cap_origin o = {M, P(2), false};
    sl(0, 2)->obj = &o; /* a range beyond its root's */
    CHECK(captable_check(T(0), &bad) != NULL);
    o.size = P(4);
    sl(0, 2)->rights |= 1u << 20; /* a right no memory capability has */
    CHECK(captable_check(T(0), &bad) != NULL);
    sl(0, 2)->rights = L4_MEM_RIGHTS_ALL;
    CHECK(captable_check(T(0), &bad) == NULL);
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

/* --- operations under way (cap_busy, settled): what hooks destroy waits for the end -------- */

static unsigned settled_calls, busy_in_reclaim, busy_in_settled;

static void counting_reclaim(struct cap *c)
{
    busy_in_reclaim += cap_busy();
    fake_pool_reclaim(c);
}

static void counting_settled(void)
{
    settled_calls++;
    busy_in_settled += cap_busy();
}

static const struct cap_hooks settling_hooks = {
    .object_ref = fake_object_ref,
    .pool_reclaim = counting_reclaim,
    .pool_moved = fake_pool_moved,
    .settled = counting_settled,
};

/* RV12C-102: hooks run inside an operation (cap_busy), and settled comes once, after the
 * outermost one, however many capabilities it removed; a refused operation settles too. */
static void settled_after_outermost(void)
{
    setup();
    cap_hooks = &settling_hooks;
    settled_calls = busy_in_reclaim = busy_in_settled = 0;
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK);
    CHECK_EQ(cap_split(T(0), 1, 2, 2), L4_OK);
    CHECK(charge(0, 2, false) >= 0);
    CHECK(charge(0, 1, false) >= 0);
    settled_calls = 0;
    CHECK(!cap_busy());
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK_EQ(busy_in_reclaim, 2);
    CHECK_EQ(settled_calls, 1);
    CHECK_EQ(busy_in_settled, 0);
    CHECK(!cap_busy());
    CHECK_EQ(cap_revoke(T(0), 7), L4_ECAP);
    CHECK_EQ(settled_calls, 2);
    CHECK(!cap_busy());
    CHECK(tables_check());
}

/* closing says objs[1] is being taken apart in steps (the kernel: a retired space) */
static bool fake_closing(const struct cap *c)
{
    return c->obj == &objs[1];
}

static const struct cap_hooks closing_hooks = {
    .object_ref = fake_object_ref,
    .pool_reclaim = fake_pool_reclaim,
    .pool_moved = fake_pool_moved,
    .closing = fake_closing,
};

/* A capability whose object is closing is neither copied nor moved (ESTATE), in any table;
 * one naming another object is; the closing one may still be destroyed. */
static void closing_refuses_copies_and_moves(void)
{
    setup();
    cap_hooks = &closing_hooks;
    CHECK_EQ(cap_insert(T(0), 0, L4_CAP_SPACE, L4_SPACE_RIGHTS_ALL, &objs[1], 0, 0), L4_OK);
    CHECK_EQ(cap_insert(T(0), 1, L4_CAP_SPACE, L4_SPACE_RIGHTS_ALL, &objs[2], 0, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 5), L4_ESTATE);
    CHECK_EQ(cap_share(T(0), 0, 5), L4_ESTATE);
    CHECK_EQ(cap_split(T(0), 0, 5, L4_SPACE_MAP), L4_ESTATE);
    CHECK_EQ(cap_grant(T(0), 0, T(1), 5), L4_ESTATE);
    CHECK_EQ(cap_grant(T(0), 0, T(0), 5), L4_ESTATE);
    CHECK_EQ(cap_put(T(0), 0, T(1), 5, L4_SPACE_BIND, 0), L4_ESTATE);
    CHECK(sl(0, 5)->type == L4_CAP_NULL && sl(1, 5)->type == L4_CAP_NULL);
    CHECK_EQ(objs[1].refs, 1);
    CHECK_EQ(cap_replicate(T(0), 1, 5), L4_OK);
    CHECK_EQ(cap_grant(T(0), 5, T(1), 6), L4_OK);
    CHECK_EQ(cap_destroy(T(0), 0), L4_OK);
    CHECK_EQ(objs[1].refs, 0);
    CHECK(tables_check());
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
    RUN("cap", grant_pool_paying_refused);
    RUN("cap", grant_pool_memory_root_stays);
    RUN("cap", grant_within_table_moves_payer);
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
    RUN("cap", deduce_pool_below_paying_ebusy);
    RUN("cap", deduce_memory);
    RUN("cap", deduce_other_types_keep_ab);
    RUN("cap", deduce_badges_unbadged_endpoint);
    RUN("cap", deduce_propagates_rights);
    RUN("cap", deduce_reaches_deepest_node);
    RUN("cap", deduce_walks_deep_wide_tree);
    RUN("cap", destroy_empty_is_ecap);
    RUN("cap", destroy_moves_children_up);
    RUN("cap", destroy_drops_object_refs);
    RUN("cap", destroy_pool_rules);
    RUN("cap", destroy_keeps_child_order);
    RUN("cap", revoke_empty_is_ecap);
    RUN("cap", revoke_removes_subtree_across_tables);
    RUN("cap", revoke_merges_memory_whole);
    RUN("cap", captable_reset_takes_all_back);
    RUN("cap", split_pool_keeps_paying_units);
    RUN("cap", charge_counts_units);
    RUN("cap", revoke_reclaims_what_parts_paid);
    RUN("cap", captable_check_catches_damage);
    RUN("cap", grant_boot_root_stays);
    RUN("cap", cap_depth_counts);
    RUN("cap", put_copies_a_child);
    RUN("cap", put_refusals);
    RUN("cap", put_splits_pools);
    RUN("cap", move_keeps_links_and_payers);
    RUN("cap", clear_takes_everything);
    RUN("cap", clear_in_steps);
    RUN("cap", settled_after_outermost);
    RUN("cap", closing_refuses_copies_and_moves);
    return CHECK_DONE();
}
