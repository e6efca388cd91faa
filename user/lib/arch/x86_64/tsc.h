/* SPDX-License-Identifier: BSD-2-Clause */
/* The x86_64 timestamp the bench programs read (bench_time.h): RDTSC. */
#ifndef USER_TSC_H
#define USER_TSC_H

#include <coffer/types.h>

/*
 * The timestamp counter, fenced on both sides so that no instruction of the timed code leaks
 * out. Under QEMU's -icount it counts guest instructions, which makes a bench run repeatable.
 */
#define TSC_READ "lfence;rdtsc;lfence" /* what tsc() runs, for the bench's overhead line */
static inline l4_word_t tsc(void)
{
    l4_word_t lo, hi;

    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi));
    return hi << 32 | lo;
}

#endif
