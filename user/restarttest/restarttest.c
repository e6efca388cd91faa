/* SPDX-License-Identifier: BSD-2-Clause */
/* RESTART-xxx: a container's restart stopped part way by an interrupt, other threads acting on
 * the container while it is stopped, and the restart then going on to its end. */
/*
 * Three programs in one, by argument (tests/qemu/systems/restarttest.toml):
 *   pad     ends at once: its table, first in table order, is all it is for.
 *   big     copies its notification N times into driver's table (what its restart revokes
 *           first) and N times into its own, tells driver it is ready, and ends.
 *   driver  grants N copies of its own notification into big's table, arms the timer
 *           (one-shot) to fire early in the restart and restarts big: the restart stops at
 *           its next preemption point and the helper thread (priority 150, woken by the
 *           interrupt) runs while it is part done. It notes what it sees and does what the
 *           test asks (look, restart big itself, stop big, grant into it, or watch every
 *           stop, arming the timer again each time), then waits again; the restart runs again
 *           and goes on. Under -icount shift=0 the interrupt falls at the same
 *           instruction every run.
 */
#include "clocksrc.h"
#include "test.h"

#include <coffer/mem.h>
#include <coffer/thread.h>

#define READY     16 /* driver: its notification, big signals it */
#define DEV       17 /* driver: the timer: the PIT's ports 0x40..0x43 (CNTP: none) */
#define IRQ       18 /* driver: its interrupt: the PIT's I/O APIC line 2, CNTP's line 23 */
#define NTF       19 /* driver: the helper's notification: the interrupt's bit */
#define BIG       20 /* driver: big's container, control, inspect, receive */
#define OBJ       21 /* driver: its notification, whose copies it grants into big */
#define HELPER    22 /* driver: the helper thread */
#define SPACE     23 /* driver: a space it made, where big maps a page of its memory */
#define MEMD      24 /* driver: a copy of its memory, its first page once split */
#define MEMSPLIT  25 /* driver: the rest of MEMD, split off for big */
#define LENT      26 /* driver: a unit of big's endpoints pool, which big gives it */
#define LENT_EP   27 /* driver: an endpoint that unit pays for */
#define RESTARTER 28 /* driver: a thread that restarts big, killed part way */
#define EP_A      29 /* driver: a copy of an endpoint big made, which big grants it */
#define EP_B      30 /* driver: and of another */
#define BSPACE    31 /* driver: a copy of the space big made, which big grants it */
#define TBL       32 /* driver: a run-time table of its own */
#define THR       33 /* driver: a thread not yet started */
#define BIG_SPACE 50 /* big: a copy of driver's SPACE, when driver grants it one */
#define BIG_MEM   60 /* big: driver's MEMSPLIT, when driver grants it */
/* big: an endpoint, a notification, a space (with a page mapped), a run-time table and an
 * ended thread, from its pools, from here on; a unit of its endpoints pool split off for
 * driver (LENT); and another endpoint; driver gets a copy of each endpoint (EP_A, EP_B) */
#define MADE      41
#define MAP_VA    0x40000000ul /* where big maps it */
#define MAP_VA2   0x40001000ul /* and where it maps BIG_MEM's first page */
#define DRIVER_AT 100          /* driver: where big's copies land; big: where driver's land */
#define N         300
#define BIG_READY 16    /* big: driver's ready notification, signal */
#define DRIVER    17    /* big: driver's container, receive */
#define BIG_OBJ   18    /* big: its notification */
#define SCRATCH   40    /* a slot each copies into before it grants */
#define OWN_AT    500   /* big: its own copies */
#define SOON      25140 /* ns, about 25,000 instructions (30 PIT periods): early in the restart */
#define NEXT_STOP 838   /* ns, the next preemption point (one PIT period) */

enum action {
    NOTHING,
    LOOK,
    RESTART,
    STOP,
    GRANT,
    WATCH,
    REVOKE,
    KILL,
    STEPS,
    RETIRED,
    LOADING,
    RETIRED_KILL
};

