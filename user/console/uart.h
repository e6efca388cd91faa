/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The console server's UART, whichever it is: the PC's 16550 through I/O ports (x86_64) or
 * the PL011 through device memory (AArch64, QEMU virt). Its capability is in slot UART_SLOT
 * (the ports, or the registers' page), its interrupt line in the server's IRQ slot.
 */
#ifndef CONSOLE_UART_H
#define CONSOLE_UART_H

#include <stdbool.h>

#define UART_SLOT 17

struct uart {
    const char *name;
    bool (*init)(void);      /* reach the registers; false: this UART is not there */
    void (*putc)(char c);    /* one byte out (bounded wait: a missing UART never hangs) */
    bool (*getc)(char *c);   /* one byte in, if one is there */
    void (*rx_irq)(bool on); /* interrupt on received data */
};

extern const struct uart uart_16550, uart_pl011;

#endif
