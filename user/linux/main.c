/* SPDX-License-Identifier: BSD-2-Clause */
/* The Linux personality server: start-up. (Being built: docs/linux.md once it runs.) */
#include "linux.h"

struct l4_mutex lx_lock = L4_MUTEX_INIT;

int main(const char *arg)
{
    printf("linux: not yet able to run anything (%s)\n", arg);
    return 1;
}