static volatile enum action action;
static volatile bool woke, partial;
static volatile bool given_back, stale; /* WATCH: big's split came back to MEMD; and its mapping
                                         * of it was still there */
static volatile bool left_part_way;     /* KILL: big had no thread and no new restart counted */
static volatile bool one_of_two;        /* STEPS: one of big's two endpoints gone, one not */
static volatile bool seen;              /* RETIRED, LOADING, RETIRED_KILL: the stage was seen */
/* RETIRED: what the helper's calls on big's space returned while it was being taken apart:
 * replicate, share, split, put, thread_create, thread_configure (each ESTATE), mem_map into
 * it, destroy of its copy (each L4_OK) */
static volatile l4_err_t on_retired[8];
static volatile l4_err_t helper_err;
static volatile l4_word_t restarts_before;
static l4_word_t used; /* big's table slots in use as its program leaves it */

/* big's copies in driver's table. Its program, run again, grants into the same slots: all N
 * there once it is ready again means the restart took every old one back first. */
static unsigned big_copies(void)
{
    unsigned n = 0;

    for (l4_cap_t s = DRIVER_AT; s < DRIVER_AT + N; s++)
        n += !slot_empty(s);
    return n;
}

static l4_word_t capslots_used(void)
{
    l4_word_t n = 0, total = 0;

    l4_container_usage(BIG, L4_POOL_CAPSLOTS, &n, &total);
    return n;
}

static bool page_mapped(l4_word_t va);
static void arm_soon(void);
static void arm_in(l4_word_t ns);

/* WATCH, at every stop of the restart till the split driver gave big came back to MEMD (big
 * holds no memory over the page it mapped from it): is that page still mapped? It may not be,
 * after driver's revoke of MEMD above all. Else the interrupt is armed for the next stop. */
static bool watch(void)
{
    if (cap_info(MEMD).b == cap_info(L4_SLOT_MEMORY).b) {
        l4_err_t err = l4_cap_revoke(MEMD);
        given_back = true;
        stale = err || page_mapped(MAP_VA2);
        return true;
    }
    if (container_info(BIG).restarts != restarts_before)
        return true; // it ended first: never seen (given_back false)
    arm_soon();
    return false;
}

/* STEPS, at every stop of the restart (the timer armed again at once): was one of the two
 * endpoints big made gone (its copy in driver's table with it) and the other not? */
static bool between_objects(void)
{
    one_of_two |= slot_empty(EP_A) != slot_empty(EP_B);
    if (container_info(BIG).restarts != restarts_before)
        return true;
    arm_in(NEXT_STOP);
    return false;
}

/* At a stop of big's restart: is the space big made out of use (driver's copy of it may not
 * be copied: ESTATE)? If not, the timer is armed for the next stop. */
static bool space_out_of_use(void)
{
    l4_err_t err = l4_cap_replicate(BSPACE, SCRATCH + 2);

    if (!err)
        l4_cap_destroy(SCRATCH + 2);
    if (err != L4_ESTATE)
        arm_in(NEXT_STOP);
    return err == L4_ESTATE;
}

/*
 * RETIRED, at every stop of the restart (the timer armed again at once) till big's space is
 * being taken apart (out of use: its capabilities may not be copied or moved, the copy of
 * driver's being one, ESTATE); then what driver may do with that copy: nothing that would
 * let a capability escape the pass removing them or bind a thread, but map into it or
 * destroy it; then a restart of big goes on with the one under way.
 */
