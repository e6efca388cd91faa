/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's console: the PL011 UART, polled (the kernel never takes its interrupt; the
 * user-level console server does). Its address comes from the device tree (cpu.c); until
 * then, and if there is none, QEMU virt's.
 */
#include "arch.h"
#include "arch_cpu.h"
#include "config.h"
#include "pl011.h"

#define VIRT_PL011 0x09000000
#define UART_DR    0x00
#define UART_FR    0x18
#define FR_TXFF    (1u << 5) /* transmit FIFO full */

static uintptr_t uart = (uintptr_t)DIRECT_MAP_BASE + VIRT_PL011;

void pl011_set_base(paddr_t pa)
{
    uart = (uintptr_t)phys_to_virt(pa);
}

void arch_console_init(void)
{
}

void arch_console_putc(char c)
{
#ifdef CONFIG_SERIAL
    /* bounded wait: a UART that never drains must not hang the kernel */
    for (int i = 0; i < 100000 && (mmio_read32(uart + UART_FR) & FR_TXFF); i++)
        ;
    mmio_write32(uart + UART_DR, (uint8_t)c);
#else
    (void)c;
#endif
}
