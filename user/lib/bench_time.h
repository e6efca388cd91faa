/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Timing for the make bench programs (user/bench, user/scale, user/benchrevoke,
 * user/benchunmap): the guest's timestamp counter, which under -icount counts instructions
 * (RDTSC on x86_64, the PMU cycle counter on AArch64), and the BENCH line scripts/bench.py
 * reads.
 */
#ifndef BENCH_TIME_H
#define BENCH_TIME_H

#include "tsc.h" /* tsc(): the architecture's counter (user/lib/arch/<arch>/tsc.h) */

#include <coffer/types.h>

/* Ascending, in place (insertion sort: a few hundred samples at most). */
void bench_sort(l4_word_t *v, unsigned n);
/* The least cost of reading the counter twice, to subtract from timed samples. */
l4_word_t bench_overhead(void);
/* Sort the n samples and print "BENCH <what> min <m> median <d> ticks", each less overhead. */
void bench_line(const char *what, l4_word_t *v, unsigned n, l4_word_t overhead);

#endif