static bool retired_space(void)
{
    l4_word_t tid;

    if (!space_out_of_use())
        return container_info(BIG).restarts != restarts_before; // ended first: never seen
    seen = true;
    on_retired[0] = l4_cap_replicate(BSPACE, SCRATCH + 2);
    on_retired[1] = l4_cap_share(BSPACE, SCRATCH + 2);
    on_retired[2] = l4_cap_split(BSPACE, SCRATCH + 2, L4_SPACE_MAP);
    on_retired[3] = l4_captable_put(BSPACE, TBL, 0, L4_SPACE_BIND, 0);
    on_retired[4] = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), BSPACE, 100, SCRATCH + 2, &tid);
    on_retired[5] = l4_thread_configure(THR, L4_THREAD_SPACE, BSPACE);
    on_retired[6] = l4_mem_map(L4_SLOT_MEMORY, 0, BSPACE, MAP_VA + 0x2000, L4_MAP_READ);
    on_retired[7] = l4_cap_destroy(BSPACE);
    helper_err = l4_container_restart(BIG);
    return true;
}

/* LOADING, at every stop of the restart till big's program is being loaded (the restart is
 * counted, no thread yet): nothing may be granted into its table, and a restart of big goes
 * on with the one under way (the stopped call, run again, restarts it once more). */
static bool loading(void)
{
    struct container_info c = container_info(BIG);

    if (c.restarts == restarts_before + 1 && c.threads == 0) {
        seen = true;
        on_retired[0] = l4_cap_replicate(OBJ, SCRATCH + 1)
                            ? L4_EINVAL
                            : l4_cap_grant(SCRATCH + 1, BIG, L4_SLOT_MEMORY);
        l4_cap_destroy(SCRATCH + 1);
        helper_err = l4_container_restart(BIG);
        return true;
    }
    if (c.restarts != restarts_before)
        return true; // it ended first: never seen
    arm_in(NEXT_STOP);
    return false;
}

/* RETIRED_KILL: the restarter dies while big's space is out of use, which stays so (no
 * threads, the restart not counted) till the helper's own restart of big goes on with it. */
static bool retired_kill(void)
{
    if (!space_out_of_use())
        return container_info(BIG).restarts != restarts_before; // ended first: never seen
    seen = true;
    helper_err = l4_thread_destroy(RESTARTER);
    struct container_info c = container_info(BIG);
    left_part_way = !helper_err && c.threads == 0 && c.restarts == restarts_before &&
                    l4_cap_replicate(BSPACE, SCRATCH + 2) == L4_ESTATE;
    if (!helper_err)
        helper_err = l4_container_restart(BIG);
    return true;
}

/* KILL: the restarter dies between two steps of its restart, which stays part way till the
 * helper's own restart of big goes on with it. */
static void kill_restarter(void)
{
    struct container_info c;

    helper_err = l4_thread_destroy(RESTARTER);
    c = container_info(BIG);
    left_part_way = !helper_err && c.threads == 0 && c.restarts == restarts_before;
    if (!helper_err)
        helper_err = l4_container_restart(BIG);
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
        /* part done: not counted yet, and driver's copies still in big's table */
        partial = container_info(BIG).restarts == restarts_before && capslots_used() > used;
        if (action == RESTART)
            helper_err = l4_container_restart(BIG); // goes on with the restart under way
        else if (action == STOP)
            helper_err = l4_container_stop(BIG);
        else if (action == GRANT) // a slot its rebuilt table needs: refused, never a crash
            helper_err = l4_cap_replicate(OBJ, SCRATCH + 1)
                             ? L4_EINVAL
                             : l4_cap_grant(SCRATCH + 1, BIG, L4_SLOT_MEMORY);
        else if (action == WATCH && !watch())
            continue;
        else if (action == REVOKE) // what the restart is taking back too
            helper_err = l4_cap_revoke(OBJ);
        else if (action == KILL)
            kill_restarter();
        else if (action == STEPS && !between_objects())
            continue;
        else if (action == RETIRED && !retired_space())
            continue;
        else if (action == LOADING && !loading())
            continue;
        else if (action == RETIRED_KILL && !retired_kill())
            continue;
        action = NOTHING;
    }
    return 0;
}

