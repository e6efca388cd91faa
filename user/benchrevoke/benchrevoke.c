/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench's revoke rows (systems/benchrevoke.toml): what a revoke costs, and how long an
 * interrupt waits for a high-priority thread while another container revokes 10,000 copies,
 * restarts a container that made 10,000 copies, or destroys a run-time table full of
 * capabilities, one with 10,000 children. */
/*
 * Four programs in one, by argument:
 *   rev   copies a notification capability (its own, slot 16) and revokes the copies: a
 *         chain of CHAIN in its own table, and WIDE children of it, most granted into the
 *         sink containers' tables; it prints the revokes' path lengths, then revokes WIDE
 *         copies ROUNDS times more while lat measures; then, while lat measures again, it
 *         has big make WIDE copies ROUNDS times and restarts big after each; then, while
 *         lat measures a third time, it destroys a table of TSLOTS capabilities (its notification,
 *         and the sinks' containers), where a thread of its own bound to the table made WIDE
 *         children of the first and granted them to the sinks.
 *   big   waits for rev's go, copies its notification WIDE times into the sinks' tables,
 *         tells rev and ends: its restart takes them back.
 *   lat   priority above rev: owns the timer (clocksrc.h: the PIT's ports and interrupt, or
 *         CNTP's line). Between rev's start and stop signals it arms the timer one-shot for a
 *         deadline again and again and, woken by the interrupt, takes how late it runs: tsc()
 *         (an instruction count under -icount shift=0, as is QEMU's virtual clock that drives
 *         the timer) less the deadline. Three times: while rev revokes, while it restarts big,
 *         while it ends a table.
 *   sink  ends at once: its container's table receives rev's grants.
 */
#pragma GCC target("general-regs-only")
#include "bench_time.h"
#include "clocksrc.h"
#include "l4.h"

#include <coffer/thread.h>

#define OBJ       16 /* rev: its notification, whose copies go */
#define LAT_START 17 /* rev: lat's notification, signal, badge SIG_START */
#define SINK0     18 /* rev: the sinks' containers, receive */
#define NSINKS    10
#define LAT_STOP  28 /* rev: lat's notification, signal, badge SIG_STOP */
#define BIG       29 /* rev: big's container, control */
#define BIG_GO    30 /* rev: big's notification, signal */
#define BIG_READY 31 /* rev: its own notification, big signals it */
#define FIRST     32 /* rev: first slot of its own table it copies into */
#define SINK_SLOT 16 /* a sink's first free slot */
#define CHAIN     700
#define WIDE      10000
#define PER_SINK  1000 /* copies granted into each sink: WIDE = NSINKS * PER_SINK */
#define RUNS      3
#define ROUNDS    3

#define GO        16 /* big: its notification, rev signals it */
#define READY     17 /* big: rev's ready notification, signal */
#define BIG_SINK0 18 /* big: the sinks' containers, receive */
#define BIG_OBJ   28 /* big: its notification, whose copies go to the sinks */
#define BIG_FIRST 32 /* big: the slot it copies into before it grants */

#define DEV       16  /* lat: the timer: the PIT's ports 0x40..0x43 (CNTP: none) */
#define IRQ       17  /* lat: its interrupt: the PIT's I/O APIC line 2, CNTP's line 23 */
#define PERIOD    838 /* ns: one PIT period, rounded down (the PIT counts it as one) */
#define NTF       18  /* lat: its notification: the interrupt's bit, and rev's signals */
#define SIG_IRQ   1   /* the interrupt's bit (the notification's own badge) */
#define SIG_START 2
#define SIG_STOP  4

#define MAXSAMPLES 512
#define LATENCY    "interrupt latency, another container revokes"  /* its row (scripts/bench.py) */
#define RESTARTING "interrupt latency, another container restarts" /* and this */
#define TEARDOWN   "interrupt latency, another container ends a table" /* and this */

#define TBL      33   /* rev: the run-time table it destroys */
#define MAKER    34   /* rev: the thread bound to it */
#define TSLOTS   1024 /* its slots: 0 the notification, 1..NSINKS the sinks, then copies */
#define TSCRATCH (TSLOTS - 1)

_Static_assert(WIDE == NSINKS * PER_SINK, "every wide copy has a sink slot");

