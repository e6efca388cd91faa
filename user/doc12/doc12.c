/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * DOC12-xxx: what the docs promise for issue 12, written from docs/syscalls.md,
 * docs/architecture.md, docs/system-files.md and the public headers alone: capability tables
 * below the container, mem_protect / mem_share and the L4_PF_* bits, extended IPC that faults
 * to the pager, device memory, irq_release, immutable grants and the wall clock. One program,
 * one role per container (its args): main, peer, plugin, timer, high.
 */
#include "l4.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/mem.h>
#include <coffer/thread.h>
#include <coffer/time.h>

/* main's system-file slots (tests/qemu/systems/doc12.toml) */
#define S_NTF     16 /* its notification */
#define S_EP      17 /* its endpoint: the pager's fault endpoint, and a message endpoint */
#define S_PEER    18 /* container peer: receive, inspect */
#define S_IRQ     19 /* interrupt line 4: control, copy */
#define S_CLOCK   20 /* the wall clock: set, copy */
#define S_EP2     21 /* a second endpoint: messages */
#define S_NTF2    22
#define S_DONE    23 /* peer signals it when it is done */
#define S_XEP     45 /* an endpoint for extended messages */
#define S_TABLE   30 /* a table main makes; peer's table arrives in S_TABLE + 1 */
#define S_SCRATCH 40

#define VA 0x40000000ull /* where main maps its region */
#define PG 0x1000ull

static void pass(const char *id, bool ok, const char *what, l4_word_t a, l4_word_t b)
{
    test_report(id, ok, "%s (%lx, %lx)", what, (unsigned long)a, (unsigned long)b);
}
#define EXPECT(id, call, want) EXPECT_ERR(id, call, want)

static l4_err_t ct_read(l4_cap_t table, l4_word_t slot, struct cap_info *i)
{
    return l4_captable_read(table, slot, &i->type, &i->rights, &i->a, &i->b, &i->object, &i->depth);
}

/* ---- capability tables ---- */

/* A thread whose slots name table S_TABLE: it checks what it reaches, and exits with a bit per
 * promise that held. Its table: 0 a notification (signal only), 1 its own thread capability,
 * 2 nothing, 3 the debug console. */
static long in_table(l4_word_t unused)
{
    long ok = 0;
    l4_word_t bits, slot;
    struct cap_info i;

    (void)unused;
    if (l4_notify_signal(0) == L4_OK)
        ok |= 1; /* slot 0 is the table's, not the container's */
    if (l4_notify_wait(0, &bits) == L4_ERIGHTS)
        ok |= 2; /* with only the rights put */
    if (l4_cap_read(S_EP, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth) == L4_ECAP)
        ok |= 4; /* the container's slots are out of reach */
    if (l4_cap_next(2, &slot) == L4_OK && slot == 3)
        ok |= 8; /* cap_next lists the table */
    if (l4_thread_configure(1, L4_THREAD_CAPTABLE, 0) == L4_ERIGHTS)
        ok |= 16; /* 0 from a thread with a table of its own */
    if (l4_cap_read(4, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth) == L4_ECAP)
        ok |= 32; /* past the table's end */
    return ok;
}

