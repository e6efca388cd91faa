/* SPDX-License-Identifier: BSD-2-Clause */
/* Waiting for ends: thread_wait, exit notifications and container_notify (WAIT-xxx). */
#include "test.h"

#include <coffer/thread.h>

#define CRASHER      16 /* the container crasher: control, inspect */
#define ENDER        17 /* the container ender: control, inspect */
#define CRASHER_LOOK 18 /* the container crasher: inspect only */
#define NTF          20 /* a notification of ours: signal, wait */
#define NTF_WAITONLY 21 /* the same, wait only */
#define GATE         22 /* a notification the targets block on until told to end */
#define TARGET       24 /* the thread waited for */
#define TARGET_COPY  25
#define WAITER       26 /* helper threads: 26, 27 */
#define SPARE        28
#define EMPTY        63
#define POOL_NTF     L4_SLOT_POOL(L4_POOL_NOTIFICATIONS)

static volatile long waited[2];
static volatile l4_err_t waited_err[2];
static volatile bool waiting[2];

/* A target that blocks on GATE until signalled, then ends with its argument. */
static long gated(l4_word_t code)
{
    l4_word_t bits;

    l4_notify_wait(GATE, &bits);
    return (long)code;
}

static long faulting(l4_word_t arg)
{
    (void)arg;
    *(volatile int *)0xdead000 = 1; // no fault endpoint: stopped, not ended
    return 0;
}

/* Waiter i waits for TARGET (or the slot in arg's upper half) and records what it got. */
static long waiter(l4_word_t i)
{
    l4_word_t code = 0;

    waiting[i] = true;
    waited_err[i] = l4_thread_wait(TARGET, 0, &code);
    waited[i] = (long)code;
    waiting[i] = false;
    return 0;
}

/* Start n waiters above our priority: each has blocked in thread_wait when this returns. */
static void start_waiters(unsigned n, l4_word_t prio)
{
    for (unsigned i = 0; i < n; i++) {
        waited_err[i] = -1;
        waited[i] = -1;
        l4_thread_spawn(waiter, i, prio + 1, WAITER + i);
    }
}

static void end_waiters(unsigned n)
{
    for (unsigned i = 0; i < n; i++)
        l4_thread_destroy(WAITER + i);
}

static void release_gate(void)
{
    l4_notify_signal(GATE);
    yield_n(3);
}

static void collected(l4_word_t prio)
{
    l4_word_t code = 0;

    l4_thread_spawn(gated, 7, prio, TARGET);
    release_gate();
    l4_err_t err = l4_thread_wait(TARGET, 0, &code);
    test_report("WAIT-001", err == L4_OK && code == 7, "blocking wait: %s, code %lu",
                l4_strerror(err), code);
    err = l4_thread_wait(TARGET, L4_WAIT_NONBLOCK, &code);
    test_report("WAIT-002", err == L4_OK && code == 7, "non-blocking wait after the end: %s, %lu",
                l4_strerror(err), code);
    l4_thread_destroy(TARGET);

    l4_thread_spawn(gated, 9, prio, TARGET);
    EXPECT_ERR("WAIT-003", l4_thread_wait(TARGET, L4_WAIT_NONBLOCK, &code), L4_ETIMEOUT);
    start_waiters(2, prio);
    release_gate();
    test_report("WAIT-004",
                waited_err[0] == L4_OK && waited[0] == 9 && waited_err[1] == L4_OK &&
                    waited[1] == 9,
                "two waiters got %s/%ld and %s/%ld", l4_strerror(waited_err[0]), waited[0],
                l4_strerror(waited_err[1]), waited[1]);
    end_waiters(2);
    l4_thread_destroy(TARGET);
}

static void faulted(l4_word_t prio)
{
    l4_word_t code;

    l4_thread_spawn(faulting, 0, prio, TARGET);
    l4_thread_suspend(TARGET);
    start_waiters(1, prio);
    l4_thread_resume(TARGET);
    yield_n(3);
    test_report("WAIT-005", waited_err[0] == L4_ESTATE, "waiter of a faulted thread got %s",
                l4_strerror(waited_err[0]));
    EXPECT_ERR("WAIT-006", l4_thread_wait(TARGET, 0, &code), L4_ESTATE);
    end_waiters(1);
    l4_thread_destroy(TARGET);
}

