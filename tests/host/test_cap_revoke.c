/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of revoke in steps (cap_revoke_step): a linear walk, and steps that stop and go
 * on, with other operations on the same tree in between, end where one whole revoke ends. */
// uses: kernel/core/cap.c kernel/core/cap_names.c lib/fmt.c
#include "cap_fakes.h"

#include <stdlib.h>

#define BIG 4096 /* slots of each of the two large tables */

static struct cap big_slots[2][BIG];
static struct captable big[2];

static void big_setup(void)
{
    setup();
    for (int i = 0; i < 2; i++)
        captable_init(&big[i], big_slots[i], BIG, NULL);
}

/* A chain of n, across both tables: node i in slot i/2 of table i%2, made from node i-1;
 * node 0, the root, in slot 0 of table 0. */
static void make_chain(unsigned n)
{
    l4_err_t err = cap_insert(&big[0], 0, L4_CAP_THREAD, L4_THR_RIGHTS_ALL, &objs[0], 0, 0);

    for (unsigned i = 1; i < n && !err; i++)
        err = cap_put(&big[(i - 1) % 2], (i - 1) / 2, &big[i % 2], i / 2, L4_THR_RIGHTS_ALL, 0);
    CHECK_EQ(err, L4_OK);
}

/* Revoke slot 0 of big[0] in steps of budget; the number of steps it took. */
static unsigned revoke_in_steps(unsigned budget)
{
    struct cap_revoke_cursor cur = {0};
    unsigned steps = 0;
    l4_err_t err;

    do {
        err = cap_revoke_step(&big[0], 0, budget, &cur);
        steps++;
    } while (err == CAP_MORE && steps < 1000000);
    CHECK_EQ(err, L4_OK);
    return steps;
}

static bool big_empty_but_root(void)
{
    for (int t = 0; t < 2; t++) {
        for (unsigned s = 0; s < BIG; s++) {
            if ((t || s) && big_slots[t][s].type != L4_CAP_NULL)
                return false;
        }
    }
    return !big_slots[0][0].children;
}

static bool big_check(void)
{
    for (int t = 0; t < 2; t++) {
        uint32_t bad;
        const char *why = captable_check(&big[t], &bad);
        if (why) {
            printf("    big table %d slot %u: %s\n", t, bad, why);
            return false;
        }
    }
    return true;
}

/*
 * A chain of n: one walk down (n levels) and n removals, so steps of budget b take about
 * 2n/b steps. A walk that started again at the top for every leaf (the old one) would spend
 * about n*n/2 units: every step after the first would remove a single node.
 */
static void chain_revoke_is_linear(void)
{
    const unsigned n = 2 * BIG - 1, budget = 16;

    big_setup();
    make_chain(n);
    CHECK_EQ(objs[0].refs, (int)n);
    unsigned steps = revoke_in_steps(budget);
    CHECK(steps <= 2 * n / budget + 2);
    CHECK(steps >= (n - 1) / budget); // each step stops at its budget: none does it all
    CHECK_EQ(objs[0].refs, 1);
    CHECK(big_empty_but_root());
    CHECK(big_check());
}

/* A wide tree: each removal costs a level down and the node itself. */
static void wide_revoke_is_linear(void)
{
    const unsigned n = BIG - 1, budget = 16;

    big_setup();
    CHECK_EQ(cap_insert(&big[0], 0, L4_CAP_THREAD, L4_THR_RIGHTS_ALL, &objs[0], 0, 0), L4_OK);
    l4_err_t err = L4_OK;
    for (unsigned i = 1; i <= n && !err; i++)
        err = cap_replicate(&big[0], 0, i);
    CHECK_EQ(err, L4_OK);
    unsigned steps = revoke_in_steps(budget);
    CHECK(steps <= 2 * n / budget + 2);
    CHECK_EQ(objs[0].refs, 1);
    CHECK(big_empty_but_root());
    CHECK(big_check());
}

/* A whole revoke (cap_revoke) walks the same way, without steps: the chain goes, none left. */
static void whole_revoke_of_long_chain(void)
{
    big_setup();
    make_chain(2 * BIG);
    CHECK_EQ(cap_revoke(&big[0], 0), L4_OK);
    CHECK_EQ(objs[0].refs, 1);
    CHECK(big_empty_but_root());
}

