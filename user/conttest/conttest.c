/* SPDX-License-Identifier: BSD-2-Clause */
/* Container control and isolation: CONT-xxx and ISO-xxx. One program, a role per container. */
#include "test.h"

#include <coffer/mem.h>

/* Slots the system file (tests/qemu/systems/conttest.toml) gives the supervisor. */
#define CRASHER      16 /* control, inspect */
#define WORKER       17 /* control, inspect */
#define SELF         18 /* control over its own container */
#define WORKER_LOOK  19 /* inspect only */
#define CRASHER_CTRL 20 /* control only */
#define SUPER        16 /* the crasher's: the supervisor's container, to grant into */
#define LENT_UNITS   30 /* what the crasher lends the supervisor before it crashes */
#define LENT_SPACE   31
#define POOL_THR     L4_SLOT_POOL(L4_POOL_THREADS)
#define POOL_SPC     L4_SLOT_POOL(L4_POOL_SPACES)
#define POOL_PT      L4_SLOT_POOL(L4_POOL_PAGETABLES)

static void wait_ticks(l4_word_t n)
{
    l4_word_t start = test_ticks();

    while (test_ticks() - start < n)
        l4_thread_yield();
}

static void inspect_errors(void)
{
    EXPECT_ERR("CONT-001", l4_container_inspect(L4_SLOT_SPACE, NULL, NULL, NULL, NULL, NULL, NULL),
               L4_ECAP);
    EXPECT_ERR("CONT-002", l4_container_inspect(CRASHER_CTRL, NULL, NULL, NULL, NULL, NULL, NULL),
               L4_ERIGHTS);
    struct container_info me = container_info(L4_SLOT_CONTAINER);
    test_report("CONT-003", me.state == 0 && me.threads == 1 && me.spaces == 1 && me.faults == 0,
                "own state %lu threads %lu spaces %lu faults %lu", me.state, me.threads, me.spaces,
                me.faults);
}

/* container_name: what the system file calls a container, so supervisors can say it */
static void names(void)
{
    char name[L4_NAME_LEN + 1] = "x";
    EXPECT_ERR("CONT-024", l4_container_name_str(L4_SLOT_SPACE, name), L4_ECAP);
    test_report("CONT-025", name[0] == '\0', "a refused name reads as \"%s\"", name);
    EXPECT_ERR("CONT-026", l4_container_name_str(CRASHER_CTRL, name), L4_ERIGHTS);
    l4_err_t err = l4_container_name_str(WORKER_LOOK, name);
    test_report("CONT-027", err == L4_OK && strcmp(name, "worker") == 0, "%s, name \"%s\"",
                l4_strerror(err), name);
    err = l4_container_name_str(L4_SLOT_CONTAINER, name);
    test_report("CONT-028", err == L4_OK && strcmp(name, "super") == 0, "%s, own name \"%s\"",
                l4_strerror(err), name);
}

static void stop_and_start(void)
{
    EXPECT_ERR("CONT-004", l4_container_stop(L4_SLOT_THREAD), L4_ECAP);
    EXPECT_ERR("CONT-005", l4_container_stop(WORKER_LOOK), L4_ERIGHTS);
    EXPECT_ERR("CONT-006", l4_container_stop(WORKER), L4_OK);
    printf("super: stopped worker\n");
    test_report("CONT-007", container_info(WORKER_LOOK).state == 1, "worker not reported stopped");
    EXPECT_ERR("CONT-008", l4_container_stop(WORKER), L4_ESTATE);
    wait_ticks(40); // the worker prints every 10 ticks when it runs: it must stay silent
    printf("super: starting worker\n");
    EXPECT_ERR("CONT-009", l4_container_start(L4_SLOT_DEBUG), L4_ECAP);
    EXPECT_ERR("CONT-010", l4_container_start(WORKER_LOOK), L4_ERIGHTS);
    EXPECT_ERR("CONT-011", l4_container_start(WORKER), L4_OK);
    EXPECT_ERR("CONT-012", l4_container_start(WORKER), L4_ESTATE);
}

static void restart(void)
{
    EXPECT_ERR("CONT-013", l4_container_restart(L4_SLOT_SPACE), L4_ECAP);
    EXPECT_ERR("CONT-014", l4_container_restart(WORKER_LOOK), L4_ERIGHTS);
    EXPECT_ERR("CONT-015", l4_container_restart(SELF), L4_ESTATE);
    struct container_info c = container_info(CRASHER);
    for (int i = 0; i < 1000 && c.faults == 0; i++) {
        l4_thread_yield();
        c = container_info(CRASHER);
    }
    test_report("CONT-016", c.faults == 1 && c.fault_addr == 0xdead000 && c.threads == 1,
                "crasher faults %lu at %lx, threads %lu", c.faults, c.fault_addr, c.threads);
    l4_word_t units = 0, used = ~0ul;
    l4_cap_read(LENT_UNITS, NULL, NULL, NULL, &units, &used, NULL);
    bool lent = units == 4 && !l4_cap_read(LENT_SPACE, NULL, NULL, NULL, NULL, NULL, NULL);
    EXPECT_ERR("CONT-017", l4_container_restart(CRASHER), L4_OK);
    c = container_info(CRASHER);
    /* its new thread may already have run to completion: at most one thread, one space; and
     * what it lent before the crash came back with the restart */
    bool back = l4_cap_read(LENT_UNITS, NULL, NULL, NULL, NULL, NULL, NULL) == L4_ECAP &&
                l4_cap_read(LENT_SPACE, NULL, NULL, NULL, NULL, NULL, NULL) == L4_ECAP;
    test_report("CONT-018",
                c.restarts == 1 && c.faults == 1 && c.threads <= 1 && c.spaces == 1 && lent && back,
                "after restart: restarts %lu faults %lu threads %lu spaces %lu; lent %d, back %d",
                c.restarts, c.faults, c.threads, c.spaces, lent, back);
    /* a container restarted while stopped stays stopped, and runs once started */
    EXPECT_ERR("CONT-019", l4_container_stop(CRASHER), L4_OK);
    EXPECT_ERR("CONT-020", l4_container_restart(CRASHER), L4_OK);
    wait_ticks(20); // let run, its new thread would print and end by now
    c = container_info(CRASHER);
    test_report("CONT-022", c.state == 1 && c.threads == 1,
                "restarted while stopped: state %lu, threads %lu", c.state, c.threads);
    EXPECT_ERR("CONT-021", l4_container_start(CRASHER), L4_OK);
}

