/* SPDX-License-Identifier: BSD-2-Clause */
/* futex_wait and futex_wake conformance: FUTEX-001..023 (libl4's mutex and condvar: sync.c). */
#include "futextest.h"

#include <coffer/layout.h>
#include <coffer/thread.h>

#define USER_TOP     L4_USER_TOP
#define KERNEL_VA    0xffffffff80000000ull
#define NONCANONICAL 0x8000000000000000ull
#define UNMAPPED     0x7ffffff00000ull /* free: nothing is mapped here (docs/user-library.md) */

static uint32_t word;     /* the waiters of each test wait on it while it holds 0 */
static uint32_t word2;    /* a second word of the same space */
static uint32_t iso_word; /* at the same address in both containers, each its own */
static char order[16];    /* tags of woken waiters, in the order they ran */
static unsigned norder;
static volatile long ran; /* how many waiters got past their wait */

/* Wait on word while it holds 0, then log the tag (arg) and how the wait ended. */
static long waiter(l4_word_t tag)
{
    l4_err_t err = l4_futex_wait((l4_word_t)&word, 0);

    order[norder++] = err ? '!' : (char)tag;
    ran++;
    return err;
}

static void reset_log(void)
{
    for (unsigned i = 0; i < sizeof(order); i++)
        order[i] = 0;
    norder = 0;
    ran = 0;
}

static bool log_is(const char *want)
{
    return strcmp(order, want) == 0;
}

static void wait_errors(void)
{
    l4_word_t a = (l4_word_t)&word;

    EXPECT_ERR("FUTEX-001", l4_futex_wait(a + 2, 0), L4_EINVAL);
    EXPECT_ERR("FUTEX-002", l4_futex_wait(a, 1ull << 32), L4_EINVAL);
    EXPECT_ERR("FUTEX-003", l4_futex_wait(KERNEL_VA, 0), L4_ERANGE);
    EXPECT_ERR("FUTEX-004", l4_futex_wait(NONCANONICAL, 0), L4_ERANGE);
    EXPECT_ERR("FUTEX-005", l4_futex_wait(UNMAPPED, 0), L4_EFAULT);
    EXPECT_ERR("FUTEX-006", l4_futex_wait(0, 0), L4_EFAULT); // page 0 is never mapped
    word = 5;
    EXPECT_ERR("FUTEX-007", l4_futex_wait(a, 4), L4_ESTATE); // returns at once: we run on
    word = 0;
    EXPECT_ERR("FUTEX-008", l4_futex_wait(USER_TOP, 0), L4_ERANGE);
}

static void wake_errors(void)
{
    l4_word_t n = 99;

    EXPECT_ERR("FUTEX-009", l4_futex_wake((l4_word_t)&word + 1, 1, NULL), L4_EINVAL);
    EXPECT_ERR("FUTEX-010", l4_futex_wake(KERNEL_VA, 1, NULL), L4_ERANGE);
    EXPECT_ERR("FUTEX-011", l4_futex_wake(NONCANONICAL, 1, NULL), L4_ERANGE);
    /* nobody waits; an unmapped word may be woken too (its waiters might have mapped it) */
    l4_err_t err = l4_futex_wake(UNMAPPED, WAKE_ALL, &n);
    test_report("FUTEX-012", !err && n == 0, "%s, woke %lu", l4_strerror(err), n);
}

static long waiter2(l4_word_t tag)
{
    l4_err_t err = l4_futex_wait((l4_word_t)&word2, 0);

    order[norder++] = err ? '!' : (char)tag;
    return err;
}

/* A wake reaches only the waiters of its word, whatever their priority. */
static void two_words(void)
{
    l4_word_t n1 = 0, n2 = 0;

    reset_log();
    spawn(0, waiter, 'W', 60);
    spawn(1, waiter2, 'V', 50);
    l4_futex_wake((l4_word_t)&word2, WAKE_ALL, &n1);
    l4_futex_wake((l4_word_t)&word, WAKE_ALL, &n2);
    test_report("FUTEX-023", n1 == 1 && n2 == 1 && log_is("VW"), "woke %lu then %lu, order '%s'",
                n1, n2, order);
}

/* Waiters at 50, 70, 60, 70 (tags A B C D, started in that order). */
static void start_four(void)
{
    reset_log();
    spawn(0, waiter, 'A', 50);
    spawn(1, waiter, 'B', 70);
    spawn(2, waiter, 'C', 60);
    spawn(3, waiter, 'D', 70);
}

/* One at a time: each woken waiter outranks us and runs before futex_wake returns to us. */
static void wake_one_by_one(void)
{
    l4_word_t n[5] = {0}, zero = 99;

    start_four();
    l4_err_t err = l4_futex_wake((l4_word_t)&word, 0, &zero); // n = 0 wakes none
    for (int i = 0; i < 5; i++)
        l4_futex_wake((l4_word_t)&word, 1, &n[i]);
    test_report("FUTEX-013",
                !err && zero == 0 && n[0] == 1 && n[1] == 1 && n[2] == 1 && n[3] == 1 && n[4] == 0,
                "wake counts %lu (n=0), %lu %lu %lu %lu %lu", zero, n[0], n[1], n[2], n[3], n[4]);
    test_report("FUTEX-014", log_is("BDCA"), "woke in order '%s', expected BDCA", order);
}

