/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO-1xx, the supervisor: drives the attack step by step and restarts the giver. */
#include "isotest.h"

#define GIVER     16 /* container: control, inspect */
#define GIVER_CMD 17
#define TAKER_CMD 18
#define THIRD_CMD 19

/* A step every worker must acknowledge; a worker that cannot is a failed setup. */
static void step(l4_cap_t ep, l4_word_t cmd, const char *what)
{
    if (command(ep, cmd) != 1)
        printf("isotest: step '%s' failed\n", what);
}

int supervisor(void)
{
    /* breach 2: units revoked while the taker builds on them */
    step(GIVER_CMD, G_SPLIT_GRANT, "giver splits and grants");
    step(TAKER_CMD, T_USE, "taker uses the units");
    step(GIVER_CMD, G_REVOKE, "giver revokes");
    step(TAKER_CMD, T_CHECK_REVOKED, "taker checks the revoke");
    step(GIVER_CMD, G_FILL, "giver uses all its units");
    step(THIRD_CMD, X_FILL, "the third uses all its units");
    /* breach 1: authority handed out does not survive the giver's restart */
    step(GIVER_CMD, G_SPLIT_GRANT2, "giver grants again");
    step(TAKER_CMD, T_USE2, "taker uses them");
    EXPECT_ERR("ISO-117", l4_container_restart(GIVER), L4_OK);
    step(TAKER_CMD, T_CHECK_RESTART, "taker checks the restart");
    step(GIVER_CMD, G_MEMROOT, "giver destroys its memory root");
    step(TAKER_CMD, T_CHECK_MEMROOT, "taker checks the memory part");
    command(GIVER_CMD, CMD_EXIT);
    command(TAKER_CMD, CMD_EXIT);
    command(THIRD_CMD, CMD_EXIT);
    printf("isotest: done\n");
    return 0;
}
