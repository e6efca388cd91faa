/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Tests of the timer service (user/timer; tests/qemu/systems/timer*.toml). Arguments:
 * "unit": TIMER-001.. (time, sleeps never early by the kernel clock, bad requests, the
 * per-client limit, a sleeper destroyed while it sleeps); "order R": one of eight clients that
 * sleep rank R's duration (the system file shuffles the ranks over the containers) and print
 * their rank when they wake: the test's expect lines want ranks 0..7 in order.
 */
#include "timer.h"

#include "l4.h"
#include "test.h"

#include <coffer/ipc.h>

#define TIMER       16 /* send capability, badged */
#define TIMER_ANON  17 /* send capability without a badge (unit only) */
#define TIMER_ADMIN 18 /* send capability with the badge the service takes TIMER_STOP from */
#define THREAD0     40 /* spawned sleepers */
#define MS          1000000ull

static l4_word_t mono(void)
{
    l4_word_t now = 0;

    l4_time(NULL, NULL, NULL, &now, NULL);
    return now;
}

/* Sleep ns by the service; true iff it succeeded and the kernel clock says ns passed. */
static bool sleep_checked(l4_word_t ns, l4_word_t *late)
{
    l4_word_t start = mono(), replied = 0;
    l4_err_t err = timer_request(TIMER, TIMER_SLEEP, 1, ns, &replied);
    l4_word_t end = mono();

    *late = end - start - ns;
    return err == L4_OK && end >= start + ns && replied >= start + ns && replied <= end;
}

static int order(l4_word_t rank)
{
    l4_word_t late;
    // ranks 100 ms apart after a common start: far more than scheduling noise under TCG
    bool ok = sleep_checked(300 * MS + rank * 100 * MS, &late);
    printf("timer-order: rank %lu woke%s\n", rank, ok ? "" : " EARLY or failed");
    if (rank == 7)
        timer_request(TIMER_ADMIN, TIMER_STOP, 0, 0, NULL); // the service would keep the system up
    return 0;
}

static volatile l4_word_t started;

static long sleeper(l4_word_t ms)
{
    l4_word_t late;

    __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    return sleep_checked(ms * MS, &late) ? 0 : 1;
}

/* Start n sleepers of ms each in THREAD0.. and wait until all of them have called. */
static void start_sleepers(unsigned n, l4_word_t ms)
{
    started = 0;
    for (unsigned i = 0; i < n; i++)
        l4_thread_spawn(sleeper, ms, 100, THREAD0 + i);
    while (started < n)
        l4_thread_yield();
    yield_n(50); // let the last one reach the service
}

static void test_time(void)
{
    l4_word_t before = mono(), t = clock_monotonic(TIMER), after = mono();
    test_report("TIMER-001", t != 0 && before <= t && t <= after,
                "kernel %lu, service %lu, kernel %lu", before, t, after);

    bool ok = true;
    l4_word_t last = 0;
    for (unsigned i = 0; i < 200 && ok; i++) {
        l4_word_t now = (i & 1) ? mono() : clock_monotonic(TIMER);
        ok = now >= last;
        last = now;
    }
    test_report("TIMER-002", ok, "the clock went back to %lu", last);
}

static void test_sleeps(void)
{
    static const l4_word_t ms[] = {1, 3, 10, 25, 60, 130};
    bool ok = true;
    l4_word_t late = 0, worst = 0;

    for (unsigned i = 0; i < sizeof(ms) / sizeof(ms[0]) && ok; i++) {
        ok = sleep_checked(ms[i] * MS, &late);
        if (late > worst)
            worst = late;
    }
    test_report("TIMER-003", ok, "a sleep returned early or failed (late %lu ns)", late);
    printf("timertest: sleeps at most %lu us late\n", worst / 1000);
    ok = sleep_checked(0, &late);
    test_report("TIMER-004", ok && late < 50 * MS, "a sleep of 0 took %lu ns too long", late);

    l4_word_t deadline = mono() + 20 * MS, replied = 0;
    l4_err_t err = timer_request(TIMER, TIMER_WAKE_AT, 1, deadline, &replied);
    l4_word_t end = mono();
    test_report("TIMER-005", !err && end >= deadline && replied >= deadline,
                "wake at %lu: %s, replied at %lu, kernel %lu", deadline, l4_strerror(err), replied,
                end);
    test_report("TIMER-006", sleep_ms(TIMER, 5) == L4_OK && clock_monotonic(TIMER) >= end + 5 * MS,
                "sleep_ms(5) did not sleep 5 ms");
}