static void interrupted(l4_word_t prio)
{
    l4_thread_spawn(gated, 1, prio, TARGET);
    start_waiters(1, prio);
    l4_thread_destroy(TARGET);
    yield_n(2);
    test_report("WAIT-007", waited_err[0] == L4_ECAP, "waiter of a destroyed thread got %s",
                l4_strerror(waited_err[0]));
    end_waiters(1);

    /* our only capability loses L4_THR_READ: the wait rested on it */
    l4_thread_spawn(gated, 1, prio, TARGET);
    start_waiters(1, prio);
    l4_cap_deduce(TARGET, L4_THR_RIGHTS_ALL & ~L4_THR_READ, 0, 0);
    yield_n(2);
    test_report("WAIT-008", waited_err[0] == L4_ECAP && !waiting[0],
                "waiter whose capability lost its read right got %s", l4_strerror(waited_err[0]));
    end_waiters(1);
    l4_thread_destroy(TARGET);
}

static void errors(l4_word_t prio)
{
    l4_word_t code;

    l4_thread_spawn(gated, 1, prio, TARGET);
    l4_cap_replicate(TARGET, TARGET_COPY);
    l4_cap_deduce(TARGET_COPY, L4_THR_RIGHTS_ALL & ~L4_THR_READ, 0, 0);
    EXPECT_ERR("WAIT-009", l4_thread_wait(TARGET_COPY, 0, &code), L4_ERIGHTS);
    EXPECT_ERR("WAIT-010", l4_thread_wait(L4_SLOT_SPACE, 0, &code), L4_ECAP);
    EXPECT_ERR("WAIT-011", l4_thread_wait(EMPTY, 0, &code), L4_ECAP);
    EXPECT_ERR("WAIT-012", l4_thread_wait(L4_SLOT_THREAD, 0, &code), L4_EINVAL);
    EXPECT_ERR("WAIT-013", l4_thread_wait(TARGET, 2, &code), L4_EINVAL);
    l4_cap_destroy(TARGET_COPY);
    release_gate();
    /* an ended thread keeps its exit code and its unit; its other calls are refused */
    l4_word_t old;
    EXPECT_ERR("WAIT-014", l4_thread_configure(TARGET, L4_THREAD_PRIORITY, 1), L4_ESTATE);
    EXPECT_ERR("WAIT-015", l4_thread_exregs(TARGET, 0, 0, 0, 0, &old, &old), L4_ESTATE);
    EXPECT_ERR("WAIT-016", l4_thread_start(TARGET), L4_ESTATE);
    EXPECT_ERR("WAIT-017", l4_thread_suspend(TARGET), L4_ESTATE);
    EXPECT_ERR("WAIT-018", l4_thread_resume(TARGET), L4_ESTATE);
    l4_word_t before, after, total;
    l4_container_usage(L4_SLOT_CONTAINER, L4_POOL_THREADS, &before, &total);
    l4_err_t err = l4_thread_destroy(TARGET);
    l4_container_usage(L4_SLOT_CONTAINER, L4_POOL_THREADS, &after, &total);
    test_report("WAIT-019", err == L4_OK && after == before - 1 && slot_empty(TARGET),
                "destroying an ended thread: %s, units %lu -> %lu", l4_strerror(err), before,
                after);
}

static bool ntf_pending(l4_cap_t n)
{
    l4_word_t bits;

    return l4_notify_poll(n, &bits) == L4_OK;
}

/* Start fn(arg) as TARGET with its exit notification bound to n, and let it run. */
static void start_bound(long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, l4_cap_t n)
{
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, fn, arg, prio, TARGET);
    l4_thread_configure(TARGET, L4_THREAD_EXIT_NTF, n);
    l4_thread_start(TARGET);
    yield_n(2);
}

