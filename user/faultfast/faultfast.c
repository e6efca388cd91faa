/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FFAST-xxx: the fault fastpath (kernel/core/fault_fast.c) does what the general path does,
 * and what a hostile handler tries with it fails. Run with the fastpath on and off
 * (FFAST-SLOW, ipc=slow): every result must be the same. AArch64 has no fault fastpath yet:
 * there both runs test the general path, which must keep the same promises. The
 * architecture's registers are arch_<arch>.c's (arch.h).
 *  FFAST-001  the fault message (tag, vector, address, ip, error, badge) and the resume: every
 *             register the faulter had comes back (x86_64: rcx and r11 too, so IRETQ, never
 *             SYSRET; AArch64: x0..x30 and NZCV), whatever words the resume carries (a
 *             kernel ip, a kernel cs)
 *  FFAST-002  exregs of a thread waiting in a fault refuses a kernel ip; the fault goes on
 *  FFAST-003  a handler below the faulter's priority waits its turn: a thread between them
 *             runs first
 *  FFAST-004  a faulter below the handler's priority waits its turn after the resume
 *  FFAST-005  a suspended handler does not run for a fault; resumed, it serves it
 *  FFAST-006  a faulter suspended while it waits for its handler is not resumed by the answer
 *  FFAST-007  a handler that still owes a reply: its caller learns ESTATE when a fault comes
 *  FFAST-008  a thread without the reply right cannot resume the faulter (ESTATE)
 *  FFAST-009  an answer that is not a resume stops the faulter, reported as unhandled
 *  FFAST-010  a handler not waiting when the fault comes gets the same message later
 *  FFAST-011  a thread of the faulter's (and the handler's) priority, ready when the fault
 *             comes: the fastpath switches straight (HFM), the general path queues (MHF)
 *  FFAST-014  a handler below the faulter's priority gets no direct switch: a thread of its
 *             own priority ready before it runs first
 *  FFAST-012  the FPU register and TLS base of each side come back as they were: the
 *             handler's when the fault comes, the faulter's when it is resumed
 *  FFAST-013  exregs of a thread waiting in a fault to a user ip does not end the fault:
 *             the handler's resume sends it to the new ip
 */
#include "arch.h"
#include "string.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/thread.h>

#define EP       20 /* the faulters' fault endpoint */
#define BADGED   21 /* EP with a badge: what faulters are given */
#define NTF      22 /* the middle thread waits on it */
#define HOLD     23 /* a handler told to hold its reply right waits on it */
#define THR_H    24 /* the handler */
#define THR_F    25 /* the faulter */
#define THR_M    26 /* a thread between them */
#define THR_C    27 /* a client calling the handler */
#define POOL_EP  L4_SLOT_POOL(L4_POOL_ENDPOINTS)
#define POOL_NTF L4_SLOT_POOL(L4_POOL_NOTIFICATIONS)
#define MAIN     100 /* ours: below every thread of a test, which so runs as soon as it can */
#define BADGE    0x5eed
#define PAGE     4096ul
#define AREA(n)  (0x40000000ul + (n)*0x10000ul) /* a fresh, unmapped page for test n */
#define VALUE(n) (0xfeed0000ul + (n))           /* what the page of test n holds */

/* What ran, in order: H the handler (as it gets the fault), M the middle thread, F the
 * faulter (once resumed). */
static char order[8];
static volatile int norder;

static void ran(char who)
{
    if (norder < (int)sizeof(order) - 1)
        order[norder++] = who;
}

static const char *ran_order(void)
{
    order[norder] = 0;
    return order;
}

static struct {
    volatile int got;
    volatile l4_word_t tag, vector, addr, ip, error, badge;
    volatile l4_word_t label; /* its answer */
    volatile int wake_middle; /* signal NTF before it answers */
    volatile int suspend;     /* suspend the faulter before it answers */
    volatile int hold;        /* wait on HOLD before it answers, holding the reply right */
    volatile l4_word_t words; /* its answer's words: 4 of them, a kernel rip and cs */
    volatile l4_err_t exregs; /* what exregs of the waiting faulter to a kernel rip said */
} h;

