/* SPDX-License-Identifier: BSD-2-Clause */
/* RND-xxx: random capability operations across three containers, restarted at random. */
#include "randcap.h"

int main(const char *arg)
{
    if (strcmp(arg, "super") == 0)
        return supervisor(arg);
    if (arg[0] >= '0' && arg[0] <= '2' && arg[1] == '\0')
        return worker(arg);
    printf("randcap: unknown role '%s'\n", arg);
    return 1;
}
