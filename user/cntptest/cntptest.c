/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * CNTP-xxx (AArch64 only, tests/qemu/systems/cntp.toml): EL1's physical timer is lent to the
 * container that binds its interrupt line (23) and to nobody else (kernel/arch/aarch64/cntp.c).
 *
 *   holder   holds the line (slot 18) and a notification (19); it reaches the registers only
 *            while it has the line bound, finds them stopped and cleared whenever it binds, gets
 *            the interrupt through the notification, and keeps its compare value whatever a
 *            stranger tries while it is armed.
 *   stranger holds no line: while the holder has the timer bound and armed, every access of
 *            its to the timer's registers, the physical counter and the frequency is an
 *            undefined instruction (fault 6) reported to its fault handler, and reads nothing;
 *            so is one just after a call to the holder's counter thread, which read the
 *            counter in between (the IPC fastpath's switches lend the timer and take it back).
 *
 *   restartee, restarter: the restarter restarts the restartee while it has the timer bound
 *            and armed; restarted, it binds again and finds the timer stopped and cleared.
 *
 *   lender, borrower: a copy lent, taken over and revoked (below, CNTP-040..048).
 *
 * Each access runs in a worker thread whose fault endpoint this program holds: a fault comes
 * as a message, an access that works ends the worker with the value read as its exit code.
 */
#include "clocksrc.h"
#include "l4.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

#define LINE      18 /* holder: line 23, EL1's physical timer */
#define NTF       19 /* holder: its notification: the line's bit 1, the stranger's bit 2 */
#define PEER      20 /* a signal capability to the other's notification (holder: bit 1 of it) */
#define OWN       21 /* stranger: its own notification, the holder's go */
#define FAULT_EP  22 /* the workers' fault endpoint */
#define WORKER    23
#define COUNT_EP  25  /* holder: its counter thread's endpoint; stranger: a send capability to it */
#define COUNTER   26  /* holder: the counter thread */
#define W_NTF     27  /* holder: a signal capability to the stranger's "w"; stranger: "w" */
#define RELAY     28  /* stranger: a signal capability to the holder's notification, badge 4 */
#define SELF      24  /* restartee: its own container, inspect */
#define VICTIM    24  /* restarter: the restartee's container, control */
#define IRQ_BIT   1ul /* the holder's notification's own badge: none, so bit 0 */
#define DONE_BIT  2ul /* the stranger's signal */
#define RELAY_BIT 4ul /* the stranger's other: signal "w", then wait */
#define MS        1000000ull

enum access {
    CTL_READ,
    CVAL_READ,
    CVAL_WRITE,
    COUNTER_READ,
    FREQ_READ,
    VCTL_READ, /* the kernel's tick, CNTV: never the binder's */
    VCTL_WRITE,
    VCOUNT_READ,
    CALL_THEN_CTL_READ, /* the stranger: a call to the holder's counter thread, then CTL */
};

/* The stranger's worker: the counter the holder's thread read for its call (0: none) */
static volatile l4_word_t counted;

/* CNTP_CTL_EL0.ISTATUS: UNKNOWN while the timer is disabled (ARM ARM), so a check of a stopped
 * timer's control word leaves it out (QEMU reads 0, hardware need not) */
#define CTL_ISTATUS 4ul

/* One access to the timer; its value (0 for the write). */
static long touch(l4_word_t what)
{
    l4_word_t v = 0;

    switch (what) {
    case CTL_READ:
        __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
        break;
    case CVAL_READ:
        __asm__ volatile("mrs %0, cntp_cval_el0" : "=r"(v));
        break;
    case CVAL_WRITE:
        __asm__ volatile("msr cntp_cval_el0, xzr; isb" : : : "memory");
        break;
    case COUNTER_READ:
        __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(v));
        break;
    case VCTL_READ:
        __asm__ volatile("mrs %0, cntv_ctl_el0" : "=r"(v));
        break;
    case VCTL_WRITE:
        __asm__ volatile("msr cntv_ctl_el0, xzr; isb" : : : "memory");
        break;
    case VCOUNT_READ:
        __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
        break;
    case CALL_THEN_CTL_READ: {
        l4_word_t tag, count = 0, x;
        if (l4_ipc_call(COUNT_EP, L4_TAG(0, 0, 0), 0, 0, 0, 0, &tag, &count, &x, &x, &x, &x) ==
            L4_OK)
            counted = count;
        __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
        break;
    }
    default:
        __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
        break;
    }
    return (long)v;
}

