/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPCPF-xxx: extended messages whose buffers are demand paged. Each side's page faults go to
 * its own pager (a thread here that maps frames of the region on demand and counts the
 * faults), in its own context, and the copy goes on after the pager's resume.
 */
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/regs.h>
#include <coffer/thread.h>

#define PAGER_A  20 /* the sender's pager */
#define PAGER_B  21 /* the receiver's pager */
#define EP       22 /* what the senders and receivers meet on */
#define HOLD     23 /* a fault endpoint only main answers, when it chooses */
#define THR_PA   24
#define THR_PB   25
#define THR_S    26
#define THR_R    27
#define POOL_EP  L4_SLOT_POOL(L4_POOL_ENDPOINTS)
#define NOBODY   0 /* no pager */
#define PAGE     4096ul
#define AREA(n)  (0x40000000ul + (n)*0x10000ul) /* fresh, unmapped pages for test n */
#define JUNK     0xee
#define MAX_SEEN 8
#define HIGH     150 /* the sender's pager: always waiting */
#define LOW                                                                                        \
    105               /* the receiver's: below the threads it serves, so that its answers would
                       * meet every condition of the IPC fastpath but one (kernel_call) */
#define FIRST     120 /* the side that gets there first */
#define SECOND    110 /* then the other */
#define LABEL_MSG 5

/* What a sender's bytes are: a function of their address, so that any page can be checked. */
static unsigned char pattern(l4_word_t va)
{
    return (unsigned char)(va * 7 + (va >> 12) * 13 + 1);
}

static l4_word_t frames; /* region frames mapped so far */

/* Map a fresh frame at va's page: the pattern for a page a sender reads, junk otherwise. */
static bool map_page(l4_word_t va, bool fill_pattern)
{
    l4_word_t page = va & ~(PAGE - 1);

    if (l4_mem_map(L4_SLOT_MEMORY, frames * PAGE, L4_SLOT_SPACE, page,
                   L4_MAP_READ | L4_MAP_WRITE) != L4_OK)
        return false;
    frames++;
    unsigned char *p = (unsigned char *)page;
    for (l4_word_t i = 0; i < PAGE; i++)
        p[i] = fill_pattern ? pattern(page + i) : JUNK;
    return true;
}

struct pager {
    l4_cap_t ep;
    volatile int faults, refuse;
    volatile l4_word_t addr[MAX_SEEN], error[MAX_SEEN];
};

static struct pager pa = {.ep = PAGER_A}, pb = {.ep = PAGER_B};

static long pager_loop(l4_word_t arg)
{
    struct pager *p = (struct pager *)arg;
    l4_word_t tag, vector, addr, ip, code, x;
    l4_err_t err = l4_ipc_recv(p->ep, 0, &tag, &vector, &addr, &ip, &code, &x);

    while (!err) {
        l4_word_t label = 1;
        if (L4_TAG_LABEL(tag) == L4_LABEL_FAULT && vector == 14) {
            int i = p->faults++;
            if (i < MAX_SEEN) {
                p->addr[i] = addr;
                p->error[i] = code;
            }
            if (!p->refuse && map_page(addr, !(code & 2)))
                label = L4_FAULT_RESUME;
        }
        err = l4_ipc_reply_recv(p->ep, L4_TAG(label, 0, 0), 0, 0, 0, 0, &tag, &vector, &addr, &ip,
                                &code, &x);
    }
    return 0;
}

static void reset_pagers(void)
{
    pa.faults = pb.faults = 0;
    pa.refuse = pb.refuse = 0;
}

/* Did pager p see exactly the faults at the pages of a[0..n), writes if write? */
static bool saw(const struct pager *p, int n, const l4_word_t *a, bool write)
{
    if (p->faults != n)
        return false;
    for (int i = 0; i < n; i++)
        if (p->addr[i] != a[i] || !!(p->error[i] & 2) != write || !(p->error[i] & 4))
            return false;
    return true;
}

/* One side of an exchange on EP, run as its own thread with its own UTCB. */
struct side {
    l4_cap_t self, pager;
    l4_word_t buf, len, flags;
    volatile l4_err_t err;
    volatile l4_word_t tag, received;
    volatile int done;
};

static struct l4_utcb utcb_s __attribute__((aligned(4096)));
static struct l4_utcb utcb_r __attribute__((aligned(4096)));
static struct side snd, rcv;

