/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timing for the make bench programs (user/bench, user/scale, user/benchrevoke,
 * user/benchunmap): the guest's timestamp counter, which under -icount counts instructions,
 * and the BENCH line scripts/bench.py reads.
 */
#ifndef BENCH_TIME_H
#define BENCH_TIME_H

#include <coffer/types.h>

/* The counter, fenced on both sides so that no instruction of the timed code leaks out. */
static inline l4_word_t tsc(void)
{
    l4_word_t lo, hi;

    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi));
    return hi << 32 | lo;
}

/* Ascending, in place (insertion sort: a few hundred samples at most). */
void bench_sort(l4_word_t *v, unsigned n);
/* The least cost of reading the counter twice, to subtract from timed samples. */
l4_word_t bench_overhead(void);
/* Sort the n samples and print "BENCH <what> min <m> median <d> ticks", each less overhead. */
void bench_line(const char *what, l4_word_t *v, unsigned n, l4_word_t overhead);

#endif