struct outcome {
    bool faulted;    /* the worker's fault came to its handler */
    l4_word_t value; /* if not: what it read (its exit code); the fault's vector if it did */
};

/* Run touch(what) in a worker of this container; what came of it. */
static struct outcome run(enum access what)
{
    struct outcome o = {false, ~0ul};
    l4_word_t label, vector, addr, ip, error, badge, code;

    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, touch, what, 100, WORKER);
    l4_thread_configure(WORKER, L4_THREAD_FAULT_EP, FAULT_EP);
    l4_thread_start(WORKER);
    for (;;) {
        if (l4_ipc_recv(FAULT_EP, L4_IPC_NONBLOCK, &label, &vector, &addr, &ip, &error, &badge) ==
            L4_OK) {
            o.faulted = L4_TAG_LABEL(label) == L4_LABEL_FAULT;
            o.value = vector;
            l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); // not a resume: the worker stops
            break;
        }
        if (l4_thread_wait(WORKER, L4_WAIT_NONBLOCK, &code) == L4_OK) {
            o.value = code;
            break;
        }
        l4_thread_yield();
    }
    l4_thread_destroy(WORKER);
    return o;
}

/* The access must fault as an undefined instruction (the kernel's 6). */
static void refused(const char *id, enum access what, const char *name)
{
    struct outcome o = run(what);

    test_report(id, o.faulted && o.value == 6, "%s: %s %lu, wanted a fault with vector 6", name,
                o.faulted ? "fault with vector" : "no fault, read", o.value);
}

/* The access must work: what it read. */
static l4_word_t reached(const char *id, enum access what, const char *name, bool *ok)
{
    struct outcome o = run(what);

    *ok = !o.faulted;
    if (o.faulted)
        test_report(id, false, "%s faulted with vector %lu", name, o.value);
    return o.value;
}

static l4_word_t now_ns(void)
{
    l4_word_t now = 0;

    l4_time(NULL, NULL, NULL, &now, NULL);
    return now;
}

/* Wait on our notification until one of want's bits comes; the bits that came. */
static l4_word_t wait_for(l4_word_t want)
{
    l4_word_t bits = 0, got = 0;

    while (!(got & want) && l4_notify_wait(NTF, &bits) == L4_OK)
        got |= bits;
    return got;
}

/* The holder's counter thread: each call is answered with the physical counter, read here,
 * in the thread the caller's call switched to (a fault here is a USER FAULT, which the test
 * forbids). */
static long count_server(l4_word_t arg)
{
    l4_word_t tag, x, count;

    (void)arg;
    l4_ipc_recv(COUNT_EP, 0, &tag, &x, &x, &x, &x, &x);
    for (;;) {
        __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(count));
        l4_ipc_reply_recv(COUNT_EP, L4_TAG(0, 1, 0), count, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    }
    return 0;
}