static void captables(void)
{
    l4_word_t id = 0, id2;
    struct cap_info i;
    const l4_cap_t capslots = L4_SLOT_POOL(L4_POOL_CAPSLOTS);

    /* captable_create: every error, in the documented order */
    EXPECT("DOC12-001", l4_captable_create(L4_SLOT_POOL(L4_POOL_THREADS), 0, 64, &id), L4_ECAP);
    l4_cap_split(capslots, S_SCRATCH, 2);
    l4_cap_deduce(S_SCRATCH, L4_RIGHTS_CAP, L4_POOL_CAPSLOTS, 2);
    EXPECT("DOC12-002", l4_captable_create(S_SCRATCH, 0, 64, &id), L4_ERIGHTS);
    l4_cap_destroy(S_SCRATCH);
    EXPECT("DOC12-003", l4_captable_create(capslots, 0, 64, &id), L4_ERANGE);
    EXPECT("DOC12-004", l4_captable_create(capslots, 1025, S_TABLE, &id), L4_ERANGE);
    EXPECT("DOC12-005", l4_captable_create(capslots, 4, 128, &id), L4_ECAP);
    EXPECT("DOC12-006", l4_captable_create(capslots, 4, S_EP, &id), L4_EBUSY);
    EXPECT("DOC12-007", l4_captable_create(capslots, 17, S_TABLE, &id), L4_ENOMEM);

    /* success: its capability has all rights, b = slots, object = its id; 4 units pay */
    EXPECT("DOC12-008", l4_captable_create(capslots, 4, S_TABLE, &id), L4_OK);
    i = cap_info(S_TABLE);
    pass("DOC12-009",
         i.type == L4_CAP_CAPTABLE && i.rights == L4_CT_RIGHTS_ALL && i.b == 4 && i.object == id,
         "table capability type/rights", i.type, i.rights);
    i = cap_info(capslots);
    pass("DOC12-010", i.object == 4, "capslots pool units paying", i.object, i.b);

    /* captable_put: errors in order */
    EXPECT("DOC12-011", l4_captable_put(S_NTF, S_EP, 0, 0, 0), L4_ECAP);
    l4_cap_replicate(S_TABLE, S_SCRATCH);
    l4_cap_deduce(S_SCRATCH, L4_RIGHT_COPY | L4_CT_READ | L4_CT_BIND, 0, 4); /* b: its slots */
    EXPECT("DOC12-012", l4_captable_put(S_NTF, S_SCRATCH, 0, L4_NTF_RIGHTS_ALL, 0), L4_ERIGHTS);
    /* the table into itself: EINVAL, before dest is looked at */
    EXPECT("DOC12-013", l4_captable_put(S_TABLE, S_TABLE, 99, L4_CT_RIGHTS_ALL, 0), L4_EINVAL);
    EXPECT("DOC12-014", l4_captable_put(S_SCRATCH + 1, S_TABLE, 0, 0, 0), L4_ECAP);
    EXPECT("DOC12-015", l4_captable_put(S_NTF, S_TABLE, 4, L4_NTF_RIGHTS_ALL, 0), L4_ECAP);
    EXPECT("DOC12-016", l4_captable_put(S_NTF, S_TABLE, 0, L4_NTF_SIGNAL, 0), L4_OK);
    EXPECT("DOC12-017", l4_captable_put(S_NTF, S_TABLE, 0, L4_NTF_SIGNAL, 0), L4_EBUSY);
    /* slot 0, the container, is inspect only: no copy */
    EXPECT("DOC12-018", l4_captable_put(L4_SLOT_CONTAINER, S_TABLE, 2, L4_CONT_INSPECT, 0),
           L4_ERIGHTS);
    l4_cap_replicate(S_NTF, S_SCRATCH + 1);
    l4_cap_deduce(S_SCRATCH + 1, L4_RIGHT_COPY | L4_NTF_SIGNAL, 0, 0);
    EXPECT("DOC12-019", l4_captable_put(S_SCRATCH + 1, S_TABLE, 2, L4_NTF_WAIT, 0), L4_ERIGHTS);
    EXPECT("DOC12-020", l4_captable_put(S_NTF, S_TABLE, 2, 1u << 20, 0), L4_EINVAL);
    EXPECT("DOC12-021", l4_captable_put(S_NTF, S_TABLE, 2, L4_NTF_SIGNAL, 1), L4_EINVAL);
    EXPECT("DOC12-022",
           l4_captable_put(L4_SLOT_POOL(L4_POOL_THREADS), S_TABLE, 2, L4_POOL_RIGHTS_ALL, 0),
           L4_ERANGE);
    EXPECT("DOC12-023",
           l4_captable_put(L4_SLOT_POOL(L4_POOL_THREADS), S_TABLE, 2, L4_POOL_RIGHTS_ALL, 16),
           L4_ERANGE);
    /* more than the free units: 4 notification units, 3 pay for the file's notifications */
    EXPECT("DOC12-024",
           l4_captable_put(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), S_TABLE, 2, L4_POOL_RIGHTS_ALL, 2),
           L4_EBUSY);

    /* the copy is a child of the original, with the rights put */
    EXPECT("DOC12-025", ct_read(S_TABLE, 0, &i), L4_OK);
    pass("DOC12-026",
         i.type == L4_CAP_NOTIFICATION && i.rights == L4_NTF_SIGNAL &&
             i.depth == cap_info(S_NTF).depth + 1,
         "put copy rights/depth", i.rights, i.depth);
    /* captable_read errors */
    EXPECT("DOC12-027", ct_read(S_NTF, 0, &i), L4_ECAP);
    EXPECT("DOC12-028", ct_read(S_TABLE, 1, &i), L4_ECAP);
    EXPECT("DOC12-029", ct_read(S_TABLE, 4, &i), L4_ECAP);
    l4_cap_deduce(S_SCRATCH, L4_RIGHT_COPY | L4_CT_BIND, 0, 4);
    EXPECT("DOC12-030", ct_read(S_SCRATCH, 0, &i), L4_ERIGHTS);

    /* a revoke of the original reaches the copy */
    l4_cap_replicate(S_EP2, S_SCRATCH + 2);
    l4_captable_put(S_SCRATCH + 2, S_TABLE, 2, L4_EP_SEND, 0);
    EXPECT("DOC12-031", ct_read(S_TABLE, 2, &i), L4_OK);
    l4_cap_revoke(S_EP2);
    EXPECT("DOC12-032", ct_read(S_TABLE, 2, &i), L4_ECAP);

    /* captable_remove */
    EXPECT("DOC12-033", l4_captable_remove(S_NTF, 0), L4_ECAP);
    EXPECT("DOC12-034", l4_captable_remove(S_TABLE, 2), L4_ECAP);
    EXPECT("DOC12-035", l4_captable_remove(S_TABLE, 4), L4_ECAP);
    EXPECT("DOC12-036", l4_captable_remove(S_SCRATCH, 0), L4_ERIGHTS);
    /* a pool part that pays for an object: EBUSY */
    EXPECT("DOC12-037", l4_captable_create(capslots, 1, S_SCRATCH + 3, &id2), L4_OK);
    l4_cap_split(L4_SLOT_POOL(L4_POOL_SPACES), S_SCRATCH + 4, 2);
    l4_captable_put(S_SCRATCH + 4, S_SCRATCH + 3, 0, L4_POOL_RIGHTS_ALL, 1);
    /* a pool part that pays for nothing: removed, its units back to its parent */
    EXPECT("DOC12-038", l4_captable_remove(S_SCRATCH + 3, 0), L4_OK);
    EXPECT("DOC12-039", l4_captable_remove(S_SCRATCH + 3, 0), L4_ECAP);
    l4_cap_destroy(S_SCRATCH + 3);
    l4_cap_destroy(S_SCRATCH + 4);

    /* thread_configure L4_THREAD_CAPTABLE */
    EXPECT("DOC12-040", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_CAPTABLE, S_NTF), L4_ECAP);
    l4_cap_replicate(S_TABLE, S_SCRATCH + 5);
    EXPECT("DOC12-046",
           l4_cap_deduce(S_SCRATCH + 5, L4_RIGHT_COPY | L4_CT_WRITE | L4_CT_READ, 0, 0),
           L4_EINVAL); /* a table's b is its slots */
    l4_cap_deduce(S_SCRATCH + 5, L4_RIGHT_COPY | L4_CT_WRITE | L4_CT_READ, 0, 4);
    EXPECT("DOC12-041", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_CAPTABLE, S_SCRATCH + 5),
           L4_ERIGHTS);
    l4_cap_destroy(S_SCRATCH + 5);
    /* 0 from a thread that uses its container's table: allowed (nothing changes) */
    EXPECT("DOC12-042", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_CAPTABLE, 0), L4_OK);

    /* a thread bound to the table reaches only it */
    l4_word_t code = 0;
    l4_err_t e = l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, in_table, 0, 100,
                                   S_SCRATCH + 6);
    l4_captable_put(S_SCRATCH + 6, S_TABLE, 1, L4_THR_RIGHTS_ALL, 0);
    l4_captable_put(L4_SLOT_DEBUG, S_TABLE, 3, L4_DEBUG_RIGHTS_ALL, 0);
    if (e == L4_OK)
        e = l4_thread_configure(S_SCRATCH + 6, L4_THREAD_CAPTABLE, S_TABLE);
    if (e == L4_OK)
        e = l4_thread_start(S_SCRATCH + 6);
    if (e == L4_OK)
        e = l4_thread_wait(S_SCRATCH + 6, 0, &code);
    pass("DOC12-043", e == L4_OK && code == 63, "thread in its own table: promises held (63)", e,
         code);

    /* a table of another container: peer grants one into S_TABLE + 1 (immutable grants too) */
    for (int n = 0; n < 2000 && slot_empty(S_TABLE + 1); n++)
        l4_thread_yield();
    EXPECT("DOC12-044", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_CAPTABLE, S_TABLE + 1),
           L4_EINVAL);
    /* ... which may be read and filled */
    EXPECT("DOC12-045", l4_captable_put(S_NTF, S_TABLE + 1, 0, L4_NTF_WAIT, 0), L4_OK);
}

