/* SPDX-License-Identifier: BSD-2-Clause */
/* A Linux program that dereferences a bad pointer: the shell must report its SIGSEGV. */
#include <stdio.h>

int main(int argc, char **argv)
{
    volatile long bad = argc > 1 ? 16 : 8; /* through a variable: gcc sees no constant object */
    volatile int *p = (volatile int *)bad;

    (void)argv;
    printf("segv: about to fault\n");
    fflush(stdout);
    return *p;
}