static void arm_in(l4_word_t ns)
{
    clocksrc_arm(DEV, ns);
}

static void arm_soon(void)
{
    arm_in(SOON);
}

/* Wait until big says its program made its copies. */
static void wait_ready(void)
{
    l4_word_t bits = 0;

    while (!bits)
        l4_notify_wait(READY, &bits);
}

/* Driver's copies into big's table, with the helper set to act (prepare_restart); then the
 * restart (interrupted_restart), whose registers are in r (its argument first); the
 * restart's result. */
static l4_err_t prepare_restart(enum action what)
{
    l4_err_t err = L4_OK;

    for (unsigned i = 0; i < N && !err; i++) {
        err = l4_cap_replicate(OBJ, SCRATCH);
        if (!err)
            err = l4_cap_grant(SCRATCH, BIG, DRIVER_AT + i);
    }
    woke = partial = false;
    helper_err = L4_OK;
    restarts_before = container_info(BIG).restarts;
    action = what;
    return err;
}

static l4_err_t interrupted_restart(enum action what, l4_word_t r[6])
{
    l4_err_t err = prepare_restart(what);

    if (err)
        return err;
    arm_soon();
    r[0] = BIG;
    return l4_syscall(L4_SYS_CONTAINER_RESTART, r);
}

static void driver(void)
{
    l4_word_t r[6] = {BIG, 0x1111, 0x2222, 0x3333, 0x4444, 0x5555};

    wait_ready();
    used = capslots_used();
    l4_err_t err = interrupted_restart(LOOK, r);
    wait_ready();
    struct container_info c = container_info(BIG);
    test_report("RESTART-001",
                !err && woke && partial && c.restarts == restarts_before + 1 && big_copies() == N &&
                    capslots_used() == used,
                "restart %s, stopped part way %d, restarts %lu (from %lu), big's copies %u, "
                "slots used %lu (%lu before driver's copies)",
                l4_strerror(err), partial, c.restarts, restarts_before, big_copies(),
                capslots_used(), used);
    test_report("RESTART-002",
                r[0] == BIG && r[1] == 0x1111 && r[2] == 0x2222 && r[3] == 0x3333 &&
                    r[4] == 0x4444 && r[5] == 0x5555,
                "registers after the restart ran again: %lx %lx %lx %lx %lx %lx", r[0], r[1], r[2],
                r[3], r[4], r[5]);

    /* another restart of the same container between steps goes on with it and ends it; the
     * stopped call, run again, finds none under way and restarts once more */
    err = interrupted_restart(RESTART, r);
    wait_ready();
    c = container_info(BIG);
    test_report("RESTART-003",
                !err && !helper_err && partial && c.restarts == restarts_before + 2 &&
                    big_copies() == N && capslots_used() == used,
                "restart %s, the helper's %s, stopped part way %d, restarts %lu (from %lu), "
                "big's copies %u, slots used %lu (%lu)",
                l4_strerror(err), l4_strerror(helper_err), partial, c.restarts, restarts_before,
                big_copies(), capslots_used(), used);

    /* nothing may be granted into its table between steps */
    err = interrupted_restart(GRANT, r);
    wait_ready();
    test_report("RESTART-006",
                !err && helper_err == L4_ESTATE && partial && !slot_empty(SCRATCH + 1),
                "restart %s, the helper's grant into big %s (ESTATE expected), stopped part way %d",
                l4_strerror(err), l4_strerror(helper_err), partial);
    l4_cap_destroy(SCRATCH + 1);

    /* stopped between steps: the program comes back held */
    err = interrupted_restart(STOP, r);
    c = container_info(BIG);
    bool held = c.state == 1 && c.threads == 1;
    l4_err_t start = l4_container_start(BIG);
    wait_ready();
    c.restarts = container_info(BIG).restarts;
    test_report("RESTART-004",
                !err && !helper_err && partial && held && !start &&
                    c.restarts == restarts_before + 1 && big_copies() == N,
                "restart %s, stop %s, stopped part way %d, came back held %d (state %lu, "
                "threads %lu), start %s, big's copies %u",
                l4_strerror(err), l4_strerror(helper_err), partial, held, c.state, c.threads,
                l4_strerror(start), big_copies());
}