/*
 * Between two steps another thread derives from the tree (a new child of the root and of a
 * node the walk has not reached) and removes a node: the cursor is stale then, the walk
 * starts again at the root, and the revoke still ends with nothing below it.
 */
static void steps_survive_changes_between(void)
{
    struct cap_revoke_cursor cur = {0};
    unsigned round = 0;
    l4_err_t err;

    big_setup();
    make_chain(600); // slots 0..299 of both tables
    for (unsigned i = 600; i < 900; i++)
        CHECK_EQ(cap_replicate(&big[0], 0, i), L4_OK); // and wide at the root
    do {
        err = cap_revoke_step(&big[0], 0, 8, &cur);
        if (err != CAP_MORE)
            break;
        round++;
        if (round % 5 == 0)
            CHECK_EQ(cap_replicate(&big[0], 0, 1000 + round), L4_OK);
        if (round % 7 == 0 && big_slots[1][10].type != L4_CAP_NULL)
            CHECK_EQ(cap_replicate(&big[1], 10, 2000 + round), L4_OK); // mid-chain
        if (round % 11 == 0 && big_slots[0][2].type != L4_CAP_NULL)
            CHECK_EQ(cap_destroy(&big[0], 2), L4_OK); // its children move up
        if (round % 13 == 0 && cur.at && cur.at != &big_slots[0][0]) {
            /* the very node the walk stood on goes: the cursor must not be followed */
            int t = cur.at >= big_slots[1] && cur.at < big_slots[1] + BIG;
            CHECK_EQ(cap_destroy(&big[t], (l4_word_t)(cur.at - big_slots[t])), L4_OK);
        }
        CHECK(big_check());
    } while (round < 100000);
    CHECK_EQ(err, L4_OK);
    CHECK(round > 100);
    CHECK_EQ(objs[0].refs, 1);
    CHECK(big_empty_but_root());
}

/* The capability itself goes between steps: the next step finds the slot empty (ECAP), and
 * what was still below it moved up to nothing (it was a root: destroy takes them along). */
static void capability_destroyed_between_steps(void)
{
    struct cap_revoke_cursor cur = {0};

    big_setup();
    make_chain(300);
    CHECK_EQ(cap_revoke_step(&big[0], 0, 8, &cur), CAP_MORE);
    CHECK_EQ(cap_destroy(&big[0], 0), L4_OK);
    CHECK_EQ(cap_revoke_step(&big[0], 0, 8, &cur), L4_ECAP);
    CHECK_EQ(objs[0].refs, 0);
    CHECK(big_check());
    /* another capability in the slot: a later step works on it, never on the stale cursor */
    CHECK_EQ(cap_insert(&big[0], 0, L4_CAP_THREAD, L4_THR_RIGHTS_ALL, &objs[1], 0, 0), L4_OK);
    CHECK_EQ(cap_replicate(&big[0], 0, 1), L4_OK);
    CHECK_EQ(cap_revoke_step(&big[0], 0, 8, &cur), L4_OK);
    CHECK_EQ(objs[1].refs, 1);
    CHECK(big_empty_but_root());
}

/* Immutable and empty slots are refused by a step as by cap_revoke. */
static void step_refusals(void)
{
    struct cap_revoke_cursor cur = {0};

    setup();
    CHECK_EQ(cap_revoke_step(T(0), 0, 8, &cur), L4_ECAP);
    CHECK_EQ(cap_revoke_step(T(0), NSLOTS, 8, &cur), L4_ECAP);
    CHECK_EQ(ins_thread(0, 0, L4_THR_RIGHTS_ALL, 0), L4_OK);
    CHECK_EQ(cap_grant_immutable(T(0), 0, T(1), 0), L4_OK);
    CHECK_EQ(cap_revoke_step(T(1), 0, 8, &cur), L4_ERIGHTS);
    CHECK_EQ(cap_revoke_step(T(1), 0, 8, &cur), L4_ERIGHTS);
    /* nothing below it: done at once */
    CHECK_EQ(ins_thread(0, 1, L4_THR_RIGHTS_ALL, 1), L4_OK);
    CHECK_EQ(cap_revoke_step(T(0), 1, 8, &cur), L4_OK);
}

