/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Linux personality server: start-up, the workers that take calls and faults off the
 * endpoint, the lock, wait queues and the clock. docs/linux.md says what it does.
 */
#include "fs.h"
#include "linux.h"
#include "server.h"
#include "timer.h"
#include "tty.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

struct l4_mutex lx_lock = L4_MUTEX_INIT;

/* Each worker: its UTCB and its stack, so lx_utcb can tell from the stack who is asking. */
#define WORKER_STACK 32768
struct utcb_page {
    _Alignas(4096) struct l4_utcb u; /* one per page: a UTCB must be page-aligned */
};
static struct utcb_page worker_utcb[LX_WORKERS];
static _Alignas(WORKER_STACK) char worker_stack[LX_WORKERS][WORKER_STACK];
static _Alignas(WORKER_STACK) char clock_stack[WORKER_STACK];

struct l4_utcb *lx_utcb(void)
{
    uintptr_t sp = (uintptr_t)__builtin_frame_address(0);
    uintptr_t base = (uintptr_t)worker_stack;

    if (sp - base < sizeof(worker_stack))
        return &worker_utcb[(sp - base) / WORKER_STACK].u;
    return (struct l4_utcb *)L4_UTCB_MAIN;
}

uint64_t lx_now(void)
{
    l4_word_t ticks, hz, tsc, mono = 0, wall = 0;

    l4_time(&ticks, &hz, &tsc, &mono, &wall);
    return mono;
}

uint64_t lx_wall(void)
{
    l4_word_t ticks, hz, tsc, mono = 0, wall = 0;

    l4_time(&ticks, &hz, &tsc, &mono, &wall);
    return wall;
}

/*
 * Timed sleeps: each sleeper with a deadline is on this list; the clock thread sleeps on
 * the timer service until the earliest (at most LX_CLOCK_STEP, so a new earlier deadline
 * is seen soon enough) and wakes the queues of those due.
 */
struct sleeper {
    struct lx_waitq *q;  /* what it waits for: lx_wake(q) wakes it */
    struct lx_task *t;   /* its task, if it sleeps for one (signals wake it) */
    uint64_t deadline;   /* 0: none */
    struct l4_cond cond; /* its own: nobody touches it once the sleeper has gone */
    bool woken;
    struct sleeper *next;
};
static struct sleeper *sleepers;
static struct l4_cond clock_cond = L4_COND_INIT;
#define LX_CLOCK_STEP 10000000ull /* 10 ms */

/*
 * Every sleeper waits on a condition variable of its own, on its own stack, and is on one
 * list. Waking signals the sleepers themselves, never the queue: a queue may be freed while
 * sleepers that were on it are still on their way out of l4_cond_wait (which writes to the
 * variable it waited on), and the clock thread may look at a deadline whose queue is gone.
 */
static int sleep_on(struct lx_task *t, struct lx_waitq *q, uint64_t deadline)
{
    struct sleeper me = {q, t, deadline, L4_COND_INIT, false, sleepers};

    sleepers = &me;
    if (deadline)
        l4_cond_signal(&clock_cond);
    if (t)
        t->sleeping = true;
    while (!me.woken)
        l4_cond_wait(&me.cond, &lx_lock);
    if (t)
        t->sleeping = false;
    for (struct sleeper **p = &sleepers; *p; p = &(*p)->next) {
        if (*p == &me) {
            *p = me.next;
            break;
        }
    }
    return 0;
}

int lx_sleep(struct lx_task *t, struct lx_waitq *q, uint64_t deadline)
{
    if (t && (t->dying || lx_signal_pending(t)))
        return -LX_EINTR;
    if (deadline && lx_now() >= deadline)
        return -LX_ETIMEDOUT;
    sleep_on(t, q, deadline);
    if (t && (t->dying || lx_signal_pending(t)))
        return -LX_EINTR;
    if (deadline && lx_now() >= deadline)
        return -LX_ETIMEDOUT;
    return 0;
}

void lx_sleep_nosig(struct lx_task *t, struct lx_waitq *q)
{
    if (!t->dying)
        sleep_on(t, q, 0);
}

static void wake(struct sleeper *s)
{
    if (!s->woken) {
        s->woken = true;
        l4_cond_signal(&s->cond);
    }
}

void lx_wake(struct lx_waitq *q)
{
    for (struct sleeper *s = sleepers; s; s = s->next) {
        if (s->q == q)
            wake(s);
    }
}

void lx_wake_task(struct lx_task *t)
{
    for (struct sleeper *s = sleepers; s; s = s->next) {
        if (s->t == t)
            wake(s);
    }
}

void lx_clock_kick(void)
{
    l4_cond_signal(&clock_cond);
}

/* Does our table hold a capability in slot? (The system file may leave out the timer service
 * and the real-time clock; an empty slot's use would be refused, and logged, each time.) */
static bool slot_held(l4_cap_t slot)
{
    l4_word_t found;

    return !l4_cap_next(slot, &found) && found == slot;
}

