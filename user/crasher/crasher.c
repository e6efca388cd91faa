/* SPDX-License-Identifier: BSD-2-Clause */
/* Crashes on its first run; once its supervisor has restarted it, does its work and exits. */
#include "l4.h"

/*
 * Pages of bss: the loader maps fresh frames of the container's memory for them and copies
 * nothing in, so they hold only what the kernel left in those frames. It must have zeroed
 * them: at boot they were free frames holding the kernel's list links, and after the restart
 * they are frames this program filled before it crashed (test DEMO-001 forbids the line).
 */
#define SCRAP_WORDS (2 * 4096 / sizeof(l4_word_t))
static volatile l4_word_t scrap[SCRAP_WORDS] __attribute__((aligned(4096)));

static void check_zeroed(l4_word_t restarts)
{
    for (unsigned i = 0; i < SCRAP_WORDS; i++) {
        if (scrap[i]) {
            printf("crasher: fresh memory not zeroed (run %lu): word %u holds %lx\n", restarts, i,
                   scrap[i]);
            return;
        }
    }
}

int main(const char *arg)
{
    l4_word_t x, restarts = 0;

    (void)arg;
    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &x, &restarts, &x);
    check_zeroed(restarts);
    if (restarts == 0) {
        for (unsigned i = 0; i < SCRAP_WORDS; i++)
            scrap[i] = 0x5ca1ab1e00000000ull | i; // what the restarted program must not see
        printf("crasher: first run, dereferencing a bad pointer on purpose\n");
        *(volatile int *)0xbad000 = 1;
    }
    printf("crasher: restarted %lu time(s), working normally now\n", restarts);
    return 0;
}
