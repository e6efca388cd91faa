/* SPDX-License-Identifier: BSD-2-Clause */
/* Many threads in many containers: make bench's scale rows and SCALE-001 (systems/scale*.toml). */
/*
 * Every container parks all the threads its pool pays for on one notification (the server's
 * "quit", slot QUIT), then reports how many of its threads ran to the server, with one IPC
 * call across containers. The client, below every other container's priority, runs once the
 * others are parked, reports, and times the null system call, the IPC round trip with the
 * server and the notification round trip with a thread of its own (its pool's last unit):
 * the rows must not grow with the number of threads and containers. Then it ends the system:
 * one signal of QUIT wakes one parked thread, which signals it again as it ends, and so on.
 *
 *   scale server THREADS CONTAINERS   says when that many threads of that many containers ran
 *   scale worker                      parks, reports, parks itself
 *   scale client                      parks (keeping a unit for the ponger), reports, times
 *   scale overflow                    a second thread prints while the first waits for it
 *                                     (KSTACK-002: under selftest=kstack-overflow its kernel
 *                                     stack overflows, with the first's mapped just below)
 */
#pragma GCC target("general-regs-only") // as user/bench: no row may save FPU state
#include "bench_time.h"
#include "fmt.h"
#include "l4.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

#define EP           16 /* the server's endpoint: the server receives, the others send */
#define QUIT         17 /* the server's notification: every parked thread waits on it */
#define N1           18 /* client: the notification round trip */
#define N2           19
#define PONG         20
#define THR_BASE     32 /* the parked threads' capabilities */
#define MAX_PARKED   32
#define STACK_BYTES  1024
#define RUNS         200
#define LABEL_ECHO   1
#define LABEL_QUIT   2
#define LABEL_REPORT 3 /* m0: threads of the caller's container that ran; reply m0: all so far */

static char stacks[MAX_PARKED][STACK_BYTES] __attribute__((aligned(16)));
static volatile unsigned ran; /* parked threads of this container that started */

static unsigned number(const char **p)
{
    unsigned v = 0;

    while (**p == ' ')
        (*p)++;
    while (**p >= '0' && **p <= '9')
        v = v * 10 + (unsigned)(*(*p)++ - '0');
    return v;
}

/* Wait for the end, then pass it on to the next parked thread. */
static long parked(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    if (arg)
        ran++;
    l4_notify_wait(QUIT, &bits);
    l4_notify_signal(QUIT);
    return 0;
}

/* fn(arg) as a thread one priority above ours (it runs at once) on a small static stack. */
static l4_err_t spawn(unsigned i, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio)
{
    l4_word_t ip, sp = l4_thread_frame(stacks[i] + STACK_BYTES, fn, &ip);
    l4_cap_t dest = i == MAX_PARKED - 1 ? PONG : THR_BASE + i;

    l4_err_t err = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, prio, dest, NULL);
    if (!err)
        err = l4_thread_exregs(dest, L4_EXREGS_ALL, ip, sp, arg, NULL, NULL);
    return err ? err : l4_thread_start(dest);
}

/* Park a thread for every unit of our thread pool but keep (0 or 1); how many ran. */
static unsigned park(unsigned keep)
{
    l4_word_t x, prio, units = 0, used = 0;
    unsigned n = 0;

    l4_thread_id(&x, &x, &prio);
    l4_cap_read(L4_SLOT_POOL(L4_POOL_THREADS), &x, &x, &x, &units, &used, &x);
    while (n + keep + used < units && n < MAX_PARKED - 1) {
        l4_err_t err = spawn(n, parked, 1, prio + 1);
        if (err) {
            printf("SCALE park: thread %u: %s\n", n, l4_strerror(err));
            break;
        }
        n++;
    }
    return ran;
}

/* Tell the server how many of our threads ran (with this one); the total it has counted. */
static l4_word_t report(unsigned threads)
{
    l4_word_t tag, total = 0, x;
    l4_err_t err =
        l4_ipc_call(EP, L4_TAG(LABEL_REPORT, 1, 0), threads, 0, 0, 0, &tag, &total, &x, &x, &x, &x);

    if (err)
        printf("SCALE report: call failed: %s\n", l4_strerror(err));
    return total;
}

static int worker(void)
{
    report(park(0) + 1);
    return (int)parked(0);
}

