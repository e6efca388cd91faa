/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * KBD-xxx: the keyboard service (user/kbd) seen by its client, with keys the test runner
 * types through QEMU's monitor once "kbdtest: ready" appears (tests/qemu/tests.toml KBD).
 */
#include "kbd.h"

#include "l4.h"
#include "test.h"

#include <coffer/ipc.h>

#define KBD      16 /* the service, badged KBD_BADGE_STOP */
#define KBD_WEAK 17 /* the service, another badge: may not stop it */

#define KEY_B 48
#define KEY_X 45

#define BURST      20            /* keys typed at once: 40 events... */
#define QUEUE_LEN  32            /* ...into a queue of 32 (user/kbd/kbd.c) */
#define BURST_WAIT 8000000000ull /* ns: the runner types a key each ~0.1 s */

struct want {
    uint16_t code;
    bool pressed;
    uint8_t mods;
    unsigned char c;
};

/* Read n events (waiting for each) and compare them with want, in order. */
static void expect_events(const char *id, const struct want *want, int n)
{
    for (int i = 0; i < n; i++) {
        struct kbd_event e = {0};
        l4_err_t err = kbd_next_event(KBD, 0, &e, NULL);
        const struct want *w = &want[i];
        if (err || e.code != w->code || e.pressed != w->pressed || e.mods != w->mods ||
            e.c != w->c) {
            test_report(id, false,
                        "event %d: %s, key %u %s mods %x char %u; expected key %u %s mods %x "
                        "char %u",
                        i, l4_strerror(err), e.code, e.pressed ? "down" : "up", e.mods, e.c,
                        w->code, w->pressed ? "down" : "up", w->mods, w->c);
            return;
        }
    }
    test_report(id, true, "%d events", n);
}

/* A raw request: the service's answer (the reply's label), or the IPC's own error. */
static l4_err_t raw(l4_cap_t ep, l4_word_t tag, l4_word_t m0)
{
    l4_word_t rtag, x;
    l4_err_t err = l4_ipc_call(ep, tag, m0, 0, 0, 0, &rtag, &x, &x, &x, &x, &x);
    return err ? err : (l4_err_t)L4_TAG_LABEL(rtag);
}

static void malformed(void)
{
    struct kbd_event e;
    EXPECT_ERR("KBD-001", kbd_next_event(KBD, KBD_NONBLOCK, &e, NULL), L4_ETIMEOUT);
    EXPECT_ERR("KBD-010", raw(KBD, L4_TAG(99, 1, 0), 0), L4_EINVAL);          // no such request
    EXPECT_ERR("KBD-011", raw(KBD, L4_TAG(KBD_OP_GET, 1, 0), 2), L4_EINVAL);  // unknown flag
    EXPECT_ERR("KBD-012", raw(KBD, L4_TAG(KBD_OP_GET, 0, 0), 0), L4_EINVAL);  // no word
    EXPECT_ERR("KBD-013", raw(KBD, L4_TAG(KBD_OP_GET, 2, 0), 0), L4_EINVAL);  // two words
    EXPECT_ERR("KBD-014", raw(KBD, L4_TAG(KBD_OP_STOP, 1, 0), 1), L4_EINVAL); // stop takes 0
    EXPECT_ERR("KBD-015", kbd_stop(KBD_WEAK), L4_ERIGHTS); // only the stop badge may stop it
    /* an extended buffer the service never asked for */
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    static char junk[64];
    u->ext_send = (l4_word_t)junk;
    u->ext_send_len = sizeof(junk);
    EXPECT_ERR("KBD-016", raw(KBD, L4_TAG(KBD_OP_GET, 1, L4_IPC_EXT), KBD_NONBLOCK), L4_EINVAL);
    EXPECT_ERR("KBD-017", kbd_next_event(KBD, KBD_NONBLOCK, &e, NULL), L4_ETIMEOUT); // still up
}

