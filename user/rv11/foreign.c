/* SPDX-License-Identifier: BSD-2-Clause */
/* RV-1101..: a thread whose registers are written while it waits in a foreign system call. */
#include "rv11.h"

#define MAGIC 0x5eed5eed5eedull

static _Alignas(4096) struct l4_utcb x_utcb;
static _Alignas(16) l4_word_t x_stack[512];
static volatile l4_word_t reply_label = ~0ull, reply_m0;

/* X: a foreign system call; its registers are rewritten while it waits for the handler. */
static long alien_caller(l4_word_t arg)
{
    l4_word_t r[6] = {0};

    (void)arg;
    l4_syscall(NR_ALIEN, r);
    return 1; // never: it goes on in after_abort
}

/* A thread in slot that makes a foreign call to EP at prio; its message is received (tag). */
static void start_foreign_caller(l4_cap_t slot, l4_word_t prio, struct l4_utcb *utcb,
                                 l4_word_t *tag)
{
    l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, alien_caller, 0, prio, slot);
    l4_thread_configure(slot, L4_THREAD_UTCB, (l4_word_t)utcb);
    l4_thread_configure(slot, L4_THREAD_FAULT_EP, EP);
    l4_thread_configure(slot, L4_THREAD_FOREIGN, L4_FOREIGN_UNKNOWN);
    l4_thread_start(slot);
    l4_ipc_recv(EP, 0, tag, NULL, NULL, NULL, NULL, NULL);
}

/* Where X goes on: an ordinary long message, then an ordinary call, as any thread may. */
static void after_abort(void)
{
    l4_word_t tag = 0, m0 = 0;

    x_utcb.mr[4] = MAGIC;
    l4_ipc_send(EP, L4_TAG(1, 5, 0), 1, 2, 3, 4);
    l4_ipc_call(EP, L4_TAG(2, 0, 0), 0, 0, 0, 0, &tag, &m0, NULL, NULL, NULL, NULL);
    reply_label = L4_TAG_LABEL(tag);
    reply_m0 = m0;
    l4_exit(0);
}

/*
 * RV-1101: X's foreign call is dropped by thread_regs; its next long message must carry the
 * words of its UTCB, not of its frame (a debug kernel stopped on an assertion, a release
 * kernel copied kernel stack past the registers). RV-1102: a reply to its next ordinary call
 * is an ordinary reply, not turned into a stop of a foreign call it no longer makes.
 */
void foreign_attacks(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    struct l4_regs r;
    l4_word_t tag = 0;

    l4_endpoint_create(POOL_EP, EP, NULL);
    start_foreign_caller(X, 100, &x_utcb, &tag);
    if (L4_TAG_LABEL(tag) != L4_LABEL_SYSCALL)
        test_report("RV-1101", false, "no foreign call arrived (label %lx)", L4_TAG_LABEL(tag));
    l4_thread_regs(X, L4_REGS_GET, NULL, &r);
    L4_REGS_IP(&r) = (l4_word_t)after_abort;
    L4_REGS_SP(&r) = L4_ENTRY_SP(&x_stack[512]);
    EXPECT_ERR("RV-1100", l4_thread_regs(X, L4_REGS_SET, &r, NULL), L4_OK);
    u->mr[4] = 0;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    test_report("RV-1101", err == L4_OK && L4_TAG_LEN(tag) == 5 && u->mr[4] == MAGIC,
                "%s, tag %lx, mr[4] %lx", l4_strerror(err), tag, u->mr[4]);
    l4_ipc_recv(EP, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    l4_ipc_reply(L4_TAG(0, 1, 0), 0x77, 0, 0, 0);
    for (unsigned i = 0; i < 100 && reply_label == ~0ull; i++)
        l4_thread_yield();
    test_report("RV-1102", reply_label == 0 && reply_m0 == 0x77, "X got label %lx, m0 %lx",
                reply_label, reply_m0);
}

static _Alignas(4096) struct l4_utcb x2_utcb;
static _Alignas(16) l4_word_t x2_stack[512];

/* Where X2 goes on: an ordinary long message, whose words 4.. must be its UTCB's. */
static void x2_after(void)
{
    x2_utcb.mr[4] = MAGIC;
    l4_ipc_send(EP, L4_TAG(1, 5, 0), 1, 2, 3, 4);
    l4_exit(0);
}

/*
 * RV-1103: the handler resumes X2's foreign call, but X2 (lower priority) has not run yet to
 * finish it when its registers are written: the mark of the call must go all the same, or
 * its next long message carries its frame, not its UTCB (thread_set_regs clears it).
 */
void foreign_resumed_then_written(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    struct l4_regs r;
    l4_word_t tag = 0;

    start_foreign_caller(X2, 50, &x2_utcb, &tag);
    l4_thread_regs(X2, L4_REGS_GET, NULL, &r);
    const l4_word_t *w = (const l4_word_t *)&r;
    for (unsigned i = 4; i < L4_REGS_WORDS; i++)
        u->mr[i] = w[i];
    l4_ipc_reply(L4_TAG(L4_SYSCALL_RESUME, L4_REGS_WORDS, 0), w[0], w[1], w[2], w[3]);
    /* X2 is ready, not yet run (we are above it): its call is answered but not over */
    L4_REGS_IP(&r) = (l4_word_t)x2_after;
    L4_REGS_SP(&r) = L4_ENTRY_SP(&x2_stack[512]);
    l4_thread_regs(X2, L4_REGS_SET, &r, NULL);
    u->mr[4] = 0;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    test_report("RV-1103", err == L4_OK && L4_TAG_LEN(tag) == 5 && u->mr[4] == MAGIC,
                "%s, tag %lx, mr[4] %lx", l4_strerror(err), tag, u->mr[4]);
}