static void check(l4_err_t err, const char *what, unsigned i)
{
    if (err) {
        printf("benchrevoke: %s %u: %s\n", what, i, l4_strerror(err));
        l4_exit(1);
    }
}

/* A chain: slot FIRST made from OBJ, each next slot from the one before. */
static void make_chain(void)
{
    check(l4_cap_replicate(OBJ, FIRST), "replicate", 0);
    for (unsigned i = 1; i < CHAIN; i++)
        check(l4_cap_replicate(FIRST + i - 1, FIRST + i), "replicate", i);
}

/* WIDE children of OBJ, each made in slot FIRST and granted into a sink's table. */
static void make_wide(void)
{
    for (unsigned i = 0; i < WIDE; i++) {
        check(l4_cap_replicate(OBJ, FIRST), "replicate", i);
        check(l4_cap_grant(FIRST, SINK0 + i / PER_SINK, SINK_SLOT + i % PER_SINK), "grant", i);
    }
}

/* The revoke's length, in instructions (lat is parked: nothing else runs meanwhile). */
static l4_word_t timed_revoke(void)
{
    l4_word_t t0 = tsc();
    check(l4_cap_revoke(OBJ), "revoke", 0);
    return tsc() - t0;
}

static void row(const char *what, void (*make)(void))
{
    l4_word_t v[RUNS];

    for (unsigned i = 0; i < RUNS; i++) {
        make();
        v[i] = timed_revoke();
    }
    bench_line(what, v, RUNS, 0);
}

/* big's go, and wait until it made its copies. */
static void big_copies(unsigned round)
{
    l4_word_t bits = 0;

    check(l4_notify_signal(BIG_GO), "signal", round);
    while (!bits)
        check(l4_notify_wait(BIG_READY, &bits), "notify_wait", round);
}

static volatile int made; /* the maker's copies are granted */

/* Bound to the table: WIDE children of its slot 0, granted into the sinks' tables. */
static long maker(l4_word_t arg)
{
    (void)arg;
    for (unsigned i = 0; i < WIDE; i++) {
        check(l4_cap_replicate(0, TSCRATCH), "replicate in the table", i);
        check(l4_cap_grant(TSCRATCH, 1 + i / PER_SINK, SINK_SLOT + i % PER_SINK), "grant", i);
    }
    made = 1;
    return 0;
}

/* A table of TSLOTS capabilities, slot 0 with WIDE children in the sinks' tables. */
static void make_table(void)
{
    l4_word_t id;

    check(l4_captable_create(L4_SLOT_POOL(L4_POOL_CAPSLOTS), TSLOTS, TBL, &id), "captable", 0);
    check(l4_captable_put(OBJ, TBL, 0, L4_RIGHT_COPY | L4_RIGHT_GRANT | L4_NTF_SIGNAL, 0), "put",
          0);
    for (unsigned i = 0; i < NSINKS; i++)
        check(l4_captable_put(SINK0 + i, TBL, 1 + i, L4_CONT_RECEIVE, 0), "put", 1 + i);
    for (unsigned i = 1 + NSINKS; i < TSCRATCH; i++)
        check(l4_captable_put(OBJ, TBL, i, L4_NTF_SIGNAL, 0), "put", i);
    check(l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, maker, 0, 100, MAKER),
          "thread_prepare", 0);
    check(l4_thread_configure(MAKER, L4_THREAD_CAPTABLE, TBL), "thread_configure", 0);
    check(l4_thread_start(MAKER), "thread_start", 0);
    while (!made)
        l4_thread_yield();
}

static int rev(void)
{
    row("revoke, a chain of 700 copies", make_chain);
    row("revoke, 10,000 copies (10 containers)", make_wide);
    check(l4_notify_signal(LAT_START), "signal", SIG_START);
    for (unsigned i = 0; i < ROUNDS; i++) {
        make_wide();
        check(l4_cap_revoke(OBJ), "revoke", i);
    }
    check(l4_notify_signal(LAT_STOP), "signal", SIG_STOP);
    check(l4_notify_signal(LAT_START), "signal", SIG_START);
    for (unsigned i = 0; i < ROUNDS; i++) {
        big_copies(i);
        check(l4_container_restart(BIG), "container_restart", i);
    }
    check(l4_notify_signal(LAT_STOP), "signal", SIG_STOP);
    make_table();
    check(l4_notify_signal(LAT_START), "signal", SIG_START);
    check(l4_cap_destroy(TBL), "destroy the table", 0);
    check(l4_notify_signal(LAT_STOP), "signal", SIG_STOP);
    check(l4_cap_revoke(OBJ), "revoke", ROUNDS); // the children it had moved up to OBJ
    big_copies(ROUNDS);                          // and its program ends, so that the system does
    return 0;
}

