/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * WALL-xxx: the wall clock (tests/qemu/systems/wall.toml). The setter holds the clock
 * capability: time_set's errors, a setting read back exactly against the monotonic clock, the
 * wall clock set back while the monotonic one goes on; a container without the capability is
 * refused and reads what the setter set last.
 */
#include "smalltest.h"

#include <coffer/time.h>

#define CLOCK 20                                   /* the clock capability (system file) */
#define EPOCH (1700000000ull * L4_NS_PER_SEC)      /* a wall time: November 2023 */
#define LAST  (1800000000ull * L4_NS_PER_SEC + 42) /* the setter's last offset */

struct clocks {
    l4_word_t ticks, hz, mono, wall;
};

static struct clocks now(void)
{
    struct clocks c = {0};

    l4_time(&c.ticks, &c.hz, NULL, &c.mono, &c.wall);
    return c;
}

static void errors(void)
{
    EXPECT_ERR("WALL-003", l4_time_set(L4_SLOT_SPACE, EPOCH, 0), L4_ECAP);
    weaker_copy(CLOCK, WEAK, L4_RIGHT_COPY);
    EXPECT_ERR("WALL-004", l4_time_set(WEAK, EPOCH, 0), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("WALL-005", l4_time_set(CLOCK, L4_TIME_MAX, 0), L4_ERANGE);
    EXPECT_ERR("WALL-006", l4_time_set(CLOCK, 5, 6), L4_ERANGE);
    struct clocks c = now();
    test_report("WALL-007", c.wall == c.mono, "refused settings moved the wall clock by %lu",
                c.wall - c.mono);
}

int wall_tests(void)
{
    struct clocks c = now();

    test_report("WALL-001", c.wall == c.mono, "unset wall %lu, monotonic %lu", c.wall, c.mono);
    l4_word_t exact = c.ticks / c.hz * L4_NS_PER_SEC + c.ticks % c.hz * L4_NS_PER_SEC / c.hz;
    test_report("WALL-002", c.mono == exact && c.hz > 0, "%lu ticks at %lu Hz gave %lu ns", c.ticks,
                c.hz, c.mono);
    errors();
    /* set, and read back: wall = what was set + what the monotonic clock ran since */
    c = now();
    EXPECT_ERR("WALL-008", l4_time_set(CLOCK, EPOCH, c.mono), L4_OK);
    wait_ticks(5);
    struct clocks d = now();
    test_report("WALL-009", d.mono > c.mono && d.wall == EPOCH + (d.mono - c.mono),
                "set %llu at %lu; read %lu at %lu", EPOCH, c.mono, d.wall, d.mono);
    /* the wall clock set back: it goes back, the monotonic clock does not */
    l4_err_t err = l4_time_set(CLOCK, d.mono + L4_NS_PER_SEC, d.mono);
    struct clocks e = now();
    test_report("WALL-010",
                err == L4_OK && e.mono >= d.mono && e.wall < d.wall &&
                    e.wall == e.mono + L4_NS_PER_SEC,
                "%s: monotonic %lu -> %lu, wall %lu -> %lu", l4_strerror(err), d.mono, e.mono,
                d.wall, e.wall);
    /* the largest setting the kernel takes, and wall still fits */
    err = l4_time_set(CLOCK, L4_TIME_MAX - 1, 0);
    e = now();
    test_report("WALL-011", err == L4_OK && e.wall == e.mono + (L4_TIME_MAX - 1),
                "%s: wall %lu at %lu", l4_strerror(err), e.wall, e.mono);
    e = now();
    EXPECT_ERR("WALL-012", l4_time_set(CLOCK, LAST + e.mono, e.mono), L4_OK);
    printf("wall: done\n");
    return 0;
}

/* The other container: no clock capability, but the same wall clock to read. */
int wall_refused(void)
{
    EXPECT_ERR("WALL-020", l4_time_set(CLOCK, EPOCH, 0), L4_ECAP); // an empty slot here
    EXPECT_ERR("WALL-021", l4_time_set(L4_SLOT_CONTAINER, EPOCH, 0), L4_ECAP);
    struct clocks c = now();
    test_report("WALL-022", c.wall - c.mono == LAST, "wall %lu - monotonic %lu is not %llu", c.wall,
                c.mono, LAST);
    printf("wall-refused: done\n");
    return 0;
}
