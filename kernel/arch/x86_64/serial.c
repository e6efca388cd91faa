/* SPDX-License-Identifier: BSD-2-Clause */
/* 16550 UART console (COM1 by default), polled: the kernel never takes its interrupt. */
#include "arch.h"
#include "arch_cpu.h"
#include "config.h"

#ifdef CONFIG_SERIAL
#define PORT      CONFIG_SERIAL_PORT
#define UART_DATA 0
#define UART_IER  1
#define UART_FCR  2
#define UART_LCR  3
#define UART_MCR  4
#define UART_LSR  5
#define LSR_THRE  0x20 /* transmit holding register empty */

void arch_console_init(void)
{
    unsigned divisor = 115200 / CONFIG_SERIAL_BAUD;

    outb(PORT + UART_IER, 0x00); // no interrupts: we poll
    outb(PORT + UART_LCR, 0x80); // DLAB on to set the divisor
    outb(PORT + UART_DATA, divisor & 0xff);
    outb(PORT + UART_IER, divisor >> 8);
    outb(PORT + UART_LCR, 0x03); // 8 data bits, no parity, 1 stop bit
    outb(PORT + UART_FCR, 0xC7); // FIFOs on and cleared
    outb(PORT + UART_MCR, 0x03); // DTR, RTS
}

void arch_console_putc(char c)
{
    /* bounded wait: a missing UART reads 0xff and must not hang the kernel */
    for (int i = 0; i < 100000 && !(inb(PORT + UART_LSR) & LSR_THRE); i++)
        ;
    outb(PORT + UART_DATA, (uint8_t)c);
}
#else
void arch_console_init(void)
{
}

void arch_console_putc(char c)
{
    (void)c;
}
#endif
