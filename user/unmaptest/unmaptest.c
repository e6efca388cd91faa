/* SPDX-License-Identifier: BSD-2-Clause */
/* UNMAP-xxx: what a memory capability's change unmaps, and mem_protect and mem_share, in steps:
 * stopped part way by an interrupt, and what other threads see meanwhile. */
/*
 * tests/qemu/systems/unmaptest.toml. A worker maps PAGES pages of PART (a part split off the
 * region) writable into the container's space, arms the timer and narrows PART to read-only
 * (cap_deduce) or grants it to the container sink: the unmap of every writable mapping is
 * the call's debt, paid in steps after the change and before it returns
 * (kernel/object/unmap_debt.c), lowest address first in each space. Or it changes or shares
 * RANGE of them (mem_protect, mem_share), RANGE_STEP pages a step. The helper (priority 150,
 * woken by the interrupt) runs between two steps and does what the test asks. Under -icount
 * shift=0 the interrupt falls at the same instruction every run.
 */
#include "clocksrc.h"
#include "test.h"

#include <coffer/mem.h>
#include <coffer/regs.h>
#include <coffer/thread.h>

#define MEM          L4_SLOT_MEMORY
#define SPACE        L4_SLOT_SPACE
#define NTF          16 /* the helper's notification: the interrupt's bit */
#define DEV          18 /* the timer: the PIT's ports 0x40..0x43 (CNTP: none) */
#define IRQ          19 /* its interrupt: the PIT's I/O APIC line 2, CNTP's line 23 */
#define SELF         20 /* our container, inspect: the faults of our threads */
#define SINK         21 /* the container sink, receive: PART is granted there */
#define HELPER       22
#define WORKER       23
#define TOUCHER      24
#define PART         25
#define SPARE        26 /* a space of ours: mem_share's destination */
#define SMALL        27 /* MEM's last page, which the helper narrows in a call of its own */
#define SINK_SLOT    30
#define PAGE         4096ull
#define KEEP         0x100000ull /* what MEM keeps: PART starts there */
#define PAGES        2048 /* PART: the region (tests/qemu/systems/unmaptest.toml) less KEEP */
#define RANGE        L4_MEM_RANGE_MAX
#define VA           0x40000000ull
#define LAST         (VA + (PAGES - 1) * PAGE)
#define RW           (L4_MAP_READ | L4_MAP_WRITE)
/* ns, as many instructions under icount (30 and 120 PIT periods): early in a range call (about
 * 50,000 and 110,000 instructions), and half way through a deduce's or a grant's debt (about
 * 220,000 in all, with the debug build's check of every table after the change) */
#define SOON_RANGE   25140
#define STARVE_TICKS 50 /* the helper spins this long: the debt is a dozen steps */
#define SOON_DEBT    100560

enum action { NOTHING, WAKE, LOOK, TOUCH, SUSPEND, KILL, MOVE, STARVE };
enum call { DEDUCE, GRANT, PROTECT, SHARE };

static volatile enum action action;
static volatile enum call call;
static volatile bool woke, in_call, stopped_in_call, moved;
static volatile l4_err_t first_gone, last_there, own_call, helper_err, worker_err;
static volatile l4_word_t worker_n, touched, faults_seen, fault_at;
static l4_word_t moved_stack[512] __attribute__((aligned(16)));

/* A sibling in the same space: the last page is not reached yet and reads as it was; the
 * first is gone, and reading it faults (no fault endpoint: the thread stops, counted). */
static long toucher(l4_word_t arg)
{
    (void)arg;
    touched = *(volatile l4_word_t *)LAST;
    touched += *(volatile l4_word_t *)VA; // never: it faults here
    return 0;
}

static void moved_here(void)
{
    moved = true;
    l4_thread_exit(5);
}

static void look(void)
{
    first_gone = l4_mem_unmap(SPACE, VA);   // ESTATE: the first step took it
    last_there = l4_mem_unmap(SPACE, LAST); // OK: not reached yet (now it is gone)
}

