/* SPDX-License-Identifier: BSD-2-Clause */
/* CSPACE-xxx: capability tables below the container. One program, a role per container. */
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

/* Slots tests/qemu/systems/cspacetest.toml gives the main container. */
#define EP      16 /* its endpoint */
#define NTF     17 /* its notification */
#define OTHER   18 /* container other: receive */
#define VICTIM  19 /* container victim: control, inspect */
#define T1      20 /* tables, threads and scratch */
#define T2      21
#define X       22
#define Y       23
#define Z       24
#define THR     25
#define PART    26
#define GRANTED 20 /* where other finds the table main grants it */
#define PLUGIN  27 /* container plugin: control, inspect */

#define POOL_CS  L4_SLOT_POOL(L4_POOL_CAPSLOTS)
#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)
#define POOL_EP  L4_SLOT_POOL(L4_POOL_ENDPOINTS)
#define UNITS    40 /* its tableslots */
#define NTF_ALL  L4_NTF_RIGHTS_ALL

static l4_word_t used(l4_cap_t pool)
{
    return cap_info(pool).object; // a pool's object word: its units in use
}

static struct cap_info read_in(l4_cap_t table, l4_word_t slot, l4_err_t *err)
{
    struct cap_info i = {0};

    *err = l4_captable_read(table, slot, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth);
    return i;
}

/* A copy of src in dest with only rights. */
static void weaker(l4_cap_t src, l4_cap_t dest, l4_word_t rights)
{
    struct cap_info i = cap_info(src);

    l4_cap_replicate(src, dest);
    l4_cap_deduce(dest, rights, i.a, i.b);
}

/* --- every error of the new calls ------------------------------------------------------------ */

static void create_errors(void)
{
    l4_word_t id = 0;

    EXPECT_ERR("CSPACE-001", l4_captable_create(L4_SLOT_SPACE, 4, X, NULL), L4_ECAP);
    EXPECT_ERR("CSPACE-002", l4_captable_create(POOL_THR, 4, X, NULL), L4_ECAP);
    l4_cap_split(POOL_CS, PART, 10);
    l4_cap_deduce(PART, L4_RIGHTS_CAP, L4_POOL_CAPSLOTS, 10);
    EXPECT_ERR("CSPACE-003", l4_captable_create(PART, 4, X, NULL), L4_ERIGHTS);
    l4_cap_destroy(PART);
    EXPECT_ERR("CSPACE-004", l4_captable_create(POOL_CS, 0, X, NULL), L4_ERANGE);
    EXPECT_ERR("CSPACE-005", l4_captable_create(POOL_CS, 1025, X, NULL), L4_ERANGE);
    EXPECT_ERR("CSPACE-006", l4_captable_create(POOL_CS, 4, 5000, NULL), L4_ECAP);
    EXPECT_ERR("CSPACE-007", l4_captable_create(POOL_CS, 4, EP, NULL), L4_EBUSY);
    EXPECT_ERR("CSPACE-008", l4_captable_create(POOL_CS, UNITS + 1, X, NULL), L4_ENOMEM);
    l4_err_t err = l4_captable_create(POOL_CS, 8, T1, &id);
    struct cap_info t = cap_info(T1);
    test_report("CSPACE-009",
                !err && t.type == L4_CAP_CAPTABLE && t.rights == L4_CT_RIGHTS_ALL && t.b == 8 &&
                    t.object == id && used(POOL_CS) == 8,
                "%s: type %lu rights %lx slots %lu id %lu/%lu, pool units in use %lu",
                l4_strerror(err), t.type, t.rights, t.b, t.object, id, used(POOL_CS));
}