/* --- the client's rows (make bench: BENCH lines, as user/bench prints them) ----------------- */

static l4_word_t overhead;

static void row(const char *what, l4_word_t threads, l4_word_t *v)
{
    char name[64];

    fmt_snprintf(name, sizeof(name), "%s, %lu threads", what, threads);
    bench_line(name, v, RUNS, overhead);
}

static void null_syscall(l4_word_t threads)
{
    l4_word_t v[RUNS], x;

    for (int i = 0; i < RUNS; i++) {
        l4_word_t t0 = tsc();
        l4_thread_id(&x, &x, &x);
        v[i] = tsc() - t0;
    }
    row("null system call", threads, v);
}

static void ipc_round_trip(l4_word_t threads)
{
    l4_word_t v[RUNS], x;

    for (int i = 0; i < RUNS; i++) {
        l4_word_t t0 = tsc();
        l4_ipc_call(EP, L4_TAG(LABEL_ECHO, 2, 0), i, 0, 0, 0, &x, &x, &x, &x, &x, &x);
        v[i] = tsc() - t0;
    }
    row("IPC call+reply round trip", threads, v);
}

static long ponger(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    for (;;) {
        l4_notify_wait(N1, &bits);
        l4_notify_signal(N2);
    }
    return 0;
}

static void notification_round_trip(l4_word_t threads)
{
    l4_word_t v[RUNS], id, bits, x, prio;

    l4_thread_id(&x, &x, &prio);
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), N1, &id);
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), N2, &id);
    if (spawn(MAX_PARKED - 1, ponger, 0, prio) != L4_OK)
        printf("SCALE client: no thread for the ponger\n");
    l4_thread_yield(); // it waits on N1
    for (int i = 0; i < RUNS; i++) {
        l4_word_t t0 = tsc();
        l4_notify_signal(N1);
        l4_notify_wait(N2, &bits);
        v[i] = tsc() - t0;
    }
    row("notification signal+wait round trip", threads, v);
    l4_thread_destroy(PONG);
}

static int client(void)
{
    l4_word_t x;
    l4_word_t threads = report(park(1) + 1); // the last report: every other container's came first

    overhead = bench_overhead();
    null_syscall(threads);
    ipc_round_trip(threads);
    notification_round_trip(threads);
    l4_notify_signal(QUIT);
    l4_ipc_call(EP, L4_TAG(LABEL_QUIT, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    printf("BENCH done\n");
    return 0;
}

/* --- the server ---------------------------------------------------------------------------- */

/* Count the reports; echo calls as user/bench's server does (its loop is the one timed). */
static int server(const char *arg)
{
    unsigned want_threads = number(&arg), want_containers = number(&arg);
    l4_word_t threads = park(0) + 1, containers = 1, tag, m0, m1, m2, m3, badge;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &m0, &m1, &m2, &m3, &badge);

    while (!err && L4_TAG_LABEL(tag) != LABEL_QUIT) {
        if (L4_TAG_LABEL(tag) == LABEL_REPORT) {
            threads += m0;
            m0 = threads;
            if (++containers == want_containers)
                printf("SCALE %lu threads of %lu containers ran%s\n", threads, containers,
                       threads == want_threads ? "" : " (not the number expected)");
        }
        err = l4_ipc_reply_recv(EP, L4_TAG(0, 1, 0), m0, 0, 0, 0, &tag, &m0, &m1, &m2, &m3, &badge);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return (int)parked(0);
}

static long print(l4_word_t arg)
{
    (void)arg;
    printf("scale: the second thread prints\n");
    return 0;
}

static int overflow(void)
{
    l4_word_t x, prio, code;

    l4_thread_id(&x, &x, &prio);
    if (spawn(0, print, 0, prio) != L4_OK)
        return 1;
    l4_thread_wait(THR_BASE, 0, &code);
    return 0;
}

int main(const char *arg)
{
    if (strncmp(arg, "server", 6) == 0)
        return server(arg + 6);
    if (strcmp(arg, "worker") == 0)
        return worker();
    if (strcmp(arg, "client") == 0)
        return client();
    if (strcmp(arg, "overflow") == 0)
        return overflow();
    printf("scale: unknown mode '%s'\n", arg);
    return 1;
}
