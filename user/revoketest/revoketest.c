/* SPDX-License-Identifier: BSD-2-Clause */
/* REVOKE-xxx: a revoke stopped part way by an interrupt, other threads' operations on the same
 * tree while it is stopped, and the revoke then going on to its end. */
/*
 * The main thread builds copies of a notification capability and revokes them. Just before,
 * it arms the timer (one-shot, clocksrc.h) to fire early in the revoke: the revoke stops at its next
 * preemption point, and the helper thread (priority 150, woken by the interrupt) runs while
 * the revoke is part done. It notes what it sees and does what the test asks (derive,
 * revoke, destroy), then waits again; the revoke then runs again and goes on. The system
 * runs under -icount shift=0, so where the interrupt falls is the same every run.
 */
#include "clocksrc.h"
#include "test.h"

#define ROOT   16 /* our notification: the root of every tree here */
#define DEV    17 /* the timer: the PIT's ports 0x40..0x43 (CNTP: none) */
#define IRQ    18 /* its interrupt: the PIT's I/O APIC line 2, CNTP's line 23 */
#define NTF    19 /* the helper's notification: the interrupt's bit */
#define HELPER 20 /* the helper thread */
#define TARGET 21 /* the capability a test revokes, a child of ROOT */
#define FIRST  100
#define N      800   /* copies: slots FIRST .. FIRST+N-1 */
#define EXTRA  950   /* slots the helper derives into */
#define SOON   25140 /* ns, about 25,000 instructions (30 PIT periods): early in a revoke of N */

#define NEWROOT 22 /* a notification made at run time: a root a destroy takes down */

enum action { NOTHING, DERIVE, REVOKE_PART, DESTROY_TARGET, REPLACE_TARGET, LOOK };

/* What the helper does when the interrupt wakes it, and what it saw. */
static volatile enum action action;
static volatile bool woke, partial;
static volatile l4_err_t helper_err;

static bool present(l4_cap_t slot)
{
    return !slot_empty(slot);
}

/* Copies FIRST.. all gone (ignoring from..to, which may stay)? */
static bool copies_gone(void)
{
    for (l4_cap_t s = FIRST; s < FIRST + N; s++) {
        if (present(s))
            return false;
    }
    return true;
}

static long helper(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    for (;;) {
        l4_notify_wait(NTF, &bits);
        clocksrc_stop(DEV); // CNTP's interrupt is a level: lowered before the ack
        l4_irq_ack(IRQ);
        if (action == NOTHING)
            continue; // the calibration's interrupt, left pending at boot
        woke = true;
        /* part done: the first copy (removed last, chain or wide) is there, the last is not */
        partial = (present(TARGET) || action == LOOK) && present(FIRST) && !present(FIRST + N - 1);
        if (action == DERIVE) {
            helper_err = l4_cap_replicate(FIRST, EXTRA); // below a node the revoke will reach
            if (!helper_err)
                helper_err = l4_cap_replicate(TARGET, EXTRA + 1); // and right below the target
        } else if (action == REVOKE_PART) {
            helper_err = l4_cap_revoke(FIRST); // a revoke of part of the same tree
        } else if (action == DESTROY_TARGET) {
            helper_err = l4_cap_destroy(TARGET); // its children move up to ROOT
        } else if (action == REPLACE_TARGET) {
            helper_err = l4_cap_destroy(TARGET);
            if (!helper_err)
                helper_err = l4_cap_replicate(ROOT, TARGET);
            if (!helper_err)
                helper_err = l4_cap_replicate(TARGET, EXTRA);
        }
        action = NOTHING;
    }
    return 0;
}

static void arm_soon(void)
{
    clocksrc_arm(DEV, SOON);
}

/* TARGET a child of ROOT, and N copies below it: a chain, or all children of TARGET. */
static l4_err_t build(bool chain)
{
    l4_err_t err = l4_cap_replicate(ROOT, TARGET);

    for (l4_cap_t s = FIRST; s < FIRST + N && !err; s++)
        err = l4_cap_replicate(chain && s > FIRST ? s - 1 : TARGET, s);
    return err;
}

/* Build, arm the timer, revoke TARGET with the helper set to act; the revoke's result. */
static l4_err_t interrupted_revoke(bool chain, enum action what)
{
    l4_err_t err = build(chain);

    if (err)
        return err;
    woke = partial = false;
    helper_err = L4_OK;
    action = what;
    arm_soon();
    return l4_cap_revoke(TARGET);
}

/* Everything below ROOT goes, for the next test. */
static void clean(void)
{
    l4_cap_revoke(ROOT);
}