static void put_errors(void)
{
    EXPECT_ERR("CSPACE-010", l4_captable_put(NTF, EP, 0, NTF_ALL, 0), L4_ECAP);
    weaker(T1, Y, L4_RIGHTS_CAP | L4_CT_READ | L4_CT_BIND);
    EXPECT_ERR("CSPACE-011", l4_captable_put(NTF, Y, 0, NTF_ALL, 0), L4_ERIGHTS);
    EXPECT_ERR("CSPACE-012", l4_captable_put(T1, T1, 0, L4_CT_RIGHTS_ALL, 0), L4_EINVAL);
    EXPECT_ERR("CSPACE-013", l4_captable_put(X, T1, 0, NTF_ALL, 0), L4_ECAP);
    EXPECT_ERR("CSPACE-014", l4_captable_put(NTF, T1, 8, NTF_ALL, 0), L4_ECAP);
    l4_err_t first = l4_captable_put(NTF, T1, 0, L4_RIGHT_COPY | L4_NTF_WAIT, 0);
    EXPECT_ERR("CSPACE-015", l4_captable_put(NTF, T1, 0, NTF_ALL, 0), L4_EBUSY);
    test_report("CSPACE-016", first == L4_OK, "the first put: %s", l4_strerror(first));
    weaker(NTF, Z, L4_NTF_SIGNAL | L4_NTF_WAIT);
    EXPECT_ERR("CSPACE-017", l4_captable_put(Z, T1, 1, L4_NTF_WAIT, 0), L4_ERIGHTS);
    l4_cap_destroy(Z);
    weaker(NTF, Z, L4_RIGHT_COPY | L4_NTF_WAIT);
    EXPECT_ERR("CSPACE-018", l4_captable_put(Z, T1, 1, L4_RIGHT_COPY | L4_NTF_SIGNAL, 0),
               L4_ERIGHTS);
    l4_cap_destroy(Z);
    EXPECT_ERR("CSPACE-019", l4_captable_put(NTF, T1, 1, 1u << 10, 0), L4_EINVAL);
    EXPECT_ERR("CSPACE-020", l4_captable_put(NTF, T1, 1, L4_NTF_WAIT, 5), L4_EINVAL);
    EXPECT_ERR("CSPACE-021", l4_captable_put(POOL_EP, T1, 1, L4_POOL_RIGHTS_ALL, 0), L4_ERANGE);
    l4_word_t units = cap_info(POOL_EP).b;
    EXPECT_ERR("CSPACE-022", l4_captable_put(POOL_EP, T1, 1, L4_POOL_RIGHTS_ALL, units), L4_ERANGE);
    l4_endpoint_create(POOL_EP, X, NULL); // two of its units pay for endpoints now
    EXPECT_ERR("CSPACE-023",
               l4_captable_put(POOL_EP, T1, 1, L4_POOL_RIGHTS_ALL, units - used(POOL_EP) + 1),
               L4_EBUSY);
    l4_cap_destroy(X);
}

static void remove_and_read_errors(void)
{
    l4_err_t err;

    EXPECT_ERR("CSPACE-024", l4_captable_remove(EP, 0), L4_ECAP);
    EXPECT_ERR("CSPACE-025", l4_captable_remove(Y, 0), L4_ERIGHTS);
    EXPECT_ERR("CSPACE-026", l4_captable_remove(T1, 3), L4_ECAP);
    EXPECT_ERR("CSPACE-027", l4_captable_remove(T1, 99), L4_ECAP);
    read_in(EP, 0, &err);
    test_report("CSPACE-028", err == L4_ECAP, "read through an endpoint: %s", l4_strerror(err));
    weaker(T1, Z, L4_CT_WRITE | L4_CT_BIND);
    read_in(Z, 0, &err);
    test_report("CSPACE-029", err == L4_ERIGHTS, "read without L4_CT_READ: %s", l4_strerror(err));
    l4_cap_destroy(Z);
    read_in(T1, 1, &err);
    test_report("CSPACE-030", err == L4_ECAP, "read of an empty slot: %s", l4_strerror(err));
    struct cap_info i = read_in(T1, 0, &err);
    test_report("CSPACE-031",
                !err && i.type == L4_CAP_NOTIFICATION &&
                    i.rights == (L4_RIGHT_COPY | L4_NTF_WAIT) && i.depth == 1,
                "%s: type %lu rights %lx depth %lu", l4_strerror(err), i.type, i.rights, i.depth);
    /* put and remove through a table capability without L4_CT_READ: the table was filled */
    EXPECT_ERR("CSPACE-032", l4_captable_put(NTF, T1, 7, L4_NTF_WAIT, 0), L4_OK);
    EXPECT_ERR("CSPACE-033", l4_captable_remove(T1, 7), L4_OK);
    l4_cap_destroy(Y);
}

static void configure_errors(void)
{
    EXPECT_ERR("CSPACE-034", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_CAPTABLE, EP), L4_ECAP);
    weaker(T1, Z, L4_RIGHT_COPY | L4_CT_READ | L4_CT_WRITE);
    EXPECT_ERR("CSPACE-035", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_CAPTABLE, Z),
               L4_ERIGHTS);
    l4_cap_destroy(Z);
    /* back to the container's table, asked by a thread that uses it: nothing changes */
    EXPECT_ERR("CSPACE-036", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_CAPTABLE, 0), L4_OK);
}

/* --- two threads, two tables ------------------------------------------------------------------ */

/* What the restricted thread saw (it cannot print: no debug console in its table). */
static volatile struct {
    l4_err_t signal, create, back, endpoint, slot16, poll_after_revoke;
    l4_word_t ep_type, stage;
} seen;

/*
 * Its table (T1): 0 the notification, wait only; 1 its own thread, write; 2 a part of the
 * endpoint pool; 5 free for an endpoint of its own.
 */