static void exit_notification(l4_word_t prio)
{
    l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, prio, SPARE, NULL);
    EXPECT_ERR("WAIT-020", l4_thread_configure(SPARE, L4_THREAD_EXIT_NTF, L4_SLOT_SPACE), L4_ECAP);
    EXPECT_ERR("WAIT-021", l4_thread_configure(SPARE, L4_THREAD_EXIT_NTF, NTF_WAITONLY),
               L4_ERIGHTS);
    l4_thread_destroy(SPARE);

    start_bound(gated, 3, prio, NTF);
    bool early = ntf_pending(NTF);
    release_gate();
    test_report("WAIT-022", !early && ntf_pending(NTF), "exit notification: before %d, after end",
                early);
    l4_thread_destroy(TARGET);

    start_bound(faulting, 0, prio, NTF);
    test_report("WAIT-023", ntf_pending(NTF), "exit notification on a fault");
    l4_thread_destroy(TARGET);
    ntf_pending(NTF); // being destroyed is an end too: that signal is taken here

    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, gated, 3, prio, TARGET);
    l4_thread_configure(TARGET, L4_THREAD_EXIT_NTF, NTF);
    l4_thread_configure(TARGET, L4_THREAD_EXIT_NTF, 0);
    l4_thread_start(TARGET);
    release_gate();
    test_report("WAIT-024", !ntf_pending(NTF), "unbound exit notification signalled");
    l4_thread_destroy(TARGET);

    /* the binding rests on our right to signal: deduce it away and nothing is signalled */
    l4_cap_replicate(NTF, SPARE);
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, gated, 3, prio, TARGET);
    l4_thread_configure(TARGET, L4_THREAD_EXIT_NTF, SPARE);
    l4_cap_deduce(SPARE, L4_NTF_WAIT, 0, 0);
    l4_cap_deduce(NTF, L4_NTF_WAIT, 0, 0);
    l4_thread_start(TARGET);
    release_gate();
    test_report("WAIT-025", !ntf_pending(NTF), "exit notification outlived the right to signal");
    l4_thread_destroy(TARGET);
    l4_cap_destroy(SPARE);
}

/* Wait for c's news: its notification, bound and then c restarted to run again. */
static l4_word_t restart_and_wait(l4_cap_t c, l4_cap_t n)
{
    l4_word_t bits = 0;

    l4_container_restart(c);
    l4_notify_wait(n, &bits);
    return bits;
}

static void container_news(void)
{
    l4_cap_t n = SPARE;

    l4_notification_create(POOL_NTF, n, NULL);
    EXPECT_ERR("WAIT-026", l4_container_notify(CRASHER_LOOK, n), L4_ERIGHTS);
    EXPECT_ERR("WAIT-027", l4_container_notify(NTF, n), L4_ECAP);
    EXPECT_ERR("WAIT-028", l4_container_notify(CRASHER, NTF_WAITONLY), L4_ERIGHTS);
    EXPECT_ERR("WAIT-029", l4_container_notify(CRASHER, L4_SLOT_SPACE), L4_ECAP);

    struct container_info before = container_info(CRASHER);
    EXPECT_ERR("WAIT-030", l4_container_notify(CRASHER, n), L4_OK);
    l4_word_t bits = restart_and_wait(CRASHER, n);
    struct container_info after = container_info(CRASHER);
    test_report("WAIT-031", bits == 1 && after.faults == before.faults + 1,
                "container_notify on a fault: bits %lx, faults %lu -> %lu", bits, before.faults,
                after.faults);

    l4_container_notify(ENDER, n);
    bits = restart_and_wait(ENDER, n);
    test_report("WAIT-032", bits == 1 && container_info(ENDER).threads == 0,
                "container_notify on the last thread's end: bits %lx, threads %lu", bits,
                container_info(ENDER).threads);

    /* a restart is no news: stopped, restarted (its faulted thread killed), nothing comes */
    l4_container_stop(CRASHER);
    l4_container_restart(CRASHER);
    test_report("WAIT-033", !ntf_pending(n), "a restart signalled the container's notification");
    l4_container_notify(CRASHER, 0);
    l4_container_start(CRASHER);
    while (container_info(CRASHER).faults == after.faults)
        l4_thread_yield();
    test_report("WAIT-034", !ntf_pending(n), "an unbound container notification signalled");
}

int main(const char *arg)
{
    l4_word_t tid, space, prio;

    if (arg && arg[0] == 'c')
        *(volatile int *)0xdead000 = 1; // the crasher
    if (arg && arg[0])
        return 0; // the ender, and the crasher if resumed
    l4_thread_id(&tid, &space, &prio);
    prio -= 10; // room above us for the waiters, under the container's ceiling
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, prio);
    l4_notification_create(POOL_NTF, NTF, NULL);
    l4_cap_replicate(NTF, NTF_WAITONLY);
    l4_cap_deduce(NTF_WAITONLY, L4_NTF_WAIT, 0, 0);
    l4_notification_create(POOL_NTF, GATE, NULL);
    collected(prio);
    faulted(prio);
    interrupted(prio);
    errors(prio);
    exit_notification(prio);
    container_news();
    printf("waittest: done\n");
    return 0;
}