static void deep_and_wide(void)
{
    l4_err_t err = interrupted_revoke(true, DERIVE);
    test_report("REVOKE-001", !err && woke && partial && copies_gone() && present(TARGET),
                "chain: revoke %s, helper woke %d, saw it part done %d, all gone %d",
                l4_strerror(err), woke, partial, copies_gone());
    test_report("REVOKE-003", !helper_err && slot_empty(EXTRA) && slot_empty(EXTRA + 1),
                "copies made between steps: %s, still there %d %d", l4_strerror(helper_err),
                present(EXTRA), present(EXTRA + 1));
    clean();
    err = interrupted_revoke(false, DERIVE);
    test_report("REVOKE-002", !err && woke && partial && copies_gone() && present(TARGET),
                "wide: revoke %s, helper woke %d, saw it part done %d, all gone %d",
                l4_strerror(err), woke, partial, copies_gone());
    clean();
}

static void concurrent(void)
{
    l4_err_t err = interrupted_revoke(true, REVOKE_PART);
    test_report("REVOKE-004", !err && !helper_err && woke && partial && copies_gone(),
                "revoke %s, the helper's revoke of part of it %s, all gone %d", l4_strerror(err),
                l4_strerror(helper_err), copies_gone());
    clean();
    /* the revoked capability itself goes between steps: the call, run again, finds nothing */
    err = interrupted_revoke(true, DESTROY_TARGET);
    test_report("REVOKE-005",
                err == L4_ECAP && !helper_err && partial && slot_empty(TARGET) && present(FIRST),
                "revoke %s (ECAP expected), destroy %s, first copy left under the root %d",
                l4_strerror(err), l4_strerror(helper_err), present(FIRST));
    clean();
    /* another capability in its slot: what is left of the revoke is the new one's */
    err = interrupted_revoke(true, REPLACE_TARGET);
    test_report("REVOKE-006",
                !err && !helper_err && partial && present(TARGET) && slot_empty(EXTRA) &&
                    present(FIRST),
                "revoke %s, replace %s, new child gone %d, the old chain's rest kept %d",
                l4_strerror(err), l4_strerror(helper_err), slot_empty(EXTRA), present(FIRST));
    clean();
}

/* The registers a stopped call runs again with are the ones it came with, and every register
 * the ABI keeps comes back unchanged (r[] holds the arguments in and the results out). */
static void registers_kept(void)
{
    l4_word_t r[6] = {TARGET, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555};
    l4_err_t err = build(true);

    woke = partial = false;
    action = DERIVE;
    arm_soon();
    if (!err)
        err = l4_syscall(L4_SYS_CAP_REVOKE, r);
    test_report("REVOKE-007",
                !err && woke && partial && r[0] == TARGET && r[1] == 0x1111 && r[2] == 0x2222 &&
                    r[3] == 0x3333 && r[4] == 0x4444 && r[5] == 0x5555 && copies_gone(),
                "revoke %s, stopped %d, registers %lx %lx %lx %lx %lx %lx", l4_strerror(err),
                partial, r[0], r[1], r[2], r[3], r[4], r[5]);
    clean();
    l4_word_t bits = 0;
    l4_notify_signal(ROOT);
    err = l4_notify_poll(ROOT, &bits);
    test_report("REVOKE-008", !err && bits, "the notification after all revokes: %s, bits %lx",
                l4_strerror(err), bits);
}

/* A root's destroy takes its descendants first, in batches: stopped part way too. */
static void destroy_of_root(void)
{
    l4_word_t id;
    l4_err_t err = l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NEWROOT, &id);

    for (l4_cap_t s = FIRST; s < FIRST + N && !err; s++)
        err = l4_cap_replicate(s > FIRST ? s - 1 : NEWROOT, s);
    woke = partial = false;
    action = LOOK;
    arm_soon();
    if (!err)
        err = l4_cap_destroy(NEWROOT);
    test_report("REVOKE-009", !err && woke && partial && copies_gone() && slot_empty(NEWROOT),
                "destroy %s, stopped part way %d, all gone %d, root gone %d", l4_strerror(err),
                partial, copies_gone(), slot_empty(NEWROOT));
}

int main(const char *arg)
{
    l4_err_t err = l4_irq_bind(IRQ, NTF);

    (void)arg;

    if (!err)
        err = l4_thread_spawn(helper, 0, 150, HELPER);
    if (err) {
        printf("revoketest: cannot set up: %s\n", l4_strerror(err));
        return 1;
    }
    deep_and_wide();
    concurrent();
    registers_kept();
    destroy_of_root();
    printf("revoketest: done\n");
    l4_thread_destroy(HELPER);
    return 0;
}