static long restricted(l4_word_t arg)
{
    l4_word_t bits, type = 0;

    (void)arg;
    seen.signal = l4_notify_signal(0);
    seen.create = l4_thread_create(POOL_THR, L4_SLOT_SPACE, 100, 6, NULL);
    seen.back = l4_thread_configure(1, L4_THREAD_CAPTABLE, 0);
    seen.endpoint = l4_endpoint_create(2, 5, NULL);
    l4_cap_read(5, &type, NULL, NULL, NULL, NULL, NULL);
    seen.ep_type = type;
    seen.slot16 = l4_cap_read(EP, NULL, NULL, NULL, NULL, NULL, NULL);
    seen.stage = 1;
    l4_notify_wait(0, &bits); // main signals it
    seen.stage = 2;
    while (seen.stage != 3)
        l4_thread_yield();
    seen.poll_after_revoke = l4_notify_poll(0, &bits);
    return 7;
}

static void two_threads(void)
{
    l4_err_t err;
    l4_word_t ep_used = used(POOL_EP);

    l4_captable_put(POOL_EP, T1, 2, L4_POOL_RIGHTS_ALL, 1);
    err = l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, restricted, 0, 100, THR);
    l4_captable_put(THR, T1, 1, L4_RIGHT_COPY | L4_THR_WRITE, 0); // its own, for its try
    if (!err)
        err = l4_thread_configure(THR, L4_THREAD_CAPTABLE, T1);
    if (!err)
        err = l4_thread_start(THR);
    for (int i = 0; i < 1000 && seen.stage != 1; i++)
        l4_thread_yield();
    test_report("CSPACE-040", !err && seen.signal == L4_ERIGHTS,
                "spawn %s; the restricted thread's signal: %s", l4_strerror(err),
                l4_strerror(seen.signal));
    EXPECT_ERR("CSPACE-041", l4_notify_signal(NTF), L4_OK); // what it may not, we may
    test_report("CSPACE-042", seen.create == L4_ECAP && seen.slot16 == L4_ECAP,
                "thread_create with the container's pool slot: %s; container slot 16: %s",
                l4_strerror(seen.create), l4_strerror(seen.slot16));
    test_report("CSPACE-043", seen.back == L4_ERIGHTS,
                "back to the container's table on its own say: %s", l4_strerror(seen.back));
    struct cap_info e = read_in(T1, 5, &err);
    test_report("CSPACE-044",
                seen.endpoint == L4_OK && seen.ep_type == L4_CAP_ENDPOINT &&
                    e.type == L4_CAP_ENDPOINT && slot_empty(5) == false &&
                    cap_info(5).type != L4_CAP_ENDPOINT,
                "its endpoint_create %s, in its table: type %lu / %lu", l4_strerror(seen.endpoint),
                seen.ep_type, e.type);
    for (int i = 0; i < 1000 && seen.stage != 2; i++)
        l4_thread_yield();
    EXPECT_ERR("CSPACE-045", l4_captable_remove(T1, 2), L4_EBUSY); // it pays for that endpoint
    /* revoke in the container's table reaches the copy in the thread's */
    l4_cap_revoke(NTF);
    read_in(T1, 0, &err);
    seen.stage = 3;
    l4_word_t code = join_thread(THR);
    test_report("CSPACE-046", err == L4_ECAP && seen.poll_after_revoke == L4_ECAP && code == 7,
                "slot after the revoke: %s; its poll: %s; exit %lu", l4_strerror(err),
                l4_strerror(seen.poll_after_revoke), code);
    /* the table goes with its last capability: its units, and what its pool part paid */
    l4_cap_destroy(T1);
    test_report("CSPACE-047", used(POOL_CS) == 0 && used(POOL_EP) == ep_used,
                "table units in use %lu, endpoint units %lu (was %lu)", used(POOL_CS),
                used(POOL_EP), ep_used);
}

/* --- lifetimes --------------------------------------------------------------------------------- */

static long wait_on_slot0(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    return l4_notify_wait(0, &bits) == L4_OK ? 1 : 2;
}

static void lifetimes(void)
{
    /* a table a thread uses outlives its last capability, and goes when the thread ends */
    l4_captable_create(POOL_CS, 4, T2, NULL);
    l4_captable_put(NTF, T2, 0, L4_NTF_WAIT, 0);
    spawn_with_table(T2, wait_on_slot0, 0, THR);
    l4_cap_destroy(T2);
    l4_word_t during = used(POOL_CS);
    l4_notify_signal(NTF);
    l4_word_t code = join_thread(THR);
    test_report("CSPACE-050", during == 4 && code == 1 && used(POOL_CS) == 0,
                "units while it ran %lu, exit %lu, after %lu", during, code, used(POOL_CS));
    /* its payer going destroys it, and kills the thread using it */
    l4_cap_split(POOL_CS, PART, 10);
    l4_captable_create(PART, 4, T2, NULL);
    l4_captable_put(NTF, T2, 0, L4_NTF_WAIT, 0);
    spawn_with_table(T2, wait_on_slot0, 0, THR);
    l4_thread_yield(); // it blocks
    l4_cap_revoke(POOL_CS);
    test_report("CSPACE-051",
                slot_empty(THR) && slot_empty(T2) && slot_empty(PART) && used(POOL_CS) == 0,
                "thread %s, table %s, units in use %lu", slot_empty(THR) ? "gone" : "still there",
                slot_empty(T2) ? "gone" : "still there", used(POOL_CS));
}