static void become(struct side *s, struct l4_utcb *u)
{
    l4_thread_configure(s->self, L4_THREAD_UTCB, (l4_word_t)u);
    if (s->pager)
        l4_thread_configure(s->self, L4_THREAD_FAULT_EP, s->pager);
}

static long sender(l4_word_t arg)
{
    struct side *s = (struct side *)arg;
    l4_word_t x, tag = L4_TAG(LABEL_MSG, 0, L4_IPC_EXT | s->flags);

    become(s, &utcb_s);
    utcb_s.ext_send = s->buf;
    utcb_s.ext_send_len = s->len;
    s->err = l4_ipc_send(EP, tag, 1, 2, 3, 4);
    s->done = 1;
    if (s->pager == HOLD) // the deadlock test: it would serve its receiver's faults now
        l4_ipc_recv(HOLD, L4_IPC_NONBLOCK, &x, &x, &x, &x, &x, &x);
    return 0;
}

/* A receiving side: its buffer, then what came (word 0 is 1 in every message it gets). */
static void await(struct side *s)
{
    become(s, &utcb_r);
    utcb_r.ext_recv = s->buf;
    utcb_r.ext_recv_len = s->len;
    utcb_r.ext_received = ~0ul;
}

static void record(struct side *s, l4_err_t err, l4_word_t tag, l4_word_t w0)
{
    s->err = err;
    s->tag = tag;
    s->received = utcb_r.ext_received;
    s->done = w0 == 1 && L4_TAG_LABEL(tag) == LABEL_MSG ? 1 : 2;
}

static long receiver(l4_word_t arg)
{
    struct side *s = (struct side *)arg;
    l4_word_t tag = 0, w0 = 0, x;

    await(s);
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &w0, &x, &x, &x, &x);
    record(s, err, tag, w0);
    return 0;
}

/*
 * Start fn(arg) in slot THR_S or THR_R on that slot's own stack: the test runs more threads
 * than l4_thread_spawn's stacks (never freed) would allow, and each slot's thread has ended
 * before the next one starts there.
 */
static char stacks[2][8192] __attribute__((aligned(16)));

static l4_err_t start_in_slot(long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, l4_cap_t slot)
{
    l4_word_t ip, sp = l4_thread_frame(stacks[slot == THR_R] + sizeof(stacks[0]), fn, &ip);
    l4_err_t err;

    l4_thread_forget_ended(slot);
    if ((err = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, prio, slot, NULL)) ||
        (err = l4_thread_exregs(slot, L4_EXREGS_ALL, ip, sp, arg, NULL, NULL)))
        return err;
    return l4_thread_start(slot);
}

static void setup(struct side *s, l4_cap_t self, l4_cap_t pager, l4_word_t buf, l4_word_t len)
{
    *s = (struct side){.self = self, .pager = pager, .buf = buf, .len = len, .err = -1};
}

/* Run the exchange: first the side that waits, then the other. */
static void exchange(bool receiver_first)
{
    if (receiver_first) {
        start_in_slot(receiver, (l4_word_t)&rcv, FIRST, THR_R);
        start_in_slot(sender, (l4_word_t)&snd, SECOND, THR_S);
    } else {
        start_in_slot(sender, (l4_word_t)&snd, FIRST, THR_S);
        start_in_slot(receiver, (l4_word_t)&rcv, SECOND, THR_R);
    }
}

/* Does the receiver's buffer hold the first n bytes of the sender's (src), and junk or
 * nothing after them up to its length? */
static bool data_ok(l4_word_t src, l4_word_t dst, l4_word_t n)
{
    const unsigned char *d = (const unsigned char *)dst;

    for (l4_word_t i = 0; i < n; i++)
        if (d[i] != pattern(src + i))
            return false;
    return true;
}

static unsigned char static_src[2 * PAGE] __attribute__((aligned(4096)));
static unsigned char static_dst[2 * PAGE] __attribute__((aligned(4096)));

static void fill_static_src(void)
{
    for (l4_word_t i = 0; i < sizeof(static_src); i++)
        static_src[i] = pattern((l4_word_t)&static_src[i]);
}

static bool whole(const struct side *r, l4_word_t n)
{
    return r->err == L4_OK && r->done == 1 && !(r->tag & L4_IPC_TRUNC) && r->received == n;
}

static bool cut(const struct side *r, l4_word_t n)
{
    return r->err == L4_OK && r->done == 1 && (r->tag & L4_IPC_TRUNC) && r->received == n;
}