/* ---- mem_protect, mem_share, L4_PF_* ---- */

static long faulter(l4_word_t what)
{
    if (what == 0) {
        *(volatile l4_word_t *)VA = 0x1234; /* a write to a read-only page */
        return 1;
    }
    if (what == 1)
        return *(volatile l4_word_t *)(VA + 14 * PG); /* a read of an unmapped page */
    ((void (*)(void))(VA + PG))();                    /* a fetch from a no-exec page */
    return 3;
}

/* Run faulter(what) with S_EP as its fault endpoint; receive its fault: words. */
static l4_err_t catch_fault(l4_word_t what, l4_cap_t dest, l4_word_t w[5])
{
    l4_err_t e =
        l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, faulter, what, 100, dest);
    if (e == L4_OK)
        e = l4_thread_configure(dest, L4_THREAD_FAULT_EP, S_EP);
    if (e == L4_OK)
        e = l4_thread_start(dest);
    if (e == L4_OK)
        e = l4_ipc_recv(S_EP, 0, &w[0], &w[1], &w[2], &w[3], &w[4], NULL);
    return e;
}

static void memory(void)
{
    l4_word_t n = 0, w[5] = {0}, code, sp;
    const l4_cap_t mem = L4_SLOT_MEMORY, sp0 = L4_SLOT_SPACE;

    for (l4_word_t p = 0; p < 4; p++)
        l4_mem_map(mem, p * PG, sp0, VA + p * PG, L4_MAP_READ | L4_MAP_WRITE);
    /* errors, in order */
    EXPECT("DOC12-050", l4_mem_protect(S_NTF, sp0, VA, 1, L4_MAP_READ, &n), L4_ECAP);
    EXPECT("DOC12-051", l4_mem_protect(mem, S_NTF, VA, 1, L4_MAP_READ, &n), L4_ECAP);
    l4_cap_replicate(mem, S_SCRATCH + 10);
    l4_cap_deduce(S_SCRATCH + 10, L4_RIGHT_COPY | L4_MEM_READ, cap_info(mem).a, cap_info(mem).b);
    EXPECT("DOC12-052", l4_mem_protect(S_SCRATCH + 10, sp0, VA, 1, L4_MAP_READ | L4_MAP_WRITE, &n),
           L4_ERIGHTS);
    l4_cap_replicate(sp0, S_SCRATCH + 11);
    l4_cap_deduce(S_SCRATCH + 11, L4_RIGHT_COPY | L4_SPACE_BIND, 0, 0);
    EXPECT("DOC12-053", l4_mem_protect(mem, S_SCRATCH + 11, VA, 1, L4_MAP_READ, &n), L4_ERIGHTS);
    EXPECT("DOC12-054", l4_mem_protect(mem, sp0, VA, 1, L4_MAP_WRITE, &n), L4_EINVAL);
    EXPECT("DOC12-055", l4_mem_protect(mem, sp0, VA, 1, L4_MAP_READ | 8, &n), L4_EINVAL);
    EXPECT("DOC12-056", l4_mem_protect(mem, sp0, VA + 8, 1, L4_MAP_READ, &n), L4_EINVAL);
    EXPECT("DOC12-057", l4_mem_protect(mem, sp0, VA, 0, L4_MAP_READ, &n), L4_EINVAL);
    EXPECT("DOC12-058", l4_mem_protect(mem, sp0, 0, 1, L4_MAP_READ, &n), L4_ERANGE);
    EXPECT("DOC12-059", l4_mem_protect(mem, sp0, L4_USER_TOP, 1, L4_MAP_READ, &n), L4_ERANGE);
    EXPECT("DOC12-060", l4_mem_protect(mem, sp0, VA, 513, L4_MAP_READ, &n), L4_ERANGE);
    EXPECT("DOC12-061", l4_mem_protect(mem, sp0, L4_USER_TOP - PG, 2, L4_MAP_READ, &n), L4_ERANGE);
    EXPECT("DOC12-062", l4_mem_protect(mem, sp0, VA + 8 * PG, 4, L4_MAP_READ, &n), L4_ESTATE);
    /* the program's own pages are never changed */
    EXPECT("DOC12-063", l4_mem_protect(mem, sp0, 0x400000, 4, L4_MAP_READ, &n), L4_ESTATE);

    /* success: 4 pages of 8 mapped; a write faults with PRESENT|WRITE|USER */
    n = 0;
    EXPECT("DOC12-064", l4_mem_protect(mem, sp0, VA, 8, L4_MAP_READ, &n), L4_OK);
    pass("DOC12-065", n == 4, "mem_protect changed 4", n, 0);
    l4_err_t e = catch_fault(0, S_SCRATCH + 12, w);
    pass("DOC12-066",
         e == L4_OK && L4_TAG_LABEL(w[0]) == L4_LABEL_FAULT && w[1] == L4_FAULT_PAGE &&
             w[2] == VA && w[4] == (L4_PF_PRESENT | L4_PF_WRITE | L4_PF_USER),
         "write to a read-only page: vector 14, PRESENT|WRITE|USER", w[1], w[4]);
    /* writable again: the fault's retry succeeds */
    l4_mem_protect(mem, sp0, VA, 1, L4_MAP_READ | L4_MAP_WRITE, &n);
    l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0);
    code = 0;
    e = l4_thread_wait(S_SCRATCH + 12, 0, &code);
    pass("DOC12-067", e == L4_OK && code == 1 && *(volatile l4_word_t *)VA == 0x1234,
         "write after mem_protect back to RW", e, code);
    e = catch_fault(1, S_SCRATCH + 13, w);
    pass("DOC12-068", e == L4_OK && w[4] == L4_PF_USER, "read of unmapped page: USER only", e,
         w[4]);
    l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); /* any other label stops it */
    e = catch_fault(2, S_SCRATCH + 14, w);
    pass("DOC12-069", e == L4_OK && w[4] == (L4_PF_PRESENT | L4_PF_FETCH | L4_PF_USER),
         "fetch from NX page: PRESENT|FETCH|USER", e, w[4]);
    l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0);
    l4_thread_destroy(S_SCRATCH + 13); /* stopped on their faults: they would stay */
    l4_thread_destroy(S_SCRATCH + 14);

    /* mem_share: into a space of one page-table unit (its root), then a roomy one */
    l4_cap_split(L4_SLOT_POOL(L4_POOL_PAGETABLES), S_SCRATCH + 15, 1);
    EXPECT("DOC12-070",
           l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), S_SCRATCH + 15, S_SCRATCH + 16, &sp),
           L4_OK);
    EXPECT("DOC12-071", l4_mem_share(mem, sp0, S_SCRATCH + 16, VA, 4, L4_MAP_READ, &n), L4_ENOMEM);
    l4_cap_split(L4_SLOT_POOL(L4_POOL_PAGETABLES), S_SCRATCH + 17, 8);
    l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), S_SCRATCH + 17, S_SCRATCH + 18, &sp);
    const l4_cap_t dst = S_SCRATCH + 18;
    EXPECT("DOC12-072", l4_mem_share(mem, S_NTF, dst, VA, 4, L4_MAP_READ, &n), L4_ECAP);
    EXPECT("DOC12-073", l4_mem_share(mem, sp0, S_NTF, VA, 4, L4_MAP_READ, &n), L4_ECAP);
    EXPECT("DOC12-074", l4_mem_share(mem, sp0, S_SCRATCH + 11, VA, 4, L4_MAP_READ, &n), L4_ERIGHTS);
    EXPECT("DOC12-075", l4_mem_share(S_SCRATCH + 10, sp0, dst, VA, 4, L4_MAP_ALL & ~4u, &n),
           L4_ERIGHTS);
    EXPECT("DOC12-076", l4_mem_share(mem, sp0, dst, VA, 0, L4_MAP_READ, &n), L4_EINVAL);
    EXPECT("DOC12-077", l4_mem_share(mem, sp0, dst, VA, 513, L4_MAP_READ, &n), L4_ERANGE);
    EXPECT("DOC12-078", l4_mem_share(mem, sp0, dst, VA + 8 * PG, 4, L4_MAP_READ, &n), L4_ESTATE);
    /* pages src has not mapped from mem are skipped: unmap page 2 of 4 */
    l4_mem_unmap(sp0, VA + 2 * PG);
    n = 0;
    EXPECT("DOC12-079", l4_mem_share(mem, sp0, dst, VA, 4, L4_MAP_READ, &n), L4_OK);
    pass("DOC12-080", n == 3, "mem_share shared 3 of 4 (one unmapped)", n, 0);
    EXPECT("DOC12-081", l4_mem_unmap(dst, VA + 2 * PG), L4_ESTATE);
    /* all or nothing: page 1 free in dst, pages 0 and 3 in the way: EBUSY, page 1 untouched */
    l4_mem_unmap(dst, VA + PG);
    EXPECT("DOC12-082", l4_mem_share(mem, sp0, dst, VA, 4, L4_MAP_READ, &n), L4_EBUSY);
    EXPECT("DOC12-083", l4_mem_unmap(dst, VA + PG), L4_ESTATE);
    /* no frame of the space's own program travels */
    EXPECT("DOC12-084", l4_mem_share(mem, sp0, dst, 0x400000, 4, L4_MAP_READ, &n), L4_ESTATE);
}

