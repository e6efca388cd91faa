/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ATK-030..041: attacks on the new accounting paths that held (each must PASS, and the
 * kernel's self-check after every capability operation must not panic):
 *  ATK-030  a paying thread-pool part granted within its own table: the thread's payer
 *           pointer follows it (pool_moved), the unit comes back to the new slot
 *  ATK-031  the same for a page-table part paying for a space; later tables are charged
 *           to the moved capability
 *  ATK-032  the space dies with its page-table part: a pager's copy of the space is gone
 *           and mem_map through it fails (ECAP)
 *  ATK-033  a paying pool part moved by IPC between two threads of one container
 *  ATK-034  a paying pool part sent by IPC to another container: dropped, stays with us
 *  ATK-035  a thread revokes the pool that pays for itself: it dies, units come back
 *  ATK-036  a thread revokes the page-table pool paying for its own space
 *  ATK-037  a thread revokes the space pool paying for its own space
 *  ATK-038  endpoints destroyed by a pool revoke with a receiver waiting and a faulting
 *           thread queued as sender: both learn ECAP, the faulter stops as unhandled
 *  ATK-039  a notification bound to an interrupt line dies with its pool part: the line
 *           is unbound (irq_ack: ESTATE)
 *  ATK-040  split, deduce, destroy and grant-away of units that pay: refused
 *  ATK-042  a thread blocked receiving, in a space whose pool part is revoked: it dies and
 *           leaves the endpoint's queue (a send finds nobody waiting)
 * The peer container reports ATK-041 (it received no capability in ATK-034).
 */
#include "atk.h"

#include <coffer/syscall_nr.h>

/* held's slots */
#define SELF    16 /* our own container: receive (system file) */
#define PEER_EP 17 /* peer.ep: send, transfer (system file) */
#define IRQ     19 /* line 5 (system file) */
#define PEER    18 /* the peer container: receive (system file) */
#define PART    20
#define OBJ     21
#define OBJ2    22
#define THR     23
#define THR2    24
#define MOVED   25
#define EP      26
#define GOT     29
/* peer's slots */
#define P_EP    16 /* its endpoint (system file) */
#define P_GOT   30

static volatile int survived;
static volatile l4_err_t recv_err = -1;
static volatile l4_word_t recv_tag, recv_got;
static _Alignas(4096) struct l4_utcb utcb2;

static long suspend_self(l4_word_t slot)
{
    l4_thread_suspend(slot);
    return 0;
}

static void grant_within(void)
{
    /* ATK-030: threads */
    l4_cap_split(POOL_THR, PART, 2);
    spawn(PART, SPACE, suspend_self, THR, 100, THR, true);
    l4_err_t g = l4_cap_grant(PART, SELF, MOVED);
    struct cap_info m = cap_info(MOVED);
    l4_err_t d = l4_thread_destroy(THR);
    struct cap_info m2 = cap_info(MOVED);
    l4_err_t again = spawn(MOVED, SPACE, suspend_self, THR, 100, THR, true);
    l4_cap_revoke(POOL_THR); // MOVED goes, and the thread it pays for
    test_report("ATK-030",
                g == L4_OK && slot_empty(PART) && m.object == 1 && d == L4_OK && m2.object == 0 &&
                    again == L4_OK && slot_empty(MOVED) && slot_empty(THR) &&
                    cap_info(POOL_THR).b == 16,
                "grant %s, moved part pays for %lu then %lu, thread slot %s, root %lu units",
                l4_strerror(g), m.object, m2.object, slot_empty(THR) ? "empty" : "full",
                cap_info(POOL_THR).b);

    /* ATK-031: page tables */
    l4_word_t pt0 = cap_info(POOL_PT).object;
    l4_cap_split(POOL_PT, PART, 8);
    l4_space_create(POOL_SPC, PART, OBJ, NULL);
    l4_cap_replicate(OBJ, OBJ2); // a pager's copy
    g = l4_cap_grant(PART, SELF, MOVED);
    l4_err_t map = l4_mem_map(MEM, 0, OBJ, 0x20000000, L4_MAP_READ);
    m = cap_info(MOVED);
    test_report("ATK-031", g == L4_OK && map == L4_OK && m.object == 4,
                "grant %s, map %s, moved part pays for %lu tables (expected root + 3)",
                l4_strerror(g), l4_strerror(map), m.object);

    /* ATK-032: its page-table pool goes: the space and every capability to it go */
    l4_cap_revoke(POOL_PT);
    map = l4_mem_map(MEM, 0, OBJ2, 0x20001000, L4_MAP_READ);
    test_report("ATK-032",
                slot_empty(MOVED) && slot_empty(OBJ) && slot_empty(OBJ2) && map == L4_ECAP &&
                    cap_info(POOL_PT).b == 64 && cap_info(POOL_PT).object == pt0 &&
                    cap_info(POOL_SPC).object == 1,
                "part %s, space %s, copy %s, map %s, %lu tables in use (%lu before)",
                slot_empty(MOVED) ? "gone" : "kept", slot_empty(OBJ) ? "gone" : "kept",
                slot_empty(OBJ2) ? "gone" : "kept", l4_strerror(map), cap_info(POOL_PT).object,
                pt0);
}

static long receive_cap(l4_word_t ep)
{
    l4_word_t tag = 0;

    utcb2.cap_recv = GOT;
    recv_err = l4_ipc_recv(ep, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    recv_tag = tag;
    recv_got = utcb2.cap_received;
    return 0;
}

static void ipc_moves(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;

    /* ATK-033: to another thread of ours */
    l4_endpoint_create(POOL_EP, EP, NULL);
    l4_cap_split(POOL_THR, PART, 2);
    spawn(PART, SPACE, suspend_self, THR, 100, THR, true);
    spawn(POOL_THR, SPACE, receive_cap, EP, 100, THR2, false);
    l4_thread_configure(THR2, L4_THREAD_UTCB, (l4_word_t)&utcb2);
    l4_thread_start(THR2);
    u->cap_send = PART;
    l4_err_t s = l4_ipc_send(EP, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0);
    wait_empty(THR2, 100); // it has returned
    struct cap_info m = cap_info(GOT);
    l4_err_t d = l4_thread_destroy(THR);
    struct cap_info m2 = cap_info(GOT);
    test_report("ATK-033",
                s == L4_OK && recv_err == L4_OK && recv_got == 1 && slot_empty(PART) &&
                    m.type == L4_CAP_POOL && m.object == 1 && d == L4_OK && m2.object == 0,
                "send %s recv %s got %lu, moved part pays for %lu then %lu", l4_strerror(s),
                l4_strerror(recv_err), recv_got, m.object, m2.object);
    l4_cap_destroy(GOT);

    /* ATK-034: to another container: the units pay for our thread, they stay */
    l4_cap_split(POOL_THR, PART, 2);
    spawn(PART, SPACE, suspend_self, THR, 100, THR, true);
    u->cap_send = PART;
    s = l4_ipc_send(PEER_EP, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0);
    m = cap_info(PART);
    test_report("ATK-034", s == L4_OK && m.type == L4_CAP_POOL && m.object == 1,
                "send %s; our part: type %lu paying for %lu", l4_strerror(s), m.type, m.object);
    l4_cap_revoke(POOL_THR);
    l4_cap_destroy(EP);
}

static long revoke_own_payer(l4_word_t arg)
{
    (void)arg;
    l4_cap_revoke(POOL_THR); // PART pays for this thread
    survived = 1;
    return 0;
}

static void revoke_self(void)
{
    /* ATK-035: a thread revokes its own payer */
    l4_word_t thr0 = cap_info(POOL_THR).object;
    l4_cap_split(POOL_THR, PART, 1);
    spawn(PART, SPACE, revoke_own_payer, 0, 100, THR, true);
    bool gone = wait_empty(THR, 200);
    test_report("ATK-035",
                gone && !survived && slot_empty(PART) && cap_info(POOL_THR).b == 16 &&
                    cap_info(POOL_THR).object == thr0,
                "thread %s, returned %d, part %s, root %lu units, %lu in use (%lu before)",
                gone ? "gone" : "alive", survived, slot_empty(PART) ? "gone" : "kept",
                cap_info(POOL_THR).b, cap_info(POOL_THR).object, thr0);

    /* ATK-036: a thread in a space paid by a page-table part revokes the page-table root */
    l4_word_t off = blob_syscall(0, L4_SYS_CAP_REVOKE, POOL_PT); // maps it in our space first
    l4_word_t pt0 = cap_info(POOL_PT).object, spc0 = cap_info(POOL_SPC).object;
    l4_cap_split(POOL_PT, PART, 8);
    l4_space_create(POOL_SPC, PART, OBJ, NULL);
    l4_mem_map(MEM, off, OBJ, BLOB_VA, L4_MAP_READ | L4_MAP_EXEC);
    l4_err_t st = start_at(POOL_THR, OBJ, BLOB_VA, 0, 100, THR);
    gone = wait_empty(THR, 200);
    test_report("ATK-036",
                st == L4_OK && gone && slot_empty(OBJ) && slot_empty(PART) &&
                    cap_info(POOL_PT).b == 64 && cap_info(POOL_PT).object == pt0 &&
                    cap_info(POOL_SPC).object == spc0,
                "start %s, thread %s, space %s, %lu tables (%lu before), %lu spaces",
                l4_strerror(st), gone ? "gone" : "alive", slot_empty(OBJ) ? "gone" : "kept",
                cap_info(POOL_PT).object, pt0, cap_info(POOL_SPC).object);

    /* ATK-037: the same with the space pool */
    l4_cap_split(POOL_SPC, PART, 1);
    l4_space_create(PART, POOL_PT, OBJ, NULL);
    off = blob_syscall(0, L4_SYS_CAP_REVOKE, POOL_SPC);
    l4_mem_map(MEM, off, OBJ, BLOB_VA, L4_MAP_READ | L4_MAP_EXEC);
    st = start_at(POOL_THR, OBJ, BLOB_VA, 0, 100, THR);
    gone = wait_empty(THR, 200);
    test_report("ATK-037",
                st == L4_OK && gone && slot_empty(OBJ) && slot_empty(PART) &&
                    cap_info(POOL_SPC).b == 4 && cap_info(POOL_PT).object == pt0 &&
                    cap_info(POOL_SPC).object == spc0,
                "start %s, thread %s, space %s, %lu tables (%lu before), %lu spaces",
                l4_strerror(st), gone ? "gone" : "alive", slot_empty(OBJ) ? "gone" : "kept",
                cap_info(POOL_PT).object, pt0, cap_info(POOL_SPC).object);
}

static volatile int waited;

static long wait_on(l4_word_t ep)
{
    recv_err = l4_ipc_recv(ep, 0, NULL, NULL, NULL, NULL, NULL, NULL);
    waited = 1;
    return 0;
}

static long fault_now(l4_word_t arg)
{
    (void)arg;
    *(volatile int *)0xdead000 = 1;
    survived = 2;
    return 0;
}

static void endpoints_die(void)
{
    /* ATK-038 */
    l4_word_t faults0 = container_info(L4_SLOT_CONTAINER).faults;
    l4_cap_split(POOL_EP, PART, 2);
    l4_endpoint_create(PART, OBJ, NULL);
    l4_endpoint_create(PART, OBJ2, NULL);
    recv_err = -1;
    spawn(POOL_THR, SPACE, wait_on, OBJ, 100, THR, true);
    spawn(POOL_THR, SPACE, fault_now, 0, 100, THR2, false);
    l4_thread_configure(THR2, L4_THREAD_FAULT_EP, OBJ2);
    l4_thread_start(THR2);
    yield_n(10); // one waits to receive, the other's fault waits to be received
    l4_err_t rv = l4_cap_revoke(POOL_EP);
    for (unsigned i = 0; i < 100 && !waited; i++)
        l4_thread_yield();
    yield_n(5);
    struct container_info s = container_info(L4_SLOT_CONTAINER);
    test_report("ATK-038",
                rv == L4_OK && waited && recv_err == L4_ECAP && slot_empty(OBJ) &&
                    slot_empty(OBJ2) && slot_empty(PART) && s.faults == faults0 + 1 &&
                    survived != 2,
                "revoke %s, receiver woke %d with %s, fault recorded %lu->%lu", l4_strerror(rv),
                waited, l4_strerror(recv_err), faults0, s.faults);
    l4_thread_destroy(THR2);
    wait_empty(THR, 10);
}

static void irq_unbound(void)
{
    /* ATK-039 */
    l4_cap_split(POOL_NTF, PART, 1);
    l4_notification_create(PART, OBJ, NULL);
    l4_err_t b = l4_irq_bind(IRQ, OBJ);
    l4_cap_revoke(POOL_NTF);
    l4_err_t a = l4_irq_ack(IRQ);
    test_report("ATK-039", b == L4_OK && slot_empty(OBJ) && a == L4_ESTATE,
                "bind %s, notification %s, ack after it died %s", l4_strerror(b),
                slot_empty(OBJ) ? "gone" : "kept", l4_strerror(a));
}

static void refusals(void)
{
    /* ATK-040: units that pay may not leave their capability by any call */
    l4_cap_split(POOL_THR, PART, 2);
    spawn(PART, SPACE, suspend_self, THR, 100, THR, true);
    spawn(PART, SPACE, suspend_self, THR2, 100, THR2, true);
    l4_err_t sp = l4_cap_split(PART, OBJ, 1);
    l4_err_t de = l4_cap_deduce(PART, L4_RIGHTS_CAP | L4_POOL_ALLOC, L4_POOL_THREADS, 1);
    l4_err_t ds = l4_cap_destroy(PART);
    l4_err_t gr = l4_cap_grant(PART, PEER, 30);
    test_report("ATK-040",
                sp == L4_EBUSY && de == L4_EBUSY && ds == L4_EBUSY && gr == L4_EBUSY &&
                    cap_info(PART).object == 2,
                "split %s deduce %s destroy %s grant %s", l4_strerror(sp), l4_strerror(de),
                l4_strerror(ds), l4_strerror(gr));
    l4_cap_revoke(POOL_THR);
}

static void blocked_in_dying_space(void)
{
    /* ATK-042 */
    l4_endpoint_create(POOL_EP, EP, NULL);
    l4_cap_split(POOL_SPC, PART, 1);
    l4_space_create(PART, POOL_PT, OBJ, NULL);
    l4_word_t off = blob_syscall(0, L4_SYS_IPC_RECV, EP);
    l4_mem_map(MEM, off, OBJ, BLOB_VA, L4_MAP_READ | L4_MAP_EXEC);
    l4_err_t st = start_at(POOL_THR, OBJ, BLOB_VA, 0, 100, THR);
    yield_n(5); // it blocks in ipc_recv
    l4_cap_revoke(POOL_SPC);
    l4_err_t after = l4_ipc_send(EP, L4_TAG(0, 0, L4_IPC_NONBLOCK), 0, 0, 0, 0);
    test_report(
        "ATK-042", st == L4_OK && slot_empty(THR) && slot_empty(OBJ) && after == L4_ETIMEOUT,
        "start %s, thread %s, space %s, send after %s", l4_strerror(st),
        slot_empty(THR) ? "gone" : "alive", slot_empty(OBJ) ? "gone" : "kept", l4_strerror(after));
    l4_cap_destroy(EP);
}

int role_held(void)
{
    grant_within();
    ipc_moves();
    revoke_self();
    endpoints_die();
    irq_unbound();
    refusals();
    blocked_in_dying_space();
    printf("held: done\n");
    return 0;
}

int role_peer(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t tag = 0;

    u->cap_recv = P_GOT;
    u->cap_received = 7;
    l4_err_t err = l4_ipc_recv(P_EP, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    test_report("ATK-041",
                err == L4_OK && (tag & L4_IPC_TRUNC) && u->cap_received == 0 && slot_empty(P_GOT),
                "recv %s tag %lx received %lu slot %s", l4_strerror(err), tag, u->cap_received,
                slot_empty(P_GOT) ? "empty" : "full");
    return 0;
}