static void report(const char *id, bool ok)
{
    test_report(id, ok,
                "send %s (done %d), receive %s (done %d) tag %lx, %lu bytes; sender's pager "
                "%d fault(s) (first %lx error %lx), receiver's %d (first %lx error %lx)",
                l4_strerror(snd.err), snd.done, l4_strerror(rcv.err), rcv.done, rcv.tag,
                rcv.received, pa.faults, pa.addr[0], pa.error[0], pb.faults, pb.addr[0],
                pb.error[0]);
}

/* IPCPF-001..004: each side's pages come from its own pager, the copy completes. */
static void demand_paged(void)
{
    l4_word_t src = AREA(1) + 0x800, dst = (l4_word_t)static_dst + 0x100;
    l4_word_t src_pages[2] = {src, AREA(1) + PAGE};

    reset_pagers();
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, PAGER_B, dst, L4_EXT_MAX);
    exchange(true);
    report("IPCPF-001", snd.err == L4_OK && whole(&rcv, L4_EXT_MAX) &&
                            data_ok(src, dst, L4_EXT_MAX) && saw(&pa, 2, src_pages, false) &&
                            pb.faults == 0);

    fill_static_src();
    src = (l4_word_t)static_src + 0x300;
    dst = AREA(2) + 0x100;
    l4_word_t dst_pages[2] = {dst, AREA(2) + PAGE};
    reset_pagers();
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, PAGER_B, dst, L4_EXT_MAX);
    exchange(true); // the sender copies, the receiver finishes in its own context
    report("IPCPF-002", snd.err == L4_OK && whole(&rcv, L4_EXT_MAX) &&
                            data_ok(src, dst, L4_EXT_MAX) && saw(&pb, 2, dst_pages, true) &&
                            pa.faults == 0);

    dst = AREA(3) + 0x100;
    l4_word_t dst3[2] = {dst, AREA(3) + PAGE};
    reset_pagers();
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, PAGER_B, dst, L4_EXT_MAX);
    exchange(false); // the sender waits queued; the receiver copies all in its own context
    report("IPCPF-003", snd.err == L4_OK && whole(&rcv, L4_EXT_MAX) &&
                            data_ok(src, dst, L4_EXT_MAX) && saw(&pb, 2, dst3, true) &&
                            pa.faults == 0);

    src = AREA(4) + 0xf00; // 3000 bytes: the end of one page and most of the next
    dst = AREA(5) + 0x10;
    l4_word_t src4[2] = {src, AREA(4) + PAGE}, dst5[1] = {dst};
    reset_pagers();
    setup(&snd, THR_S, PAGER_A, src, 3000);
    setup(&rcv, THR_R, PAGER_B, dst, L4_EXT_MAX);
    exchange(true);
    report("IPCPF-004", snd.err == L4_OK && whole(&rcv, 3000) && data_ok(src, dst, 3000) &&
                            saw(&pa, 2, src4, false) && saw(&pb, 1, dst5, true));

    /* a receiver's pager hears only of the room it named: 0x100 bytes, one page */
    src = (l4_word_t)static_src;
    dst = AREA(6) + PAGE - 0x100;
    l4_word_t dst6[1] = {dst};
    reset_pagers();
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, PAGER_B, dst, 0x100);
    exchange(true);
    report("IPCPF-005", snd.err == L4_OK && cut(&rcv, 0x100) && data_ok(src, dst, 0x100) &&
                            saw(&pb, 1, dst6, true) && pa.faults == 0);
}

