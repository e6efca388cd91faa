/* SPDX-License-Identifier: BSD-2-Clause */
/* Scheduler conformance tests SCHED-xxx: preemption, priority order, suspend/resume, yield. */
#include "test.h"

#include <coffer/thread.h>

/*
 * Each test runs its threads in a priority band below the previous test's:
 * nobody may raise a priority above its own, so main steps down as it goes.
 */
static volatile int flag;
static volatile l4_word_t counter;
static volatile int order[3], norder;

static void set_own_priority(l4_word_t prio)
{
    l4_err_t err = l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, prio);

    if (err)
        printf("schedtest: cannot lower own priority: %s\n", l4_strerror(err));
}

/*
 * SCHED-001's two threads record what each saw, for main to read once both are done: the
 * spinner whether its peer's flag came before its own deadline, the setter whether it ran
 * while the spinner was still spinning (so the CPU was taken from a busy thread).
 */
enum { NOT_STARTED, SPINNING, SPUN };
static volatile int spinner_state, spinner_saw_flag, setter_saw_state;
static volatile int spinner_done, setter_done;

/* Busy until flag is set by the other thread or 200 ticks pass. */
static long spin_until_flag(l4_word_t arg)
{
    (void)arg;
    spinner_state = SPINNING;
    l4_word_t start = test_ticks();
    int saw = 0;
    while (!(saw = flag) && test_ticks() - start < 200)
        ;
    spinner_saw_flag = saw;
    spinner_state = SPUN;
    spinner_done = 1;
    return 0;
}

static long set_flag_in_spin(l4_word_t arg)
{
    (void)arg;
    setter_saw_state = spinner_state;
    flag = 1;
    setter_done = 1;
    return 0;
}

static long set_flag(l4_word_t arg)
{
    flag = (int)arg;
    return 0;
}

/* SCHED-001: an equal-priority thread gets the CPU from a busy one through the timer alone. */
static void preemption(void)
{
    flag = 0;
    spinner_state = NOT_STARTED;
    spinner_saw_flag = setter_saw_state = -1;
    spinner_done = setter_done = 0;
    l4_thread_spawn(spin_until_flag, 0, 90, 20);
    l4_thread_spawn(set_flag_in_spin, 0, 90, 21);
    /*
     * Both run now, the spinner first; main, below them, gets the CPU back only when
     * neither can run, that is once both have finished.
     */
    set_own_priority(80);
    if (!spinner_done || !setter_done) {
        test_report("SCHED-001", false, "main ran before its threads finished (%d, %d)",
                    spinner_done, setter_done);
        return;
    }
    test_report("SCHED-001", setter_saw_state == SPINNING && spinner_saw_flag == 1,
                "busy thread was never preempted for its peer: the peer ran when the spinner "
                "was %s, the spinner saw the flag %s",
                setter_saw_state == NOT_STARTED ? "not started"
                : setter_saw_state == SPUN      ? "done"
                                                : "spinning",
                spinner_saw_flag == 1 ? "in time" : "never");
}

static long log_priority(l4_word_t prio)
{
    order[norder++] = (int)prio;
    return 0;
}

/* SCHED-002: ready threads run strictly by priority, not by start order. */
static void priority_order(void)
{
    norder = 0;
    l4_thread_spawn(log_priority, 70, 70, 22);
    l4_thread_spawn(log_priority, 75, 75, 23);
    l4_thread_spawn(log_priority, 72, 72, 24);
    test_report("SCHED-007", norder == 0, "lower-priority threads ran before main gave way");
    set_own_priority(60);
    test_report("SCHED-002", norder == 3 && order[0] == 75 && order[1] == 72 && order[2] == 70,
                "order %d %d %d (%d ran), expected 75 72 70", order[0], order[1], order[2], norder);
}

static long count_forever(l4_word_t arg)
{
    (void)arg;
    while (counter != ~(l4_word_t)0) // forever, in practice: it is destroyed
        counter++;
    return 0;
}

static void wait_ticks(l4_word_t n)
{
    l4_word_t start = test_ticks();

    while (test_ticks() - start < n)
        ;
}

/* SCHED-003: a suspended thread does not run; a resumed one does again. */
static void suspend_resume(void)
{
    const l4_cap_t w = 25;

    set_own_priority(50);
    counter = 0;
    l4_thread_spawn(count_forever, 0, 50, w);
    wait_ticks(20); // round robin with the counter
    l4_word_t c0 = counter;
    EXPECT_ERR("SCHED-008", l4_thread_suspend(w), L4_OK);
    l4_word_t c1 = counter;
    wait_ticks(20);
    l4_word_t c2 = counter;
    EXPECT_ERR("SCHED-009", l4_thread_resume(w), L4_OK);
    wait_ticks(20);
    l4_word_t c3 = counter;
    l4_thread_destroy(w);
    test_report("SCHED-003", c0 > 0 && c1 == c2 && c3 > c2,
                "counter %lu before suspend, %lu..%lu while suspended, %lu after resume", c0, c1,
                c2, c3);
}

/* SCHED-004: yield hands the CPU to a ready thread of the same priority at once. */
static void yield(void)
{
    flag = 0;
    l4_thread_spawn(set_flag, 4, 50, 26);
    int before = flag;
    l4_thread_yield();
    test_report("SCHED-004", before == 0 && flag == 4, "flag %d before yield, %d after", before,
                flag);
}

/* SCHED-005: lowering your own priority below a ready thread switches to it before returning. */
static void priority_drop(void)
{
    flag = 0;
    l4_thread_spawn(set_flag, 5, 45, 27);
    int before = flag;
    set_own_priority(40);
    test_report("SCHED-005", before == 0 && flag == 5, "flag %d before, %d after the drop", before,
                flag);
}

/* SCHED-006: a suspended thread that suspends itself returns from suspend once resumed. */
static long suspend_self(l4_word_t arg)
{
    flag = 1;
    l4_thread_suspend((l4_cap_t)arg);
    flag = 2;
    l4_exit(0);
}

static void self_suspend(void)
{
    const l4_cap_t w = 28;

    flag = 0;
    l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, 40, w, NULL);
    char *stack = malloc(SPAWN_STACK_SIZE);
    l4_word_t ip, sp = l4_thread_frame(stack + SPAWN_STACK_SIZE, suspend_self, &ip);
    l4_thread_exregs(w, L4_EXREGS_ALL, ip, sp, w, NULL, NULL);
    l4_thread_start(w);
    l4_thread_yield(); // w runs, suspends itself
    int during = flag;
    l4_thread_resume(w);
    l4_thread_yield();
    test_report("SCHED-006", during == 1 && flag == 2, "flag %d while suspended, %d after resume",
                during, flag);
}

int main(const char *arg)
{
    l4_word_t tid, space, prio;

    (void)arg;
    l4_thread_id(&tid, &space, &prio);
    printf("schedtest: thread %lx, space %lu, priority %lu\n", tid, space, prio);
    preemption();
    priority_order();
    suspend_resume();
    yield();
    priority_drop();
    self_suspend();
    printf("schedtest: done\n");
    return 0;
}
