/* SPDX-License-Identifier: BSD-2-Clause */
/* TEARDOWN-xxx: a run-time table's end stopped part way by an interrupt, and who finishes it. */
/*
 * tests/qemu/systems/teardowntest.toml. A worker thread destroys the only capability to a
 * table of TSLOTS capabilities whose slot 0 has KIDS children in the container's own table
 * (made and granted there by a thread bound to the table). Its own part ends at once; the
 * table's clearing is carried by its call, in batches (kernel/object/cspace.c). The timer
 * (clocksrc.h), armed just before, stops it part way, and the helper (priority 150, woken by the interrupt)
 * sees the clearing part done and does what the test asks. Under -icount shift=0 the
 * interrupt falls at the same instruction every run.
 */
#include "clocksrc.h"
#include "test.h"

#include <coffer/regs.h>
#include <coffer/thread.h>

#define NTF       16 /* the helper's notification: the interrupt's bit */
#define OBJ       17 /* a notification whose copies fill the table */
#define DEV       18 /* the timer: the PIT's ports 0x40..0x43 (CNTP: none) */
#define IRQ       19 /* its interrupt: the PIT's I/O APIC line 2, CNTP's line 23 */
#define SELF      20 /* its own container, receive: the maker grants the children here */
#define HELPER    21
#define WORKER    22
#define MAKER     23
#define TBL       24 /* the table */
#define SCRATCH   25
#define KIDS_AT   100 /* the children of the table's slot 0 */
#define KIDS      800
#define TSLOTS    600
#define T_SELF    1 /* in the table: SELF */
#define T_SCRATCH (TSLOTS - 1)
#define POOL_CS   L4_SLOT_POOL(L4_POOL_CAPSLOTS)
#define SOON      25140 /* ns, about 25,000 instructions (30 PIT periods): early in the clearing */

enum action { NOTHING, LOOK, CALL, KILL, MOVE };

static volatile enum action action;
static volatile bool woke, partial, still_partial;
static volatile l4_err_t helper_err, worker_err;
static volatile bool made, moved;
static l4_word_t moved_stack[512] __attribute__((aligned(16)));

/* How many children still hang below the table's slot 0 (depth 2; 1 once moved up). */
static unsigned below_table(void)
{
    unsigned n = 0;

    for (l4_cap_t s = KIDS_AT; s < KIDS_AT + KIDS; s++)
        n += cap_info(s).depth == 2;
    return n;
}

static bool part_done(void)
{
    unsigned n = below_table();

    return slot_empty(TBL) && n > 0 && n < KIDS;
}

/* Where the worker goes when the helper moves it off its call. */
static void moved_here(void)
{
    moved = true;
    l4_thread_exit(5);
}

static long helper(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    for (;;) {
        l4_notify_wait(NTF, &bits);
        clocksrc_stop(DEV); // CNTP's interrupt is a level: lowered before the ack
        l4_irq_ack(IRQ);
        if (action == NOTHING)
            continue; // the calibration's interrupt, left pending at boot
        woke = true;
        partial = part_done();
        if (action == CALL) { // a call of its own that may carry teardown: it pays for none
            helper_err = l4_cap_replicate(OBJ, SCRATCH);
            if (!helper_err)
                helper_err = l4_cap_revoke(SCRATCH);
            l4_cap_destroy(SCRATCH);
            still_partial = part_done();
        } else if (action == KILL) {
            helper_err = l4_thread_destroy(WORKER);
        } else if (action == MOVE) {
            struct l4_regs r;
            helper_err = l4_thread_regs(WORKER, L4_REGS_GET, NULL, &r);
            L4_REGS_IP(&r) = (l4_word_t)moved_here;
            L4_REGS_SP(&r) = L4_ENTRY_SP(&moved_stack[512]); // entered as a function
            if (!helper_err)
                helper_err = l4_thread_regs(WORKER, L4_REGS_SET, &r, NULL);
        }
        action = NOTHING;
    }
    return 0;
}

/* Bound to the table: KIDS children of its slot 0, granted into the container's table. */
static long maker(l4_word_t arg)
{
    (void)arg;
    for (unsigned i = 0; i < KIDS; i++) {
        if (l4_cap_replicate(0, T_SCRATCH) || l4_cap_grant(T_SCRATCH, T_SELF, KIDS_AT + i))
            return 1;
    }
    made = true;
    return 0;
}