static l4_word_t frames;

static void map_for(l4_word_t addr, l4_word_t value)
{
    l4_word_t page = addr & ~(PAGE - 1);

    if (l4_mem_map(L4_SLOT_MEMORY, frames++ * PAGE, L4_SLOT_SPACE, page,
                   L4_MAP_READ | L4_MAP_WRITE) == L4_OK)
        *(volatile l4_word_t *)page = value;
}

static long handler(l4_word_t arg)
{
    l4_word_t tag, vector, addr, ip, error, badge, x;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &vector, &addr, &ip, &error, &badge);

    (void)arg;
    while (!err) {
        ran('H');
        h.got++;
        h.tag = tag, h.vector = vector, h.addr = addr, h.ip = ip, h.error = error;
        h.badge = badge;
        h.exregs =
            l4_thread_exregs(THR_F, L4_EXREGS_SET_IP, 0xffffffff80000000ul, 0, 0, NULL, NULL);
        if (h.suspend)
            l4_thread_suspend(THR_F);
        if (h.wake_middle)
            l4_notify_signal(NTF);
        if (h.hold)
            l4_notify_wait(HOLD, &x);
        map_for(addr, VALUE(addr >> 16 & 0xff)); // whatever it answers: a retry would not fault
        l4_word_t tag_out = L4_TAG(h.label, h.words, 0);
        err = l4_ipc_reply_recv(EP, tag_out, 0xffff800000000000ul, 0x8, 0x10, ~0ul, &tag, &vector,
                                &addr, &ip, &error, &badge);
    }
    return 0;
}

static volatile l4_word_t read_value;
static volatile int signal_first;

static long faulter(l4_word_t va)
{
    if (signal_first)
        l4_notify_signal(NTF); // the middle thread is ready, below us
    read_value = *(volatile l4_word_t *)va;
    ran('F');
    return 0;
}

static long middle(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_wait(NTF, &bits);
    ran('M');
    return 0;
}

/* The handler at prio, waiting (it ran at once: we are below it). */
static void start_handler(l4_word_t prio, l4_word_t label)
{
    h.got = 0, h.label = label, h.wake_middle = h.suspend = h.hold = 0, h.words = 0;
    h.exregs = -1;
    l4_thread_spawn(handler, 0, prio, THR_H);
}

/* The faulter at prio, faulting at va: it runs at once. */
static void start_faulter(l4_word_t prio, l4_word_t va)
{
    read_value = 0;
    l4_thread_forget_ended(THR_F);
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, faulter, va, prio, THR_F);
    l4_thread_configure(THR_F, L4_THREAD_FAULT_EP, BADGED);
    l4_thread_start(THR_F);
}

static void reset(void)
{
    norder = 0;
    signal_first = 0;
}

static void end_test(void)
{
    l4_thread_destroy(THR_H);
    l4_thread_destroy(THR_F);
    l4_thread_destroy(THR_M);
}

static long reg_faulter(l4_word_t va)
{
    ffast_pattern_read(va);
    ran('F');
    return 0;
}

/* The first register word that is not what it was before the fault (ffast_nregs if none). */
static unsigned first_changed(l4_word_t va)
{
    unsigned i = 0;

    while (i < ffast_nregs && ffast_regs[i] == ffast_want(i, va))
        i++;
    return i;
}

/* FFAST-001, 002 */
static void message_and_registers(void)
{
    l4_word_t va = AREA(1) + 0x18;

    reset();
    start_handler(120, L4_FAULT_RESUME); // the faulter's: both halves may take the fastpath
    h.words = 4;
    l4_thread_forget_ended(THR_F);
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, reg_faulter, va, 120, THR_F);
    l4_thread_configure(THR_F, L4_THREAD_FAULT_EP, BADGED);
    l4_thread_start(THR_F);
    unsigned bad = first_changed(va);
    test_report("FFAST-001",
                h.got == 1 && h.tag == L4_TAG(L4_LABEL_FAULT, 4, 0) && h.vector == L4_FAULT_PAGE &&
                    h.addr == va && h.ip == (l4_word_t)ffast_fault_ip && h.error == (L4_PF_USER) &&
                    h.badge == BADGE && bad == ffast_nregs && !strcmp(ran_order(), "HF"),
                "got %d tag %lx vector %lu addr %lx ip %lx (want %lx) error %lx badge %lx; %s "
                "%lx (want %lx); order %s",
                h.got, h.tag, h.vector, h.addr, h.ip, (l4_word_t)ffast_fault_ip, h.error, h.badge,
                ffast_reg_name(bad), bad < ffast_nregs ? ffast_regs[bad] : 0, ffast_want(bad, va),
                ran_order());
    EXPECT_ERR("FFAST-002", h.exregs, L4_ERANGE);
    end_test();
}

