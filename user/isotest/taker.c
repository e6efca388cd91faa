/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO-1xx, the taker: builds on what the giver grants it, and must lose it all when it goes. */
#include "isotest.h"

#define THREADS 40 /* threads paid by the giver's units: 40..43 */
#define SPACE   50 /* a space whose tables the giver's units pay for */
#define BOUND   51 /* a thread of its own, bound to that space */

static const char secret1[] = "secret of the first run";

/* A thread paid by the giver: it waits, suspended, until it is destroyed. */
static long park(l4_word_t self)
{
    l4_thread_suspend(self);
    return 0;
}

static unsigned spawn_on_giver_units(l4_err_t *last)
{
    unsigned n = 0;

    while (n < 8 && !(*last = l4_thread_spawn_in(T_Y, park, THREADS + n, 100, THREADS + n)))
        n++;
    l4_thread_yield(); // they run, and suspend themselves
    return n;
}

static l4_word_t use(void)
{
    l4_word_t units, used;
    l4_err_t last;
    unsigned n = spawn_on_giver_units(&last);

    test_report("ISO-103", n == 4 && last == L4_ENOMEM, "%u threads on 4 granted units, then %s", n,
                l4_strerror(last));
    bool mapped = !l4_mem_map(T_M2, 0, L4_SLOT_SPACE, VA_M2, L4_MAP_READ);
    test_report("ISO-104", mapped && !memcmp((void *)VA_M2, secret1, sizeof(secret1)),
                "the granted page %s, or it did not hold the giver's secret",
                mapped ? "was mapped" : "could not be mapped");
    l4_err_t err = fill_tables(T_P, T_M2, SPACE);
    pool_read(T_P, &units, &used);
    bool bound = !l4_thread_create(POOL_THR, SPACE, 10, BOUND, NULL);
    test_report("ISO-110", err == L4_ENOMEM && units == 8 && used == 8 && bound,
                "page tables on granted units: %lu of %lu in use (%s), thread bound: %d", used,
                units, l4_strerror(err), bound);
    return 1;
}

static bool all_empty(l4_cap_t first, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        if (!slot_empty(first + i))
            return false;
    }
    return true;
}

static void own_counts(l4_word_t *threads, l4_word_t *spaces)
{
    l4_word_t x;

    l4_container_inspect(L4_SLOT_CONTAINER, &x, threads, spaces, &x, &x, &x);
}

/* Breach 2: the giver revoked; what was built on its units went with them. */
static l4_word_t check_revoked(void)
{
    l4_word_t threads, spaces;

    own_counts(&threads, &spaces);
    test_report("ISO-111", slot_empty(T_Y) && all_empty(THREADS, 4) && threads == 1,
                "after the revoke: units %s, %lu threads left",
                slot_empty(T_Y) ? "gone" : "still here", threads);
    test_report("ISO-114", slot_empty(T_P) && slot_empty(SPACE) && slot_empty(BOUND) && spaces == 1,
                "after the revoke: page-table units %s, space %s, its thread %s, %lu spaces",
                slot_empty(T_P) ? "gone" : "here", slot_empty(SPACE) ? "gone" : "here",
                slot_empty(BOUND) ? "gone" : "here", spaces);
    return 1;
}

static l4_word_t use_again(void)
{
    l4_err_t last;
    l4_word_t depth = ~0ul;
    unsigned n = spawn_on_giver_units(&last);

    l4_cap_read(T_Y, NULL, NULL, NULL, NULL, NULL, &depth);
    test_report("ISO-121", n == 4 && depth == 1,
                "%u threads on granted units; they hang at depth %lu below the giver's root", n,
                depth);
    return 1;
}

/* Breach 1: the giver's restart took back its units and its memory, and what they paid for. */
static l4_word_t check_restart(void)
{
    l4_word_t threads, spaces;

    own_counts(&threads, &spaces);
    EXPECT_ERR("ISO-105", l4_cap_read(T_Y, NULL, NULL, NULL, NULL, NULL, NULL), L4_ECAP);
    test_report("ISO-106", all_empty(THREADS, 4) && threads == 1,
                "after the restart %lu threads left", threads);
    EXPECT_ERR("ISO-107", l4_cap_read(T_M2, NULL, NULL, NULL, NULL, NULL, NULL), L4_ECAP);
    EXPECT_ERR("ISO-127", l4_cap_read(T_CMD, NULL, NULL, NULL, NULL, NULL, NULL), L4_ECAP);
    /* nothing mapped there any more: it cannot read what the new run writes */
    EXPECT_ERR("ISO-108", l4_mem_unmap(L4_SLOT_SPACE, VA_M2), L4_ESTATE);
    return 1;
}

static l4_word_t handle(l4_word_t cmd)
{
    switch (cmd) {
    case T_USE:
        return use();
    case T_CHECK_REVOKED:
        return check_revoked();
    case T_USE2:
        return use_again();
    case T_CHECK_RESTART:
        return check_restart();
    case T_CHECK_MEMROOT:
        EXPECT_ERR("ISO-119", l4_cap_read(T_M3, NULL, NULL, NULL, NULL, NULL, NULL), L4_ECAP);
        return 1;
    default:
        return 0;
    }
}

int taker(void)
{
    serve(handle);
    return 0;
}
