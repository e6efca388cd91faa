/* SPDX-License-Identifier: BSD-2-Clause */
/* Printing through a console server: the text travels as an extended IPC buffer. */
#include "fmt.h"
#include "l4.h"

#include <coffer/ipc.h>

l4_err_t console_write(l4_cap_t console, const char *text, size_t len)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t x;

    if (len > L4_EXT_MAX)
        len = L4_EXT_MAX;
    u->ext_send = (l4_word_t)text;
    u->ext_send_len = len;
    return l4_ipc_call(console, L4_TAG(1, 0, L4_IPC_EXT), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
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