/* FFAST-003, 004: the scheduler's rule, both ways */
static void priorities(void)
{
    reset();
    start_handler(105, L4_FAULT_RESUME);
    l4_thread_spawn(middle, 0, 110, THR_M); // it waits on NTF
    signal_first = 1;
    start_faulter(120, AREA(3));
    test_report("FFAST-003", !strcmp(ran_order(), "MHF") && read_value == VALUE(3),
                "order %s (want MHF), read %lx", ran_order(), read_value);
    end_test();

    reset();
    start_handler(120, L4_FAULT_RESUME);
    h.wake_middle = 1;
    l4_thread_spawn(middle, 0, 110, THR_M);
    start_faulter(105, AREA(4));
    test_report("FFAST-004", !strcmp(ran_order(), "HMF") && read_value == VALUE(4),
                "order %s (want HMF), read %lx", ran_order(), read_value);
    end_test();
}

/* FFAST-005, 006: suspended threads stay suspended */
static void suspended(void)
{
    reset();
    start_handler(130, L4_FAULT_RESUME);
    l4_thread_suspend(THR_H); // waiting in its receive
    start_faulter(120, AREA(5));
    int got_while_suspended = h.got;
    l4_thread_resume(THR_H);
    test_report("FFAST-005",
                got_while_suspended == 0 && h.got == 1 && !strcmp(ran_order(), "HF") &&
                    read_value == VALUE(5),
                "handler got %d while suspended, %d after; order %s, read %lx", got_while_suspended,
                h.got, ran_order(), read_value);
    end_test();

    reset();
    start_handler(120, L4_FAULT_RESUME); // the faulter's: only its suspension keeps it waiting
    h.suspend = 1;
    start_faulter(120, AREA(6));
    const char *before = norder == 1 && order[0] == 'H' ? "H" : "other";
    l4_thread_resume(THR_F);
    test_report("FFAST-006", !strcmp(before, "H") && !strcmp(ran_order(), "HF"),
                "before its resume: %s (want H); order %s", before, ran_order());
    end_test();
}

static volatile l4_err_t client_err = -1;

static long client(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    client_err = l4_ipc_call(EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    return 0;
}

/* A handler that takes the client's call and then waits on EP again, owing it its reply. */
static long owing_handler(l4_word_t arg)
{
    l4_word_t tag, vector, addr, ip, error, badge;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &vector, &addr, &ip, &error, &badge);

    (void)arg;
    while (!err) {
        if (L4_TAG_LABEL(tag) == L4_LABEL_FAULT) {
            ran('H');
            map_for(addr, VALUE(addr >> 16 & 0xff));
            err = l4_ipc_reply_recv(EP, L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0, &tag, &vector,
                                    &addr, &ip, &error, &badge);
        } else {
            err = l4_ipc_recv(EP, 0, &tag, &vector, &addr, &ip, &error, &badge);
        }
    }
    return 0;
}