/* ---- extended IPC and the pager ---- */

static char sendbuf[3 * 4096] __attribute__((aligned(4096)));
#define UTCB2 (VA + 5 * PG) /* a second thread's UTCB, mapped */
#define XBUF  (VA + 6 * PG) /* an extended buffer, not mapped until the pager maps it */

static long ext_sender(l4_word_t how)
{
    struct l4_utcb *u = (struct l4_utcb *)UTCB2;

    u->ext_send = XBUF;
    u->ext_send_len = 100;
    return l4_ipc_send(S_XEP, L4_TAG(7, 0, L4_IPC_EXT | how), 1, 2, 3, 4);
}

static l4_err_t start_sender(l4_word_t how, l4_cap_t dest, bool pager)
{
    l4_err_t e =
        l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, ext_sender, how, 100, dest);
    if (e == L4_OK)
        e = l4_thread_configure(dest, L4_THREAD_UTCB, UTCB2);
    if (e == L4_OK && pager)
        e = l4_thread_configure(dest, L4_THREAD_FAULT_EP, S_EP);
    if (e == L4_OK)
        e = l4_thread_start(dest);
    return e;
}

static void ext_ipc(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t w[6] = {0}, code = 0, id;
    l4_err_t e;

    l4_mem_map(L4_SLOT_MEMORY, 5 * PG, L4_SLOT_SPACE, UTCB2, L4_MAP_READ | L4_MAP_WRITE);
    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), S_XEP, &id);
    /* no pager: EFAULT before anything is delivered */
    e = start_sender(0, S_SCRATCH + 20, false);
    e = e ? e : l4_thread_wait(S_SCRATCH + 20, 0, &code);
    pass("DOC12-090", e == L4_OK && code == L4_EFAULT, "ext send from unmapped, no pager: EFAULT",
         e, code);
    /* with a pager: a read fault for the buffer's page first */
    e = start_sender(0, S_SCRATCH + 21, true);
    e = e ? e : l4_ipc_recv(S_EP, 0, &w[0], &w[1], &w[2], &w[3], &w[4], NULL);
    pass("DOC12-091",
         e == L4_OK && L4_TAG_LABEL(w[0]) == L4_LABEL_FAULT && w[1] == L4_FAULT_PAGE &&
             w[2] == XBUF && (w[4] & (L4_PF_WRITE | L4_PF_PRESENT)) == 0,
         "pager asked for the send buffer, read", w[2], w[4]);
    l4_mem_map(L4_SLOT_MEMORY, 6 * PG, L4_SLOT_SPACE, XBUF, L4_MAP_READ | L4_MAP_WRITE);
    memset((void *)XBUF, 'x', 100);
    l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0);
    u->ext_recv = (l4_word_t)sendbuf;
    u->ext_recv_len = sizeof(sendbuf);
    u->ext_received = 0;
    e = l4_ipc_recv(S_XEP, 0, &w[0], &w[1], &w[2], &w[3], &w[4], NULL);
    pass("DOC12-092", e == L4_OK && u->ext_received == 100 && sendbuf[99] == 'x',
         "ext message delivered after the pager mapped it", e, u->ext_received);
    l4_thread_wait(S_SCRATCH + 21, 0, &code);
    pass("DOC12-093", code == L4_OK, "sender got OK", code, 0);

    /* the receiver (main) has no pager: what is not mapped is cut, TRUNC */
    e = start_sender(0, S_SCRATCH + 22, false);
    u->ext_recv = VA + 12 * PG - 40; /* the last 40 bytes of page 11; page 12 is not mapped */
    l4_mem_map(L4_SLOT_MEMORY, 11 * PG, L4_SLOT_SPACE, VA + 11 * PG, L4_MAP_READ | L4_MAP_WRITE);
    u->ext_recv_len = 100;
    u->ext_received = 0;
    e = e ? e : l4_ipc_recv(S_XEP, 0, &w[0], &w[1], &w[2], &w[3], &w[4], NULL);
    pass("DOC12-094", e == L4_OK && (w[0] & L4_IPC_TRUNC) && u->ext_received == 40,
         "receiver without pager: cut at the unmapped page, TRUNC", w[0], u->ext_received);
    l4_thread_wait(S_SCRATCH + 22, 0, &code);
    pass("DOC12-095", code == L4_OK, "sender of a cut message gets OK", code, 0);
}