static void holder(void)
{
    bool ok;

    refused("CNTP-001", CTL_READ, "CNTP_CTL_EL0 before binding the line");
    EXPECT_ERR("CNTP-002", l4_irq_bind(LINE, NTF), L4_OK);
    l4_word_t ctl = reached("CNTP-003", CTL_READ, "CNTP_CTL_EL0 once bound", &ok);
    l4_word_t freq = ok ? reached("CNTP-003", FREQ_READ, "CNTFRQ_EL0 once bound", &ok) : 0;
    l4_word_t count = ok ? reached("CNTP-003", COUNTER_READ, "CNTPCT_EL0 once bound", &ok) : 0;
    if (ok)
        test_report("CNTP-003", (ctl & ~CTL_ISTATUS) == 0 && freq != 0 && count != 0,
                    "CNTP_CTL_EL0 %lx (wanted 0: stopped), CNTFRQ_EL0 %lu, CNTPCT_EL0 %lu", ctl,
                    freq, count);
    // the kernel's own tick stays out of the binder's reach: it could stop the scheduler
    refused("CNTP-014", VCTL_READ, "CNTV_CTL_EL0 of the binder");
    refused("CNTP-015", VCTL_WRITE, "a write of CNTV_CTL_EL0 by the binder");
    refused("CNTP-016", VCOUNT_READ, "CNTVCT_EL0 of the binder");

    // the interrupt, through the notification, no sooner than asked by the kernel's clock
    l4_word_t t0 = now_ns();
    clocksrc_arm(0, 3 * MS);
    l4_word_t bits = wait_for(IRQ_BIT);
    l4_word_t waited = now_ns() - t0;
    clocksrc_stop(0);
    test_report("CNTP-004", (bits & IRQ_BIT) && waited >= 3 * MS,
                "bits %lx after %lu ns, wanted bit %lx after 3 ms or more", bits, waited, IRQ_BIT);
    EXPECT_ERR("CNTP-005", l4_irq_ack(LINE), L4_OK);

    // armed far ahead while the stranger tries the registers: ours stay as they were; our
    // counter thread answers the stranger's calls (at its workers' priority: the fastpath's)
    clocksrc_arm(0, 5000 * MS);
    l4_word_t cval = reached("CNTP-006", CVAL_READ, "CNTP_CVAL_EL0", &ok);
    l4_err_t counter = l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, count_server,
                                         0, 100, COUNTER);
    counter = counter ? counter : l4_thread_start(COUNTER);
    EXPECT_ERR("CNTP-025", counter, L4_OK);
    l4_notify_signal(PEER);
    // until the stranger is done; asked, we signal its "w" and block at once: our wait hands
    // the CPU straight to its thread waiting there (the notification fastpath's switch)
    bits = 0;
    for (l4_word_t got = 0; !(bits & DONE_BIT) && l4_notify_wait(NTF, &got) == L4_OK;) {
        if (got & RELAY_BIT)
            l4_notify_signal(W_NTF);
        bits |= got;
    }
    l4_thread_destroy(COUNTER);
    l4_word_t after = ok ? reached("CNTP-006", CVAL_READ, "CNTP_CVAL_EL0 again", &ok) : 0;
    ctl = ok ? reached("CNTP-006", CTL_READ, "CNTP_CTL_EL0", &ok) : 0;
    if (ok)
        test_report("CNTP-006", (bits & DONE_BIT) && cval != 0 && after == cval && ctl == 1,
                    "bits %lx; compare value %lx then %lx, control %lx (wanted 1: enabled, "
                    "not fired)",
                    bits, cval, after, ctl);

    // released: the registers are gone, and bound again they are stopped and cleared
    EXPECT_ERR("CNTP-007", l4_irq_release(LINE), L4_OK);
    refused("CNTP-008", CTL_READ, "CNTP_CTL_EL0 after the release");
    EXPECT_ERR("CNTP-009", l4_irq_bind(LINE, NTF), L4_OK);
    ctl = reached("CNTP-010", CTL_READ, "CNTP_CTL_EL0 bound again", &ok);
    cval = ok ? reached("CNTP-010", CVAL_READ, "CNTP_CVAL_EL0 bound again", &ok) : 0;
    if (ok)
        test_report("CNTP-010", (ctl & ~CTL_ISTATUS) == 0 && cval == 0,
                    "control %lx compare value %lx, wanted 0 and 0: the old deadline neither "
                    "fires nor shows",
                    ctl, cval);

    // the line's last capability gone (as a revoke or a restart takes it): the registers too
    clocksrc_arm(0, 5000 * MS);
    EXPECT_ERR("CNTP-011", l4_cap_destroy(LINE), L4_OK);
    refused("CNTP-012", CTL_READ, "CNTP_CTL_EL0 with the line's capability gone");
    refused("CNTP-013", COUNTER_READ, "CNTPCT_EL0 with the line's capability gone");
    printf("cntptest: holder done\n");
}

/* The stranger's thread for CNTP-028: it waits on "w" (blocked by the fastpath while the
 * stranger's main thread is ready), then reads the timer's control; a read that works is sent
 * to the fault endpoint as label 7. */
