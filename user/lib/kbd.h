/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The keyboard service's protocol (user/kbd; docs/services.md "Keyboard") and its client
 * wrappers (user/lib/kbd.c). Shared by the server and its clients so the two cannot disagree.
 */
#ifndef USER_KBD_H
#define USER_KBD_H

#include <coffer/types.h>
#include <stdbool.h>
#include <stdint.h>

/* Request labels. Each request is a call of exactly one word (m0). */
#define KBD_OP_GET  1 /* m0: 0 (wait for an event) or KBD_NONBLOCK */
#define KBD_OP_STOP 2 /* m0: 0; only through a capability badged KBD_BADGE_STOP */

#define KBD_NONBLOCK 1u

/* The badge a system file gives the one client that may stop the service (tests, demos). */
#define KBD_BADGE_STOP 0x57

/*
 * A key event, packed in one word for the reply: bits 0..15 the key (Linux KEY_* numbers:
 * KEY_A = 30, KEY_UP = 103, ...), bit 16 pressed (clear: released), bits 17..20 the
 * modifiers after the event, bits 24..31 the character (0 if none).
 */
#define KBD_MOD_SHIFT 1u
#define KBD_MOD_CTRL  2u
#define KBD_MOD_ALT   4u
#define KBD_MOD_CAPS  8u /* caps lock is on */

struct kbd_event {
    uint16_t code;   /* Linux KEY_* */
    bool pressed;    /* false: released */
    uint8_t mods;    /* KBD_MOD_*, as they stand after this event */
    unsigned char c; /* the character the key gives with these modifiers, or 0 */
};

/* A few Linux KEY_* numbers the tests and demos name (linux/input-event-codes.h). */
enum {
    KEY_ESC = 1,
    KEY_ENTER = 28,
    KEY_LEFTCTRL = 29,
    KEY_A = 30,
    KEY_C = 46,
    KEY_LEFTSHIFT = 42,
    KEY_RIGHTSHIFT = 54,
    KEY_LEFTALT = 56,
    KEY_CAPSLOCK = 58,
    KEY_RIGHTCTRL = 97,
    KEY_RIGHTALT = 100,
    KEY_UP = 103,
    KEY_LEFT = 105,
    KEY_RIGHT = 106,
    KEY_DOWN = 108,
};

static inline l4_word_t kbd_event_pack(const struct kbd_event *e)
{
    return (l4_word_t)e->code | (l4_word_t)e->pressed << 16 | (l4_word_t)(e->mods & 0xf) << 17 |
           (l4_word_t)e->c << 24;
}

static inline struct kbd_event kbd_event_unpack(l4_word_t w)
{
    return (struct kbd_event){(uint16_t)w, (w >> 16) & 1, (w >> 17) & 0xf,
                              (unsigned char)(w >> 24)};
}

/*
 * The next key event from the service at endpoint kbd: waits for one unless flags is
 * KBD_NONBLOCK (then L4_ETIMEOUT if none is queued). *dropped (may be NULL) gets how many
 * events the full queue has dropped since the service started. Errors: the IPC's, or the
 * service's refusal (L4_EINVAL for a malformed request).
 */
l4_err_t kbd_next_event(l4_cap_t kbd, unsigned flags, struct kbd_event *ev, l4_word_t *dropped);
/* Ask the service to stop (it refuses, L4_ERIGHTS, unless the badge is KBD_BADGE_STOP). */
l4_err_t kbd_stop(l4_cap_t kbd);

#endif