/* ---- irq_release, immutable grants, time ---- */

static void irq_and_time(void)
{
    l4_word_t ticks, hz, mono, wall, mono2, wall2, id, bits;
    struct cap_info i;

    EXPECT("DOC12-100", l4_irq_release(S_NTF), L4_ECAP);
    l4_cap_replicate(S_IRQ, S_SCRATCH + 30);
    l4_cap_deduce(S_SCRATCH + 30, L4_RIGHT_COPY, 4, 0);
    EXPECT("DOC12-101", l4_irq_release(S_SCRATCH + 30), L4_ERIGHTS);
    EXPECT("DOC12-102", l4_irq_release(S_IRQ), L4_ESTATE);
    EXPECT("DOC12-103", l4_irq_bind(S_IRQ, S_NTF), L4_OK);
    EXPECT("DOC12-104", l4_irq_release(S_IRQ), L4_OK);
    EXPECT("DOC12-105", l4_irq_ack(S_IRQ), L4_ESTATE);
    EXPECT("DOC12-106", l4_irq_release(S_IRQ), L4_ESTATE);
    EXPECT("DOC12-107", l4_irq_bind(S_IRQ, S_NTF2), L4_OK);
    l4_irq_release(S_IRQ);

    /* time: monotonic is exactly ticks * 10^9 / hz; wall equals it until set */
    l4_time(&ticks, &hz, NULL, &mono, &wall);
    pass("DOC12-110",
         hz != 0 && mono == ticks / hz * L4_NS_PER_SEC + ticks % hz * L4_NS_PER_SEC / hz,
         "monotonic = ticks*1e9/hz", mono, ticks);
    pass("DOC12-111", wall == mono, "wall == monotonic before any time_set", wall, mono);
    EXPECT("DOC12-112", l4_time_set(S_NTF, 1, 0), L4_ECAP);
    l4_cap_replicate(S_CLOCK, S_SCRATCH + 31);
    l4_cap_deduce(S_SCRATCH + 31, L4_RIGHT_COPY, 0, 0);
    EXPECT("DOC12-113", l4_time_set(S_SCRATCH + 31, 1, 0), L4_ERIGHTS);
    EXPECT("DOC12-114", l4_time_set(S_CLOCK, L4_TIME_MAX, 0), L4_ERANGE);
    EXPECT("DOC12-115", l4_time_set(S_CLOCK, 5, 6), L4_ERANGE);
    EXPECT("DOC12-116", l4_time_set(S_CLOCK, L4_TIME_MAX - 1, L4_TIME_MAX - 1), L4_OK);
    const l4_word_t W = 1700000000ull * L4_NS_PER_SEC;
    l4_time(NULL, NULL, NULL, &mono, NULL);
    EXPECT("DOC12-117", l4_time_set(S_CLOCK, W, mono), L4_OK);
    l4_time(NULL, NULL, NULL, &mono2, &wall2);
    pass("DOC12-118", wall2 == W + (mono2 - mono) && mono2 >= mono,
         "wall = W + (monotonic - at) after time_set", wall2 - W, mono2 - mono);
    /* back in time is allowed; the monotonic clock does not move */
    EXPECT("DOC12-119", l4_time_set(S_CLOCK, 1000, 0), L4_OK);
    l4_time(NULL, NULL, NULL, &mono, &wall);
    pass("DOC12-120", wall == 1000 + mono && mono >= mono2, "wall set back", wall, mono);
    l4_time_set(S_CLOCK, W, mono);

    /* immutable grants into peer; peer checks what it holds (DOC12-13x) */
    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), S_SCRATCH + 32, &id);
    l4_cap_replicate(S_SCRATCH + 32, S_SCRATCH + 33);
    EXPECT("DOC12-121", l4_cap_grant(S_SCRATCH + 33, S_PEER, 20 | L4_GRANT_IMMUTABLE), L4_OK);
    /* the clock too: a type of its own that can be granted immutably */
    l4_cap_replicate(S_CLOCK, S_SCRATCH + 34);
    EXPECT("DOC12-122", l4_cap_grant(S_SCRATCH + 34, S_PEER, 21 | L4_GRANT_IMMUTABLE), L4_OK);
    l4_notify_wait(S_DONE, &bits); /* peer is done */
    i = cap_info(S_SCRATCH + 33);
    pass("DOC12-123", i.type == L4_CAP_NULL, "granted capability left the giver", i.type, 0);
    /* the giver's revoke reaches the immutable one: peer sees it gone (DOC12-139) */
    EXPECT("DOC12-124", l4_cap_revoke(S_SCRATCH + 32), L4_OK);
}

