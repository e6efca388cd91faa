/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRQLEND-xxx: a line lent and taken back (tests/qemu/systems/irqlend.toml). The lender holds
 * line 4 with control, copy and grant, and lends a copy to the borrower, which binds it to a
 * notification of its own. The binding is the borrower's authority: it must go when the
 * borrower loses its last capability to the line with L4_IRQ_CONTROL (the lender's revoke,
 * its own deduce or destroy), as irq_release would end it; otherwise a driver whose line was taken
 * back would go on hearing it (and, on AArch64, reaching the timer that line lends). Whether
 * the line is bound shows without a device: irq_ack gives ESTATE when nothing is bound.
 */
#include "smalltest.h"

#include <coffer/ipc.h>

/* the lender's slots */
#define L_EP    16 /* its endpoint: the borrower's answers */
#define L_OTHER 17 /* the borrower's container: receive */
#define L_INBOX 18 /* the borrower's endpoint: send */
#define L_IRQ   19 /* line 4: control, copy, grant */
#define L_COPY  22
#define L_NTF   24
/* the borrower's slots */
#define B_INBOX 18 /* its endpoint */
#define B_LINE  24 /* where the lender's copy arrives */
#define B_NTF   25
#define B_EP    16 /* the lender's endpoint: send */

enum { DO_BIND = 1, DO_NARROW, DO_CHECK, DO_DESTROY, DO_END };

/* Lend a copy of the line with rights to the borrower's B_LINE. */
static l4_err_t lend(l4_word_t rights)
{
    weaker_copy(L_IRQ, L_COPY, rights);
    return l4_cap_grant(L_COPY, L_OTHER, B_LINE);
}

/* Ask the borrower to do what; its answer's word. */
static l4_word_t ask(l4_word_t what)
{
    l4_word_t tag = 0, answer = ~0ul;

    l4_ipc_send(L_INBOX, L4_TAG(what, 0, 0), 0, 0, 0, 0);
    l4_ipc_recv(L_EP, 0, &tag, &answer, NULL, NULL, NULL, NULL);
    return answer;
}

int irqlend_lender(void)
{
    const l4_word_t all = L4_RIGHTS_CAP | L4_IRQ_CONTROL;
    l4_word_t id;

    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), L_NTF, &id);
    /* 1: taken back by the lender's revoke */
    EXPECT_ERR("IRQLEND-001", lend(all), L4_OK);
    EXPECT_ERR("IRQLEND-002", (l4_err_t)ask(DO_BIND), L4_OK);
    EXPECT_ERR("IRQLEND-003", l4_irq_ack(L_IRQ), L4_OK); // bound: the line is the borrower's
    EXPECT_ERR("IRQLEND-004", l4_cap_revoke(L_IRQ), L4_OK);
    EXPECT_ERR("IRQLEND-005", l4_irq_ack(L_IRQ), L4_ESTATE); // its binding went with the copy
    EXPECT_ERR("IRQLEND-006", (l4_err_t)ask(DO_CHECK), L4_ECAP);
    /* 2: given up by the borrower's own deduce, which keeps the capability without control */
    lend(all);
    ask(DO_BIND);
    EXPECT_ERR("IRQLEND-007", (l4_err_t)ask(DO_NARROW), L4_OK);
    EXPECT_ERR("IRQLEND-008", l4_irq_ack(L_IRQ), L4_ESTATE);
    EXPECT_ERR("IRQLEND-009", (l4_err_t)ask(DO_CHECK), L4_ERIGHTS);
    /* 3: given up by the borrower's destroy of its copy */
    l4_cap_revoke(L_IRQ);
    lend(all);
    ask(DO_BIND);
    EXPECT_ERR("IRQLEND-012", (l4_err_t)ask(DO_DESTROY), L4_OK);
    EXPECT_ERR("IRQLEND-013", l4_irq_ack(L_IRQ), L4_ESTATE);
    /* 4: a binding of the lender's own stays when a copy it lent goes */
    l4_cap_revoke(L_IRQ);
    lend(all);
    EXPECT_ERR("IRQLEND-010", l4_irq_bind(L_IRQ, L_NTF), L4_OK);
    l4_cap_revoke(L_IRQ);
    EXPECT_ERR("IRQLEND-011", l4_irq_ack(L_IRQ), L4_OK);
    ask(DO_END);
    printf("irqlend: done\n");
    return 0;
}

int irqlend_borrower(void)
{
    l4_word_t tag = 0, id, answer;

    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), B_NTF, &id);
    for (;;) {
        if (l4_ipc_recv(B_INBOX, 0, &tag, NULL, NULL, NULL, NULL, NULL) != L4_OK)
            return 1;
        switch (L4_TAG_LABEL(tag)) {
        case DO_BIND:
            answer = (l4_word_t)l4_irq_bind(B_LINE, B_NTF);
            break;
        case DO_NARROW: { // keep the capability (the same line), without L4_IRQ_CONTROL
            struct cap_info i = cap_info(B_LINE);
            answer = (l4_word_t)l4_cap_deduce(B_LINE, L4_RIGHTS_CAP, i.a, i.b);
            break;
        }
        case DO_DESTROY:
            answer = (l4_word_t)l4_cap_destroy(B_LINE);
            break;
        case DO_CHECK: // what our capability (if any) may do now
            answer = (l4_word_t)l4_irq_ack(B_LINE);
            break;
        default:
            l4_ipc_send(B_EP, L4_TAG(0, 1, 0), 0, 0, 0, 0);
            return 0;
        }
        l4_ipc_send(B_EP, L4_TAG(0, 1, 0), answer, 0, 0, 0);
    }
}
