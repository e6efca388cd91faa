/* SPDX-License-Identifier: BSD-2-Clause */
/* The PC's 16550 UART at COM1, through the I/O ports in UART_SLOT (0x3f8..0x3ff). */
#include "l4.h"
#include "uart.h"

#define COM1     0x3f8
#define RBR      0    /* receive buffer */
#define IER      1    /* interrupt enable: bit 0, data received */
#define FCR      2    /* FIFO control */
#define LSR      5    /* line status register */
#define LSR_DR   0x01 /* data ready */
#define LSR_THRE 0x20 /* transmit holding register empty */

static bool init(void)
{
    l4_word_t lsr;

    if (l4_ioport_in(UART_SLOT, COM1 + LSR, 1, &lsr))
        return false;
    l4_ioport_out(UART_SLOT, COM1 + FCR, 1, 0x01); // FIFO on, interrupt at the first byte
    return true;
}

static void putc_16550(char c)
{
    l4_word_t lsr = 0;

    for (int i = 0; i < 100000; i++) { // bounded: a missing UART must not hang us
        if (l4_ioport_in(UART_SLOT, COM1 + LSR, 1, &lsr) || (lsr & LSR_THRE))
            break;
    }
    l4_ioport_out(UART_SLOT, COM1, 1, (l4_word_t)(unsigned char)c);
}

static bool getc_16550(char *c)
{
    l4_word_t lsr = 0, v = 0;

    /* 0xff: no UART there (an unassigned port reads all ones) */
    if (l4_ioport_in(UART_SLOT, COM1 + LSR, 1, &lsr) || !(lsr & LSR_DR) || lsr == 0xff)
        return false;
    l4_ioport_in(UART_SLOT, COM1 + RBR, 1, &v);
    *c = (char)v;
    return true;
}

static void rx_irq(bool on)
{
    l4_ioport_out(UART_SLOT, COM1 + IER, 1, on ? 0x01 : 0);
}

const struct uart uart_16550 = {"16550", init, putc_16550, getc_16550, rx_irq};
