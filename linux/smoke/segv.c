/* SPDX-License-Identifier: BSD-2-Clause */
/* A Linux program that dereferences a bad pointer: the shell must report its SIGSEGV. */
#include <stdio.h>

int main(int argc, char **argv)
{
    volatile int *p = (volatile int *)(argc > 1 ? 16 : 8);

    (void)argv;
    printf("segv: about to fault\n");
    fflush(stdout);
    return *p;
}
