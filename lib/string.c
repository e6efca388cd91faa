/* SPDX-License-Identifier: BSD-2-Clause */
/* Freestanding memory and string helpers; gcc also emits calls to the mem* ones. */
#include "string.h"

#include <stdint.h>

/* used: with LTO, calls the compiler emits itself come after the link has dropped what
 * nobody named (so the kernel links on AArch64) */
__attribute__((used)) void *memcpy(void *dst, const void *src, size_t n)
{
    typedef uint64_t __attribute__((may_alias)) word_t;
    unsigned char *d = dst;
    const unsigned char *s = src;

    /* a word at a time when both sides can be aligned alike: pagers and servers copy whole
     * pages (the Linux personality's copy-on-write and file reads), a byte loop costs 4x */
    if ((((uintptr_t)d ^ (uintptr_t)s) & 7) == 0) {
        for (; n && ((uintptr_t)d & 7); n--)
            *d++ = *s++;
        for (; n >= 8; n -= 8, d += 8, s += 8)
            *(word_t *)d = *(const word_t *)s;
    }
    while (n--)
        *d++ = *s++;
    return dst;
}

__attribute__((used)) void *memmove(void *dst, const void *src, size_t n)
{
    unsigned char *d = dst;
    const unsigned char *s = src;

    if (d == s || n == 0)
        return dst;
    if ((uintptr_t)d < (uintptr_t)s)
        return memcpy(dst, src, n);
    while (n--)
        d[n] = s[n];
    return dst;
}

__attribute__((used)) void *memset(void *dst, int c, size_t n)
{
    typedef uint64_t __attribute__((may_alias)) word_t;
    unsigned char *d = dst;
    uint64_t w = (unsigned char)c * 0x0101010101010101ull;

    /* eight words an iteration in the middle: the kernel zeroes containers' regions and
     * pools at boot and every page it maps for them, and a loop's own compare and branch
     * cost as much as a store (make bench's boot row counts them) */
    for (; n && ((uintptr_t)d & 7); n--)
        *d++ = (unsigned char)c;
    for (; n >= 64; n -= 64, d += 64) {
        word_t *p = (word_t *)d;
        p[0] = w;
        p[1] = w;
        p[2] = w;
        p[3] = w;
        p[4] = w;
        p[5] = w;
        p[6] = w;
        p[7] = w;
    }
    for (; n >= 8; n -= 8, d += 8)
        *(word_t *)d = w;
    while (n--)
        *d++ = (unsigned char)c;
    return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const unsigned char *x = a, *y = b;

    for (; n; n--, x++, y++) {
        if (*x != *y)
            return *x - *y;
    }
    return 0;
}

size_t strlen(const char *s)
{
    size_t n = 0;

    while (s[n])
        n++;
    return n;
}

int strncmp(const char *a, const char *b, size_t n)
{
    for (; n; n--, a++, b++) {
        if (*a != *b || !*a)
            return (unsigned char)*a - (unsigned char)*b;
    }
    return 0;
}

int strcmp(const char *a, const char *b)
{
    return strncmp(a, b, SIZE_MAX);
}
