/* SPDX-License-Identifier: BSD-2-Clause */
/* Review of issue 11 (RV-11xx): hostile uses of thread_regs, foreign calls, futexes, waits. */
#include "rv11.h"

#include <string.h>

int main(const char *arg)
{
    if (!strcmp(arg, "victim"))
        return tls_victim();
    tls_attack();
    foreign_attacks();
    foreign_resumed_then_written();
    printf("rv11: done\n");
    return 0;
}
