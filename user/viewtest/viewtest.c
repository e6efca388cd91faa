/* SPDX-License-Identifier: BSD-2-Clause */
/* VIEW-xxx: container_usage, the live view: its figures follow what a container makes and
 * destroys, and nobody reads them without a container capability with L4_CONT_INSPECT. */
#include "test.h"

#include <string.h>

#define PEER_INSPECT 16 /* viewer: the peer container, inspect right */
#define PEER_CONTROL 17 /* viewer: the same, control right only */
#define SCRATCH      20 /* viewer: where it makes objects */
#define SCRATCH2     21

struct usage {
    l4_word_t used, total;
};

static struct usage usage(l4_cap_t container, l4_word_t what)
{
    struct usage u = {~0ul, ~0ul};

    l4_container_usage(container, what, &u.used, &u.total);
    return u;
}

static struct usage own(l4_word_t what)
{
    return usage(L4_SLOT_CONTAINER, what);
}

/* Making an object of kind raises its pool's use by one; destroying it lowers it again. */
static void object_counted(const char *id, unsigned kind,
                           l4_err_t (*make)(l4_cap_t, l4_cap_t, l4_word_t *))
{
    struct usage before = own(kind);
    l4_word_t x;
    l4_err_t err = make(L4_SLOT_POOL(kind), SCRATCH, &x);
    struct usage made = own(kind);
    l4_cap_destroy(SCRATCH);
    struct usage after = own(kind);

    test_report(id,
                !err && made.used == before.used + 1 && after.used == before.used &&
                    made.total == before.total && before.total == cap_info(L4_SLOT_POOL(kind)).b,
                "kind %u: %s; used %lu, then %lu, then %lu of %lu", kind, l4_strerror(err),
                before.used, made.used, after.used, before.total);
}

static long blocked_thread(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    l4_notify_wait(SCRATCH2, &x); // nobody signals: it waits until destroyed
    return 0;
}

/* A new thread counts in the thread pool, and in the waiting threads once it blocks. */
static void threads_counted(void)
{
    struct usage pool = own(L4_POOL_THREADS), waiting = own(L4_USAGE_WAITING);
    l4_word_t x;
    l4_err_t err = l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), SCRATCH2, &x);

    if (!err)
        err = l4_thread_spawn(blocked_thread, 0, 100, SCRATCH);
    yield_n(3); // a lower-priority thread blocks once it runs
    struct usage pool2 = own(L4_POOL_THREADS), waiting2 = own(L4_USAGE_WAITING);
    l4_thread_destroy(SCRATCH);
    l4_cap_destroy(SCRATCH2);
    struct usage waiting3 = own(L4_USAGE_WAITING);

    test_report("VIEW-003",
                !err && pool2.used == pool.used + 1 && waiting.used == 0 && waiting.total == 1 &&
                    waiting2.used == 1 && waiting2.total == 2 && waiting3.used == 0 &&
                    waiting3.total == 1,
                "%s; threads %lu then %lu; waiting %lu/%lu, %lu/%lu, %lu/%lu", l4_strerror(err),
                pool.used, pool2.used, waiting.used, waiting.total, waiting2.used, waiting2.total,
                waiting3.used, waiting3.total);
}

static l4_err_t make_space(l4_cap_t pool, l4_cap_t dest, l4_word_t *id)
{
    return l4_space_create(pool, L4_SLOT_POOL(L4_POOL_PAGETABLES), dest, id);
}

/* A space takes a space unit and a page-table unit (its root); slots and memory are counted. */
static void space_slots_memory(void)
{
    struct usage pt = own(L4_POOL_PAGETABLES), slots = own(L4_POOL_CAPSLOTS);
    l4_word_t x;
    l4_err_t err = make_space(L4_SLOT_POOL(L4_POOL_SPACES), SCRATCH, &x);
    struct usage pt2 = own(L4_POOL_PAGETABLES), slots2 = own(L4_POOL_CAPSLOTS);
    l4_cap_destroy(SCRATCH);
    struct usage pt3 = own(L4_POOL_PAGETABLES), mem = own(L4_USAGE_MEMORY);

    test_report("VIEW-004", !err && pt2.used == pt.used + 1 && pt3.used == pt.used,
                "%s; page tables %lu, %lu, %lu of %lu", l4_strerror(err), pt.used, pt2.used,
                pt3.used, pt.total);
    test_report("VIEW-005", slots2.used == slots.used + 1 && slots.total == 64,
                "slots %lu then %lu of %lu", slots.used, slots2.used, slots.total);
    test_report("VIEW-006", mem.total == 1024 * 1024 && mem.used > 0 && mem.used < mem.total,
                "memory %lu of %lu bytes", mem.used, mem.total);
}

/* Another container's figures, through a capability to it with the inspect right; every
 * error: no container capability, no inspect right, a bad what. */
static void peer_and_errors(void)
{
    struct usage ep = usage(PEER_INSPECT, L4_POOL_ENDPOINTS);
    struct usage th = usage(PEER_INSPECT, L4_POOL_THREADS);
    l4_word_t x;

    test_report("VIEW-007", ep.used == 2 && ep.total == 3 && th.used == 1 && th.total == 2,
                "peer endpoints %lu/%lu, threads %lu/%lu", ep.used, ep.total, th.used, th.total);
    EXPECT_ERR("VIEW-008", l4_container_usage(PEER_CONTROL, 0, &x, &x), L4_ERIGHTS);
    EXPECT_ERR("VIEW-009", l4_container_usage(SCRATCH, 0, &x, &x), L4_ECAP);
    EXPECT_ERR("VIEW-010", l4_container_usage(L4_SLOT_POOL(0), 0, &x, &x), L4_ECAP);
    EXPECT_ERR("VIEW-011", l4_container_usage(L4_SLOT_CONTAINER, L4_USAGE_COUNT, &x, &x),
               L4_EINVAL);
    EXPECT_ERR("VIEW-012", l4_container_usage(L4_SLOT_CONTAINER, ~0ul, &x, &x), L4_EINVAL);
}

static void viewer(void)
{
    object_counted("VIEW-001", L4_POOL_ENDPOINTS, l4_endpoint_create);
    object_counted("VIEW-002", L4_POOL_NOTIFICATIONS, l4_notification_create);
    threads_counted();
    space_slots_memory();
    peer_and_errors();
    printf("viewtest: done\n");
}

/*
 * The peer holds no capability to another container: no slot of its table but its own
 * container slot lets it read anything (it cannot name the viewer at all).
 */
static void peer(void)
{
    unsigned readable = 0, bad = 0;

    for (l4_cap_t slot = 0; slot < 64; slot++) {
        l4_word_t x;
        l4_err_t err = l4_container_usage(slot, L4_POOL_THREADS, &x, &x);
        readable += err == L4_OK;
        bad += slot != L4_SLOT_CONTAINER && err != L4_ECAP;
    }
    test_report("VIEW-013", readable == 1 && bad == 0, "%u slots readable, %u not ECAP", readable,
                bad);
    l4_thread_suspend(L4_SLOT_THREAD); // stays, for the viewer to count; resumed by nobody
}

int main(const char *arg)
{
    if (strcmp(arg, "peer") == 0)
        peer();
    else
        viewer();
    return 0;
}
