/* SPDX-License-Identifier: BSD-2-Clause */
/* Scancode set 1 (what an i8042 with translation on delivers) to key events. No hardware. */
#ifndef KBD_DECODE_H
#define KBD_DECODE_H

#include "kbd.h"

#include <stdbool.h>
#include <stdint.h>

struct kbd_decoder {
    uint8_t prefix; /* 0xe0 after an extended-key prefix, else 0 */
    uint8_t skip;   /* bytes of a Pause sequence (0xe1 ...) still to swallow */
    uint8_t held;   /* which modifier keys are down (decode.c) */
    bool caps;      /* caps lock is on */
};

/*
 * Feed one byte from the controller; true when it completes a key event (*ev filled).
 * Prefix bytes, controller replies (ack, resend, errors) and keys without a code give none.
 */
bool kbd_decode(struct kbd_decoder *d, uint8_t byte, struct kbd_event *ev);

#endif