/* IPCPF-006..009: no pager, or one that does not resume: errors as before, nothing hangs. */
static void refusals(void)
{
    l4_word_t x;

    reset_pagers();
    setup(&snd, THR_S, NOBODY, AREA(7), 64);
    start_in_slot(sender, (l4_word_t)&snd, FIRST, THR_S);
    l4_err_t queued = l4_ipc_recv(EP, L4_IPC_NONBLOCK, &x, &x, &x, &x, &x, &x);
    test_report("IPCPF-006", snd.err == L4_EFAULT && queued == L4_ETIMEOUT && pa.faults == 0,
                "sender without a pager: %s; then a message waiting: %s", l4_strerror(snd.err),
                l4_strerror(queued));

    reset_pagers();
    pa.refuse = 1;
    setup(&snd, THR_S, PAGER_A, AREA(7), 64);
    start_in_slot(sender, (l4_word_t)&snd, FIRST, THR_S);
    queued = l4_ipc_recv(EP, L4_IPC_NONBLOCK, &x, &x, &x, &x, &x, &x);
    test_report("IPCPF-007",
                snd.err == L4_EFAULT && queued == L4_ETIMEOUT && pa.faults == 1 &&
                    pa.addr[0] == AREA(7),
                "sender whose pager refuses: %s (faults %d at %lx); then a message waiting: %s",
                l4_strerror(snd.err), pa.faults, pa.addr[0], l4_strerror(queued));

    l4_word_t src = (l4_word_t)static_src, dst = AREA(8) + PAGE - 0x800;
    map_page(dst, false); // the first part is there, the second page is not
    reset_pagers();
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, NOBODY, dst, L4_EXT_MAX);
    exchange(true);
    report("IPCPF-008", snd.err == L4_OK && cut(&rcv, 0x800) && data_ok(src, dst, 0x800) &&
                            pa.faults == 0 && pb.faults == 0);

    dst = AREA(9) + PAGE - 0x800;
    map_page(dst, false);
    l4_word_t dst9[1] = {AREA(9) + PAGE};
    reset_pagers();
    pb.refuse = 1;
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, PAGER_B, dst, L4_EXT_MAX);
    exchange(true);
    report("IPCPF-009", snd.err == L4_OK && cut(&rcv, 0x800) && data_ok(src, dst, 0x800) &&
                            saw(&pb, 1, dst9, true));
}

/* IPCPF-010..013: the other side goes while the copy waits for a pager. */
static void peers_gone(void)
{
    l4_word_t tag, vector, addr, x, src = (l4_word_t)static_src;
    l4_word_t id;

    l4_endpoint_create(POOL_EP, HOLD, &id);

    /* the receiver destroyed while its pager (nobody, yet) has its fault */
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, HOLD, AREA(10), L4_EXT_MAX);
    exchange(true);
    int waited = !snd.done && !rcv.done;
    l4_thread_destroy(THR_R);
    l4_thread_yield();
    l4_err_t left = l4_ipc_recv(HOLD, L4_IPC_NONBLOCK, &x, &x, &x, &x, &x, &x);
    test_report("IPCPF-010", waited && snd.done && snd.err == L4_ESTATE && left == L4_ETIMEOUT,
                "both waited: %d; sender then %s; a fault left on the pager's endpoint: %s", waited,
                l4_strerror(snd.err), l4_strerror(left));

    /* the sender destroyed while the receiver's pager (main) has its fault */
    l4_word_t dst = AREA(11) + PAGE - 0x400;
    map_page(dst, false);
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, HOLD, dst, L4_EXT_MAX);
    exchange(true);
    l4_err_t got = l4_ipc_recv(HOLD, 0, &tag, &vector, &addr, &x, &x, &x);
    waited = !snd.done && !rcv.done;
    l4_thread_destroy(THR_S);
    map_page(addr, false);
    l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0); // the receiver goes on now
    test_report("IPCPF-011",
                got == L4_OK && waited && addr == AREA(11) + PAGE && cut(&rcv, 0x400) &&
                    data_ok(src, dst, 0x400),
                "fault %s at %lx; both waited: %d; receive %s tag %lx, %lu bytes", l4_strerror(got),
                addr, waited, l4_strerror(rcv.err), rcv.tag, rcv.received);

    /* the receiver's registers written while its pager has its fault */
    setup(&snd, THR_S, PAGER_A, src, L4_EXT_MAX);
    setup(&rcv, THR_R, HOLD, AREA(12), L4_EXT_MAX);
    exchange(true);
    got = l4_ipc_recv(HOLD, 0, &tag, &vector, &addr, &x, &x, &x);
    struct l4_regs regs;
    l4_thread_regs(THR_R, L4_REGS_GET, NULL, &regs);
    L4_REGS_IP(&regs) = (l4_word_t)l4_exit;
    L4_REGS_ARG(&regs) = 0;
    l4_err_t wrote = l4_thread_regs(THR_R, L4_REGS_SET, &regs, NULL);
    l4_thread_yield();
    l4_err_t replied = l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0);
    test_report("IPCPF-012",
                got == L4_OK && wrote == L4_OK && snd.done && snd.err == L4_ESTATE &&
                    replied == L4_ESTATE && !rcv.done,
                "fault %s; regs written %s; sender then %s; the pager's late reply %s",
                l4_strerror(got), l4_strerror(wrote), l4_strerror(snd.err), l4_strerror(replied));

    /* the sender is the receiver's pager: the two wait for each other, the kernel runs on */
    setup(&snd, THR_S, HOLD, src, L4_EXT_MAX);
    setup(&rcv, THR_R, HOLD, AREA(13), L4_EXT_MAX);
    exchange(true);
    waited = !snd.done && !rcv.done;
    l4_thread_destroy(THR_R); // what a supervisor does with a stuck pair
    l4_thread_yield();
    test_report("IPCPF-013", waited && snd.done && snd.err == L4_ESTATE,
                "both waited: %d; sender then %s", waited, l4_strerror(snd.err));
    l4_cap_destroy(HOLD);
}

