/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the keyboard service's scancode set 1 decoder (user/kbd/decode.c). */
// uses: -Iuser/lib -Iuser/kbd user/kbd/decode.c
#include "check.h"
#include "decode.h"

#include <string.h>

/* Feed bytes; return how many events came, the last in *ev. */
static int feed(struct kbd_decoder *d, const uint8_t *bytes, int n, struct kbd_event *ev)
{
    int events = 0;
    for (int i = 0; i < n; i++)
        events += kbd_decode(d, bytes[i], ev);
    return events;
}

#define FEED(d, ev, ...)                                                                           \
    feed(d, (const uint8_t[]){__VA_ARGS__}, sizeof((const uint8_t[]){__VA_ARGS__}), ev)

static void plain_keys_are_their_scancode(void)
{
    struct kbd_decoder d = {0};
    struct kbd_event e;
    CHECK_EQ(FEED(&d, &e, 0x1e), 1); // a down
    CHECK(e.code == KEY_A && e.pressed && e.mods == 0 && e.c == 'a');
    CHECK_EQ(FEED(&d, &e, 0x9e), 1); // a up
    CHECK(e.code == KEY_A && !e.pressed && e.c == 'a');
    CHECK_EQ(FEED(&d, &e, 0x58), 1); // F12, the last plain code
    CHECK(e.code == 88 && e.c == 0);
    CHECK_EQ(FEED(&d, &e, 0x59), 0); // past it: no key number
    CHECK_EQ(FEED(&d, &e, 0x39), 1);
    CHECK(e.code == 57 && e.c == ' ');
}

static void shift_and_caps_lock(void)
{
    struct kbd_decoder d = {0};
    struct kbd_event e;
    FEED(&d, &e, 0x36, 0x02); // right shift down, 1 down
    CHECK(e.code == 2 && e.mods == KBD_MOD_SHIFT && e.c == '!');
    FEED(&d, &e, 0x2a, 0xb6); // left shift down, right up: still shifted
    CHECK(e.code == KEY_RIGHTSHIFT && !e.pressed && e.mods == KBD_MOD_SHIFT);
    FEED(&d, &e, 0xaa); // left up
    CHECK(e.code == KEY_LEFTSHIFT && e.mods == 0);
    FEED(&d, &e, 0x3a, 0x3a, 0xba); // caps lock down, a typematic repeat, up: on once
    CHECK(e.mods == KBD_MOD_CAPS);
    FEED(&d, &e, 0x1e);
    CHECK(e.c == 'A');
    FEED(&d, &e, 0x02); // caps lock leaves digits alone
    CHECK(e.c == '1');
    FEED(&d, &e, 0x2a, 0x1e); // shift undoes it for letters
    CHECK(e.c == 'a' && e.mods == (KBD_MOD_SHIFT | KBD_MOD_CAPS));
}

static void ctrl_and_alt(void)
{
    struct kbd_decoder d = {0};
    struct kbd_event e;
    FEED(&d, &e, 0x1d, 0x2e); // ctrl-c
    CHECK(e.code == KEY_C && e.mods == KBD_MOD_CTRL && e.c == 3);
    FEED(&d, &e, 0x9d, 0xe0, 0x1d, 0x2e); // left ctrl up, right ctrl down: still ctrl
    CHECK(e.mods == KBD_MOD_CTRL);
    FEED(&d, &e, 0xe0, 0x9d, 0xe0, 0x38); // right alt
    CHECK(e.code == KEY_RIGHTALT && e.mods == KBD_MOD_ALT);
    FEED(&d, &e, 0x38, 0xe0, 0xb8); // left alt down, right alt up
    CHECK(e.mods == KBD_MOD_ALT);
}

static void extended_keys(void)
{
    struct kbd_decoder d = {0};
    struct kbd_event e;
    CHECK_EQ(FEED(&d, &e, 0xe0, 0x48), 1);
    CHECK(e.code == KEY_UP && e.pressed && e.c == 0);
    CHECK_EQ(FEED(&d, &e, 0xe0, 0xc8), 1);
    CHECK(e.code == KEY_UP && !e.pressed);
    CHECK_EQ(FEED(&d, &e, 0x48), 1); // unprefixed: keypad 8
    CHECK(e.code == 72);
    CHECK_EQ(FEED(&d, &e, 0xe0, 0x2a, 0xe0, 0x53), 1); // fake shift, then delete
    CHECK(e.code == 111 && e.mods == 0);
    CHECK_EQ(FEED(&d, &e, 0xe0, 0x1c), 1); // keypad enter
    CHECK(e.code == 96 && e.c == '\n');
}

static void noise_is_no_key(void)
{
    struct kbd_decoder d = {0};
    struct kbd_event e;
    CHECK_EQ(FEED(&d, &e, 0xfa, 0xfe, 0xee, 0xff, 0x00), 0);
    CHECK_EQ(FEED(&d, &e, 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5), 0); // Pause
    CHECK_EQ(FEED(&d, &e, 0x1e), 1);                               // and then keys as before
    CHECK(e.code == KEY_A);
    CHECK_EQ(FEED(&d, &e, 0xe0, 0xfa, 0x48), 1); // a reply cancels a prefix
    CHECK(e.code == 72);
}

static void events_pack_into_one_word(void)
{
    struct kbd_event e = {KEY_UP, true, KBD_MOD_SHIFT | KBD_MOD_CAPS, 'Z'};
    struct kbd_event back = kbd_event_unpack(kbd_event_pack(&e));
    CHECK(memcmp(&e, &back, sizeof(e)) == 0);
    CHECK_EQ(kbd_event_pack(&e), 103 | 1 << 16 | 9 << 17 | (long long)'Z' << 24);
}

int main(void)
{
    RUN("kbd_decode", plain_keys_are_their_scancode);
    RUN("kbd_decode", shift_and_caps_lock);
    RUN("kbd_decode", ctrl_and_alt);
    RUN("kbd_decode", extended_keys);
    RUN("kbd_decode", noise_is_no_key);
    RUN("kbd_decode", events_pack_into_one_word);
    return CHECK_DONE();
}
