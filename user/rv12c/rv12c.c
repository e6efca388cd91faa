/* SPDX-License-Identifier: BSD-2-Clause */
/* RV12C (review of issue 12, capability side): hostile uses of capability tables below the
 * container, immutable grants and their interplay with revoke, restart and IPC. */
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

#define CT  20 /* a table */
#define QT  21 /* a part of a pool */
#define THR 22 /* a thread */
#define ANC 24 /* an ancestor of a table's payer */
#define PAY 25 /* a table's payer */
#define EP  16 /* the system file's endpoint */

#define POOL_CS  L4_SLOT_POOL(L4_POOL_CAPSLOTS)
#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)

static l4_word_t used(l4_cap_t pool)
{
    return cap_info(pool).object; // a pool's object word: its units in use
}

static long idle(l4_word_t arg)
{
    (void)arg;
    return 0;
}

/* Bound to the table: makes a thread paid by the pool part in its slot 0, in the space of its
 * slot 1, into its slot 2, and leaves it there, not started. */
static long make_inner(l4_word_t arg)
{
    (void)arg;
    return l4_thread_prepare(0, 1, idle, 0, 100, 2);
}

/*
 * RV12C-001: a table whose only user is a thread paid by a pool part inside that very table.
 * A revoke of the part's parent reclaims the thread, the thread's end destroys the table,
 * and the table's destruction removes the part that is being removed.
 */
static void table_dies_inside_revoke(void)
{
    l4_word_t before = used(POOL_CS), id;
    l4_err_t err = l4_captable_create(POOL_CS, 4, CT, &id);

    if (!err)
        err = l4_cap_split(POOL_THR, QT, 2);
    if (!err)
        err = l4_captable_put(QT, CT, 0, L4_POOL_RIGHTS_ALL, 1);
    if (!err)
        err = l4_captable_put(L4_SLOT_SPACE, CT, 1, L4_SPACE_BIND, 0);
    if (!err)
        err = spawn_with_table(CT, make_inner, 0, THR);
    l4_word_t code = err ? 0xdead : join_thread(THR);
    l4_cap_destroy(CT); // the inner thread alone keeps the table now
    l4_err_t revoked = l4_cap_revoke(QT);
    struct cap_info q = cap_info(QT);
    test_report("RV12C-001",
                !err && code == 0 && !revoked && q.b == 2 && q.object == 0 &&
                    used(POOL_CS) == before,
                "setup %s, inner %lu, revoke %s, part %lu units %lu used, tables %lu/%lu",
                l4_strerror(err), code, l4_strerror(revoked), q.b, q.object, used(POOL_CS), before);
    l4_cap_destroy(QT);
}

static _Alignas(4096) struct l4_utcb utcb_b;

/* Bound to a table holding the endpoint in slot 0: takes a pool capability into slot 1 and
 * revokes it, which takes its own table away. */
static long revoke_own_payer(l4_word_t arg)
{
    l4_word_t tag, m[4], badge;

    (void)arg;
    utcb_b.cap_recv = 1;
    l4_ipc_recv(0, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    if (utcb_b.cap_received != 1)
        return 2;
    l4_cap_revoke(1); // its table's payer goes, so does the table and the thread with it
    return 3;         // never: it was killed inside its own call
}

/*
 * RV12C-002: a thread revokes, in its own table, an ancestor of the pool part that paid for
 * that table (moved into it by IPC: a part paying for nothing moves). The table goes inside
 * the thread's own call: the thread is killed there, and every unit comes back.
 */
static void caller_loses_its_table(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t before = used(POOL_CS), units = cap_info(POOL_CS).b;
    l4_err_t err = l4_cap_split(POOL_CS, ANC, 8);

    if (!err)
        err = l4_cap_split(ANC, PAY, 4);
    if (!err)
        err = l4_captable_create(PAY, 4, CT, NULL);
    if (!err)
        err = l4_captable_put(EP, CT, 0, L4_EP_RECV, 0);
    if (!err)
        err = l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, revoke_own_payer, 0, 100, THR);
    if (!err)
        err = l4_thread_configure(THR, L4_THREAD_UTCB, (l4_word_t)&utcb_b);
    if (!err)
        err = l4_thread_configure(THR, L4_THREAD_CAPTABLE, CT);
    if (!err)
        err = l4_thread_start(THR);
    u->cap_send = ANC;
    if (!err)
        err = l4_ipc_send(EP, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0);
    /* it runs and revokes as soon as we yield; the revoke goes in steps, which the timer's
     * interrupt may stretch over more than one turn on a loaded host: wait for its end */
    for (unsigned n = 0; n < 1000 && !(slot_empty(THR) && cap_info(POOL_CS).b == units); n++)
        yield_n(1);
    bool killed = slot_empty(THR); // a killed thread's capabilities go with it
    test_report("RV12C-002",
                !err && killed && slot_empty(CT) && slot_empty(PAY) && slot_empty(ANC) &&
                    used(POOL_CS) == before && cap_info(POOL_CS).b == units,
                "setup %s, thread %s, table %s, payer %s, ancestor %s, units %lu/%lu used "
                "%lu/%lu",
                l4_strerror(err), killed ? "killed" : "alive", slot_empty(CT) ? "gone" : "here",
                slot_empty(PAY) ? "gone" : "here", slot_empty(ANC) ? "moved" : "here",
                cap_info(POOL_CS).b, units, used(POOL_CS), before);
}

/*
 * RV12C-003 (container "clock"): its first thread starts with a table of its own whose slot 0
 * is a copy of the wall clock capability (first_table from the system file's clock key): it
 * sets the wall clock through it, and names nothing of its container's table.
 */
static void clock_in_first_table(void)
{
    l4_word_t ticks, hz, tsc, mono, wall;
    l4_word_t set = 1700000000ull * 1000000000ull;

    l4_time(&ticks, &hz, &tsc, &mono, &wall);
    l4_err_t err = l4_time_set(0, set, mono);
    l4_time(&ticks, &hz, &tsc, &mono, &wall);
    l4_err_t other = l4_time_set(1, set, 0);
    test_report("RV12C-003",
                !err && wall >= set && wall - set < 1000000000ull && other == L4_ECAP &&
                    slot_empty(L4_SLOT_SPACE) && cap_info(0).type == L4_CAP_CLOCK,
                "time_set %s, wall %lu (set %lu), slot 1 %s, slot 2 %s, slot 0 type %lu",
                l4_strerror(err), wall, set, l4_strerror(other),
                slot_empty(L4_SLOT_SPACE) ? "empty" : "holds something", cap_info(0).type);
}

int main(const char *arg)
{
    if (strcmp(arg, "clock") == 0) {
        clock_in_first_table();
        return 0;
    }
    table_dies_inside_revoke();
    caller_loses_its_table();
    printf("rv12c: done\n");
    return 0;
}