/* IPCPF-014..017: replies into a demand-paged buffer, and senders that do not wait. */
static volatile l4_err_t server_reply = -1;
static volatile l4_word_t server_flags;

static long server(l4_word_t arg)
{
    l4_word_t tag, x;

    (void)arg;
    l4_thread_configure(THR_S, L4_THREAD_UTCB, (l4_word_t)&utcb_s);
    utcb_s.ext_send = (l4_word_t)static_src + 0x20;
    utcb_s.ext_send_len = L4_EXT_MAX;
    l4_ipc_recv(EP, 0, &tag, &x, &x, &x, &x, &x);
    server_reply = l4_ipc_reply_recv(EP, L4_TAG(LABEL_MSG, 0, L4_IPC_EXT | server_flags), 1, 0, 0,
                                     0, &tag, &x, &x, &x, &x, &x); // ends with a plain send
    return 0;
}

/* The same, with ipc_reply, once. */
static long server_once(l4_word_t arg)
{
    l4_word_t tag, x;

    (void)arg;
    l4_thread_configure(THR_S, L4_THREAD_UTCB, (l4_word_t)&utcb_s);
    utcb_s.ext_send = (l4_word_t)static_src;
    utcb_s.ext_send_len = L4_EXT_MAX;
    l4_ipc_recv(EP, 0, &tag, &x, &x, &x, &x, &x);
    server_reply = l4_ipc_reply(L4_TAG(LABEL_MSG, 0, L4_IPC_EXT), 1, 0, 0, 0);
    return 0;
}

static long client(l4_word_t arg)
{
    struct side *s = (struct side *)arg;
    l4_word_t tag = 0, w0 = 0, x;

    await(s);
    l4_err_t err = l4_ipc_call(EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &tag, &w0, &x, &x, &x, &x);
    record(s, err, tag, w0);
    return 0;
}

static void replies(void)
{
    l4_word_t src = (l4_word_t)static_src + 0x20;

    for (int nonblock = 0; nonblock < 2; nonblock++) {
        l4_word_t dst = AREA(14 + nonblock) + 0x40, pages[2] = {dst, AREA(14 + nonblock) + PAGE};
        reset_pagers();
        server_reply = -1;
        server_flags = nonblock ? L4_IPC_NONBLOCK : 0;
        setup(&rcv, THR_R, PAGER_B, dst, L4_EXT_MAX);
        start_in_slot(server, 0, FIRST, THR_S); // it waits; the call may take the fastpath
        start_in_slot(client, (l4_word_t)&rcv, FIRST, THR_R);
        int replied = server_reply == -1; // the server went back to receive, and waits there
        l4_ipc_send(EP, L4_TAG(2, 0, L4_IPC_NONBLOCK), 0, 0, 0, 0); // the server ends
        if (!nonblock)
            report("IPCPF-014", replied && whole(&rcv, L4_EXT_MAX) &&
                                    data_ok(src, dst, L4_EXT_MAX) && saw(&pb, 2, pages, true));
        else
            report("IPCPF-015", replied && cut(&rcv, 0) && pb.faults == 0);
    }

    /* a send that does not wait does not wait for the receiver's pager either */
    l4_word_t dst = AREA(16);
    reset_pagers();
    setup(&snd, THR_S, PAGER_A, (l4_word_t)static_src, 64);
    snd.flags = L4_IPC_NONBLOCK;
    setup(&rcv, THR_R, PAGER_B, dst, L4_EXT_MAX);
    exchange(true);
    report("IPCPF-016", snd.err == L4_OK && cut(&rcv, 0) && pb.faults == 0);

    /* a caller destroyed while its pager has the fault: the reply waiting for it ends */
    l4_word_t id, tag, vector, addr, x;
    l4_endpoint_create(POOL_EP, HOLD, &id);
    server_reply = -1;
    setup(&rcv, THR_R, HOLD, AREA(17), L4_EXT_MAX);
    start_in_slot(server_once, 0, FIRST, THR_S);
    start_in_slot(client, (l4_word_t)&rcv, FIRST, THR_R);
    l4_err_t got = l4_ipc_recv(HOLD, 0, &tag, &vector, &addr, &x, &x, &x);
    int waited = server_reply == -1 && !rcv.done;
    l4_thread_destroy(THR_R);
    l4_thread_yield();
    test_report("IPCPF-017",
                got == L4_OK && addr == AREA(17) && waited && server_reply == L4_ESTATE,
                "fault %s at %lx; both waited: %d; the reply then %s", l4_strerror(got), addr,
                waited, l4_strerror(server_reply));
    l4_cap_destroy(HOLD);
}

