/* SPDX-License-Identifier: BSD-2-Clause */
/* The console server: owns the UART's I/O ports and prints what its clients send. */
#include "l4.h"

#include <coffer/ipc.h>

#define EP        16 /* its endpoint: clients call it with text in their extended buffer */
#define UART      17 /* I/O ports 0x3f8..0x3ff */
#define COM1      0x3f8
#define LSR       5    /* line status register */
#define LSR_THRE  0x20 /* transmit holding register empty */
#define LABEL_END 2

static char text[L4_EXT_MAX];

static void uart_putc(char c)
{
    l4_word_t lsr = 0;

    for (int i = 0; i < 100000; i++) { // bounded: a missing UART must not hang us
        if (l4_ioport_in(UART, COM1 + LSR, 1, &lsr) || (lsr & LSR_THRE))
            break;
    }
    l4_ioport_out(UART, COM1, 1, (l4_word_t)(unsigned char)c);
}

int main(const char *arg)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t tag, x, badge, served = 0;

    (void)arg;
    u->ext_recv = (l4_word_t)text;
    u->ext_recv_len = sizeof(text);
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &x, &x, &x, &x, &badge);
    while (!err && L4_TAG_LABEL(tag) != LABEL_END) {
        l4_word_t n = (tag & L4_IPC_EXT) ? u->ext_received : 0;
        for (l4_word_t i = 0; i < n; i++) {
            if (text[i] == '\n')
                uart_putc('\r');
            uart_putc(text[i]);
        }
        served++;
        err = l4_ipc_reply_recv(EP, L4_TAG(0, 1, 0), n, 0, 0, 0, &tag, &x, &x, &x, &x, &badge);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    printf("console: %lu message(s) printed, stopping\n", served);
    return 0;
}