/* peer: holds what main granted immutably in 20 (an endpoint) and 21 (the clock) */
static void peer(void)
{
    l4_word_t n, code;
    struct cap_info i;

    /* a table of peer's own, granted to main (it may not bind it: DOC12-044) */
    EXPECT("DOC12-140", l4_captable_create(L4_SLOT_POOL(L4_POOL_CAPSLOTS), 2, 22, &code), L4_OK);
    EXPECT("DOC12-141", l4_cap_grant(22, 17, S_TABLE + 1), L4_OK);
    for (n = 0; n < 5000 && slot_empty(21); n++)
        l4_thread_yield();
    i = cap_info(20);
    pass("DOC12-130",
         i.type == L4_CAP_ENDPOINT && (i.rights & L4_RIGHT_IMMUTABLE) &&
             !(i.rights & L4_RIGHTS_CAP) && (i.rights & L4_EP_SEND),
         "immutable: IMMUTABLE shown, no COPY/GRANT, its rights kept", i.rights, 0);
    EXPECT("DOC12-131", l4_cap_replicate(20, 30), L4_ERIGHTS);
    EXPECT("DOC12-132", l4_cap_share(20, 30), L4_ERIGHTS);
    EXPECT("DOC12-133", l4_cap_grant(20, 17, 100), L4_ERIGHTS); /* an empty slot of main */
    EXPECT("DOC12-134", l4_cap_split(20, 30, L4_EP_SEND), L4_ERIGHTS);
    EXPECT("DOC12-135", l4_cap_deduce(20, L4_EP_SEND, 0, 0), L4_ERIGHTS);
    EXPECT("DOC12-136", l4_cap_revoke(20), L4_ERIGHTS);
    /* use: the clock sets the wall clock */
    EXPECT("DOC12-137", l4_time_set(21, 2000, 0), L4_OK);
    EXPECT("DOC12-138", l4_cap_destroy(21), L4_OK);
    l4_notify_signal(16); /* main's notification */
    for (n = 0; n < 5000 && !slot_empty(20); n++)
        l4_thread_yield();
    pass("DOC12-139", slot_empty(20), "giver's revoke reaches the immutable capability", n, 0);
}