/*
 * IPCPF-018: a fault's answer is an extended message, and the faulting thread's buffer for it
 * is not mapped: from inside its fault's call, the thread asks its pager (the same endpoint)
 * for that page, and once it has it, finishes the copy and retries the faulting load.
 */
static volatile l4_err_t answer_err;
static volatile l4_word_t faulter_read;

static long fault_answerer(l4_word_t arg)
{
    l4_word_t tag, vector, addr, x;

    (void)arg;
    l4_thread_configure(THR_S, L4_THREAD_UTCB, (l4_word_t)&utcb_s);
    utcb_s.ext_send = (l4_word_t)static_src;
    utcb_s.ext_send_len = 0x100;
    l4_err_t err = l4_ipc_recv(HOLD, 0, &tag, &vector, &addr, &x, &x, &x);
    if (err || L4_TAG_LABEL(tag) != L4_LABEL_FAULT || vector != 14 || !map_page(addr, false)) {
        answer_err = err ? err : L4_EINVAL;
        return 0;
    }
    answer_err = l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, L4_IPC_EXT), 0, 0, 0, 0);
    return 0;
}

static long faulter(l4_word_t arg)
{
    struct side *s = (struct side *)arg;

    await(s);
    faulter_read = *(volatile l4_word_t *)AREA(19); // its fault goes to HOLD
    s->received = utcb_r.ext_received;
    s->done = 1;
    return 0;
}

static void fault_answer_ext(void)
{
    l4_word_t id, tag = 0, vector = 0, addr = 0, x, dst = AREA(18) + 0x40;

    l4_endpoint_create(POOL_EP, HOLD, &id);
    fill_static_src();
    answer_err = -1;
    faulter_read = 0;
    setup(&rcv, THR_R, HOLD, dst, 0x100);
    start_in_slot(faulter, (l4_word_t)&rcv, FIRST, THR_R); // it faults, and waits
    start_in_slot(fault_answerer, 0, FIRST, THR_S);        // the answer waits for the copy
    /* both ran first (higher priority): the faulter now asks for its buffer's page */
    l4_err_t got = l4_ipc_recv(HOLD, L4_IPC_NONBLOCK, &tag, &vector, &addr, &x, &x, &x);
    bool mapped = got == L4_OK && vector == 14 && addr == dst && map_page(addr, false);
    l4_err_t replied = l4_ipc_reply(L4_TAG(mapped ? L4_FAULT_RESUME : 1, 0, 0), 0, 0, 0, 0);
    test_report("IPCPF-018",
                mapped && replied == L4_OK && answer_err == L4_OK && rcv.done == 1 &&
                    rcv.received == 0x100 && data_ok((l4_word_t)static_src, dst, 0x100) &&
                    faulter_read == 0xeeeeeeeeeeeeeeeeul,
                "buffer fault %s vector %lu at %lx (want %lx); answers %s, %s; faulter done %d, "
                "%lu bytes, read %lx",
                l4_strerror(got), vector, addr, dst, l4_strerror(replied), l4_strerror(answer_err),
                rcv.done, rcv.received, faulter_read);
    l4_cap_destroy(HOLD);
}

int main(const char *arg)
{
    l4_word_t id;

    (void)arg;
    l4_endpoint_create(POOL_EP, PAGER_A, &id);
    l4_endpoint_create(POOL_EP, PAGER_B, &id);
    l4_endpoint_create(POOL_EP, EP, &id);
    l4_thread_spawn(pager_loop, (l4_word_t)&pa, HIGH, THR_PA);
    l4_thread_spawn(pager_loop, (l4_word_t)&pb, LOW, THR_PB);
    demand_paged();
    refusals();
    peers_gone();
    replies();
    fault_answer_ext();
    l4_thread_destroy(THR_PA);
    l4_thread_destroy(THR_PB);
    printf("ipcpf: done, %lu frames mapped\n", frames);
    return 0;
}
