/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Security review of commit b742ede (kernel-memory accounting), at the level of cap.c.
 * A FAIL here is a finding; the QEMU systems tests/qemu/systems/atk-*.toml (user/atk) show
 * the same from user space.
 */
// uses: kernel/core/cap.c kernel/core/cap_names.c lib/fmt.c
#include "cap_fakes.h"

/*
 * ATK-010..013 (found, then fixed): docs/architecture.md, rule 3: "everything a container
 * handed out, by any chain of copies, splits and grants, stays a descendant of a capability
 * in its table", so that a restart (captable_reset) takes it back. Roots of other types than
 * pools and memory used to move with cap_grant, out of the reset's reach (the kernel then
 * inserted a fresh root from the boot description: two holders). What the kernel puts in a
 * table as it builds a container now stays there; what is granted instead are copies.
 */
static void atk_reset_reaches_granted_roots(void)
{
    setup();
    CHECK_EQ(cap_insert_boot(T(0), 1, L4_CAP_IOPORT, L4_IO_RIGHTS_ALL, NULL, 0x70, 2), L4_OK);
    CHECK_EQ(cap_insert_boot(T(0), 2, L4_CAP_IRQ, L4_IRQ_RIGHTS_ALL, &objs[0], 5, 0), L4_OK);
    CHECK_EQ(cap_insert_boot(T(0), 3, L4_CAP_CONTAINER, L4_CONT_RIGHTS_ALL, &objs[1], 0, 0), L4_OK);
    CHECK_EQ(cap_insert_boot(T(0), 4, L4_CAP_ENDPOINT, L4_EP_RIGHTS_ALL, &objs[2], 0, 0), L4_OK);
    for (unsigned s = 1; s <= 4; s++) {
        CHECK_EQ(cap_grant(T(0), s, T(1), s), L4_EINVAL);
        CHECK_EQ(cap_replicate(T(0), s, s + 10), L4_OK);
        CHECK_EQ(cap_grant(T(0), s + 10, T(1), s), L4_OK);
    }
    captable_reset(T(0));
    for (unsigned s = 1; s <= 4; s++)
        CHECK(empty(1, s));
    CHECK(tables_check());
}

/*
 * Held: a paying part cannot be granted away, and its payer pointer follows it within the
 * table (and through IPC, which uses cap_grant).
 */
static void atk_paying_part_stays_and_payer_follows(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 4), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 2), L4_OK);
    int o = charge(0, 1, false);
    CHECK(o >= 0);
    CHECK_EQ(cap_grant(T(0), 1, T(1), 1), L4_EBUSY);
    CHECK_EQ(cap_grant(T(0), 1, T(0), 9), L4_OK);
    CHECK(paid[o].payer == sl(0, 9) && sl(0, 9)->used == 1);
    CHECK_EQ(cap_revoke(T(0), 0), L4_OK);
    CHECK(!paid[o].live && sl(0, 0)->b == 4 && empty(0, 9));
    CHECK(tables_check());
}

/*
 * Note (by design, worth documenting): "units that pay for objects cannot leave their
 * capability" -- but the capability *above* them can. Granting the (non-paying) parent of a
 * paying part hands the receiver the power to revoke it, and so to destroy the giver's
 * objects; its restart does the same.
 */
static void atk_note_parent_of_paying_part_can_go(void)
{
    setup();
    CHECK_EQ(ins_pool(0, 0, L4_POOL_RIGHTS_ALL, L4_POOL_THREADS, 8), L4_OK);
    CHECK_EQ(cap_split(T(0), 0, 1, 4), L4_OK); // P
    CHECK_EQ(cap_split(T(0), 1, 2, 1), L4_OK); // Q, under P
    int o = charge(0, 2, false);
    CHECK(o >= 0 && sl(0, 1)->used == 0);
    CHECK_EQ(cap_grant(T(0), 1, T(1), 5), L4_OK); // P pays for nothing itself: it may go
    CHECK_EQ(cap_revoke(T(1), 5), L4_OK);         // the receiver revokes Q from under us
    CHECK(!paid[o].live && empty(0, 2));
    CHECK(tables_check());
}

int main(void)
{
    RUN("cap-review", atk_reset_reaches_granted_roots);
    RUN("cap-review", atk_paying_part_stays_and_payer_follows);
    RUN("cap-review", atk_note_parent_of_paying_part_can_go);
    return CHECK_DONE();
}