/* ---- first_table: the docs' plugin example ---- */

static long plugin_child(l4_word_t unused)
{
    struct cap_info i;

    (void)unused;
    /* a thread the program creates gets the same table */
    l4_cap_read(0, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth);
    return i.type == L4_CAP_NOTIFICATION ? 7 : 1;
}

static void plugin(void)
{
    struct cap_info i;
    l4_word_t slot, code = 0, n = 0;

    i = cap_info(0);
    pass("DOC12-150", i.type == L4_CAP_NOTIFICATION && i.rights == L4_NTF_WAIT,
         "first_table slot 0: notification, wait only", i.type, i.rights);
    i = cap_info(1);
    pass("DOC12-151", i.type == L4_CAP_POOL && i.a == L4_POOL_THREADS && i.b == 2,
         "first_table slot 1: 2 thread units", i.a, i.b);
    i = cap_info(2);
    pass("DOC12-152", i.type == L4_CAP_SPACE && i.rights == L4_SPACE_BIND,
         "first_table slot 2: its space, bind only", i.type, i.rights);
    i = cap_info(3);
    pass("DOC12-153", i.type == L4_CAP_DEBUG, "first_table slot 3: debug", i.type, 0);
    /* nothing else: not the container's slots, and no capability to the table itself */
    for (slot = 0; l4_cap_next(slot, &slot) == L4_OK; slot++)
        n++;
    pass("DOC12-154", n == 4, "the thread's table holds 4 capabilities", n, 0);
    EXPECT("DOC12-155", l4_cap_read(10, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth),
           L4_ECAP);
    /* a thread made from its units, in its space (bind only), lands in slot 4 of its table */
    l4_err_t e = l4_thread_prepare(1, 2, plugin_child, 0, 100, 4);
    if (e == L4_OK)
        e = l4_thread_start(4);
    if (e == L4_OK)
        e = l4_thread_wait(4, 0, &code);
    pass("DOC12-156", e == L4_OK && code == 7, "a thread it creates gets the same table", e, code);
    EXPECT("DOC12-157", l4_thread_prepare(1, 2, plugin_child, 0, 100, 6), L4_ECAP);
}

