/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of lib/string.c's memory helpers: every alignment and length around their
 * word-at-a-time middles, and nothing written outside the range. */
// uses: -fno-tree-loop-distribute-patterns
#include "check.h"

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

/* lib/string.c under names of its own, so that the host's C library keeps its own (and the
 * flag above keeps gcc from turning its loops back into calls to the host's memset) */
#define memcpy  lib_memcpy
#define memmove lib_memmove
#define memset  lib_memset
#define memcmp  lib_memcmp
#define strlen  lib_strlen
#define strcmp  lib_strcmp
#define strncmp lib_strncmp
#include "string.c"
#undef memcpy
#undef memmove
#undef memset
#undef memcmp
#undef strlen
#undef strcmp
#undef strncmp

#define SPAN   200 /* lengths 0..SPAN-1: the 64-byte block loop, the word loop and the tail */
#define OFFSET 16  /* start offsets 0..OFFSET-1: every alignment of a word, twice */
#define GUARD  16
#define BUF    (GUARD + OFFSET + SPAN + GUARD)

static unsigned char buf[BUF] __attribute__((aligned(64)));

/* A pattern no fill value matches at every byte. */
static unsigned char pattern(size_t i)
{
    return (unsigned char)(i * 7 + 3);
}

static void fill_pattern(void)
{
    for (size_t i = 0; i < BUF; i++)
        buf[i] = pattern(i);
}

/* buf[from, from+n) holds v and every other byte its pattern. */
static int filled_only(size_t from, size_t n, unsigned char v)
{
    for (size_t i = 0; i < BUF; i++) {
        bool inside = i >= from && i < from + n;
        if (buf[i] != (inside ? v : pattern(i)))
            return 0;
    }
    return 1;
}

static void memset_every_alignment_and_length(void)
{
    static const int values[] = {0, 0x5a, 0xff, -1, 0x1a7}; // only the low byte counts
    int bad = 0;

    for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
        for (size_t off = 0; off < OFFSET; off++) {
            for (size_t n = 0; n < SPAN; n++) {
                fill_pattern();
                void *r = lib_memset(buf + GUARD + off, values[v], n);
                bad += r != buf + GUARD + off;
                bad += !filled_only(GUARD + off, n, (unsigned char)values[v]);
            }
        }
    }
    CHECK_EQ(bad, 0);
}

static void memset_large(void)
{
    static unsigned char page[3 * 4096 + 64];

    memset(page, 0xaa, sizeof(page));
    lib_memset(page + 5, 0, 3 * 4096 + 3);
    CHECK_EQ(page[4], 0xaa);
    CHECK_EQ(page[5 + 3 * 4096 + 3], 0xaa);
    unsigned char zero[3 * 4096 + 3] = {0};
    CHECK_EQ(memcmp(page + 5, zero, sizeof(zero)), 0);
}

static void memcpy_every_alignment_and_length(void)
{
    static unsigned char src[OFFSET + SPAN];
    int bad = 0;

    for (size_t i = 0; i < sizeof(src); i++)
        src[i] = (unsigned char)(0xc0 ^ i);
    for (size_t so = 0; so < 9; so++) { // source offsets against destination offsets:
        for (size_t off = 0; off < 9; off++) {
            for (size_t n = 0; n < SPAN; n++) {
                fill_pattern();
                void *r = lib_memcpy(buf + GUARD + off, src + so, n);
                bad += r != buf + GUARD + off;
                for (size_t i = 0; i < BUF; i++) {
                    bool inside = i >= GUARD + off && i < GUARD + off + n;
                    bad += buf[i] != (inside ? src[so + i - GUARD - off] : pattern(i));
                }
            }
        }
    }
    CHECK_EQ(bad, 0);
}

static void memmove_overlaps_both_ways(void)
{
    unsigned char want[BUF];
    int bad = 0;

    for (size_t shift = 1; shift < 20; shift++) {
        for (size_t n = 0; n < 100; n++) {
            fill_pattern(); // forwards: the destination below the source
            memcpy(want, buf, BUF);
            memmove(want + GUARD, want + GUARD + shift, n);
            lib_memmove(buf + GUARD, buf + GUARD + shift, n);
            bad += memcmp(buf, want, BUF) != 0;
            fill_pattern(); // backwards: the destination above the source
            memcpy(want, buf, BUF);
            memmove(want + GUARD + shift, want + GUARD, n);
            lib_memmove(buf + GUARD + shift, buf + GUARD, n);
            bad += memcmp(buf, want, BUF) != 0;
        }
    }
    CHECK_EQ(bad, 0);
}

int main(void)
{
    RUN("string", memset_every_alignment_and_length);
    RUN("string", memset_large);
    RUN("string", memcpy_every_alignment_and_length);
    RUN("string", memmove_overlaps_both_ways);
    return CHECK_DONE();
}