/* FFAST-007, 008: reply rights */
static void reply_rights(void)
{
    reset();
    client_err = -1;
    l4_thread_spawn(owing_handler, 0, 130, THR_H);
    l4_thread_spawn(client, 0, 125, THR_C); // its call taken, the handler waits owing it
    l4_err_t waiting = client_err;
    start_faulter(120, AREA(7));
    test_report("FFAST-007",
                waiting == -1 && client_err == L4_ESTATE && !strcmp(ran_order(), "HF") &&
                    read_value == VALUE(7),
                "client before the fault %s, after %s (want ESTATE); order %s, read %lx",
                l4_strerror(waiting), l4_strerror(client_err), ran_order(), read_value);
    l4_thread_destroy(THR_C);
    end_test();

    reset();
    start_handler(130, L4_FAULT_RESUME);
    h.hold = 1; // it waits on HOLD, the faulter's reply right in hand
    start_faulter(120, AREA(8));
    l4_err_t replied = l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0);
    const char *before = ran_order()[1] == 0 ? "H" : "other";
    l4_notify_signal(HOLD);
    test_report("FFAST-008",
                replied == L4_ESTATE && !strcmp(before, "H") && !strcmp(ran_order(), "HF") &&
                    read_value == VALUE(8),
                "our reply %s (want ESTATE); before the handler's: %s; order %s, read %lx",
                l4_strerror(replied), before, ran_order(), read_value);
    end_test();
}

/* FFAST-009, 010: no resume; a handler that was not waiting */
static void other_answers(void)
{
    l4_word_t code = 0;

    reset();
    start_handler(120, 1); // not L4_FAULT_RESUME; the faulter's priority, which it may answer
    start_faulter(120, AREA(9));
    l4_err_t waited = l4_thread_wait(THR_F, L4_WAIT_NONBLOCK, &code);
    test_report("FFAST-009", h.got == 1 && !strcmp(ran_order(), "H") && waited == L4_ESTATE,
                "handler got %d, order %s (want H), thread_wait %s (want ESTATE)", h.got,
                ran_order(), l4_strerror(waited));
    end_test();

    reset();
    start_faulter(120, AREA(10)); // queued on EP: nobody waits
    start_handler(130, L4_FAULT_RESUME);
    test_report("FFAST-010",
                h.got == 1 && h.tag == L4_TAG(L4_LABEL_FAULT, 4, 0) && h.addr == AREA(10) &&
                    h.badge == BADGE && !strcmp(ran_order(), "HF") && read_value == VALUE(10),
                "got %d tag %lx addr %lx badge %lx; order %s, read %lx", h.got, h.tag, h.addr,
                h.badge, ran_order(), read_value);
    end_test();
}

/* FFAST-011: the order among equals. The faulter wakes the middle thread (its priority:
 * queued behind it), then faults. The fastpath switches straight to the handler and back
 * (HFM); the general path queues each behind the middle thread (MHF). Either is the
 * scheduler's rule for its path (docs/architecture.md, "Threads and scheduling"); nothing
 * else may happen, and the faulter must read its page. */
static void equal_priorities(void)
{
    reset();
    start_handler(120, L4_FAULT_RESUME);
    l4_thread_spawn(middle, 0, 120, THR_M); // it waits on NTF
    signal_first = 1;
    start_faulter(120, AREA(11));
    test_report("FFAST-011",
                (!strcmp(ran_order(), "HFM") || !strcmp(ran_order(), "MHF")) &&
                    read_value == VALUE(11),
                "order %s (want HFM or MHF), read %lx", ran_order(), read_value);
    end_test();

    /* a handler below the faulter waits behind a thread of its own priority ready before it */
    reset();
    start_handler(110, L4_FAULT_RESUME);
    l4_thread_spawn(middle, 0, 110, THR_M);
    signal_first = 1;
    start_faulter(120, AREA(14));
    test_report("FFAST-014", !strcmp(ran_order(), "MHF") && read_value == VALUE(14),
                "order %s (want MHF), read %lx", ran_order(), read_value);
    end_test();
}

/* FFAST-012: the FPU and TLS state of both sides */
#define TLS_H 0x50000000ul /* any user addresses: the bases are only read back */
#define TLS_F 0x60000000ul
#define FP_H  0x4848484848484848ul
#define FP_F  0x4646464646464646ul

static volatile l4_word_t h_fp, h_tls, f_fp, f_tls;
static volatile int tls_got;