static long ends(l4_word_t arg)
{
    return (long)arg;
}

/* One object of each kind from its pools, which its restart must take back whole: else the
 * next run of its program finds them short. */
static l4_err_t make_objects(void)
{
    l4_word_t id, code;
    l4_err_t err = l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), MADE, &id);

    if (!err)
        err = l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), MADE + 1, &id);
    if (!err)
        err = l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES),
                              MADE + 2, &id);
    if (!err)
        err = l4_mem_map(L4_SLOT_MEMORY, 0, MADE + 2, MAP_VA, L4_MAP_READ);
    if (!err)
        err = l4_captable_create(L4_SLOT_POOL(L4_POOL_CAPSLOTS), 16, MADE + 3, &id);
    if (!err)
        err = l4_thread_spawn(ends, 0, 100, MADE + 4);
    if (!err)
        err = l4_thread_wait(MADE + 4, 0, &code); // ended: its capability keeps its unit
    if (!err)
        err = l4_cap_split(L4_SLOT_POOL(L4_POOL_ENDPOINTS), MADE + 5, 1);
    if (!err)
        err = l4_cap_grant(MADE + 5, DRIVER, LENT);
    if (!err)
        err = l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), MADE + 6, &id);
    if (!err)
        err = l4_cap_replicate(MADE, MADE + 7);
    if (!err)
        err = l4_cap_grant(MADE + 7, DRIVER, EP_A);
    if (!err)
        err = l4_cap_replicate(MADE + 6, MADE + 7);
    if (!err)
        err = l4_cap_grant(MADE + 7, DRIVER, EP_B);
    if (!err)
        err = l4_cap_replicate(MADE + 2, MADE + 7);
    if (!err)
        err = l4_cap_grant(MADE + 7, DRIVER, BSPACE);
    return err;
}

/* big: its copies, in driver's table and its own, then ready; its restarts do it again. */
static int big(void)
{
    l4_err_t err = make_objects();

    if (err) {
        printf("restarttest: big cannot make its objects: %s\n", l4_strerror(err));
        return 1;
    }

    for (unsigned i = 0; i < N && !err; i++) {
        err = l4_cap_replicate(BIG_OBJ, SCRATCH);
        if (!err)
            err = l4_cap_grant(SCRATCH, DRIVER, DRIVER_AT + i);
        if (!err)
            err = l4_cap_replicate(BIG_OBJ, OWN_AT + i);
    }
    if (err) {
        printf("restarttest: big cannot make its copies: %s\n", l4_strerror(err));
        return 1;
    }
    /* given a space of driver's: a page of its memory mapped there, which is big's mapping,
     * standing on its memory capability (its restart takes it away) */
    if (!slot_empty(BIG_SPACE))
        err = l4_mem_map(L4_SLOT_MEMORY, 0, BIG_SPACE, MAP_VA, L4_MAP_READ);
    if (!err && !slot_empty(BIG_SPACE) && !slot_empty(BIG_MEM))
        err = l4_mem_map(BIG_MEM, 0, BIG_SPACE, MAP_VA2, L4_MAP_READ);
    if (err) {
        printf("restarttest: big cannot map into driver's space: %s\n", l4_strerror(err));
        return 1;
    }
    l4_notify_signal(BIG_READY);
    return 0; // what it made stays in the tables for its restart to take back
}

/* Is a page mapped at va in SPACE? driver's own memory cannot be mapped where one is. */
static bool page_mapped(l4_word_t va)
{
    l4_err_t err = l4_mem_map(L4_SLOT_MEMORY, 0, SPACE, va, L4_MAP_READ);

    if (!err)
        l4_mem_unmap(SPACE, va);
    return err == L4_EBUSY;
}

