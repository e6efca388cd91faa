/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of immutable grants: the holder uses and destroys, nothing else; the giver keeps
 * every power over it. */
// uses: kernel/core/cap.c kernel/core/cap_names.c lib/fmt.c
#include "cap_fakes.h"

#define ENDPOINT_RIGHTS (L4_RIGHTS_CAP | L4_EP_SEND | L4_EP_RECV)

/* Table 0 holds a thread capability in slot 0 and its replica in slot 1, which goes to table
 * 1's slot 5, immutable. */
static void give_thread(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_grant_immutable(T(0), 1, T(1), 5), L4_OK);
}

static void holder_may_only_use(void)
{
    struct cap *out = NULL;

    give_thread();
    CHECK(empty(0, 1));
    CHECK(cap_immutable(sl(1, 5)));
    CHECK(!cap_immutable(sl(0, 0)));
    CHECK_EQ(cap_replicate(T(1), 5, 6), L4_ERIGHTS);
    CHECK_EQ(cap_share(T(1), 5, 6), L4_ERIGHTS);
    CHECK_EQ(cap_grant(T(1), 5, T(2), 0), L4_ERIGHTS);
    CHECK_EQ(cap_grant(T(1), 5, T(1), 6), L4_ERIGHTS);
    CHECK_EQ(cap_grant_immutable(T(1), 5, T(2), 0), L4_ERIGHTS);
    CHECK_EQ(cap_split(T(1), 5, 6, L4_THR_READ), L4_ERIGHTS);
    CHECK_EQ(cap_deduce(T(1), 5, L4_THR_READ, 0, 0), L4_ERIGHTS);
    CHECK_EQ(cap_deduce(T(1), 5, L4_THR_RIGHTS_ALL, 0, 0), L4_ERIGHTS); // not even unchanged
    CHECK_EQ(cap_revoke(T(1), 5), L4_ERIGHTS);
    /* nor copied into another table (captable_put), with its rights or fewer */
    CHECK_EQ(cap_put(T(1), 5, T(2), 0, L4_THR_READ, 0), L4_ERIGHTS);
    CHECK_EQ(cap_put(T(1), 5, T(1), 6, 0, 0), L4_ERIGHTS);
    CHECK(empty(1, 6) && empty(2, 0));
    CHECK_EQ(sl(1, 5)->rights, L4_THR_RIGHTS_ALL);
    CHECK_EQ(cap_lookup(T(1), 5, L4_CAP_THREAD, L4_THR_READ | L4_THR_RUN, &out), L4_OK);
    CHECK(out == sl(1, 5));
    CHECK_EQ(objs[0].refs, 2);
    CHECK(tables_check());
}

/* cap_read's view: the type's rights, no COPY or GRANT, and the pseudo-right. */
static void rights_held_shows_immutable(void)
{
    give_thread();
    CHECK_EQ(cap_rights_held(sl(1, 5)), (L4_THR_RIGHTS_ALL & ~L4_RIGHTS_CAP) | L4_RIGHT_IMMUTABLE);
    CHECK_EQ(cap_rights_held(sl(0, 0)), L4_THR_RIGHTS_ALL);
    CHECK_EQ(L4_RIGHT_IMMUTABLE & cap_rights_all(L4_CAP_THREAD), 0);
    /* the pseudo-right is no right a deduce may name */
    CHECK_EQ(cap_deduce(T(0), 0, L4_THR_RIGHTS_ALL | L4_RIGHT_IMMUTABLE, 0, 0), L4_EINVAL);
}

static void ordinary_grant_is_not_immutable(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_grant(T(0), 1, T(1), 5), L4_OK);
    CHECK(!cap_immutable(sl(1, 5)));
    CHECK_EQ(cap_replicate(T(1), 5, 6), L4_OK);
}

/* The giver's revoke and deduce reach it; the holder may still destroy it. */
static void giver_keeps_its_powers(void)
{
    give_thread();
    CHECK_EQ(cap_deduce(T(0), 0, L4_RIGHTS_CAP | L4_THR_READ, 0, 0), L4_OK);
    CHECK_EQ(sl(1, 5)->rights, L4_RIGHTS_CAP | L4_THR_READ);
    CHECK(cap_immutable(sl(1, 5)));
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK(empty(1, 5));
    CHECK_EQ(objs[0].refs, 1);
    give_thread();
    CHECK_EQ(cap_destroy(T(1), 5), L4_OK);
    CHECK(empty(1, 5));
    CHECK_EQ(nchildren(sl(0, 0)), 0);
    CHECK_EQ(objs[0].refs, 1);
    CHECK(tables_check());
}