static long wait_then_ctl(l4_word_t arg)
{
    l4_word_t bits = 0, v;

    (void)arg;
    l4_notify_wait(W_NTF, &bits);
    __asm__ volatile("mrs %0, cntp_ctl_el0" : "=r"(v));
    l4_ipc_send(FAULT_EP, L4_TAG(7, 1, 0), v, 0, 0, 0);
    return 0;
}

/* CNTP-028: the holder's thread signals ours and blocks, and its wait hands the CPU straight
 * to ours (the notification fastpath's switch): the timer is not ours there either. */
static void switched_from_holder(void)
{
    l4_word_t tag = 0, vector = 0, x;

    l4_err_t err = l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, wait_then_ctl, 0,
                                     100, WORKER);
    err = err ? err : l4_thread_configure(WORKER, L4_THREAD_FAULT_EP, FAULT_EP);
    err = err ? err : l4_thread_start(WORKER);
    l4_thread_yield(); // it runs and blocks in its wait while we are ready
    err = err ? err : l4_notify_signal(RELAY);
    err = err ? err : l4_ipc_recv(FAULT_EP, 0, &tag, &vector, &x, &x, &x, &x);
    bool faulted = !err && L4_TAG_LABEL(tag) == L4_LABEL_FAULT;
    if (faulted)
        l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); // not a resume: it stops
    test_report("CNTP-028", faulted && vector == 6,
                "%s; %s %lu, wanted a fault with vector 6 (CNTP_CTL_EL0 just after the "
                "holder's thread handed us the CPU)",
                l4_strerror(err), faulted ? "fault with vector" : "no fault, read", vector);
    l4_thread_destroy(WORKER);
}

static void stranger(void)
{
    l4_word_t bits = 0;

    while (!(bits & 1)) // the holder's go: it has the timer bound and armed
        l4_notify_wait(OWN, &bits);
    refused("CNTP-020", CTL_READ, "CNTP_CTL_EL0");
    refused("CNTP-021", CVAL_READ, "CNTP_CVAL_EL0");
    refused("CNTP-022", CVAL_WRITE, "a write of CNTP_CVAL_EL0");
    refused("CNTP-023", COUNTER_READ, "CNTPCT_EL0");
    refused("CNTP-024", FREQ_READ, "CNTFRQ_EL0");
    // a call to the holder's counter thread and its answer switch straight between the two
    // containers: the timer is lent to the holder's thread there, and not to us once back
    refused("CNTP-026", CALL_THEN_CTL_READ, "CNTP_CTL_EL0 just after the holder's answer");
    test_report("CNTP-027", counted != 0,
                "the holder's counter thread read no counter for our call (it has the timer)");
    switched_from_holder();
    l4_notify_signal(PEER);
    printf("cntptest: stranger done\n");
}

/* A holder restarted while its timer is armed (its notification and its line's capability go
 * with the restart) binds the line again and finds the timer stopped and cleared. */
static void restartee(void)
{
    bool ok;

    if (container_info(SELF).restarts == 0) {
        l4_irq_bind(LINE, NTF);
        clocksrc_arm(0, 5000 * MS);
        l4_notify_signal(PEER); // the restarter's go
        for (;;)
            wait_for(IRQ_BIT);
    }
    EXPECT_ERR("CNTP-030", l4_irq_bind(LINE, NTF), L4_OK);
    l4_word_t ctl = reached("CNTP-031", CTL_READ, "CNTP_CTL_EL0 after the restart", &ok);
    l4_word_t cval =
        ok ? reached("CNTP-031", CVAL_READ, "CNTP_CVAL_EL0 after the restart", &ok) : 0;
    if (ok)
        test_report("CNTP-031", (ctl & ~CTL_ISTATUS) == 0 && cval == 0,
                    "control %lx compare value %lx, wanted 0 and 0 after the restart", ctl, cval);
    printf("cntptest: restarted holder done\n");
}

static void restarter(void)
{
    l4_word_t bits = 0;

    while (!(bits & 1))
        l4_notify_wait(OWN, &bits);
    EXPECT_ERR("CNTP-032", l4_container_restart(VICTIM), L4_OK);
}

