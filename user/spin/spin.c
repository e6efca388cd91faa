/* SPDX-License-Identifier: BSD-2-Clause */
/* A busy program: prints a line per stretch of work; two of them show preemption between spaces. */
#include "l4.h"

#define ROUNDS          8
#define TICKS_PER_ROUND 12 /* longer than a timeslice, so every round spans a preemption */

int main(const char *arg)
{
    l4_word_t tid, space, prio, start, now;

    l4_thread_id(&tid, &space, &prio);
    for (int round = 0; round < ROUNDS; round++) {
        l4_time(&start, NULL, NULL, NULL, NULL);
        do { // busy: never yields, only the timer takes the CPU away
            l4_time(&now, NULL, NULL, NULL, NULL);
        } while (now - start < TICKS_PER_ROUND);
        printf("spin %s: round %d (space %lu, tick %lu)\n", arg, round, space, now);
    }
    return 0;
}