/* Its copies, all in the sinks' tables: what its restart revokes first. */
static int big(void)
{
    l4_word_t bits = 0;

    while (!bits)
        check(l4_notify_wait(GO, &bits), "notify_wait", 0);
    for (unsigned i = 0; i < WIDE; i++) {
        check(l4_cap_replicate(BIG_OBJ, BIG_FIRST), "replicate", i);
        check(l4_cap_grant(BIG_FIRST, BIG_SINK0 + i / PER_SINK, SINK_SLOT + i % PER_SINK), "grant",
              i);
    }
    check(l4_notify_signal(READY), "signal", 0);
    return 0;
}

/* Arm the timer for ns; the deadline in tsc() units, never later than the interrupt (taken
 * before the count starts: a latency is never short of the truth). */
static l4_word_t arm(l4_word_t ns)
{
    l4_word_t deadline = 0;

    check(clocksrc_arm_deadline(DEV, ns, &deadline), "clocksrc_arm", 0);
    return deadline;
}

/* Between rev's start and stop signals: how late the timer's interrupt wakes us; row's line. */
static int measure(const char *row)
{
    static l4_word_t v[MAXSAMPLES];
    static l4_word_t carried; // rev's signals that came while the last row waited
    l4_word_t bits = carried, deadline = 0;
    unsigned n = 0, armed = 0;

    carried = 0;
    while (!(bits & SIG_START)) {
        check(l4_notify_wait(NTF, &bits), "notify_wait", 0);
        if (bits & SIG_IRQ) { // left from the kernel's PIT calibration: the line waits for it
            clocksrc_stop(DEV);
            check(l4_irq_ack(IRQ), "irq_ack", 0);
        }
    }
    for (;;) {
        if (!armed) {
            /* 100..131 PIT periods (about 84..110k instructions): deadlines fall all over */
            deadline = arm((100 + (n * 7) % 32) * PERIOD);
            armed = 1;
        }
        check(l4_notify_wait(NTF, &bits), "notify_wait", 1);
        l4_word_t now = tsc();
        if (bits & SIG_IRQ) {
            if (n < MAXSAMPLES)
                v[n++] = now - deadline;
            armed = 0;
            clocksrc_stop(DEV); // CNTP's interrupt is a level: lowered before the ack
            check(l4_irq_ack(IRQ), "irq_ack", 0);
        }
        if (bits & SIG_STOP)
            break;
    }
    while (armed) { // its interrupt, which would fall into the next row's samples
        check(l4_notify_wait(NTF, &bits), "notify_wait", 2);
        carried |= bits & ~(l4_word_t)SIG_IRQ;
        if (bits & SIG_IRQ) {
            armed = 0;
            clocksrc_stop(DEV);
            check(l4_irq_ack(IRQ), "irq_ack", 0);
        }
    }
    if (n == 0) {
        printf("BENCH n/a %s: no interrupt came while rev worked\n", row);
        return 1;
    }
    bench_sort(v, n);
    printf("BENCH %-44s worst %6lu  median %6lu ticks, %u interrupts\n", row, v[n - 1], v[n / 2],
           n);
    return 0;
}

static int lat(void)
{
    check(l4_irq_bind(IRQ, NTF), "irq_bind", 0);
    int err = measure(LATENCY);
    err |= measure(RESTARTING);
    err |= measure(TEARDOWN);
    printf("BENCH done\n");
    return err;
}

int main(const char *arg)
{
    if (strcmp(arg, "rev") == 0)
        return rev();
    if (strcmp(arg, "lat") == 0)
        return lat();
    if (strcmp(arg, "big") == 0)
        return big();
    return 0; // a sink
}