/*
 * lender, borrower (tests/qemu/systems/cntp-lend.toml): the lender holds line 23 with control,
 * copy and grant, binds it and lets the timer fire (the line then masked, its level still
 * raised), then sends a copy to the borrower. The borrower's bind takes the line over: it finds
 * the timer stopped and cleared, no interrupt of the lender's comes, and the lender reaches the
 * registers no more. The borrower arms far ahead; the lender's revoke takes the copy back, and
 * with it the binding and the registers (CNTP-040..048).
 */
#define CAP_EP   16 /* the borrower's endpoint (lender: send, transfer) */
#define BORROWED 24 /* the borrower's copy of the line */
#define REPLICA  25 /* the lender's copy to send */

static void lender(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;

    EXPECT_ERR("CNTP-040", l4_irq_bind(LINE, NTF), L4_OK);
    clocksrc_arm(0, 1000); // due at once: the level rises, the line masks after one interrupt
    l4_word_t bits = wait_for(IRQ_BIT);
    test_report("CNTP-041", bits & IRQ_BIT, "the lender's interrupt: bits %lx", bits);
    l4_cap_replicate(LINE, REPLICA); // not stopped, not acknowledged: the level stays up
    u->cap_send = REPLICA;
    l4_ipc_send(CAP_EP, L4_TAG(1, 0, L4_IPC_CAP), 0, 0, 0, 0);
    wait_for(DONE_BIT); // the borrower bound the line and armed the timer
    refused("CNTP-044", CTL_READ, "the lender's CNTP_CTL_EL0 once the borrower bound the line");
    EXPECT_ERR("CNTP-045", l4_cap_revoke(LINE), L4_OK);
    l4_notify_signal(PEER);
    printf("cntptest: lender done\n");
}

static void borrower(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t tag, x, bits = 0;
    bool ok;

    u->cap_recv = BORROWED;
    l4_ipc_recv(CAP_EP, 0, &tag, &x, &x, &x, &x, &x);
    EXPECT_ERR("CNTP-042", l4_irq_bind(BORROWED, NTF), L4_OK);
    l4_word_t ctl = reached("CNTP-042", CTL_READ, "CNTP_CTL_EL0 after the takeover", &ok);
    l4_word_t cval = ok ? reached("CNTP-042", CVAL_READ, "CNTP_CVAL_EL0 after it", &ok) : 0;
    if (ok)
        test_report("CNTP-042", (ctl & ~CTL_ISTATUS) == 0 && cval == 0,
                    "control %lx compare value %lx, wanted 0 and 0: the lender's fired timer "
                    "neither shows nor goes on",
                    ctl, cval);
    l4_word_t t0 = now_ns();
    while (now_ns() - t0 < 20 * MS)
        l4_thread_yield();
    l4_err_t polled = l4_notify_poll(NTF, &bits);
    test_report("CNTP-043", polled != L4_OK || !(bits & IRQ_BIT),
                "the lender's interrupt came to the borrower: %s, bits %lx", l4_strerror(polled),
                bits);
    clocksrc_arm(0, 5000 * MS);
    l4_notify_signal(PEER);
    wait_for(DONE_BIT); // the lender revoked our copy
    l4_word_t type = 0;
    EXPECT_ERR("CNTP-046", l4_cap_read(BORROWED, &type, NULL, NULL, NULL, NULL, NULL), L4_ECAP);
    refused("CNTP-047", CTL_READ, "CNTP_CTL_EL0 with the borrowed line revoked");
    refused("CNTP-048", CVAL_WRITE, "a write of CNTP_CVAL_EL0 with the borrowed line revoked");
    printf("cntptest: borrower done\n");
}

int main(const char *arg)
{
    l4_err_t err = l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), FAULT_EP, NULL);
    if (err) {
        printf("cntptest: cannot make the fault endpoint: %s\n", l4_strerror(err));
        return 1;
    }
    if (strcmp(arg, "holder") == 0)
        holder();
    else if (strcmp(arg, "stranger") == 0)
        stranger();
    else if (strcmp(arg, "restartee") == 0)
        restartee();
    else if (strcmp(arg, "restarter") == 0)
        restarter();
    else if (strcmp(arg, "lender") == 0)
        lender();
    else if (strcmp(arg, "borrower") == 0)
        borrower();
    else
        printf("cntptest: argument \"%s\": holder, stranger, restartee, restarter, lender or "
               "borrower\n",
               arg);
    return 0;
}
