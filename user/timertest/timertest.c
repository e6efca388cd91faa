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
#define TIMER_OTHER 19 /* send capability with another badge: another client */
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
    // a waiting TIMER_WAIT keeps a worker like a sleep: it counts against the same limit, or
    // one client could hold 8 of the 11 workers (4 sleeps and 4 waits)
    l4_word_t id = 0;
    err = timer_arm(TIMER, 100 * MS, &id);
    t0 = mono();
    l4_err_t werr = timer_wait(TIMER, id);
    test_report("RV13-001", !err && werr == L4_EBUSY && mono() - t0 < 50 * MS,
                "a wait beyond the client's limit: %s after %lu ns", l4_strerror(werr),
                mono() - t0);
    timer_cancel(TIMER, id);
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

static volatile l4_word_t waited_id;

/* Wait on timer waited_id; returns the error, and 1000 + err if it took 1 s or more. */
static long waiter(l4_word_t unused)
{
    l4_word_t t0 = mono();
    (void)unused;
    __atomic_add_fetch(&started, 1, __ATOMIC_SEQ_CST);
    l4_err_t err = timer_wait(TIMER, waited_id);
    return mono() - t0 >= 1000 * MS ? 1000 + err : err;
}

static void start_waiter(l4_word_t id)
{
    waited_id = id;
    started = 0;
    l4_thread_spawn(waiter, 0, 100, THREAD0);
    while (started < 1)
        l4_thread_yield();
    yield_n(50); // let it reach the service and park
}

static void test_arm(void)
{
    l4_word_t id = 0, id2 = 0, t0 = mono();
    l4_err_t err = timer_arm(TIMER, 30 * MS, &id);
    l4_word_t armed = mono();
    l4_err_t werr = timer_wait(TIMER, id);
    l4_word_t end = mono();
    test_report("TIMER-050", !err && !werr && end >= t0 + 30 * MS && armed - t0 < 20 * MS,
                "arm %s (%lu ns), wait %s after %lu ns", l4_strerror(err), armed - t0,
                l4_strerror(werr), end - t0);

    err = timer_arm(TIMER, 5000 * MS, &id);
    start_waiter(id);
    l4_err_t cerr = timer_cancel(TIMER, id);
    l4_word_t res = join_thread(THREAD0);
    test_report("TIMER-051", !err && !cerr && res == TIMER_CANCELLED,
                "arm %s, cancel %s, waiter %lu", l4_strerror(err), l4_strerror(cerr), res);

    err = timer_arm(TIMER, 5000 * MS, &id);
    cerr = timer_cancel(TIMER, id);
    werr = timer_wait(TIMER, id);
    test_report("TIMER-052", !err && !cerr && werr == L4_ECAP && timer_cancel(TIMER, id) == L4_ECAP,
                "arm %s, cancel %s, wait after it %s", l4_strerror(err), l4_strerror(cerr),
                l4_strerror(werr));

    err = timer_arm(TIMER, 5 * MS, &id);
    sleep_ms(TIMER, 30);
    t0 = mono();
    werr = timer_wait(TIMER, id);
    test_report("TIMER-053", !err && !werr && mono() - t0 < 20 * MS,
                "wait on a fired timer: %s after %lu ns", l4_strerror(werr), mono() - t0);
    err = timer_arm_at(TIMER, mono() - 1, &id); // a past deadline fires at once
    test_report("TIMER-054", !err && timer_wait(TIMER, id) == L4_OK, "arm at a past deadline: %s",
                l4_strerror(err));
    err = timer_arm(TIMER, 1 * MS, &id);
    sleep_ms(TIMER, 20);
    cerr = timer_cancel(TIMER, id);
    test_report("TIMER-055", !err && cerr == L4_ETIMEOUT && timer_wait(TIMER, id) == L4_ECAP,
                "cancel of a fired timer: %s", l4_strerror(cerr));

    // another client (badge 2) can neither wait on nor cancel badge 1's timer
    err = timer_arm(TIMER, 50 * MS, &id);
    l4_err_t ow = timer_wait(TIMER_OTHER, id), oc = timer_cancel(TIMER_OTHER, id);
    t0 = mono();
    werr = timer_wait(TIMER, id);
    test_report("TIMER-056", !err && ow == L4_ECAP && oc == L4_ECAP && !werr,
                "foreign wait %s, cancel %s; own wait %s", l4_strerror(ow), l4_strerror(oc),
                l4_strerror(werr));
    // and ids are per client: badge 2's own first timer does not make badge 1's id its own
    err = timer_arm(TIMER, 5000 * MS, &id);
    l4_err_t oerr = timer_arm(TIMER_OTHER, 5000 * MS, &id2);
    test_report("TIMER-057",
                !err && !oerr && id != id2 && timer_cancel(TIMER_OTHER, id) == L4_ECAP &&
                    timer_cancel(TIMER, id2) == L4_ECAP && timer_cancel(TIMER, id) == L4_OK &&
                    timer_cancel(TIMER_OTHER, id2) == L4_OK,
                "ids %lx %lx", id, id2);

    // one waiter per timer
    err = timer_arm(TIMER, 5000 * MS, &id);
    start_waiter(id);
    werr = timer_wait(TIMER, id);
    cerr = timer_cancel(TIMER, id);
    res = join_thread(THREAD0);
    test_report("TIMER-058", !err && werr == L4_EBUSY && !cerr && res == TIMER_CANCELLED,
                "a second waiter: %s", l4_strerror(werr));
}

