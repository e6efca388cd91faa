/* SPDX-License-Identifier: BSD-2-Clause */
/* FOREIGN tests: one program plays the foreign-ABI handler and the guest that calls it. */
#include "foreign.h"

int main(const char *arg)
{
    if (!strcmp(arg, "handler"))
        return handler_main();
    if (!strcmp(arg, "boot-handler"))
        return boot_handler_main();
    if (!strcmp(arg, "boot-all"))
        return boot_all_main();
    if (!strcmp(arg, "boot-unknown"))
        return boot_unknown_main();
    return guest_main();
}
