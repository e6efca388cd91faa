/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The terminal's end of the console service (<coffer/console.h>, docs/services.md "Serial
 * console"): raw mode, a reading loop on the first thread, and writes from any server thread.
 */
#include "tty.h"

#include <coffer/console.h>
#include <coffer/ipc.h>

#define READ_MAX 128 /* bytes per CONSOLE_READ */

static l4_cap_t console;

int tty_init(l4_cap_t cap)
{
    l4_err_t err;

    console = cap;
    tty_reset();
    err = console_set_mode(cap, CONSOLE_RAW); /* the first thread's UTCB: called from it */
    if (err) {
        printf("linux: tty: the console refused raw mode (%s): no input\n", l4_strerror(err));
        return -LX_ENXIO;
    }
    return 0;
}

_Noreturn void tty_input_loop(void)
{
    static char buf[READ_MAX]; /* only this thread reads */
    static struct l4_cond never = L4_COND_INIT;

    for (;;) {
        size_t got = 0;
        l4_err_t err = console_read(console, buf, sizeof(buf), 0, &got);
        l4_mutex_lock(&lx_lock);
        if (err) {
            /* not (or no longer) the input's owner, or the console stopped: no more input */
            printf("linux: tty: console input ended (%s)\n", l4_strerror(err));
            for (;;)
                l4_cond_wait(&never, &lx_lock);
        }
        tty_input(buf, got < sizeof(buf) ? got : sizeof(buf));
        lx_kick_run(); /* ^C: the foreground group's running threads come in for it */
        l4_mutex_unlock(&lx_lock);
    }
}

/* As libl4's console_write, but through the calling thread's own UTCB, and any length. */
int tty_console_write(const char *s, size_t n)
{
    struct l4_utcb *u = lx_utcb();

    while (n > 0) {
        size_t chunk = n < L4_EXT_MAX ? n : L4_EXT_MAX;
        l4_word_t rtag = 0, w0, w1, w2, w3, x;
        u->ext_send = (l4_word_t)s;
        u->ext_send_len = chunk;
        l4_err_t err = l4_ipc_call(console, L4_TAG(CONSOLE_WRITE, 0, L4_IPC_EXT), 0, 0, 0, 0, &rtag,
                                   &w0, &w1, &w2, &w3, &x);
        if (err || L4_TAG_LABEL(rtag) != L4_OK)
            return -LX_EIO;
        s += chunk;
        n -= chunk;
    }
    return 0;
}
