/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ARM PL011 UART (QEMU virt's at 0x09000000), through the device memory capability in
 * UART_SLOT, mapped here uncached (mem_map maps device memory so). The kernel prints its own
 * lines on the same UART, polled, writing the data register only: it leaves the line
 * settings and the interrupt mask to this server.
 */
#include "l4.h"
#include "uart.h"

#include <coffer/mem.h>
#include <stdint.h>

#define PL011_VA 0x30000000ul /* where its registers are mapped */
#define DR       0x00
#define FR       0x18      /* flags */
#define IMSC     0x38      /* interrupt mask set/clear: 1 enables */
#define ICR      0x44      /* interrupt clear */
#define FR_RXFE  (1u << 4) /* receive FIFO empty */
#define FR_TXFF  (1u << 5) /* transmit FIFO full */
#define INT_RX   (1u << 4) /* received data */
#define INT_RT   (1u << 6) /* receive timeout: data waits below the FIFO's level */

static volatile uint32_t *reg(unsigned off)
{
    return (volatile uint32_t *)(PL011_VA + off);
}

static bool init(void)
{
    return l4_mem_map(UART_SLOT, 0, L4_SLOT_SPACE, PL011_VA, L4_MAP_READ | L4_MAP_WRITE) == 0;
}

static void putc_pl011(char c)
{
    for (int i = 0; i < 100000 && (*reg(FR) & FR_TXFF); i++) // bounded: never hang
        ;
    *reg(DR) = (uint8_t)c;
}

static bool getc_pl011(char *c)
{
    if (*reg(FR) & FR_RXFE)
        return false;
    *c = (char)(*reg(DR) & 0xff);
    return true;
}

static void rx_irq(bool on)
{
    *reg(ICR) = INT_RX | INT_RT;
    *reg(IMSC) = on ? INT_RX | INT_RT : 0;
}

const struct uart uart_pl011 = {"PL011", init, putc_pl011, getc_pl011, rx_irq};