/* Its place in the tree is kept: when its parent goes, it moves up, still immutable. */
static void mark_survives_parent_destroy(void)
{
    give_thread();
    CHECK_EQ(cap_replicate(T(0), 0, 2), L4_OK);
    CHECK_EQ(cap_grant_immutable(T(0), 2, T(1), 6), L4_OK); // not the one below
    CHECK_EQ(cap_replicate(T(0), 0, 3), L4_OK);
    CHECK_EQ(cap_grant(T(0), 3, T(2), 0), L4_OK);
    CHECK_EQ(cap_replicate(T(2), 0, 1), L4_OK); // table 2's own, ordinary, copy
    CHECK_EQ(cap_grant_immutable(T(2), 1, T(1), 7), L4_OK);
    CHECK_EQ(cap_destroy(T(2), 0), L4_OK); // 1:7 moves up to 0:0
    CHECK(sl(1, 7)->parent == sl(0, 0));
    CHECK(cap_immutable(sl(1, 7)));
    CHECK_EQ(cap_replicate(T(1), 7, 8), L4_ERIGHTS);
    CHECK(tables_check());
}

/* Restarts: the holder's empties its table, the giver's revokes what it gave. */
static void restarts_take_it(void)
{
    give_thread();
    captable_reset(T(1));
    CHECK(empty(1, 5));
    give_thread();
    captable_reset(T(0));
    CHECK(empty(1, 5));
    CHECK_EQ(objs[0].refs, 0);
    CHECK(tables_check());
}

/* An immutable part of a pool pays for objects but cannot be divided or narrowed. */
static void immutable_pool_part(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK);
    CHECK_EQ(cap_grant_immutable(T(0), 1, T(1), 0), L4_OK);
    CHECK_EQ(cap_split(T(1), 0, 1, 2), L4_ERIGHTS);
    CHECK_EQ(cap_deduce(T(1), 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 2), L4_ERIGHTS);
    int o = charge(1, 0, false);
    CHECK(o >= 0);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK); // the giver takes the units back, and what they paid
    CHECK(!paid[o].live);
    CHECK(empty(1, 0));
    CHECK_EQ(units(T(0), L4_POOL_THREADS), 10);
    CHECK(tables_check());
}

/* An unbadged endpoint granted immutable cannot be badged by its holder (a badge narrows). */
static void immutable_endpoint_no_badge(void)
{
    setup();
    CHECK_EQ(cap_insert(T(0), 0, L4_CAP_ENDPOINT, ENDPOINT_RIGHTS, &objs[0], 0, 0), L4_OK);
    CHECK_EQ(cap_replicate(T(0), 0, 1), L4_OK);
    CHECK_EQ(cap_grant_immutable(T(0), 1, T(1), 0), L4_OK);
    CHECK_EQ(cap_deduce(T(1), 0, ENDPOINT_RIGHTS, 7, 0), L4_ERIGHTS);
    CHECK_EQ(sl(1, 0)->a, 0);
}

/* The grant's own rules hold as ever: the GRANT right, pool roots, occupied slots. */
static void grant_rules_unchanged(void)
{
    setup();
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL & ~L4_RIGHT_GRANT, 0), L4_OK);
    CHECK_EQ(cap_grant_immutable(T(0), 0, T(1), 0), L4_ERIGHTS);
    CHECK_EQ(ins_pool(0, 1, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 10), L4_OK);
    CHECK_EQ(cap_grant_immutable(T(0), 1, T(1), 0), L4_EINVAL);
    CHECK_EQ(ins_thread(0, 2, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(ins_thread(1, 0, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_grant_immutable(T(0), 2, T(1), 0), L4_EBUSY);
    CHECK_EQ(cap_grant_immutable(T(0), 2, T(1), NSLOTS), L4_ECAP);
    CHECK(!cap_immutable(sl(0, 2)));
}

int main(void)
{
    RUN("cap_immut", holder_may_only_use);
    RUN("cap_immut", rights_held_shows_immutable);
    RUN("cap_immut", ordinary_grant_is_not_immutable);
    RUN("cap_immut", giver_keeps_its_powers);
    RUN("cap_immut", mark_survives_parent_destroy);
    RUN("cap_immut", restarts_take_it);
    RUN("cap_immut", immutable_pool_part);
    RUN("cap_immut", immutable_endpoint_no_badge);
    RUN("cap_immut", grant_rules_unchanged);
    return CHECK_DONE();
}