/* ---- device memory: the docs' HPET example ---- */

#define DEV_VA 0x50000000ull
static void timer(void)
{
    volatile l4_word_t *hpet = (volatile l4_word_t *)DEV_VA;
    l4_word_t n, c1, c2;
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;

    EXPECT("DOC12-160", l4_mem_map(16, 0, L4_SLOT_SPACE, DEV_VA, L4_MAP_READ | L4_MAP_EXEC),
           L4_EINVAL);
    EXPECT("DOC12-161", l4_mem_map(16, 0, L4_SLOT_SPACE, DEV_VA, L4_MAP_READ | L4_MAP_WRITE),
           L4_OK);
    /* GCAP_ID: vendor in bits 16..31, counter period in 32..63 (fs, nonzero) */
    c1 = hpet[0];
    pass("DOC12-162", (c1 >> 32) != 0 && (c1 & 0xff) != 0, "HPET capabilities read", c1, 0);
    hpet[2] = hpet[2] | 1; /* GEN_CONF: ENABLE_CNF */
    c1 = hpet[0xf0 / 8];
    for (n = 0; n < 100; n++)
        l4_thread_yield();
    c2 = hpet[0xf0 / 8];
    pass("DOC12-163", c2 > c1, "HPET main counter runs", c1, c2);
    /* the kernel never reads or writes device memory for a call */
    EXPECT("DOC12-164", l4_debug_write(L4_SLOT_DEBUG, (const void *)DEV_VA, 8), L4_EFAULT);
    EXPECT("DOC12-165", l4_futex_wait(DEV_VA + 0xf0, 0), L4_EFAULT);
    EXPECT("DOC12-166", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_UTCB, DEV_VA), L4_EFAULT);
    u->ext_send = DEV_VA;
    u->ext_send_len = 8;
    EXPECT("DOC12-167", l4_ipc_send(17, L4_TAG(1, 0, L4_IPC_EXT | L4_IPC_NONBLOCK), 0, 0, 0, 0),
           L4_EFAULT);
    EXPECT("DOC12-168", l4_mem_protect(16, L4_SLOT_SPACE, DEV_VA, 1, L4_MAP_READ | L4_MAP_EXEC, &n),
           L4_EINVAL); /* device memory: EINVAL before rights, as mem_map */
    EXPECT("DOC12-169", l4_mem_unmap(L4_SLOT_SPACE, DEV_VA), L4_OK);
    /* not RAM: its range is no part of the container's region */
    struct cap_info i = cap_info(16);
    pass("DOC12-170",
         i.type == L4_CAP_MEMORY && i.a == 0xfed00000 && i.b == 0x1000 && !(i.rights & L4_MEM_EXEC),
         "device capability: base/size as declared, no exec", i.a, i.b);
}

/* ---- RAM above 1 GiB: this container's memory and region lie there ---- */

static void high(void)
{
    volatile unsigned int *word = (volatile unsigned int *)VA;
    static const char msg[] = "doc12: hello from a region above 1 GiB\n";

    EXPECT("DOC12-180",
           l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, VA, L4_MAP_READ | L4_MAP_WRITE), L4_OK);
    *word = 42;
    /* the kernel reads the word through its direct map there */
    EXPECT("DOC12-181", l4_futex_wait(VA, 41), L4_ESTATE);
    memcpy((char *)VA + 64, msg, sizeof(msg) - 1);
    EXPECT("DOC12-182", l4_debug_write(L4_SLOT_DEBUG, (const char *)VA + 64, sizeof(msg) - 1),
           L4_OK);
    struct cap_info i = cap_info(L4_SLOT_MEMORY);
    pass("DOC12-183", i.a >= (1ull << 30), "region base above 1 GiB", i.a, i.b);
}

int main(const char *arg)
{
    if (strcmp(arg, "high") == 0) {
        high();
        return 0;
    }
    if (strcmp(arg, "peer") == 0) {
        peer();
        return 0;
    }
    if (strcmp(arg, "plugin") == 0) {
        plugin();
        return 0;
    }
    if (strcmp(arg, "timer") == 0) {
        timer();
        return 0;
    }
    captables();
    memory();
    ext_ipc();
    irq_and_time();
    printf("doc12: main done\n");
    return 0;
}