/* Build a random tree of memory splits, pool splits and copies below slot 0 of table 0. */
static void random_tree(unsigned seed)
{
    srand(seed);
    setup();
    CHECK_EQ(ins_mem(0, 0, L4_MEM_RIGHTS_ALL, M, P(64)), L4_OK);
    CHECK_EQ(ins_pool(1, 0, L4_POOL_RIGHTS_ALL, 0, 64), L4_OK);
    for (unsigned i = 0; i < 400; i++) {
        int t = rand() % NTABLES, d = rand() % NTABLES;
        unsigned s = (unsigned)rand() % NSLOTS, e = (unsigned)rand() % NSLOTS;
        switch (rand() % 4) {
        case 0:
            cap_split(T(t), s, e, P(1 + rand() % 8));
            break;
        case 1:
            cap_split(T(t), s, e, 1 + rand() % 8);
            break;
        case 2:
            cap_put(T(t), s, T(d), e, L4_MEM_RIGHTS_ALL, 0);
            break;
        default:
            if (!(t == 0 && s == 0) && !(t == 1 && s == 0))
                cap_grant(T(t), s, T(d), e);
        }
    }
}

/*
 * Steps of any budget remove in the order one whole revoke does (newest first, leaves
 * first), so split ranges and units merge back the same: the tables end byte for byte alike.
 */
static void steps_end_as_whole_revoke(void)
{
    static struct cap whole[NTABLES][NSLOTS];

    for (unsigned seed = 1; seed <= 40; seed++) {
        random_tree(seed);
        CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
        CHECK_EQ(cap_revoke(T(1), 0), L4_OK);
        memcpy(whole, slots, sizeof(whole));
        random_tree(seed);
        for (unsigned root = 0; root < 2; root++) {
            struct cap_revoke_cursor cur = {0};
            unsigned budget = 1 + seed % 5;
            while (cap_revoke_step(T((int)root), 0, budget, &cur) == CAP_MORE)
                ;
        }
        CHECK(memcmp(whole, slots, sizeof(whole)) == 0);
        CHECK_EQ(sl(0, 0)->b, P(64));
        CHECK_EQ(sl(1, 0)->b, 64);
        CHECK(tables_check());
    }
}

/* A root's destroy takes its descendants first, in steps, and then itself; a child's destroy
 * moves its children up at once; refusals as cap_destroy's. */
static void destroy_in_steps(void)
{
    struct cap_revoke_cursor cur = {0};
    unsigned steps = 0;
    l4_err_t err;

    big_setup();
    make_chain(2000);
    while ((err = cap_destroy_step(&big[0], 0, 16, &cur)) == CAP_MORE)
        steps++;
    CHECK_EQ(err, L4_OK);
    CHECK(steps >= 2000 / 16 - 1 && steps <= 2 * 2000 / 16 + 2);
    CHECK_EQ(objs[0].refs, 0);
    CHECK(big_slots[0][0].type == L4_CAP_NULL && big_empty_but_root());
    CHECK(big_check());

    make_chain(3); // 0 -> 1 (table 1 slot 0) -> 2 (table 0 slot 1)
    CHECK_EQ(cap_destroy_step(&big[1], 0, 16, &cur), L4_OK);
    CHECK(big_slots[0][1].parent == &big_slots[0][0]);
    CHECK_EQ(cap_destroy_step(&big[1], 0, 16, &cur), L4_ECAP);
    CHECK_EQ(cap_insert(&big[0], 5, L4_CAP_POOL, L4_POOL_RIGHTS_ALL, NULL, 0, 4), L4_OK);
    CHECK_EQ(cap_destroy_step(&big[0], 5, 16, &cur), L4_EINVAL); // a pool root stays
    CHECK(big_check());
}

int main(void)
{
    RUN("cap_revoke", chain_revoke_is_linear);
    RUN("cap_revoke", wide_revoke_is_linear);
    RUN("cap_revoke", whole_revoke_of_long_chain);
    RUN("cap_revoke", steps_survive_changes_between);
    RUN("cap_revoke", capability_destroyed_between_steps);
    RUN("cap_revoke", step_refusals);
    RUN("cap_revoke", steps_end_as_whole_revoke);
    RUN("cap_revoke", destroy_in_steps);
    return CHECK_DONE();
}
