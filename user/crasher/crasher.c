/* SPDX-License-Identifier: BSD-2-Clause */
/* Crashes on its first run; once its supervisor has restarted it, does its work and exits. */
#include "l4.h"

int main(const char *arg)
{
    l4_word_t x, restarts = 0;

    (void)arg;
    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &x, &restarts, &x);
    if (restarts == 0) {
        printf("crasher: first run, dereferencing a bad pointer on purpose\n");
        *(volatile int *)0xbad000 = 1;
    }
    printf("crasher: restarted %lu time(s), working normally now\n", restarts);
    return 0;
}