static void wake_all_at_once(void)
{
    l4_word_t n = 0;

    start_four();
    l4_futex_wake((l4_word_t)&word, WAKE_ALL, &n);
    test_report("FUTEX-015", n == 4 && log_is("BDCA"), "woke %lu, ran in order '%s'", n, order);
}

/* A waiter whose priority rises while it waits moves up the queue. */
static void priority_change(void)
{
    reset_log();
    spawn(0, waiter, 'X', 50);
    spawn(1, waiter, 'Y', 60);
    l4_thread_configure(spawn_slot(0), L4_THREAD_PRIORITY, 70);
    l4_futex_wake((l4_word_t)&word, 1, NULL);
    l4_futex_wake((l4_word_t)&word, 1, NULL);
    test_report("FUTEX-016", log_is("XY"), "woke in order '%s', expected XY", order);
}

/* A waiter destroyed while waiting leaves the queue whole; a suspended one wakes on resume. */
static void waiter_lifecycle(void)
{
    l4_word_t n = 99;

    reset_log();
    spawn(0, waiter, 'K', 50);
    l4_err_t err = l4_thread_destroy(spawn_slot(0));
    l4_futex_wake((l4_word_t)&word, WAKE_ALL, &n);
    spawn(0, waiter, 'L', 50);
    l4_word_t m = 0;
    l4_futex_wake((l4_word_t)&word, WAKE_ALL, &m);
    test_report("FUTEX-017", !err && n == 0 && m == 1 && log_is("L"),
                "destroy %s, then woke %lu, then %lu, log '%s'", l4_strerror(err), n, m, order);

    reset_log();
    spawn(0, waiter, 'S', 50);
    l4_thread_suspend(spawn_slot(0));
    l4_futex_wake((l4_word_t)&word, WAKE_ALL, &n);
    long before = ran;
    l4_thread_resume(spawn_slot(0));
    test_report("FUTEX-018", n == 1 && before == 0 && ran == 1 && log_is("S"),
                "woke %lu, ran %ld before resume and %ld after", n, before, ran);
}

/*
 * Waiting costs nothing but the waiting thread: a container has at most as many waiters
 * as its thread pool has units, and the thread after that is refused, not a waiter.
 */
static void pool_limit(void)
{
    unsigned k = 0;
    l4_err_t err = L4_OK;
    l4_word_t n = 0;

    reset_log();
    while (k < NSTACKS && !(err = spawn(k, waiter, 'a' + k, 50)))
        k++;
    l4_futex_wake((l4_word_t)&word, WAKE_ALL, &n);
    test_report("FUTEX-019", err == L4_ENOMEM && k == NSTACKS - 1 && n == k && ran == (long)k,
                "%u waiters, then %s; woke %lu, %ld ran", k, l4_strerror(err), n, ran);
    /* the units came back with the threads */
    reset_log();
    err = spawn(0, waiter, 'z', 50);
    l4_futex_wake((l4_word_t)&word, WAKE_ALL, &n);
    test_report("FUTEX-020", !err && n == 1 && log_is("z"), "%s, woke %lu", l4_strerror(err), n);
}

/* Futexes are per space: container other waits at the same address, in its own space. */
static void isolation(void)
{
    l4_word_t n = 99;
    l4_err_t err = l4_futex_wake((l4_word_t)&iso_word, WAKE_ALL, &n);

    test_report("FUTEX-021", !err && n == 0, "%s, woke %lu of another space's waiters",
                l4_strerror(err), n);
}

static long iso_waiter(l4_word_t arg)
{
    (void)arg;
    l4_futex_wait((l4_word_t)&iso_word, 0);
    ran++;
    return 0;
}

/* Container other: a waiter at iso_word, checked once futextest (above us) is done. */
static int other_main(void)
{
    l4_word_t n = 0;

    spawn(0, iso_waiter, 0, 150);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, 1);
    long before = ran;
    l4_futex_wake((l4_word_t)&iso_word, WAKE_ALL, &n);
    test_report("FUTEX-022", before == 0 && n == 1 && ran == 1,
                "ran %ld before its own wake, woke %lu, ran %ld after", before, n, ran);
    return 0;
}

int main(const char *arg)
{
    if (strcmp(arg, "other") == 0)
        return other_main();
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, MAIN_PRIO);
    wait_errors();
    wake_errors();
    wake_one_by_one();
    wake_all_at_once();
    priority_change();
    two_words();
    waiter_lifecycle();
    pool_limit();
    isolation();
    sync_tests();
    printf("futextest: done\n");
    return 0;
}
