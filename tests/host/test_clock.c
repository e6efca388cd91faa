/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the kernel's clocks: monotonic nanoseconds from ticks, the wall clock's offset. */
// uses: kernel/core/clock.c
#include "check.h"
#include "clock.h"
#include "printk.h"

#include <coffer/time.h>
#include <stdarg.h>

/* clock.c asserts: a broken assertion is a failed run, not a hang */
_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("FAIL host/clock/panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(1);
}

static void ns_exact_for_any_rate(void)
{
    CHECK_EQ(clock_ns(0, 1000), 0);
    CHECK_EQ(clock_ns(1, 1000), 1000000);
    CHECK_EQ(clock_ns(1500, 1000), 1500000000ull);
    CHECK_EQ(clock_ns(1, 300), 3333333); // rounded down
    CHECK_EQ(clock_ns(299, 300), 996666666);
    CHECK_EQ(clock_ns(300, 300), L4_NS_PER_SEC);
    CHECK_EQ(clock_ns(601, 300), 2 * L4_NS_PER_SEC + 3333333);
    CHECK_EQ(clock_ns(7, 10000), 700000);
}

/* ticks * 10^9 would wrap after 213 days at 1000 Hz; the seconds first do not. */
static void ns_no_overflow(void)
{
    uint64_t year_ticks = 365ull * 86400 * 1000;

    CHECK_EQ(clock_ns(year_ticks, 1000), 365ull * 86400 * L4_NS_PER_SEC);
    CHECK_EQ(clock_ns(100 * year_ticks + 999, 1000),
             100 * 365ull * 86400 * L4_NS_PER_SEC + 999000000);
}

static void ns_never_goes_back(void)
{
    for (uint64_t hz = 7; hz < 20000; hz = hz * 3 + 1) {
        uint64_t last = 0;
        for (uint64_t t = 0; t < 3 * hz; t += 1 + t / 7) {
            uint64_t now = clock_ns(t, hz);
            CHECK(now >= last);
            last = now;
        }
    }
}

static void wall_follows_set(void)
{
    CHECK_EQ(clock_set(0, 0), L4_OK);
    CHECK_EQ(clock_wall(12345), 12345); // unset: wall is monotonic
    CHECK_EQ(clock_set(1700000000ull * L4_NS_PER_SEC, 5 * L4_NS_PER_SEC), L4_OK);
    CHECK_EQ(clock_wall(5 * L4_NS_PER_SEC), 1700000000ull * L4_NS_PER_SEC);
    CHECK_EQ(clock_wall(7 * L4_NS_PER_SEC), 1700000002ull * L4_NS_PER_SEC);
    /* back in time: the wall clock may go back (the monotonic one is not touched) */
    CHECK_EQ(clock_set(10 * L4_NS_PER_SEC, 5 * L4_NS_PER_SEC), L4_OK);
    CHECK_EQ(clock_wall(7 * L4_NS_PER_SEC), 12 * L4_NS_PER_SEC);
    /* an instant still to come is fine */
    CHECK_EQ(clock_set(100, 100), L4_OK);
    CHECK_EQ(clock_wall(40), 40);
}

static void set_refuses_overflow(void)
{
    CHECK_EQ(clock_set(7, 3), L4_OK);
    CHECK_EQ(clock_set(L4_TIME_MAX, 0), L4_ERANGE);
    CHECK_EQ(clock_set(~0ull, 0), L4_ERANGE);
    CHECK_EQ(clock_set(5, 6), L4_ERANGE); // before 1970 at boot
    CHECK_EQ(clock_set(L4_TIME_MAX + 5, L4_TIME_MAX + 1), L4_ERANGE);
    CHECK_EQ(clock_wall(10), 14); // refusals changed nothing
    /* the largest: wall stays below 2^64 while monotonic is below 2^63 */
    CHECK_EQ(clock_set(L4_TIME_MAX - 1, 0), L4_OK);
    CHECK_EQ(clock_wall(L4_TIME_MAX - 1), ~0ull - 1);
}

int main(void)
{
    RUN("clock", ns_exact_for_any_rate);
    RUN("clock", ns_no_overflow);
    RUN("clock", ns_never_goes_back);
    RUN("clock", wall_follows_set);
    RUN("clock", set_refuses_overflow);
    return CHECK_DONE();
}