/* A thread made by a thread with a table of its own gets that table, never more. */
static volatile l4_word_t child_saw;

static long child(l4_word_t arg)
{
    (void)arg;
    child_saw = cap_info(0).type; // the container's slot 0 is a container; ours a notification
    return 0;
}

static long parent(l4_word_t arg)
{
    (void)arg;
    l4_err_t err = l4_thread_spawn_in(4, child, 0, 100, 5);
    l4_word_t code;
    if (!err)
        l4_thread_wait(5, 0, &code);
    return err;
}

static void inheritance(void)
{
    l4_captable_create(POOL_CS, 8, T2, NULL);
    l4_captable_put(NTF, T2, 0, L4_NTF_WAIT, 0);
    l4_captable_put(L4_SLOT_SPACE, T2, 2, L4_SPACE_RIGHTS_ALL, 0);
    l4_captable_put(POOL_THR, T2, 4, L4_POOL_RIGHTS_ALL, 1);
    spawn_with_table(T2, parent, 0, THR);
    l4_word_t code = join_thread(THR);
    test_report("CSPACE-052", code == 0 && child_saw == L4_CAP_NOTIFICATION,
                "parent %lu, child saw type %lu in slot 0", code, child_saw);
    l4_cap_destroy(T2);
}

/* --- IPC into and out of a thread's table ------------------------------------------------------ */

static _Alignas(4096) struct l4_utcb utcb_b;
static volatile l4_word_t got_in, got_type;

