/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A console server's client (protocol: <coffer/console.h>): text travels as an extended IPC
 * buffer both ways; a reply's label is L4_OK or the error the server refused with.
 */
#include "fmt.h"
#include "l4.h"

#include <coffer/console.h>
#include <coffer/ipc.h>

/* One request of n words; the server's error, or the call's own. */
static l4_err_t request(l4_cap_t console, l4_word_t tag, l4_word_t m0, l4_word_t m1,
                        l4_word_t out[4])
{
    l4_word_t rtag = 0, x;

    out[0] = out[1] = out[2] = out[3] = 0;
    l4_err_t err =
        l4_ipc_call(console, tag, m0, m1, 0, 0, &rtag, &out[0], &out[1], &out[2], &out[3], &x);
    return err ? err : (l4_err_t)L4_TAG_LABEL(rtag);
}

l4_err_t console_write(l4_cap_t console, const char *text, size_t len)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t out[4];

    if (len > L4_EXT_MAX)
        len = L4_EXT_MAX;
    u->ext_send = (l4_word_t)text;
    u->ext_send_len = len;
    return request(console, L4_TAG(CONSOLE_WRITE, 0, L4_IPC_EXT), 0, 0, out);
}

int console_printf(l4_cap_t console, const char *fmt, ...)
{
    char buf[256];
    va_list ap;

    va_start(ap, fmt);
    int n = fmt_vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    console_write(console, buf, n < (int)sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
    return n;
}

l4_err_t console_read(l4_cap_t console, char *buf, size_t max, l4_word_t flags, size_t *got)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t out[4] = {0};

    u->ext_recv = (l4_word_t)buf;
    u->ext_recv_len = max;
    u->ext_received = 0;
    l4_err_t err = request(console, L4_TAG(CONSOLE_READ, 2, 0), max, flags, out);
    /* the count the server sent, but never more than arrived in buf */
    *got = err ? 0 : (out[0] < u->ext_received ? out[0] : u->ext_received);
    return err;
}

l4_err_t console_getline(l4_cap_t console, char *buf, size_t max, size_t *got)
{
    *got = 0;
    if (max < 2)
        return L4_EINVAL;
    l4_err_t err = console_read(console, buf, max - 1, 0, got);
    buf[*got] = 0;
    return err;
}

l4_err_t console_set_mode(l4_cap_t console, int mode)
{
    l4_word_t out[4];

    return request(console, L4_TAG(CONSOLE_MODE, 1, 0), (l4_word_t)mode, 0, out);
}

l4_err_t console_give(l4_cap_t console, l4_word_t badge)
{
    l4_word_t out[4];

    return request(console, L4_TAG(CONSOLE_GIVE, 1, 0), badge, 0, out);
}

l4_err_t console_status(l4_cap_t console, struct console_status *st)
{
    l4_word_t out[4];
    l4_err_t err = request(console, L4_TAG(CONSOLE_STATUS, 0, 0), 0, 0, out);

    *st = (struct console_status){out[0], out[1], out[2], out[3]};
    return err;
}
