/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IMMUT-xxx: immutable grants between two containers (tests/qemu/systems/immut.toml). The
 * giver hands the taker an endpoint capability twice, once by cap_grant and once in a
 * message, both immutable; the taker may send with them and destroy them, and every other
 * capability operation is refused; the giver's revoke still takes them away.
 */
#include "fmt.h"
#include "smalltest.h"

#include <coffer/ipc.h>

#define EP        16 /* giver: its endpoint (all rights) */
#define OTHER     17 /* the other container, with L4_CONT_RECEIVE */
#define INBOX     18 /* the taker's endpoint: its own (taker), send and transfer (giver) */
#define GRANTED   24 /* taker: the copy of EP that cap_grant gave */
#define SENT      25 /* taker: the copy of EP a message brought */
#define FAR       100000
#define LABEL_END 99
#define GIVEN     (L4_RIGHTS_CAP | L4_EP_SEND | L4_EP_TRANSFER)

static struct l4_utcb *const utcb = (struct l4_utcb *)L4_UTCB_MAIN;

/* A copy of EP in slot with the rights the taker is to have. */
static void copy_of_ep(l4_cap_t slot)
{
    l4_cap_replicate(EP, slot);
    l4_cap_deduce(slot, GIVEN, 0, 0);
}

/* Take a message on EP; pass if its label is want and its word 42. */
static void expect_message(const char *id, l4_word_t want)
{
    l4_word_t tag = 0, m0 = 0;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &m0, NULL, NULL, NULL, NULL);

    test_report(id, err == L4_OK && L4_TAG_LABEL(tag) == want && m0 == 42,
                "%s, label %lu, word %lu", l4_strerror(err), L4_TAG_LABEL(tag), m0);
}

int immut_giver(void)
{
    copy_of_ep(20);
    EXPECT_ERR("IMMUT-001", l4_cap_grant(20, OTHER, GRANTED | L4_GRANT_IMMUTABLE), L4_OK);
    copy_of_ep(21);
    EXPECT_ERR("IMMUT-002", l4_cap_grant(21, OTHER, FAR | L4_GRANT_IMMUTABLE), L4_ECAP);
    utcb->cap_send = 21 | L4_GRANT_IMMUTABLE;
    l4_err_t err = l4_ipc_send(INBOX, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0);
    test_report("IMMUT-003", err == L4_OK && slot_empty(21), "%s", l4_strerror(err));
    expect_message("IMMUT-004", GRANTED);
    expect_message("IMMUT-005", SENT);
    expect_message("IMMUT-006", LABEL_END);
    EXPECT_ERR("IMMUT-007", l4_cap_revoke(EP), L4_OK);
    l4_ipc_send(INBOX, L4_TAG(LABEL_END, 0, 0), 0, 0, 0, 0);
    printf("immut giver: done\n");
    return 0;
}

/* Every operation on the capability itself is refused; ids first, first + 1, ... */
static void refusals(l4_cap_t slot, unsigned first)
{
    static const char *const what[] = {"replicate", "share", "grant", "split", "deduce", "revoke"};
    l4_err_t got[] = {
        l4_cap_replicate(slot, 30),
        l4_cap_share(slot, 30),
        l4_cap_grant(slot, OTHER, 30),
        l4_cap_split(slot, 30, L4_EP_SEND),
        l4_cap_deduce(slot, L4_EP_SEND, 0, 0),
        l4_cap_revoke(slot),
    };
    char id[16];

    for (unsigned i = 0; i < sizeof(got) / sizeof(got[0]); i++) {
        fmt_snprintf(id, sizeof(id), "IMMUT-%03u", first + i);
        test_report(id, got[i] == L4_ERIGHTS && slot_empty(30), "%s of slot %lu: %s", what[i], slot,
                    l4_strerror(got[i]));
    }
}

static void shows_immutable(const char *id, l4_cap_t slot)
{
    struct cap_info i = cap_info(slot);
    l4_word_t want = (GIVEN & ~L4_RIGHTS_CAP) | L4_RIGHT_IMMUTABLE;

    test_report(id, i.type == L4_CAP_ENDPOINT && i.rights == want && i.depth == 1,
                "slot %lu: type %lu rights %lx (want %lx) depth %lu", slot, i.type, i.rights, want,
                i.depth);
}

int immut_taker(void)
{
    l4_word_t tag = 0;

    utcb->cap_recv = SENT;
    l4_err_t err = l4_ipc_recv(INBOX, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    test_report("IMMUT-010", err == L4_OK && utcb->cap_received == 1, "%s, received %lu",
                l4_strerror(err), utcb->cap_received);
    shows_immutable("IMMUT-011", GRANTED);
    shows_immutable("IMMUT-012", SENT);
    refusals(GRANTED, 13);
    refusals(SENT, 19);
    /* nor may it go on in a message, immutable or not */
    utcb->cap_send = SENT;
    EXPECT_ERR("IMMUT-025", l4_ipc_send(GRANTED, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0), L4_ERIGHTS);
    utcb->cap_send = SENT | L4_GRANT_IMMUTABLE;
    EXPECT_ERR("IMMUT-026", l4_ipc_send(GRANTED, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0), L4_ERIGHTS);
    /* but they are used as ever */
    EXPECT_ERR("IMMUT-027", l4_ipc_send(GRANTED, L4_TAG(GRANTED, 1, 0), 42, 0, 0, 0), L4_OK);
    EXPECT_ERR("IMMUT-028", l4_ipc_send(SENT, L4_TAG(SENT, 1, 0), 42, 0, 0, 0), L4_OK);
    l4_err_t d = l4_cap_destroy(SENT);
    test_report("IMMUT-029", d == L4_OK && slot_empty(SENT), "destroy: %s", l4_strerror(d));
    l4_ipc_send(GRANTED, L4_TAG(LABEL_END, 1, 0), 42, 0, 0, 0);
    /* the giver's revoke reaches what it gave */
    l4_ipc_recv(INBOX, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    test_report("IMMUT-030", slot_empty(GRANTED), "the giver's revoke left slot %u", GRANTED);
    printf("immut taker: done\n");
    return 0;
}