#define S KBD_MOD_SHIFT
#define C KBD_MOD_CTRL
#define L KBD_MOD_CAPS

/* sendkey a */
static const struct want letter[] = {{KEY_A, 1, 0, 'a'}, {KEY_A, 0, 0, 'a'}};
/* sendkey shift-a: QEMU presses in order and releases in reverse */
static const struct want shift[] = {
    {KEY_LEFTSHIFT, 1, S, 0}, {KEY_A, 1, S, 'A'}, {KEY_A, 0, S, 'A'}, {KEY_LEFTSHIFT, 0, 0, 0}};
/* sendkey ctrl-c: the character a terminal gives, 3 */
static const struct want ctrl[] = {
    {KEY_LEFTCTRL, 1, C, 0}, {KEY_C, 1, C, 3}, {KEY_C, 0, C, 3}, {KEY_LEFTCTRL, 0, 0, 0}};
/* sendkey up: 0xe0 0x48, 0xe0 0xc8 */
static const struct want arrow[] = {{KEY_UP, 1, 0, 0}, {KEY_UP, 0, 0, 0}};
/* sendkey caps_lock, b, caps_lock, b: the first press turns it on, the second off */
static const struct want caps[] = {
    {KEY_CAPSLOCK, 1, L, 0}, {KEY_CAPSLOCK, 0, L, 0}, {KEY_B, 1, L, 'B'}, {KEY_B, 0, L, 'B'},
    {KEY_CAPSLOCK, 1, 0, 0}, {KEY_CAPSLOCK, 0, 0, 0}, {KEY_B, 1, 0, 'b'}, {KEY_B, 0, 0, 'b'}};
/* sendkey shift-b with caps lock on: shift undoes caps lock for letters (KBD-009 turns it on
 * again first) */
static const struct want shiftcaps[] = {{KEY_CAPSLOCK, 1, L, 0},      {KEY_CAPSLOCK, 0, L, 0},
                                        {KEY_LEFTSHIFT, 1, S | L, 0}, {KEY_B, 1, S | L, 'b'},
                                        {KEY_B, 0, S | L, 'b'},       {KEY_LEFTSHIFT, 0, L, 0},
                                        {KEY_CAPSLOCK, 1, 0, 0},      {KEY_CAPSLOCK, 0, 0, 0}};

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* BURST keys typed while nobody reads: the queue keeps the first QUEUE_LEN, counts the rest. */
static void burst(void)
{
    l4_word_t t, start, now, dropped = 0;
    struct kbd_event e;
    int n = 0, bad = 0;

    l4_time(&t, &t, &t, &start, &t);
    do { // nothing tells us the runner is done typing: give it the time it needs
        l4_thread_yield();
        l4_time(&t, &t, &t, &now, &t);
    } while (now - start < BURST_WAIT);
    while (kbd_next_event(KBD, KBD_NONBLOCK, &e, &dropped) == L4_OK) {
        bad += e.code != KEY_X || e.pressed != !(n % 2) || e.c != 'x';
        n++;
    }
    test_report("KBD-008", n == QUEUE_LEN && !bad && dropped == 2 * BURST - QUEUE_LEN,
                "%d events (%d wrong), %lu dropped; expected %d and %d", n, bad, dropped, QUEUE_LEN,
                2 * BURST - QUEUE_LEN);
}

int main(const char *arg)
{
    (void)arg;
    malformed();
    printf("kbdtest: ready\n");
    expect_events("KBD-002", letter, N(letter));
    expect_events("KBD-003", shift, N(shift));
    expect_events("KBD-004", ctrl, N(ctrl));
    expect_events("KBD-005", arrow, N(arrow));
    expect_events("KBD-006", caps, N(caps));
    expect_events("KBD-007", shiftcaps, N(shiftcaps));
    burst();
    EXPECT_ERR("KBD-009", kbd_stop(KBD), L4_OK);
    return 0;
}