/* Is big's page mapped in SPACE? */
static bool big_mapped(void)
{
    return page_mapped(MAP_VA);
}

/* What big mapped into another container's space goes with its restart (in its last steps,
 * a space a step, once it holds no memory capability). */
static void mapping_swept(void)
{
    l4_word_t r[6] = {BIG};
    l4_err_t err = l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES),
                                   SPACE, NULL);

    /* big's program, held by a restart of a stopped big, finds the space when it runs */
    if (!err)
        err = l4_container_stop(BIG);
    if (!err)
        err = l4_container_restart(BIG);
    if (!err)
        err = l4_cap_replicate(SPACE, SCRATCH);
    if (!err)
        err = l4_cap_grant(SCRATCH, BIG, BIG_SPACE);
    if (!err)
        err = l4_container_start(BIG);
    if (!err)
        wait_ready();
    bool before = big_mapped();
    if (!err)
        err = interrupted_restart(LOOK, r);
    wait_ready();
    test_report("RESTART-005", !err && before && partial && !big_mapped(),
                "%s; mapped before %d, restart stopped part way %d, mapped after %d",
                l4_strerror(err), before, partial, big_mapped());
}

/*
 * A mapping lasts while its maker holds memory over it, restart or not: big maps a page of
 * memory driver split off and gave it; once its restart took that capability (the split's
 * range is MEMD's again), the mapping is gone, and a revoke of MEMD leaves none. Were big's
 * mappings taken only after its table's reset, a restart stopped in between (or whose caller
 * was killed there, for good) would leave them standing on nothing, out of driver's reach.
 */
static void mapping_follows_its_capability(void)
{
    l4_word_t r[6] = {BIG};
    l4_err_t err = l4_container_stop(BIG);

    if (!err)
        err = l4_container_restart(BIG);
    if (!err)
        err = l4_cap_replicate(SPACE, SCRATCH);
    if (!err)
        err = l4_cap_grant(SCRATCH, BIG, BIG_SPACE);
    if (!err)
        err = l4_cap_replicate(L4_SLOT_MEMORY, MEMD);
    if (!err)
        err = l4_cap_split(MEMD, MEMSPLIT, 4096);
    if (!err)
        err = l4_cap_grant(MEMSPLIT, BIG, BIG_MEM);
    if (!err)
        err = l4_container_start(BIG);
    if (!err)
        wait_ready();
    bool before = page_mapped(MAP_VA2);
    given_back = stale = false;
    if (!err)
        err = interrupted_restart(WATCH, r);
    wait_ready();
    test_report("RESTART-007", !err && before && given_back && !stale,
                "%s; mapped before %d, a stop after big's split came back %d, big's mapping of "
                "it still there then %d",
                l4_strerror(err), before, given_back, stale);
}

/* What container slot uses of each kind (L4_USAGE_WAITING aside: its threads end as they
 * will) into u. */
static void usage(l4_cap_t container, l4_word_t u[L4_USAGE_COUNT])
{
    l4_word_t total;

    for (unsigned k = 0; k < L4_USAGE_COUNT; k++) {
        u[k] = 0;
        if (k != L4_USAGE_WAITING)
            l4_container_usage(container, k, &u[k], &total);
    }
}

/*
 * Every unit comes back: driver makes an endpoint with the unit of big's pool big lent it
 * (which big's restart takes back, and the endpoint with it), and revokes, between two steps
 * of big's restart, the copies it granted into big's table (which the restart is taking back
 * too); afterwards big, running again and having made its objects again, uses what it used
 * before, of every kind, and so does driver.
 */
