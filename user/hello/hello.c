/* SPDX-License-Identifier: BSD-2-Clause */
/* The first user program: print through the debug console and exit. */
#include "l4.h"

int main(const char *arg)
{
    printf("hello from user space: %s, %d + %d = %d%s%s\n", "ring 3", 40, 2, 40 + 2,
           *arg ? ", argument " : "", arg);
    return 0;
}