static void touch(void)
{
    l4_word_t faults = container_info(SELF).faults;

    helper_err = l4_thread_spawn(toucher, 0, 160, TOUCHER); // above us: runs at once
    struct container_info c = container_info(SELF);
    faults_seen = c.faults - faults;
    fault_at = c.fault_addr;
    l4_thread_destroy(TOUCHER);
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
        stopped_in_call = in_call;
        if (action == LOOK) {
            /* a call of our own that owes unmaps: it pays its own, none of the worker's */
            own_call = l4_cap_split(MEM, SMALL, KEEP - PAGE);
            struct cap_info k = cap_info(SMALL);
            if (!own_call)
                own_call = l4_cap_deduce(SMALL, L4_RIGHTS_CAP | L4_MEM_READ, k.a, k.b);
            l4_cap_destroy(SMALL);
            look();
        } else if (action == TOUCH) {
            touch();
        } else if (action == SUSPEND) {
            helper_err = l4_thread_suspend(WORKER);
            last_there = l4_mem_unmap(SPACE, LAST); // ESTATE: the suspension paid it all
            if (!helper_err)
                helper_err = l4_thread_resume(WORKER);
        } else if (action == KILL) {
            helper_err = l4_thread_destroy(WORKER);
            last_there = l4_mem_unmap(SPACE, LAST);
        } else if (action == STARVE) { // the worker never runs meanwhile: the ticks pay
            for (l4_word_t t0 = test_ticks(); test_ticks() - t0 < STARVE_TICKS;)
                ;
            stopped_in_call = in_call;
            last_there = l4_mem_unmap(SPACE, LAST);
        } else if (action == MOVE) {
            struct l4_regs r;
            helper_err = l4_thread_regs(WORKER, L4_REGS_GET, NULL, &r);
            L4_REGS_IP(&r) = (l4_word_t)moved_here;
            L4_REGS_SP(&r) = L4_ENTRY_SP(&moved_stack[512]); // entered as a function
            if (!helper_err)
                helper_err = l4_thread_regs(WORKER, L4_REGS_SET, &r, NULL);
            last_there = l4_mem_unmap(SPACE, LAST);
        }
        action = NOTHING;
    }
    return 0;
}

static long worker(l4_word_t arg)
{
    l4_word_t n = 0;
    l4_err_t err = L4_EINVAL;

    (void)arg;
    clocksrc_arm(DEV, call == PROTECT || call == SHARE ? SOON_RANGE : SOON_DEBT);
    (void)*(volatile l4_word_t *)VA; // its translation in the TLB: a step must take it out
    in_call = true;
    struct cap_info k = cap_info(PART);
    if (call == DEDUCE)
        err = l4_cap_deduce(PART, L4_RIGHTS_CAP | L4_MEM_READ, k.a, k.b);
    else if (call == GRANT)
        err = l4_cap_grant(PART, SINK, SINK_SLOT);
    else if (call == PROTECT)
        err = l4_mem_protect(PART, SPACE, VA, RANGE, L4_MAP_READ, &n);
    else
        err = l4_mem_share(PART, SPACE, SPARE, VA, RANGE, L4_MAP_READ, &n);
    in_call = false;
    worker_err = err;
    worker_n = n;
    return 0;
}

/* PART split off, its pages mapped writable at VA, each written (the TLB holds them). */
static l4_err_t map_part(void)
{
    l4_err_t err = l4_cap_split(MEM, PART, KEEP);

    for (l4_word_t i = 0; i < PAGES && !err; i++) {
        err = l4_mem_map(PART, i * PAGE, SPACE, VA + i * PAGE, RW);
        if (!err)
            *(volatile l4_word_t *)(VA + i * PAGE) = i + 1;
    }
    return err;
}

/* What is left of PART goes: its writable mappings with its write right, then PART itself
 * (after a grant, from sink's table: a revoke of MEM takes it back). */