static void pools_come_back(void)
{
    l4_word_t r[6] = {BIG}, big0[L4_USAGE_COUNT], big1[L4_USAGE_COUNT];
    l4_word_t me0[L4_USAGE_COUNT], me1[L4_USAGE_COUNT];
    unsigned differ = L4_USAGE_COUNT;

    l4_word_t id;

    usage(BIG, big0);
    usage(L4_SLOT_CONTAINER, me0);
    l4_err_t err = l4_endpoint_create(LENT, LENT_EP, &id);
    if (!err)
        err = interrupted_restart(REVOKE, r);
    wait_ready();
    usage(BIG, big1);
    usage(L4_SLOT_CONTAINER, me1);
    for (unsigned k = 0; k < L4_USAGE_COUNT && differ == L4_USAGE_COUNT; k++) {
        if (big0[k] != big1[k] || me0[k] != me1[k])
            differ = k;
    }
    bool lent_back = slot_empty(LENT_EP) && !slot_empty(LENT);
    unsigned k = differ < L4_USAGE_COUNT ? differ : 0;
    test_report("RESTART-008",
                !err && !helper_err && partial && lent_back && big0[L4_POOL_ENDPOINTS] &&
                    differ == L4_USAGE_COUNT,
                "%s, the helper's revoke %s, stopped part way %d, the lent unit's endpoint gone "
                "and a unit lent again %d; first usage that differs %u (big %lu then %lu, "
                "driver %lu then %lu)",
                l4_strerror(err), l4_strerror(helper_err), partial, lent_back, differ, big0[k],
                big1[k], me0[k], me1[k]);
}

static long restarter(l4_word_t arg)
{
    (void)arg;
    return l4_container_restart(BIG);
}

/*
 * A restart whose caller is killed between two steps stays part way (no threads, not
 * counted), and the next restart of the container, by anyone, ends that one: counted once,
 * its table taken back whole.
 */
static void killed_caller(void)
{
    l4_err_t err = prepare_restart(KILL);

    left_part_way = false;
    if (!err)
        err = l4_thread_spawn(restarter, 0, 100, RESTARTER);
    if (!err) {
        arm_soon(); // the restarter runs once we wait
        wait_ready();
    }
    l4_word_t restarts = container_info(BIG).restarts;
    test_report("RESTART-009",
                !err && !helper_err && partial && left_part_way &&
                    restarts == restarts_before + 1 && big_copies() == N && capslots_used() == used,
                "%s, the helper's kill and restart %s, stopped part way %d, left part way %d, "
                "restarts %lu (from %lu), big's copies %u, slots used %lu (%lu)",
                l4_strerror(err), l4_strerror(helper_err), partial, left_part_way, restarts,
                restarts_before, big_copies(), capslots_used(), used);
}

/* What big made goes an object a step (each may cost a pass over every table): a restart
 * stops between the ends of its two endpoints. */
static void an_object_a_step(void)
{
    l4_word_t r[6] = {BIG};
    bool both = !slot_empty(EP_A) && !slot_empty(EP_B);

    one_of_two = false;
    l4_err_t err = interrupted_restart(STEPS, r);
    wait_ready();
    test_report("RESTART-010", !err && both && one_of_two,
                "%s; driver had both endpoints' copies %d, a stop with one of them gone %d",
                l4_strerror(err), both, one_of_two);
}

/*
 * A space big made is taken apart in steps by its restart (out of use first, then every
 * capability naming it removed, then its page tables): between them, driver's copy of it
 * can be neither copied nor moved, no thread bound to it; a map into it and the copy's
 * destroy are harmless; a restart of big then goes on with the one under way and ends it.
 */
