/* SPDX-License-Identifier: BSD-2-Clause */
/* The keyboard demo (systems/kbd.toml): print every key event until Esc, then stop the service. */
#include "kbd.h"
#include "l4.h"

#define KBD 16 /* the keyboard service, badged KBD_BADGE_STOP */

int main(const char *arg)
{
    struct kbd_event e;
    l4_word_t dropped = 0;
    l4_err_t err;

    (void)arg;
    printf("keys: type; Esc ends\n");
    while ((err = kbd_next_event(KBD, 0, &e, &dropped)) == L4_OK) {
        printf("keys: key %3u %-4s mods %s%s%s%s char %c (%u), %lu dropped\n", e.code,
               e.pressed ? "down" : "up", e.mods & KBD_MOD_SHIFT ? "S" : "-",
               e.mods & KBD_MOD_CTRL ? "C" : "-", e.mods & KBD_MOD_ALT ? "A" : "-",
               e.mods & KBD_MOD_CAPS ? "L" : "-", e.c >= ' ' && e.c < 0x7f ? e.c : '.', e.c,
               dropped);
        if (e.code == KEY_ESC && !e.pressed)
            break;
    }
    printf("keys: done (%s); stopping the service: %s\n", l4_strerror(err),
           l4_strerror(kbd_stop(KBD)));
    return 0;
}