static void test_bad(void)
{
    l4_word_t now = mono(), replied = 0;

    EXPECT_ERR("TIMER-010", timer_request(TIMER, 99, 0, 0, NULL), L4_ENOSYS);
    EXPECT_ERR("TIMER-011", timer_request(TIMER, TIMER_SLEEP, 0, 0, NULL), L4_EINVAL);
    EXPECT_ERR("TIMER-012", timer_request(TIMER, TIMER_SLEEP, 2, MS, NULL), L4_EINVAL);
    EXPECT_ERR("TIMER-013", timer_request(TIMER, TIMER_MONOTONIC, 1, 0, NULL), L4_EINVAL);
    EXPECT_ERR("TIMER-014", timer_request(TIMER, TIMER_SLEEP, 1, TIMER_MAX_NS + 1, NULL),
               L4_ERANGE);
    EXPECT_ERR("TIMER-015", timer_request(TIMER, TIMER_WAKE_AT, 1, ~0ull, NULL), L4_ERANGE);
    l4_err_t err = timer_request(TIMER, TIMER_WAKE_AT, 1, now, &replied);
    test_report("TIMER-016", err == L4_ETIMEOUT && replied >= now,
                "a past deadline: %s, replied at %lu", l4_strerror(err), replied);
    EXPECT_ERR("TIMER-017", timer_request(TIMER_ANON, TIMER_MONOTONIC, 0, 0, NULL), L4_ERIGHTS);
    EXPECT_ERR("TIMER-018", sleep_ms(TIMER, ~0ull), L4_ERANGE);
}

static void test_limit(void)
{
    start_sleepers(TIMER_PER_CLIENT, 300);
    l4_word_t t0 = mono();
    l4_err_t err = sleep_ms(TIMER, 10);
    test_report("TIMER-020", err == L4_EBUSY && mono() - t0 < 200 * MS,
                "a 5th sleep of one client: %s", l4_strerror(err));
    test_report("TIMER-021", clock_monotonic(TIMER) != 0, "the service stopped answering");
    bool ok = true;
    for (unsigned i = 0; i < TIMER_PER_CLIENT; i++)
        ok &= join_thread(THREAD0 + i) == 0;
    test_report("TIMER-022", ok, "a sleeper at the limit failed or woke early");
}

static void test_dead_sleeper(void)
{
    l4_word_t late;

    start_sleepers(1, 150);
    l4_err_t err = l4_thread_destroy(THREAD0);
    l4_cap_destroy(THREAD0);
    bool ok = sleep_checked(250 * MS, &late); // past the dead one's deadline
    test_report("TIMER-030", !err && ok, "destroy %s; our sleep after it failed or was early",
                l4_strerror(err));
    // its entry fired harmlessly: the per-client count is whole again
    start_sleepers(TIMER_PER_CLIENT - 1, 50);
    ok = sleep_checked(100 * MS, &late);
    for (unsigned i = 0; i < TIMER_PER_CLIENT - 1; i++)
        ok &= join_thread(THREAD0 + i) == 0;
    test_report("TIMER-031", ok, "the client's slots were not given back");
}

int main(const char *arg)
{
    if (arg[0] == 'o')
        return order((l4_word_t)(arg[5] - '0'));
    test_time();
    test_sleeps();
    test_bad();
    test_limit();
    test_dead_sleeper();
    EXPECT_ERR("TIMER-019", timer_request(TIMER, TIMER_STOP, 0, 0, NULL), L4_ERIGHTS);
    printf("timertest: done\n");
    timer_request(TIMER_ADMIN, TIMER_STOP, 0, 0, NULL);
    return 0;
}
