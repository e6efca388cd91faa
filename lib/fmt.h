/* SPDX-License-Identifier: BSD-2-Clause */
/* A small printf engine shared by the kernel, user programs and host tests. */
#ifndef LIB_FMT_H
#define LIB_FMT_H

#include <stdarg.h>
#include <stddef.h>

typedef void (*fmt_putc_fn)(char c, void *ctx);

/*
 * Supports %c %s %d %i %u %x %X %p %% with optional '-' or '0' flag, a field
 * width and the l/ll/z length modifiers. Unknown conversions are printed
 * verbatim so a mistake shows up in the log instead of crashing.
 * Returns the number of characters emitted.
 */
int fmt_vformat(fmt_putc_fn putc, void *ctx, const char *f, va_list ap);

/* vsnprintf-like: always NUL terminates when size > 0; returns the full length. */
int fmt_vsnprintf(char *buf, size_t size, const char *f, va_list ap);

/* snprintf-like: always NUL terminates when size > 0; returns the full length. */
int fmt_snprintf(char *buf, size_t size, const char *f, ...) __attribute__((format(printf, 3, 4)));

#endif