static l4_err_t make_table(void)
{
    l4_err_t err = l4_cap_revoke(OBJ); // the last run's children, moved up to OBJ

    if (!err)
        err = l4_captable_create(POOL_CS, TSLOTS, TBL, NULL);

    if (!err)
        err = l4_captable_put(OBJ, TBL, 0, L4_RIGHT_COPY | L4_RIGHT_GRANT | L4_NTF_SIGNAL, 0);
    if (!err)
        err = l4_captable_put(SELF, TBL, T_SELF, L4_CONT_RECEIVE, 0);
    for (unsigned i = T_SELF + 1; i < T_SCRATCH && !err; i++)
        err = l4_captable_put(OBJ, TBL, i, L4_NTF_WAIT, 0);
    made = false;
    if (!err)
        err = l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, maker, 0, 100, MAKER);
    if (!err)
        err = l4_thread_configure(MAKER, L4_THREAD_CAPTABLE, TBL);
    if (!err)
        err = l4_thread_start(MAKER);
    l4_word_t code = err ? 1 : join_thread(MAKER);
    l4_cap_destroy(MAKER);
    return err ? err : code || !made ? L4_EINVAL : L4_OK;
}

static long worker(l4_word_t arg)
{
    (void)arg;
    clocksrc_arm(DEV, SOON);
    worker_err = l4_cap_destroy(TBL);
    return 0;
}

/* The table made, the worker destroying it with the helper set to act; the worker's exit. */
static l4_err_t interrupted_end(enum action what, l4_word_t *code)
{
    l4_err_t err = make_table();

    if (err)
        return err;
    woke = partial = still_partial = moved = false;
    helper_err = worker_err = L4_EINVAL;
    action = what;
    err = l4_thread_spawn(worker, 0, 100, WORKER);
    if (!err)
        *code = join_thread(WORKER);
    l4_cap_destroy(WORKER);
    return err;
}

/* The kernel's own clearing (a batch a tick, the rest while idle) ends what nobody carries. */
static bool ends_anyway(void)
{
    for (unsigned i = 0; i < 1000 && below_table(); i++)
        yield_n(10);
    return below_table() == 0;
}

int main(const char *arg)
{
    l4_word_t code = 0;
    (void)arg;
    l4_err_t err = l4_irq_bind(IRQ, NTF);
    if (!err)
        err = l4_thread_spawn(helper, 0, 150, HELPER);
    if (err) {
        printf("teardowntest: cannot set up: %s\n", l4_strerror(err));
        return 1;
    }

    err = interrupted_end(LOOK, &code);
    test_report("TEARDOWN-001",
                !err && worker_err == L4_OK && woke && partial && below_table() == 0 &&
                    cap_info(POOL_CS).object == 0,
                "%s; the destroy %s, stopped part way %d, children left below it %u, table "
                "units in use %lu",
                l4_strerror(err), l4_strerror(worker_err), partial, below_table(),
                cap_info(POOL_CS).object);

    err = interrupted_end(CALL, &code);
    test_report("TEARDOWN-002",
                !err && worker_err == L4_OK && partial && helper_err == L4_OK && still_partial &&
                    below_table() == 0,
                "%s; the destroy %s, stopped part way %d, the helper's revoke %s and the end "
                "still part done after it %d",
                l4_strerror(err), l4_strerror(worker_err), partial, l4_strerror(helper_err),
                still_partial);

    err = interrupted_end(KILL, &code);
    bool ended = ends_anyway();
    test_report("TEARDOWN-003",
                !err && partial && helper_err == L4_OK && worker_err == L4_EINVAL && ended &&
                    cap_info(POOL_CS).object == 0,
                "%s; stopped part way %d, the worker's kill %s, its call never returned %d, the "
                "kernel ended the table %d",
                l4_strerror(err), partial, l4_strerror(helper_err), worker_err == L4_EINVAL, ended);

    /* its slots are the container's still: a table that needs them clears it first */
    err = interrupted_end(KILL, &code);
    unsigned left = below_table();
    l4_err_t made_one = l4_captable_create(POOL_CS, 1024 - TSLOTS + 1, SCRATCH, NULL);
    test_report("TEARDOWN-005",
                !err && partial && left > 0 && made_one == L4_OK && below_table() == 0,
                "%s; stopped part way %d, %u children below it, a table of its slots %s, "
                "children left below it then %u",
                l4_strerror(err), partial, left, l4_strerror(made_one), below_table());
    l4_cap_destroy(SCRATCH);

    err = interrupted_end(MOVE, &code);
    ended = ends_anyway();
    test_report("TEARDOWN-004",
                !err && partial && helper_err == L4_OK && moved && code == 5 &&
                    worker_err == L4_EINVAL && ended,
                "%s; stopped part way %d, its registers set %s, it went on where they said %d "
                "(exit %lu), the kernel ended the table %d",
                l4_strerror(err), partial, l4_strerror(helper_err), moved, code, ended);

    printf("teardowntest: done\n");
    l4_thread_destroy(HELPER);
    return 0;
}