static void drop_part(void)
{
    struct cap_info k = cap_info(PART);
    if (!slot_empty(PART))
        l4_cap_deduce(PART, L4_RIGHTS_CAP | L4_MEM_READ, k.a, k.b);
    l4_cap_revoke(MEM);
    l4_cap_destroy(PART);
}

/* The worker makes the call with the helper set to act; its exit code. */
static l4_word_t interrupted(enum call what, enum action then)
{
    l4_word_t code = 0xdead;

    woke = stopped_in_call = moved = false;
    first_gone = last_there = own_call = helper_err = worker_err = L4_EINVAL;
    worker_n = touched = faults_seen = fault_at = 0;
    call = what;
    action = then;
    if (!l4_thread_spawn(worker, 0, 100, WORKER))
        code = join_thread(WORKER);
    l4_cap_destroy(WORKER);
    action = NOTHING;
    return code;
}

/* Is every page of PART unmapped (the first, one in the middle and the last but one)? */
static bool all_gone(void)
{
    return l4_mem_unmap(SPACE, VA) == L4_ESTATE &&
           l4_mem_unmap(SPACE, VA + PAGES / 2 * PAGE) == L4_ESTATE &&
           l4_mem_unmap(SPACE, LAST - PAGE) == L4_ESTATE;
}

static void debt_tests(void)
{
    l4_err_t err = map_part();

    interrupted(DEDUCE, LOOK);
    test_report("UNMAP-001",
                !err && woke && stopped_in_call && first_gone == L4_ESTATE && last_there == L4_OK &&
                    own_call == L4_OK && worker_err == L4_OK && all_gone(),
                "%s; stopped in the deduce %d, first page gone %s, last still mapped %s, the "
                "helper's own deduce %s, the worker's deduce %s, every page gone after %d",
                l4_strerror(err), stopped_in_call, l4_strerror(first_gone), l4_strerror(last_there),
                l4_strerror(own_call), l4_strerror(worker_err), all_gone());
    drop_part();

    err = map_part();
    interrupted(DEDUCE, TOUCH);
    test_report("UNMAP-002",
                !err && stopped_in_call && helper_err == L4_OK && touched == PAGES &&
                    faults_seen == 1 && fault_at == VA && worker_err == L4_OK && all_gone(),
                "%s; stopped in the deduce %d, the sibling read the last page as %lu, faults "
                "%lu at %lx, the deduce %s",
                l4_strerror(err), stopped_in_call, touched, faults_seen, fault_at,
                l4_strerror(worker_err));
    drop_part();

    err = map_part();
    interrupted(DEDUCE, SUSPEND);
    test_report("UNMAP-003",
                !err && stopped_in_call && helper_err == L4_OK && last_there == L4_ESTATE &&
                    worker_err == L4_OK && all_gone(),
                "%s; stopped in the deduce %d, suspend and resume %s, the last page at once "
                "%s, the deduce, resumed, %s",
                l4_strerror(err), stopped_in_call, l4_strerror(helper_err), l4_strerror(last_there),
                l4_strerror(worker_err));
    drop_part();

    err = map_part();
    interrupted(DEDUCE, KILL);
    test_report("UNMAP-004",
                !err && stopped_in_call && helper_err == L4_OK && last_there == L4_ESTATE &&
                    worker_err == L4_EINVAL && all_gone(),
                "%s; stopped in the deduce %d, the kill %s, the last page at once %s, the call "
                "never returned %d",
                l4_strerror(err), stopped_in_call, l4_strerror(helper_err), l4_strerror(last_there),
                worker_err == L4_EINVAL);
    drop_part();

    err = map_part();
    l4_word_t code = interrupted(DEDUCE, MOVE);
    test_report("UNMAP-005",
                !err && stopped_in_call && helper_err == L4_OK && last_there == L4_ESTATE &&
                    moved && code == 5 && worker_err == L4_EINVAL && all_gone(),
                "%s; stopped in the deduce %d, its registers set %s, the last page at once %s, "
                "it went on where they said %d (exit %lu)",
                l4_strerror(err), stopped_in_call, l4_strerror(helper_err), l4_strerror(last_there),
                moved, code);
    drop_part();

    err = map_part();
    interrupted(DEDUCE, STARVE);
    test_report("UNMAP-010",
                !err && stopped_in_call && last_there == L4_ESTATE && worker_err == L4_OK &&
                    all_gone(),
                "%s; still in the deduce after %u ticks %d, the last page %s, the deduce %s",
                l4_strerror(err), STARVE_TICKS, stopped_in_call, l4_strerror(last_there),
                l4_strerror(worker_err));
    drop_part();

    err = map_part();
    interrupted(GRANT, LOOK);
    test_report("UNMAP-006",
                !err && stopped_in_call && first_gone == L4_ESTATE && last_there == L4_OK &&
                    worker_err == L4_OK && slot_empty(PART) && all_gone(),
                "%s; stopped in the grant %d, first page gone %s, last still mapped %s, the "
                "grant %s, every page gone after %d",
                l4_strerror(err), stopped_in_call, l4_strerror(first_gone), l4_strerror(last_there),
                l4_strerror(worker_err), all_gone());
    drop_part();
}