/* Its table: 0 the endpoint (receive, send, transfer); 2 free for what comes. */
static long ipc_peer(l4_word_t arg)
{
    l4_word_t tag, m[4], badge, type = 0;

    (void)arg;
    utcb_b.cap_recv = 2;
    l4_ipc_recv(0, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    got_in = utcb_b.cap_received;
    l4_cap_read(2, &type, NULL, NULL, NULL, NULL, NULL);
    got_type = type;
    utcb_b.cap_send = 2;
    return l4_ipc_send(0, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0);
}

static void ipc_transfer(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t tag, m[4], badge;
    l4_err_t err;

    l4_captable_create(POOL_CS, 4, T2, NULL);
    l4_captable_put(EP, T2, 0, L4_EP_SEND | L4_EP_RECV | L4_EP_TRANSFER, 0);
    l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, ipc_peer, 0, 100, THR);
    l4_thread_configure(THR, L4_THREAD_UTCB, (l4_word_t)&utcb_b);
    l4_thread_configure(THR, L4_THREAD_CAPTABLE, T2);
    l4_thread_start(THR);
    l4_cap_replicate(NTF, X);
    u->cap_send = X;
    l4_ipc_send(EP, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0);
    u->cap_recv = Y;
    u->cap_received = 0;
    err = l4_ipc_recv(EP, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    l4_word_t code = join_thread(THR);
    test_report("CSPACE-053", got_in == 1 && got_type == L4_CAP_NOTIFICATION && slot_empty(X),
                "into its table: received %lu, type %lu, ours %s", got_in, got_type,
                slot_empty(X) ? "moved" : "still here");
    read_in(T2, 2, &err);
    test_report("CSPACE-054",
                u->cap_received == 1 && cap_info(Y).type == L4_CAP_NOTIFICATION && err == L4_ECAP &&
                    code == 0,
                "out of its table: received %lu, type %lu, its slot %s, its send %lu",
                u->cap_received, cap_info(Y).type, l4_strerror(err), code);
    l4_cap_destroy(Y);
    l4_cap_destroy(T2);
}

/* The fastpath looks the endpoint up in the caller's own table too: slot 16 of the container's
 * is the endpoint, and a receiver waits on it, but the thread's own table has no slot 16. */
static volatile l4_word_t first_label = ~0ul;
static volatile l4_err_t fast_err = -1;

static long fast_receiver(l4_word_t arg)
{
    l4_word_t tag = 0, m[4], badge;

    (void)arg;
    l4_ipc_recv(EP, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    first_label = L4_TAG_LABEL(tag);
    return 0;
}

static long fast_caller(l4_word_t arg)
{
    l4_word_t m[4], badge, tag;

    (void)arg;
    fast_err =
        l4_ipc_call(EP, L4_TAG(99, 0, 0), 1, 2, 3, 4, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    return 0;
}

static void fastpath_lookup(void)
{
    l4_thread_spawn(fast_receiver, 0, 100, THR);
    l4_thread_yield(); // it waits on the endpoint
    l4_captable_create(POOL_CS, 2, T2, NULL);
    spawn_with_table(T2, fast_caller, 0, X);
    join_thread(X);
    l4_ipc_send(EP, L4_TAG(5, 0, 0), 0, 0, 0, 0);
    join_thread(THR);
    test_report("CSPACE-055", fast_err == L4_ECAP && first_label == 5,
                "call through slot 16 of its own table: %s; the receiver got label %lu first",
                l4_strerror(fast_err), first_label);
    l4_cap_destroy(T2);
}

/* CSPACE-056: the fastpath's slot bound, where the slots past the caller's table are the
 * next table's in the arena and hold an endpoint a receiver waits on. */
static long fast_caller_at(l4_word_t slot)
{
    l4_word_t m[4], badge, tag;

    fast_err =
        l4_ipc_call(slot, L4_TAG(99, 0, 0), 1, 2, 3, 4, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    return 0;
}

static void fastpath_bound(void)
{
    for (l4_word_t slot = 2; slot < 6; slot++) {
        first_label = ~0ul;
        fast_err = -1;
        l4_thread_spawn(fast_receiver, 0, 100, THR);
        l4_thread_yield(); // it waits on the endpoint
        l4_captable_create(POOL_CS, 2, T2, NULL);
        l4_captable_create(POOL_CS, 4, T1, NULL);
        for (l4_word_t i = 0; i < 4; i++)
            l4_captable_put(EP, T1, i, L4_EP_RIGHTS_ALL, 0);
        spawn_with_table(T2, fast_caller_at, slot, X);
        join_thread(X);
        l4_ipc_send(EP, L4_TAG(5, 0, 0), 0, 0, 0, 0);
        join_thread(THR);
        test_report("CSPACE-056", fast_err == L4_ECAP && first_label == 5,
                    "call through slot %lu of a 2-slot table: %s; the receiver got label %lu first",
                    slot, l4_strerror(fast_err), first_label);
        l4_cap_destroy(T1);
        l4_cap_destroy(T2);
    }
}

/* CSPACE-057: the notification fastpath's slot bound (kernel/core/notify_fast.c), the same
 * way: the slots past the caller's 2-slot table hold our notification with every right. A
 * signal through them must not set a bit, a wait must not take one. */
static volatile l4_err_t ntf_err;

static long signal_at(l4_word_t slot)
{
    ntf_err = l4_notify_signal(slot);
    return 0;
}

static long wait_at(l4_word_t slot)
{
    l4_word_t bits;

    ntf_err = l4_notify_wait(slot, &bits);
    return 0;
}

static void notify_fastpath_bound(void)
{
    l4_word_t bits = 0;

    for (l4_word_t slot = 2; slot < 6; slot++) {
        l4_notify_poll(NTF, &bits); // its word 0
        l4_captable_create(POOL_CS, 2, T2, NULL);
        l4_captable_create(POOL_CS, 4, T1, NULL);
        for (l4_word_t i = 0; i < 4; i++)
            l4_captable_put(NTF, T1, i, NTF_ALL, 0);
        ntf_err = -1;
        spawn_with_table(T2, signal_at, slot, X);
        join_thread(X);
        l4_err_t signalled = ntf_err, after_signal = l4_notify_poll(NTF, &bits);
        l4_notify_signal(NTF); // a bit for the wait to take
        ntf_err = -1;
        spawn_with_table(T2, wait_at, slot, X);
        join_thread(X);
        bits = 0;
        l4_err_t waited = ntf_err, after_wait = l4_notify_poll(NTF, &bits);
        test_report("CSPACE-057",
                    signalled == L4_ECAP && after_signal == L4_ETIMEOUT && waited == L4_ECAP &&
                        after_wait == L4_OK && bits == 1,
                    "slot %lu of a 2-slot table: signal %s (then poll %s), wait %s (then poll %s, "
                    "bits %lx)",
                    slot, l4_strerror(signalled), l4_strerror(after_signal), l4_strerror(waited),
                    l4_strerror(after_wait), bits);
        l4_cap_destroy(T1);
        l4_cap_destroy(T2);
    }
}

/* CSPACE-058: the notification fastpath looks in the caller's own table: its slot NTF holds
 * our notification without the right it uses, where the container's slot NTF has all. */
static l4_err_t in_own_table(uint32_t rights, long (*fn)(l4_word_t))
{
    l4_captable_create(POOL_CS, NTF + 1, T2, NULL);
    l4_captable_put(NTF, T2, NTF, rights, 0);
    ntf_err = -1;
    spawn_with_table(T2, fn, NTF, X);
    join_thread(X);
    l4_cap_destroy(T2);
    return ntf_err;
}

static void notify_fastpath_own_table(void)
{
    l4_word_t bits = 0;

    l4_notify_poll(NTF, &bits); // its word 0
    l4_err_t signalled = in_own_table(L4_NTF_WAIT, signal_at);
    l4_err_t after_signal = l4_notify_poll(NTF, &bits);
    l4_notify_signal(NTF); // a bit for the wait to take
    l4_err_t waited = in_own_table(L4_NTF_SIGNAL, wait_at);
    bits = 0;
    l4_err_t after_wait = l4_notify_poll(NTF, &bits);
    test_report("CSPACE-058",
                signalled == L4_ERIGHTS && after_signal == L4_ETIMEOUT && waited == L4_ERIGHTS &&
                    after_wait == L4_OK && bits == 1,
                "signal %s (then poll %s), wait %s (then poll %s, bits %lx)",
                l4_strerror(signalled), l4_strerror(after_signal), l4_strerror(waited),
                l4_strerror(after_wait), bits);
}

/* --- hostile shapes ----------------------------------------------------------------------------- */

/*
 * A thread that builds a chain: in each table, 0 a capslots pool part, 1 its own thread; it
 * makes the next table (its capability, a root, in slot 2), gives it the rest of the part and
 * itself, and moves into it. Each table then holds the only capability to the next.
 */
static long builder(l4_word_t arg)
{
    l4_word_t levels = 0, b = 0;

    (void)arg;
    while (!l4_cap_read(0, NULL, NULL, NULL, &b, NULL, NULL) && b >= 6) {
        if (l4_captable_create(0, 3, 2, NULL) ||
            l4_captable_put(0, 2, 0, L4_POOL_RIGHTS_ALL, b - 3) ||
            l4_captable_put(1, 2, 1, L4_RIGHT_COPY | L4_THR_WRITE, 0) ||
            l4_thread_configure(1, L4_THREAD_CAPTABLE, 2))
            return 1000 + levels;
        levels++;
    }
    return levels;
}

/* Takes a capability into slot 1 of its table through the endpoint in slot 0. */
static long receive_into_1(l4_word_t arg)
{
    l4_word_t tag, m[4], badge;

    (void)arg;
    utcb_b.cap_recv = 1;
    utcb_b.cap_received = 0;
    l4_ipc_recv(0, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    return utcb_b.cap_received;
}

static l4_word_t send_to_table(l4_cap_t table, l4_cap_t cap)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;

    l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, receive_into_1, 0, 100, THR);
    l4_thread_configure(THR, L4_THREAD_UTCB, (l4_word_t)&utcb_b);
    l4_thread_configure(THR, L4_THREAD_CAPTABLE, table);
    l4_thread_start(THR);
    u->cap_send = cap;
    l4_ipc_send(EP, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0);
    return join_thread(THR);
}

static void chains_and_cycles(void)
{
    /* a chain: one destroy takes all, one table after another (not nested: the kernel stack
     * stays flat however long the chain) */
    l4_captable_create(POOL_CS, 3, T1, NULL);
    l4_captable_put(POOL_CS, T1, 0, L4_POOL_RIGHTS_ALL, UNITS - 4);
    l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, builder, 0, 100, THR);
    l4_captable_put(THR, T1, 1, L4_RIGHT_COPY | L4_THR_WRITE, 0);
    l4_thread_configure(THR, L4_THREAD_CAPTABLE, T1);
    l4_thread_start(THR);
    l4_word_t levels = join_thread(THR);
    l4_word_t left = cap_info(POOL_CS).b;
    l4_cap_destroy(T1);
    struct cap_info root = cap_info(POOL_CS);
    test_report("CSPACE-060", levels >= 10 && levels < 1000 && root.b == UNITS && root.object == 0,
                "chain of %lu tables below the first (the root kept %lu units); after its head "
                "went the root has %lu units, %lu in use",
                levels, left, root.b, root.object);
    /* two tables each holding the only capability to the other (moved there by IPC) live on
     * without a capability of ours; their payer's end takes them back */
    l4_cap_split(POOL_CS, PART, 8);
    l4_captable_create(PART, 2, X, NULL);
    l4_captable_create(PART, 2, Y, NULL);
    l4_captable_put(EP, X, 0, L4_EP_RECV, 0);
    l4_captable_put(EP, Y, 0, L4_EP_RECV, 0);
    l4_cap_replicate(Y, Z); // to bind a thread to Y once Y itself is gone
    l4_word_t moved = send_to_table(X, Y);
    l4_captable_remove(X, 0);
    moved += send_to_table(Z, X);
    l4_cap_destroy(Z);
    l4_word_t cycled = used(PART);
    l4_cap_revoke(POOL_CS);
    test_report("CSPACE-061", moved == 2 && cycled == 4 && used(POOL_CS) == 0 && slot_empty(PART),
                "moved %lu; units a cycle kept %lu; after the revoke %lu", moved, cycled,
                used(POOL_CS));
}

/* Tables come and go; a new one finds room by packing the others, whose slots keep their links. */
static void packing(void)
{
    l4_err_t err;

    l4_captable_create(POOL_CS, 10, X, NULL);
    l4_captable_create(POOL_CS, 10, Y, NULL);
    l4_captable_create(POOL_CS, 10, Z, NULL);
    l4_captable_put(NTF, Z, 9, L4_NTF_WAIT, 0);
    l4_cap_destroy(Y); // ten free in the middle, ten at the end
    err = l4_captable_create(POOL_CS, 15, Y, NULL);
    struct cap_info moved = read_in(Z, 9, &err);
    test_report("CSPACE-062", !slot_empty(Y) && moved.type == L4_CAP_NOTIFICATION,
                "15 slots after a hole of 10: %s; the moved slot has type %lu",
                slot_empty(Y) ? "refused" : "made", moved.type);
    l4_cap_revoke(NTF);
    read_in(Z, 9, &err);
    test_report("CSPACE-063", err == L4_ECAP, "revoke after the move: %s", l4_strerror(err));
    EXPECT_ERR("CSPACE-064", l4_captable_create(POOL_CS, 6, T1, NULL), L4_ENOMEM);
    l4_cap_destroy(X);
    l4_cap_destroy(Y);
    l4_cap_destroy(Z);
    test_report("CSPACE-065", used(POOL_CS) == 0, "units in use %lu", used(POOL_CS));
}

/* --- other containers ---------------------------------------------------------------------------- */

static void restart_victim(void)
{
    struct container_info v = container_info(VICTIM);

    for (int i = 0; i < 2000 && v.threads < 3; i++) {
        l4_thread_yield();
        v = container_info(VICTIM);
    }
    l4_err_t err = l4_container_restart(VICTIM);
    test_report("CSPACE-070", v.threads == 3 && err == L4_OK,
                "the victim had %lu threads; restart: %s", v.threads, l4_strerror(err));
}

static void grant_to_other(void)
{
    l4_captable_create(POOL_CS, 2, T1, NULL);
    EXPECT_ERR("CSPACE-071", l4_cap_grant(T1, OTHER, GRANTED), L4_OK);
}

static void restart_plugin(void)
{
    l4_word_t waiting = 0, alive = 0;

    for (int i = 0; i < 100000 && !(alive == 1 && waiting == 1); i++) {
        l4_thread_yield();
        l4_container_usage(PLUGIN, L4_USAGE_WAITING, &waiting, &alive);
    }
    EXPECT_ERR("CSPACE-083", l4_container_restart(PLUGIN), L4_OK);
}

/* container_usage's L4_USAGE_TABLESLOTS: the slots its run-time tables hold, of its
 * tableslots; L4_POOL_CAPSLOTS still measures its own table, which the table's capability
 * fills by one slot. */
static void usage(void)
{
    l4_word_t before = ~0ul, total = 0, made = 0, own = 0, own_made = 0, after = ~0ul, x;

    l4_container_usage(L4_SLOT_CONTAINER, L4_USAGE_TABLESLOTS, &before, &total);
    l4_container_usage(L4_SLOT_CONTAINER, L4_POOL_CAPSLOTS, &own, &x);
    l4_err_t err = l4_captable_create(POOL_CS, 5, X, NULL);
    l4_container_usage(L4_SLOT_CONTAINER, L4_USAGE_TABLESLOTS, &made, &x);
    l4_container_usage(L4_SLOT_CONTAINER, L4_POOL_CAPSLOTS, &own_made, &x);
    l4_cap_destroy(X);
    l4_container_usage(L4_SLOT_CONTAINER, L4_USAGE_TABLESLOTS, &after, &x);
    test_report("CSPACE-090",
                !err && before == 0 && total == UNITS && made == 5 && after == 0 &&
                    own_made == own + 1,
                "create %s; table slots in use %lu, %lu, %lu of %lu; own table %lu then %lu",
                l4_strerror(err), before, made, after, total, own, own_made);
}

static void main_role(void)
{
    usage();
    create_errors();
    put_errors();
    remove_and_read_errors();
    configure_errors();
    two_threads();
    lifetimes();
    inheritance();
    ipc_transfer();
    fastpath_lookup();
    fastpath_bound();
    notify_fastpath_bound();
    notify_fastpath_own_table();
    chains_and_cycles();
    packing();
    restart_victim();
    grant_to_other();
    restart_plugin();
    printf("cspacetest: done\n");
}

/* Binds a table of the main container to its own thread: refused. */
static void other_role(void)
{
    for (long i = 0; i < 10000000 && cap_info(GRANTED).type != L4_CAP_CAPTABLE; i++)
        l4_thread_yield();
    EXPECT_ERR("CSPACE-072", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_CAPTABLE, GRANTED),
               L4_EINVAL);
    l4_err_t err;
    read_in(GRANTED, 0, &err);
    test_report("CSPACE-073", err == L4_ECAP, "read of its empty slot: %s", l4_strerror(err));
    l4_cap_destroy(GRANTED);
}

static long victim_waits(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    for (;;)
        l4_notify_wait(0, &bits);
    return 0;
}

/* First run: tables, threads using them; its restart must take all of it back. */
static void victim_role(void)
{
    if (container_info(L4_SLOT_CONTAINER).restarts == 0) {
        l4_captable_create(POOL_CS, 4, T1, NULL);
        l4_captable_create(POOL_CS, 4, T2, NULL);
        l4_captable_put(NTF, T1, 0, L4_NTF_WAIT, 0);
        l4_captable_put(NTF, T2, 0, L4_NTF_WAIT, 0);
        l4_captable_put(T2, T1, 1, L4_CT_RIGHTS_ALL, 0);
        spawn_with_table(T1, victim_waits, 0, THR);
        spawn_with_table(T2, victim_waits, 0, THR + 1);
        l4_cap_destroy(T2); // T2 lives on through T1 and its thread
        for (;;)
            l4_thread_yield();
    }
    struct cap_info pool = cap_info(POOL_CS);
    test_report("CSPACE-074", pool.object == 0 && pool.b == 16 && slot_empty(T1) && slot_empty(T2),
                "after its restart: units %lu in use of %lu", pool.object, pool.b);
}

/*
 * Its first thread has a table of its own from the system file (first_table): 0 its
 * notification, wait only; 1 two units of its thread pool; 2 its space, bind; 3 the debug
 * console; 4 its container, inspect; 5 empty. Nothing else of its container's table is in reach.
 */
static volatile l4_word_t plugin_child_saw;

static long plugin_child(l4_word_t arg)
{
    (void)arg;
    plugin_child_saw = cap_info(0).type;
    return 0;
}

static void plugin_role(void)
{
    l4_word_t next = 0, bits;
    struct cap_info n = cap_info(0), pool = cap_info(1), space = cap_info(2), dbg = cap_info(3);
    bool runs_again = container_info(4).restarts > 0;
    l4_err_t listed = l4_cap_next(5, &next);

    if (runs_again) {
        test_report("CSPACE-084", n.type == L4_CAP_NOTIFICATION && pool.b == 2,
                    "after the restart: slot 0 type %lu, pool %lu units", n.type, pool.b);
        return;
    }
    test_report("CSPACE-080",
                n.type == L4_CAP_NOTIFICATION && n.rights == (L4_RIGHT_COPY | L4_NTF_WAIT) &&
                    pool.type == L4_CAP_POOL && pool.b == 2 && space.rights == L4_SPACE_BIND &&
                    dbg.type == L4_CAP_DEBUG && listed == L4_ERANGE,
                "slots: %lu/%lx, %lu/%lu units, space %lx, debug %lu; past slot 4: %s", n.type,
                n.rights, pool.type, pool.b, space.rights, dbg.type, l4_strerror(listed));
    test_report("CSPACE-081",
                l4_notify_signal(0) == L4_ERIGHTS &&
                    l4_cap_read(L4_SLOT_MEMORY, NULL, NULL, NULL, NULL, NULL, NULL) == L4_ECAP,
                "its notification may be signalled, or its memory read");
    l4_err_t err = l4_thread_spawn_in(1, plugin_child, 0, 100, 5);
    l4_word_t code = 1;
    if (!err)
        l4_thread_wait(5, 0, &code);
    test_report("CSPACE-082", !err && code == 0 && plugin_child_saw == L4_CAP_NOTIFICATION,
                "spawn %s, child saw type %lu in slot 0", l4_strerror(err), plugin_child_saw);
    l4_cap_destroy(5);
    l4_notify_wait(0, &bits); // until main restarts the container
}

int main(const char *arg)
{
    if (strcmp(arg, "other") == 0)
        other_role();
    else if (strcmp(arg, "victim") == 0)
        victim_role();
    else if (strcmp(arg, "plugin") == 0)
        plugin_role();
    else
        main_role();
    return 0;
}
