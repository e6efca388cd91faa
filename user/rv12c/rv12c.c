/* SPDX-License-Identifier: BSD-2-Clause */
/* RV12C (review of issue 12, capability side): hostile uses of capability tables below the
 * container, immutable grants and their interplay with revoke, restart and IPC. */
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

#define CT  20 /* a table */
#define QT  21 /* a part of a pool */
#define THR 22 /* a thread */
#define SCR 23 /* scratch */

#define POOL_CS  L4_SLOT_POOL(L4_POOL_CAPSLOTS)
#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)

static l4_word_t used(l4_cap_t pool)
{
    return cap_info(pool).object; // a pool's object word: its units in use
}

/* A thread running fn(arg) bound to table (a slot of ours), started. */
static l4_err_t spawn_with(l4_cap_t table, long (*fn)(l4_word_t), l4_word_t arg, l4_cap_t dest)
{
    l4_err_t err = l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, fn, arg, 100, dest);

    if (!err)
        err = l4_thread_configure(dest, L4_THREAD_CAPTABLE, table);
    return err ? err : l4_thread_start(dest);
}

static l4_word_t join(l4_cap_t thread)
{
    l4_word_t code = 0xdead;

    l4_thread_wait(thread, 0, &code);
    l4_cap_destroy(thread);
    return code;
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
        err = spawn_with(CT, make_inner, 0, THR);
    l4_word_t code = err ? 0xdead : join(THR);
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

int main(const char *arg)
{
    (void)arg;
    table_dies_inside_revoke();
    printf("rv12c: done\n");
    return 0;
}
