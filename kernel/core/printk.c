/* SPDX-License-Identifier: BSD-2-Clause */
/* kprintf and panic on top of the arch console. */
#include "printk.h"

#include "arch.h"
#include "fmt.h"

#include <stdarg.h>

static void console_putc(char c, void *ctx)
{
    (void)ctx;
    if (c == '\n')
        arch_console_putc('\r');
    arch_console_putc(c);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fmt_vformat(console_putc, NULL, fmt, ap);
    va_end(ap);
}

void kvprintf(const char *fmt, va_list ap)
{
    fmt_vformat(console_putc, NULL, fmt, ap);
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    kprintf("\nKERNEL PANIC: ");
    va_start(ap, fmt);
    fmt_vformat(console_putc, NULL, fmt, ap);
    va_end(ap);
    kprintf("\n");
    arch_halt(3);
}