static long tls_handler(l4_word_t arg)
{
    l4_word_t tag, vector, addr, ip, error, badge, x;
    l4_err_t err;

    (void)arg;
    l4_thread_tls(L4_TLS_TP | L4_TLS_SET, TLS_H, &x);
    ffast_fp_set(FP_H);
    err = l4_ipc_recv(EP, 0, &tag, &vector, &addr, &ip, &error, &badge);
    while (!err) {
        h_fp = ffast_fp_get();
        l4_thread_tls(L4_TLS_TP, 0, &x);
        h_tls = x;
        tls_got++;
        map_for(addr, VALUE(addr >> 16 & 0xff));
        ffast_fp_set(~FP_H); // its own use meanwhile
        l4_thread_tls(L4_TLS_TP | L4_TLS_SET, ~TLS_H & 0x7ffffffff000ul, &x);
        err = l4_ipc_reply_recv(EP, L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0, &tag, &vector, &addr,
                                &ip, &error, &badge);
    }
    return 0;
}

static long tls_faulter(l4_word_t va)
{
    l4_word_t x;

    l4_thread_tls(L4_TLS_TP | L4_TLS_SET, TLS_F, &x);
    x = ffast_fp_fault_read(FP_F, va);
    f_fp = x;
    l4_thread_tls(L4_TLS_TP, 0, &x);
    f_tls = x;
    ran('F');
    return 0;
}

static void fpu_and_tls(void)
{
    reset();
    tls_got = 0;
    h_fp = h_tls = f_fp = f_tls = 0;
    l4_thread_spawn(tls_handler, 0, 120, THR_H);
    l4_thread_forget_ended(THR_F);
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, tls_faulter, AREA(12), 120,
                      THR_F);
    l4_thread_configure(THR_F, L4_THREAD_FAULT_EP, BADGED);
    l4_thread_start(THR_F);
    test_report("FFAST-012",
                tls_got == 1 && h_fp == FP_H && h_tls == TLS_H && f_fp == FP_F && f_tls == TLS_F &&
                    !strcmp(ran_order(), "F"),
                "handler got %d: fp %lx tls %lx; faulter fp %lx tls %lx; order %s", tls_got, h_fp,
                h_tls, f_fp, f_tls, ran_order());
    end_test();
}

/* FFAST-013: exregs to a user ip while the faulter waits: the fault goes on */
L4_ENTRY_ANY_STACK static void landed(void)
{
    ran('L');
    l4_thread_exit(0);
}

static volatile l4_err_t exregs_user;

static long exregs_handler(l4_word_t arg)
{
    l4_word_t tag, vector, addr, ip, error, badge;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &vector, &addr, &ip, &error, &badge);

    (void)arg;
    while (!err) {
        ran('H');
        exregs_user = l4_thread_exregs(THR_F, L4_EXREGS_SET_IP, (l4_word_t)landed, 0, 0, NULL,
                                       NULL); // no page is mapped: only the new ip goes on
        err = l4_ipc_reply_recv(EP, L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0, &tag, &vector, &addr,
                                &ip, &error, &badge);
    }
    return 0;
}

static void exregs_to_user_ip(void)
{
    reset();
    exregs_user = -1;
    l4_thread_spawn(exregs_handler, 0, 120, THR_H);
    start_faulter(120, AREA(13));
    test_report("FFAST-013", exregs_user == L4_OK && !strcmp(ran_order(), "HL"),
                "exregs %s; order %s (want HL: the resume lands at the new ip)",
                l4_strerror(exregs_user), ran_order());
    end_test();
}

int main(const char *arg)
{
    l4_word_t id;

    (void)arg;
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, MAIN);
    l4_endpoint_create(POOL_EP, EP, &id);
    l4_cap_replicate(EP, BADGED);
    l4_cap_deduce(BADGED, L4_EP_SEND, BADGE, 0);
    l4_notification_create(POOL_NTF, NTF, &id);
    l4_notification_create(POOL_NTF, HOLD, &id);
    message_and_registers();
    priorities();
    suspended();
    reply_rights();
    other_answers();
    equal_priorities();
    fpu_and_tls();
    exregs_to_user_ip();
    printf("faultfast: done\n");
    return 0;
}