static bool have_timer;

static _Noreturn long clock_main(l4_word_t arg)
{
    (void)arg;
    l4_mutex_lock(&lx_lock);
    for (;;) {
        uint64_t now = lx_now(), next = lx_itimer_run(now); /* alarms due now go off */
        lx_kick_run();
        uint64_t first = next ? next : ~0ull;
        for (struct sleeper *s = sleepers; s; s = s->next) {
            if (!s->deadline || s->woken)
                continue;
            if (s->deadline <= now)
                wake(s);
            else if (s->deadline < first)
                first = s->deadline;
        }
        if (first == ~0ull) {
            l4_cond_wait(&clock_cond, &lx_lock);
            continue;
        }
        if (first <= now)
            continue;
        if (first - now > LX_CLOCK_STEP)
            first = now + LX_CLOCK_STEP;
        l4_mutex_unlock(&lx_lock);
        /* no timer service (the system gives none: AArch64 has none yet): the deadline is
         * still met, by looking at the clock again after every other thread's turn */
        if (!have_timer || sleep_until(LX_SLOT_TIMER, first))
            l4_thread_yield();
        l4_mutex_lock(&lx_lock);
    }
}

/* Start a server thread on its own stack (and UTCB, for workers). */
static l4_err_t start_thread(l4_cap_t slot, long (*fn)(l4_word_t), l4_word_t arg, char *stack,
                             struct l4_utcb *utcb)
{
    l4_word_t ip, sp = l4_thread_frame(stack + WORKER_STACK, fn, &ip);
    l4_err_t err =
        l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, LX_SERVER_PRIO, slot, NULL);
    if (!err)
        err = l4_thread_exregs(slot, L4_EXREGS_ALL, ip, sp, arg, NULL, NULL);
    if (!err && utcb)
        err = l4_thread_configure(slot, L4_THREAD_UTCB, (l4_word_t)utcb);
    return err ? err : l4_thread_start(slot);
}

/* Parse "path arg arg ...": the first process's argv, in place. */
static int split_args(char *s, char **argv, int max)
{
    int n = 0;

    while (*s && n < max - 1) {
        while (*s == ' ')
            *s++ = 0;
        if (!*s)
            break;
        argv[n++] = s;
        while (*s && *s != ' ')
            s++;
    }
    argv[n] = NULL;
    return n;
}

int main(const char *arg)
{
    static char cmd[64];
    char *argv[8];
    extern const char lx_rootfs[], lx_rootfs_end[];

    lx_strlcpy(cmd, arg, sizeof(cmd));
    if (split_args(cmd, argv, 8) == 0) {
        printf("linux: no program to run (args = \"/bin/program arg...\")\n");
        return 1;
    }
    if (lx_mem_init() || lx_fs_init(lx_rootfs, (size_t)(lx_rootfs_end - lx_rootfs)) ||
        tty_init(LX_SLOT_CONSOLE) || lx_endpoint_init())
        return 1;
    have_timer = slot_held(LX_SLOT_TIMER);
    if (slot_held(LX_SLOT_RTC))
        lx_rtc_init();
    l4_mutex_lock(&lx_lock);
    int err = lx_start_init(argv);
    l4_mutex_unlock(&lx_lock);
    if (err) {
        printf("linux: cannot start %s: error %d\n", argv[0], -err);
        return 1;
    }
    for (int i = 0; i < LX_WORKERS; i++) {
        if (start_thread(LX_SLOT_WORKER(i), lx_worker_main, (l4_word_t)i, worker_stack[i],
                         &worker_utcb[i].u)) {
            printf("linux: cannot start worker %d\n", i);
            return 1;
        }
    }
    if (start_thread(LX_SLOT_CLOCK, clock_main, 0, clock_stack, NULL)) {
        printf("linux: cannot start the clock thread\n");
        return 1;
    }
    tty_input_loop();
}

/* The first process ended: end the system's services and every server thread. */
_Noreturn void lx_shutdown(int status)
{
    printf("linux: init exited: %s %d\n", (status & 0x7f) ? "signal" : "status",
           (status & 0x7f) ? status & 0x7f : (status >> 8) & 0xff);
    struct l4_utcb *self = lx_utcb();
    l4_word_t x;

    lx_proc_kill_all();
    for (int i = 0; i < LX_WORKERS; i++) {
        if (&worker_utcb[i].u != self)
            l4_thread_destroy(LX_SLOT_WORKER(i));
    }
    l4_thread_destroy(LX_SLOT_CLOCK);
    l4_thread_destroy(L4_SLOT_THREAD); /* the terminal's input thread, waiting on the console */
    if (have_timer)
        timer_request(LX_SLOT_TIMER, TIMER_STOP, 0, 0, NULL);
    l4_ipc_call(LX_SLOT_CONSOLE, L4_TAG(CONSOLE_STOP, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    l4_mutex_unlock(&lx_lock);
    l4_exit(0);
}
