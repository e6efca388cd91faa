/* SPDX-License-Identifier: BSD-2-Clause */
/* FOREIGN tests: one program plays the foreign-ABI handler and the guest that calls it. */
#include "foreign.h"

int main(const char *arg)
{
    if (!strcmp(arg, "handler"))
        return handler_main();
    return guest_main();
}