static int supervisor(void)
{
    inspect_errors();
    names();
    stop_and_start();
    restart();
    printf("super: done\n");
    return 0;
}

#define REGION_VA 0x20000000ull

static int crasher(void)
{
    struct container_info me = container_info(L4_SLOT_CONTAINER);

    if (me.restarts == 0) {
        /* lend the supervisor thread units and a space capability: the restart takes them */
        l4_cap_split(POOL_THR, 20, 4);
        l4_cap_grant(20, SUPER, LENT_UNITS);
        l4_cap_replicate(L4_SLOT_SPACE, 21);
        l4_cap_grant(21, SUPER, LENT_SPACE);
        /* a page of its region, mapped and unmapped: it stays the region's, so the restart
         * finds exactly its program's frames back (tests.toml forbids the kernel's complaint) */
        l4_err_t map =
            l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, REGION_VA, L4_MAP_READ | L4_MAP_WRITE);
        if (map == L4_OK)
            *(volatile l4_word_t *)REGION_VA = 1;
        l4_err_t unmap = l4_mem_unmap(L4_SLOT_SPACE, REGION_VA);
        test_report("CONT-023", map == L4_OK && unmap == L4_OK, "map %s, unmap %s",
                    l4_strerror(map), l4_strerror(unmap));
        printf("crasher: crashing on purpose\n");
        *(volatile int *)0xdead000 = 1;
    }
    printf("crasher: recovered after %lu restart(s)\n", me.restarts);
    return 0;
}

static int worker(void)
{
    for (int i = 0; i < 30; i++) {
        wait_ticks(10);
        printf("worker: tick %d\n", i);
    }
    return 0;
}

/* Runs first (higher priority) and takes everything its pools allow, then holds it. */
static int hog(void)
{
    unsigned threads = 0, spaces = 0;

    while (l4_thread_create(POOL_THR, L4_SLOT_SPACE, 10, 20 + threads, NULL) == L4_OK)
        threads++;
    while (l4_space_create(POOL_SPC, POOL_PT, 40 + spaces, NULL) == L4_OK)
        spaces++;
    printf("hog: took %u threads and %u spaces, holding them\n", threads, spaces);
    l4_thread_suspend(L4_SLOT_THREAD);
    return 0;
}

static long nothing(l4_word_t arg)
{
    return (long)arg;
}

/* A container with no capabilities to the hog: unaffected by it, and unable to touch it. */
static int checker(void)
{
    l4_err_t t = l4_thread_spawn(nothing, 0, 50, 20);
    l4_err_t s = l4_space_create(POOL_SPC, POOL_PT, 21, NULL);
    test_report("ISO-001", t == L4_OK && s == L4_OK, "after the hog: thread %s, space %s",
                l4_strerror(t), l4_strerror(s));
    l4_cap_destroy(21);
    l4_thread_destroy(20);
    l4_word_t slot;
    EXPECT_ERR("ISO-002", l4_cap_next(L4_SLOT_MEMORY + 1, &slot), L4_ERANGE);
    unsigned reached = 0;
    for (l4_cap_t k = L4_SLOT_FIRST_FREE; k < 64; k++)
        reached += l4_thread_suspend(k) != L4_ECAP || l4_container_stop(k) != L4_ECAP;
    test_report("ISO-003", reached == 0, "%u slots named something", reached);
    /* its own container capability cannot stop, restart or receive */
    EXPECT_ERR("ISO-004", l4_container_stop(L4_SLOT_CONTAINER), L4_ERIGHTS);
    EXPECT_ERR("ISO-005", l4_cap_grant(L4_SLOT_DEBUG, L4_SLOT_CONTAINER, 30), L4_ERIGHTS);
    printf("checker: done\n");
    return 0;
}

int main(const char *arg)
{
    if (strcmp(arg, "super") == 0)
        return supervisor();
    if (strcmp(arg, "crasher") == 0)
        return crasher();
    if (strcmp(arg, "worker") == 0)
        return worker();
    if (strcmp(arg, "hog") == 0)
        return hog();
    if (strcmp(arg, "checker") == 0)
        return checker();
    printf("conttest: unknown role '%s'\n", arg);
    return 1;
}
