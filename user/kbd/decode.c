/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Scancode set 1 to key events. Linux's KEY_* numbers were made from set 1: for the plain
 * (unprefixed) codes 0x01..0x58 the key number is the scancode itself, so only the 0xe0 keys
 * need a table. Characters follow the US layout.
 */
#include "decode.h"

#define RELEASE_BIT 0x80
#define LAST_PLAIN  0x58 /* F12 */

/* modifier keys held, left and right apart: releasing one shift leaves the other's */
enum {
    HELD_LSHIFT = 1,
    HELD_RSHIFT = 2,
    HELD_LCTRL = 4,
    HELD_RCTRL = 8,
    HELD_LALT = 16,
    HELD_RALT = 32,
    HELD_CAPS = 64, /* caps lock is down: a typematic repeat must not toggle it again */
};

/* 0xe0-prefixed set-1 codes and their Linux numbers */
static const struct {
    uint8_t scancode;
    uint16_t key;
} extended[] = {
    {0x1c, 96},  /* KEY_KPENTER */
    {0x1d, 97},  /* KEY_RIGHTCTRL */
    {0x35, 98},  /* KEY_KPSLASH */
    {0x38, 100}, /* KEY_RIGHTALT */
    {0x47, 102}, /* KEY_HOME */
    {0x48, 103}, /* KEY_UP */
    {0x49, 104}, /* KEY_PAGEUP */
    {0x4b, 105}, /* KEY_LEFT */
    {0x4d, 106}, /* KEY_RIGHT */
    {0x4f, 107}, /* KEY_END */
    {0x50, 108}, /* KEY_DOWN */
    {0x51, 109}, /* KEY_PAGEDOWN */
    {0x52, 110}, /* KEY_INSERT */
    {0x53, 111}, /* KEY_DELETE */
    {0x5b, 125}, /* KEY_LEFTMETA */
    {0x5c, 126}, /* KEY_RIGHTMETA */
    {0x5d, 127}, /* KEY_COMPOSE */
};

/* US layout, by key number 0..0x39 (KEY_SPACE); 0: no character */
static const char plain[] = "\0\033"
                            "1234567890-=\b\t"
                            "qwertyuiop[]\n\0"
                            "asdfghjkl;'`\0\\"
                            "zxcvbnm,./\0*\0 ";
static const char shifted[] = "\0\033"
                              "!@#$%^&*()_+\b\t"
                              "QWERTYUIOP{}\n\0"
                              "ASDFGHJKL:\"~\0|"
                              "ZXCVBNM<>?\0*\0 ";
_Static_assert(sizeof(plain) == 0x3a + 1 && sizeof(shifted) == sizeof(plain),
               "one character per key number up to KEY_SPACE");

static uint16_t key_of(uint8_t prefix, uint8_t code)
{
    if (!prefix)
        return code <= LAST_PLAIN ? code : 0;
    for (unsigned i = 0; i < sizeof(extended) / sizeof(extended[0]); i++)
        if (extended[i].scancode == code)
            return extended[i].key;
    return 0; // 0xe0 0x2a/0x36 (the fake shifts around some keys) and unknown keys
}

static uint8_t held_bit(uint16_t key)
{
    switch (key) {
    case KEY_LEFTSHIFT:
        return HELD_LSHIFT;
    case KEY_RIGHTSHIFT:
        return HELD_RSHIFT;
    case KEY_LEFTCTRL:
        return HELD_LCTRL;
    case KEY_RIGHTCTRL:
        return HELD_RCTRL;
    case KEY_LEFTALT:
        return HELD_LALT;
    case KEY_RIGHTALT:
        return HELD_RALT;
    case KEY_CAPSLOCK:
        return HELD_CAPS;
    default:
        return 0;
    }
}

static uint8_t mods_of(const struct kbd_decoder *d)
{
    return (d->held & (HELD_LSHIFT | HELD_RSHIFT) ? KBD_MOD_SHIFT : 0) |
           (d->held & (HELD_LCTRL | HELD_RCTRL) ? KBD_MOD_CTRL : 0) |
           (d->held & (HELD_LALT | HELD_RALT) ? KBD_MOD_ALT : 0) | (d->caps ? KBD_MOD_CAPS : 0);
}

static unsigned char char_of(uint16_t key, uint8_t prefix, uint8_t mods)
{
    if (prefix)
        return key == 96 ? '\n' : key == 98 ? '/' : 0; // keypad enter and slash
    if (key >= sizeof(plain) - 1)
        return 0;
    unsigned char c = (unsigned char)plain[key];
    bool letter = c >= 'a' && c <= 'z';
    bool shift = (mods & KBD_MOD_SHIFT) != 0;
    if (letter && (mods & KBD_MOD_CAPS))
        shift = !shift; // caps lock shifts letters only
    if (shift)
        c = (unsigned char)shifted[key];
    if (letter && (mods & KBD_MOD_CTRL))
        c &= 0x1f; // ctrl-a .. ctrl-z: 1 .. 26, as a terminal gives them
    return c;
}

/*
 * Bytes that are no key: 0x00 (detection error or overrun) and the keyboard's replies 0xee
 * (echo), 0xfa (ack), 0xfc/0xfd (self-test failed), 0xfe (resend), 0xff (error). Its
 * "self-test passed" 0xaa is also the release of left shift in set 1: it is taken as that,
 * which is harmless (releasing a key not held).
 */
static bool no_key(uint8_t byte)
{
    return byte == 0x00 || byte >= 0xee;
}

bool kbd_decode(struct kbd_decoder *d, uint8_t byte, struct kbd_event *ev)
{
    if (d->skip) { // Pause: e1 1d 45 e1 9d c5, a press with no release and no key number
        d->skip--;
        return false;
    }
    if (byte == 0xe0 || byte == 0xe1 || no_key(byte)) {
        d->prefix = byte == 0xe0 ? byte : 0;
        d->skip = byte == 0xe1 ? 5 : 0;
        return false;
    }
    uint8_t prefix = d->prefix;
    d->prefix = 0;
    bool pressed = !(byte & RELEASE_BIT);
    uint16_t key = key_of(prefix, byte & ~RELEASE_BIT);
    if (!key)
        return false;
    uint8_t bit = held_bit(key);
    if (key == KEY_CAPSLOCK && pressed && !(d->held & HELD_CAPS))
        d->caps = !d->caps;
    if (pressed)
        d->held |= bit;
    else
        d->held &= (uint8_t)~bit;
    ev->code = key;
    ev->pressed = pressed;
    ev->mods = mods_of(d);
    ev->c = char_of(key, prefix, ev->mods);
    return true;
}