static void range_tests(void)
{
    l4_word_t id, n = 0;
    l4_err_t err = map_part();

    if (!err)
        err = l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), SPARE,
                              &id);
    /* results written over the arguments would make the rerun another call */
    interrupted(PROTECT, WAKE);
    test_report("UNMAP-007", !err && stopped_in_call && worker_err == L4_OK && worker_n == RANGE,
                "%s; stopped in mem_protect %d, mem_protect %s, %lu pages changed",
                l4_strerror(err), stopped_in_call, l4_strerror(worker_err), worker_n);

    interrupted(SHARE, WAKE);
    l4_err_t last_shared = l4_mem_unmap(SPARE, VA + (RANGE - 1) * PAGE);
    test_report("UNMAP-008",
                !err && stopped_in_call && worker_err == L4_OK && worker_n == RANGE &&
                    last_shared == L4_OK,
                "%s; stopped in mem_share %d, mem_share %s, %lu pages shared, the last in the "
                "destination %s",
                l4_strerror(err), stopped_in_call, l4_strerror(worker_err), worker_n,
                l4_strerror(last_shared));

    /* the range's last page is taken in the destination: what the first steps shared goes */
    l4_err_t busy = l4_mem_map(PART, (RANGE - 1) * PAGE, SPARE, VA + (RANGE - 1) * PAGE, RW);
    for (l4_word_t i = 0; i < RANGE - 1; i++)
        l4_mem_unmap(SPARE, VA + i * PAGE);
    l4_err_t shared = l4_mem_share(PART, SPACE, SPARE, VA, RANGE, L4_MAP_READ, &n);
    test_report("UNMAP-009",
                !err && busy == L4_OK && shared == L4_EBUSY &&
                    l4_mem_unmap(SPARE, VA) == L4_ESTATE &&
                    l4_mem_unmap(SPARE, VA + 200 * PAGE) == L4_ESTATE,
                "%s; the last page mapped %s, mem_share %s", l4_strerror(err), l4_strerror(busy),
                l4_strerror(shared));
    l4_cap_destroy(SPARE);
    drop_part();
}

int main(const char *arg)
{
    (void)arg;
    l4_err_t err = l4_irq_bind(IRQ, NTF);
    if (!err)
        err = l4_thread_spawn(helper, 0, 150, HELPER);
    if (err) {
        printf("unmaptest: cannot set up: %s\n", l4_strerror(err));
        return 1;
    }
    debt_tests();
    range_tests();
    printf("unmaptest: done\n");
    l4_thread_destroy(HELPER);
    return 0;
}
