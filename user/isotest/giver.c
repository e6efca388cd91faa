/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO-1xx, the giver: splits its pools and memory, grants parts, revokes, is restarted. */
#include "isotest.h"

#define TAKER 17 /* container capability to the taker, with L4_CONT_RECEIVE */
#define X     20 /* a part split off its thread pool root */
#define Y     21 /* a part of that part: what the taker gets */
#define M1    22
#define M2    23
#define P     24 /* page-table units for the taker */
#define M3    25
#define SPACE 60

static const char secret1[] = "secret of the first run", secret2[] = "secret of the second run";

/*
 * The attack of the issue, step by step: split the root, try to detach it (destroying the
 * root used to move the part up to a root of its own), split the part, grant the grandchild.
 * The memory root's part goes the same way, with a secret written where it lies.
 */
static l4_word_t split_and_grant(void)
{
    bool ok = !l4_cap_split(POOL_THR, X, 8);

    EXPECT_ERR("ISO-101", l4_cap_destroy(POOL_THR), L4_EINVAL);
    EXPECT_ERR("ISO-109", l4_cap_grant(POOL_THR, TAKER, 40), L4_EINVAL);
    /* what its system file gave it stays too: else a restart would give it twice */
    EXPECT_ERR("ISO-125", l4_cap_grant(CMD, TAKER, 40), L4_EINVAL);
    l4_cap_replicate(CMD, 26);
    EXPECT_ERR("ISO-126", l4_cap_grant(26, TAKER, T_CMD), L4_OK); // a copy may go
    ok = ok && !l4_cap_split(X, Y, 4) && !l4_cap_grant(Y, TAKER, T_Y);
    /* the secret: written through the root before the page is split off and given away */
    ok = ok && !l4_mem_map(L4_SLOT_MEMORY, SECRET_OFFSET, L4_SLOT_SPACE, VA_SECRET,
                           L4_MAP_READ | L4_MAP_WRITE);
    if (ok)
        memcpy((void *)VA_SECRET, secret1, sizeof(secret1));
    ok = ok && !l4_cap_split(L4_SLOT_MEMORY, M1, 32 * 1024) && !l4_cap_split(M1, M2, 16 * 1024) &&
         !l4_cap_grant(M2, TAKER, T_M2);
    ok = ok && !l4_cap_split(POOL_PT, P, 8) && !l4_cap_grant(P, TAKER, T_P);
    test_report("ISO-100", ok, "the giver could not split and grant its parts");
    return ok;
}

/* Breach 2: take the units back while the taker's objects are built on them. */
static l4_word_t revoke(void)
{
    return !l4_cap_revoke(POOL_THR) && !l4_cap_revoke(POOL_PT);
}

/* All its units are its own again: exactly as many as the pools say, none lost or doubled. */
static l4_word_t fill(void)
{
    l4_word_t units, used, pt_units, pt_used, after;
    l4_err_t last, err;

    pool_read(POOL_THR, &units, &used);
    unsigned made = make_threads(POOL_THR, 40, 64, &last);
    test_report("ISO-112", units == 16 && made == units - used && last == L4_ENOMEM,
                "%u threads on a pool of %lu (%lu in use), then %s", made, units, used,
                l4_strerror(last));
    destroy_slots(40, made);
    pool_read(POOL_PT, &pt_units, &pt_used);
    err = fill_tables(POOL_PT, L4_SLOT_MEMORY, SPACE);
    pool_read(POOL_PT, &units, &after);
    test_report("ISO-115", pt_units == 64 && err == L4_ENOMEM && after == units,
                "page tables: %lu of %lu units in use after filling (%s), %lu before", after, units,
                l4_strerror(err), pt_used);
    l4_cap_destroy(SPACE);
    pool_read(POOL_PT, &units, &after);
    return after == pt_used;
}

/* The same attack again, with the middle part destroyed: the grandchild stays below the root. */
static l4_word_t split_and_grant_again(void)
{
    bool ok = !l4_cap_split(POOL_THR, X, 8) && !l4_cap_split(X, Y, 4) &&
              !l4_cap_grant(Y, TAKER, T_Y) && !l4_cap_destroy(X);

    test_report("ISO-120", ok, "the giver could not split, grant and destroy the middle part");
    return ok;
}

/* Destroying a memory root takes the parts granted from it along (breach 1, memory). */
static l4_word_t destroy_memory_root(void)
{
    bool ok = !l4_cap_split(L4_SLOT_MEMORY, M3, 32 * 1024) && !l4_cap_grant(M3, TAKER, T_M3);

    EXPECT_ERR("ISO-102", l4_cap_destroy(L4_SLOT_MEMORY), L4_OK);
    return ok;
}

static l4_word_t handle(l4_word_t cmd)
{
    switch (cmd) {
    case G_SPLIT_GRANT:
        return split_and_grant();
    case G_REVOKE:
        return revoke();
    case G_FILL:
        return fill();
    case G_SPLIT_GRANT2:
        return split_and_grant_again();
    case G_MEMROOT:
        return destroy_memory_root();
    default:
        return 0;
    }
}

/* After a restart: whole pools and memory again, and a new secret where the old one was. */
static void restarted(void)
{
    l4_word_t thr, thr_used, pt, pt_used, type, rights, base, size;

    pool_read(POOL_THR, &thr, &thr_used);
    pool_read(POOL_PT, &pt, &pt_used);
    l4_cap_read(L4_SLOT_MEMORY, &type, &rights, &base, &size, NULL, NULL);
    test_report("ISO-118", thr == 16 && thr_used == 1 && pt == 64 && size == 64 * 1024,
                "after the restart: threads %lu (%lu in use), page tables %lu, memory %lu", thr,
                thr_used, pt, size);
    if (!l4_mem_map(L4_SLOT_MEMORY, SECRET_OFFSET, L4_SLOT_SPACE, VA_SECRET,
                    L4_MAP_READ | L4_MAP_WRITE))
        memcpy((void *)VA_SECRET, secret2, sizeof(secret2));
}

int giver(void)
{
    l4_word_t x, restarts = 0;

    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &x, &restarts, &x);
    if (restarts)
        restarted();
    serve(handle);
    return 0;
}