static void space_in_steps(void)
{
    l4_word_t r[6] = {BIG}, id;
    bool had = !slot_empty(BSPACE);
    l4_err_t err = l4_captable_create(L4_SLOT_POOL(L4_POOL_CAPSLOTS), 4, TBL, &id);

    if (!err)
        err = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, 100, THR, &id);
    seen = false;
    for (unsigned i = 0; i < 8; i++)
        on_retired[i] = L4_EINVAL;
    if (!err)
        err = interrupted_restart(RETIRED, r);
    wait_ready();
    bool refused = true;
    for (unsigned i = 0; i < 6; i++)
        refused &= on_retired[i] == L4_ESTATE;
    l4_word_t restarts = container_info(BIG).restarts;
    test_report("RESTART-011",
                !err && had && seen && refused && !on_retired[6] && !on_retired[7] && !helper_err &&
                    restarts == restarts_before + 2 && !slot_empty(BSPACE) && big_copies() == N,
                "%s; seen %d: replicate, share, split, put, thread_create, _configure (ESTATE "
                "each) %d %d %d %d %d %d, map %d, destroy %d; restart %d, restarts %lu (%lu), "
                "copy %d",
                l4_strerror(err), seen, on_retired[0], on_retired[1], on_retired[2], on_retired[3],
                on_retired[4], on_retired[5], on_retired[6], on_retired[7], helper_err, restarts,
                restarts_before, !slot_empty(BSPACE));
    l4_thread_destroy(THR);
    l4_cap_destroy(TBL);
}

/* Its program is loaded in steps into a new space, after its table's rebuild: a stop there
 * (counted, no thread yet) refuses a grant into it, and another restart goes on with it. */
static void load_in_steps(void)
{
    l4_word_t r[6] = {BIG};

    seen = false;
    on_retired[0] = L4_OK;
    l4_err_t err = interrupted_restart(LOADING, r);
    wait_ready();
    l4_word_t restarts = container_info(BIG).restarts;
    test_report("RESTART-012",
                !err && seen && on_retired[0] == L4_ESTATE && !helper_err &&
                    restarts == restarts_before + 2 && big_copies() == N && capslots_used() == used,
                "%s; a stop while its program loads %d, a grant into it %s (ESTATE expected), "
                "the helper's restart %s, restarts %lu (from %lu), big's copies %u, slots used "
                "%lu (%lu)",
                l4_strerror(err), seen, l4_strerror(on_retired[0]), l4_strerror(helper_err),
                restarts, restarts_before, big_copies(), capslots_used(), used);
}

/* A restart whose caller is killed while a space big made is out of use leaves it so, and
 * the next restart of big, by anyone, takes it apart and ends the restart. */
static void killed_while_retired(void)
{
    l4_err_t err = prepare_restart(RETIRED_KILL);

    seen = left_part_way = false;
    if (!err)
        err = l4_thread_spawn(restarter, 0, 100, RESTARTER);
    if (!err) {
        arm_soon(); // the restarter runs once we wait
        wait_ready();
    }
    l4_word_t restarts = container_info(BIG).restarts;
    test_report("RESTART-013",
                !err && !helper_err && seen && left_part_way && restarts == restarts_before + 1 &&
                    !slot_empty(BSPACE) && big_copies() == N && capslots_used() == used,
                "%s, the helper's kill and restart %s, a stop with big's space out of use %d, "
                "left so %d, restarts %lu (from %lu), a new copy %d, big's copies %u",
                l4_strerror(err), l4_strerror(helper_err), seen, left_part_way, restarts,
                restarts_before, !slot_empty(BSPACE), big_copies());
}

int main(const char *arg)
{
    if (strcmp(arg, "big") == 0)
        return big();
    if (strcmp(arg, "pad") == 0)
        return 0; // its table is all it is for
    l4_err_t err = l4_irq_bind(IRQ, NTF);
    if (!err)
        err = l4_thread_spawn(helper, 0, 150, HELPER);
    if (err) {
        printf("restarttest: cannot set up: %s\n", l4_strerror(err));
        return 1;
    }
    driver();
    mapping_swept();
    mapping_follows_its_capability();
    pools_come_back();
    killed_caller();
    an_object_a_step();
    space_in_steps();
    load_in_steps();
    killed_while_retired();
    printf("restarttest: done\n");
    l4_thread_destroy(HELPER);
    return 0;
}
