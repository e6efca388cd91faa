/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel console output, panic and the two assertion tiers. */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include "config.h"

#include <stdarg.h>
#include <stdbool.h>

void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char *fmt, va_list ap);
_Noreturn void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Cheap, security-relevant invariants: always checked. */
#define ASSERT(x)                                                                                  \
    do {                                                                                           \
        if (!(x))                                                                                  \
            panic("assertion '%s' failed at %s:%d", #x, __FILE__, __LINE__);                       \
    } while (0)

/* Expensive or purely internal checks: debug builds only. */
#if DEBUG_BUILD
#define DEBUG_ASSERT(x) ASSERT(x)
#else
#define DEBUG_ASSERT(x) ((void)sizeof(x))
#endif

/*
 * Why a system call was rejected; printed in debug builds only (like seL4's
 * userError), so a developer sees the reason next to the error code, after
 * "[reject]" and the container, thread and pc that made the call
 * (kernel/core/reject.c). "quiet" on the kernel command line silences it: a
 * fuzzer's millions of rejected calls would otherwise make the serial console
 * the bottleneck.
 */
extern bool kernel_quiet; /* "quiet" on the kernel command line: user_error prints nothing */
/* Out of line and cold: the paths that may reject keep their shape when they do not. */
void user_reject(const char *fmt, ...) __attribute__((cold, noinline, format(printf, 1, 2)));

#if DEBUG_BUILD
#define user_error(...) user_reject(__VA_ARGS__)
#else /* compiled out, but the arguments still count as used */
#define user_error(...)                                                                            \
    do {                                                                                           \
        if (0)                                                                                     \
            kprintf("[reject] " __VA_ARGS__);                                                      \
    } while (0)
#endif

#endif
