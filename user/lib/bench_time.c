/* SPDX-License-Identifier: BSD-2-Clause */
/* Timing for the make bench programs (bench_time.h). */
#include "bench_time.h"

#include "l4.h"

#define OVERHEAD_RUNS 200

void bench_sort(l4_word_t *v, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        for (unsigned j = i; j > 0 && v[j - 1] > v[j]; j--) {
            l4_word_t t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    }
}

l4_word_t bench_overhead(void)
{
    l4_word_t v[OVERHEAD_RUNS];

    for (unsigned i = 0; i < OVERHEAD_RUNS; i++) {
        l4_word_t t0 = tsc();
        v[i] = tsc() - t0;
    }
    bench_sort(v, OVERHEAD_RUNS);
    return v[0];
}

void bench_line(const char *what, l4_word_t *v, unsigned n, l4_word_t overhead)
{
    bench_sort(v, n);
    printf("BENCH %-44s min %6lu  median %6lu ticks\n", what, v[0] - overhead, v[n / 2] - overhead);
}
