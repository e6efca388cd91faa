/* SPDX-License-Identifier: BSD-2-Clause */
/* cowtest: copy-on-write fork by a user-level pager (COW-0xx), and the calls' errors (COW-1xx). */
#include "cow.h"

int main(const char *arg)
{
    if (strcmp(arg, "other") == 0)
        return cow_other();
    cow_fork_tests();
    cow_error_tests();
    printf("cowtest: done\n");
    return 0;
}