static void test_arm_limit(void)
{
    l4_word_t ids[TIMER_ARMED_PER_CLIENT], extra = 0;
    bool ok = true;

    for (unsigned i = 0; i < TIMER_ARMED_PER_CLIENT; i++)
        ok &= timer_arm(TIMER, 5000 * MS, &ids[i]) == L4_OK;
    l4_err_t err = timer_arm(TIMER, 5000 * MS, &extra);
    l4_err_t other = timer_arm(TIMER_OTHER, 1 * MS, &extra); // another client is not limited
    l4_err_t ow = timer_wait(TIMER_OTHER, extra);
    for (unsigned i = 0; i < TIMER_ARMED_PER_CLIENT; i++)
        ok &= timer_cancel(TIMER, ids[i]) == L4_OK;
    test_report("TIMER-060", ok && err == L4_EBUSY && !other && !ow,
                "arm beyond the limit: %s; another client's arm %s, wait %s", l4_strerror(err),
                l4_strerror(other), l4_strerror(ow));
    ok = true;
    for (unsigned i = 0; i < TIMER_ARMED_PER_CLIENT; i++) // the cancels gave the slots back
        ok &= timer_arm(TIMER, 1 * MS, &ids[i]) == L4_OK;
    for (unsigned i = 0; i < TIMER_ARMED_PER_CLIENT; i++)
        ok &= timer_wait(TIMER, ids[i]) == L4_OK;
    test_report("TIMER-061", ok, "the limit's slots were not given back");
}

static void test_arm_bad(void)
{
    l4_word_t id = 0;

    EXPECT_ERR("TIMER-070", timer_request(TIMER, TIMER_ARM, 0, 0, NULL), L4_EINVAL);
    EXPECT_ERR("TIMER-071", timer_request(TIMER, TIMER_ARM, 2, MS, NULL), L4_EINVAL);
    EXPECT_ERR("TIMER-072", timer_arm(TIMER, TIMER_MAX_NS + 1, &id), L4_ERANGE);
    EXPECT_ERR("TIMER-073", timer_arm_at(TIMER, ~0ull, &id), L4_ERANGE);
    EXPECT_ERR("TIMER-074", timer_request(TIMER, TIMER_WAIT, 0, 0, NULL), L4_EINVAL);
    EXPECT_ERR("TIMER-075", timer_request(TIMER, TIMER_CANCEL, 2, 1, NULL), L4_EINVAL);
    EXPECT_ERR("TIMER-076", timer_wait(TIMER, 0), L4_ECAP);
    EXPECT_ERR("TIMER-077", timer_cancel(TIMER, ~0ull), L4_ECAP);
    EXPECT_ERR("TIMER-078", timer_request(TIMER_ANON, TIMER_ARM, 1, MS, NULL), L4_ERIGHTS);
}

static void test_arm_dead_waiter(void)
{
    l4_word_t id = 0, late;

    // a waiter destroyed while it waits: its timer still fires and is freed by the worker
    l4_err_t err = timer_arm(TIMER, 100 * MS, &id);
    start_waiter(id);
    l4_err_t derr = l4_thread_destroy(THREAD0);
    l4_cap_destroy(THREAD0);
    bool ok = sleep_checked(200 * MS, &late);
    test_report("TIMER-080", !err && !derr && ok && timer_cancel(TIMER, id) == L4_ECAP,
                "arm %s, destroy %s, a sleep after it failed or the id lives on", l4_strerror(err),
                l4_strerror(derr));
    // all the client's slots are free again
    l4_word_t ids[TIMER_ARMED_PER_CLIENT];
    ok = true;
    for (unsigned i = 0; i < TIMER_ARMED_PER_CLIENT; i++)
        ok &= timer_arm(TIMER, 1 * MS, &ids[i]) == L4_OK;
    for (unsigned i = 0; i < TIMER_ARMED_PER_CLIENT; i++)
        ok &= timer_wait(TIMER, ids[i]) == L4_OK;
    test_report("TIMER-081", ok, "the dead waiter's timer was not freed");
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
    test_arm();
    test_arm_limit();
    test_arm_bad();
    test_arm_dead_waiter();
    EXPECT_ERR("TIMER-019", timer_request(TIMER, TIMER_STOP, 0, 0, NULL), L4_ERIGHTS);
    printf("timertest: done\n");
    timer_request(TIMER_ADMIN, TIMER_STOP, 0, 0, NULL);
    return 0;
}
