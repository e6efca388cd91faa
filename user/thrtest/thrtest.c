/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread and space system call conformance: THR-xxx (one per documented error) and SYS-xxx. */
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/syscall_nr.h>
#include <coffer/thread.h>

#define USER_TOP   L4_USER_TOP
#define T          20     /* an inactive thread the error tests poke at */
#define T_NORIGHTS 21     /* the same thread, with no thread rights at all */
#define T_READONLY 22     /* the same thread, L4_THR_READ only */
#define SPARE      23     /* scratch slots 23..29 */
#define EMPTY      63     /* never used */
#define FAR        100000 /* beyond any table */
#define POOL_THR   L4_SLOT_POOL(L4_POOL_THREADS)
#define POOL_SPC   L4_SLOT_POOL(L4_POOL_SPACES)
#define POOL_PT    L4_SLOT_POOL(L4_POOL_PAGETABLES)

/* The priority tests/qemu/systems/thrtest.toml gives this container (not the default 100). */
#define CONFIGURED_PRIO 120

/* The container "low" of tests/qemu/systems/thrtest.toml, and the slots that reach it. */
#define LOW_CEILING 50
#define LOW         16 /* thrtest: the container low, receive */
#define LOW_EP      17 /* thrtest: low's endpoint, send; low: its own endpoint */
#define LOW_GIVEN   20 /* low: where thrtest's thread arrives */
#define LOW_THREAD  18 /* thrtest: where low's thread arrives */
#define THRTEST     16 /* low: the container thrtest, receive */

static l4_word_t own_prio;
static volatile long ran_with;

static l4_err_t make_thread(l4_cap_t dest, l4_word_t prio)
{
    return l4_thread_create(POOL_THR, L4_SLOT_SPACE, prio, dest, NULL);
}

/* A copy of src in dest with only the given rights. */
static void weaker_copy(l4_cap_t src, l4_cap_t dest, l4_word_t rights)
{
    l4_cap_replicate(src, dest);
    l4_cap_deduce(dest, rights, 0, 0);
}

static long record_arg(l4_word_t arg)
{
    ran_with = (long)arg;
    return 7;
}

static void create_errors(void)
{
    EXPECT_ERR("THR-001", l4_thread_create(L4_SLOT_DEBUG, L4_SLOT_SPACE, 10, SPARE, NULL), L4_ECAP);
    EXPECT_ERR("THR-002", l4_thread_create(POOL_SPC, L4_SLOT_SPACE, 10, SPARE, NULL), L4_ECAP);
    EXPECT_ERR("THR-003", l4_thread_create(POOL_THR, EMPTY, 10, SPARE, NULL), L4_ECAP);
    /* a one-unit part of the thread pool without L4_POOL_ALLOC */
    l4_cap_split(POOL_THR, SPARE + 1, 1);
    l4_cap_deduce(SPARE + 1, L4_RIGHTS_CAP, L4_POOL_THREADS, 1);
    EXPECT_ERR("THR-004", l4_thread_create(SPARE + 1, L4_SLOT_SPACE, 10, SPARE, NULL), L4_ERIGHTS);
    l4_cap_destroy(SPARE + 1); // the unit goes back to the pool
    weaker_copy(L4_SLOT_SPACE, SPARE + 2, L4_RIGHTS_CAP | L4_SPACE_MAP);
    EXPECT_ERR("THR-005", l4_thread_create(POOL_THR, SPARE + 2, 10, SPARE, NULL), L4_ERIGHTS);
    l4_cap_destroy(SPARE + 2);
    EXPECT_ERR("THR-006", make_thread(SPARE, own_prio + 1), L4_ERANGE);
    EXPECT_ERR("THR-007", make_thread(SPARE, 256), L4_ERANGE);
    EXPECT_ERR("THR-008", make_thread(FAR, 10), L4_ECAP);
    EXPECT_ERR("THR-009", make_thread(L4_SLOT_DEBUG, 10), L4_EBUSY);
    /* THR-010: the pool runs out with ENOMEM; the units come back on destroy (THR-011) */
    unsigned n = 0;
    l4_err_t err;
    while ((err = make_thread(30 + n, 10)) == L4_OK && n < 32)
        n++;
    test_report("THR-010", err == L4_ENOMEM && n == 14, "after %u threads: %s", n,
                l4_strerror(err));
    for (unsigned i = 0; i < n; i++)
        l4_thread_destroy(30 + i);
    EXPECT_ERR("THR-011", make_thread(SPARE, 10), L4_OK);
    l4_thread_destroy(SPARE);
}

static void configure_errors(void)
{
    EXPECT_ERR("THR-012", l4_thread_configure(L4_SLOT_SPACE, L4_THREAD_PRIORITY, 5), L4_ECAP);
    EXPECT_ERR("THR-013", l4_thread_configure(T_READONLY, L4_THREAD_PRIORITY, 5), L4_ERIGHTS);
    EXPECT_ERR("THR-014", l4_thread_configure(T, 99, 0), L4_EINVAL);
    EXPECT_ERR("THR-015", l4_thread_configure(T, L4_THREAD_PRIORITY, own_prio + 1), L4_ERANGE);
    EXPECT_ERR("THR-016", l4_thread_configure(T, L4_THREAD_TIMESLICE, 0), L4_ERANGE);
    EXPECT_ERR("THR-017", l4_thread_configure(T, L4_THREAD_TIMESLICE, 1001), L4_ERANGE);
    EXPECT_ERR("THR-018", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_SPACE, L4_SLOT_SPACE),
               L4_ESTATE);
    EXPECT_ERR("THR-019", l4_thread_configure(T, L4_THREAD_SPACE, EMPTY), L4_ECAP);
    EXPECT_ERR("THR-020", l4_thread_configure(T, L4_THREAD_FAULT_EP, 3), L4_ECAP);
    weaker_copy(L4_SLOT_SPACE, SPARE, L4_RIGHTS_CAP);
    EXPECT_ERR("THR-021", l4_thread_configure(T, L4_THREAD_SPACE, SPARE), L4_ERIGHTS);
    l4_cap_destroy(SPARE);
    EXPECT_ERR("THR-022", l4_thread_configure(T, L4_THREAD_TIMESLICE, 1000), L4_OK);
}

static void exregs_errors(void)
{
    l4_word_t ip = 1, sp = 1;

    EXPECT_ERR("THR-023", l4_thread_exregs(L4_SLOT_SPACE, 0, 0, 0, 0, &ip, &sp), L4_ECAP);
    EXPECT_ERR("THR-024", l4_thread_exregs(T_NORIGHTS, 0, 0, 0, 0, &ip, &sp), L4_ERIGHTS);
    EXPECT_ERR("THR-025", l4_thread_exregs(T_READONLY, L4_EXREGS_SET_IP, 0x400000, 0, 0, &ip, &sp),
               L4_ERIGHTS);
    EXPECT_ERR("THR-026", l4_thread_exregs(T, 1u << 3, 0, 0, 0, &ip, &sp), L4_EINVAL);
    EXPECT_ERR("THR-027", l4_thread_exregs(T, L4_EXREGS_SET_IP, USER_TOP, 0, 0, &ip, &sp),
               L4_ERANGE);
    EXPECT_ERR("THR-028", l4_thread_exregs(T, L4_EXREGS_SET_SP, 0, ~0ull, 0, &ip, &sp), L4_ERANGE);
    EXPECT_ERR("THR-029",
               l4_thread_exregs(L4_SLOT_THREAD, L4_EXREGS_SET_IP, 0x400000, 0, 0, &ip, &sp),
               L4_ESTATE);
    l4_err_t err = l4_thread_exregs(L4_SLOT_THREAD, 0, 0, 0, 0, &ip, &sp);
    test_report("THR-030", err == L4_OK && ip >= 0x400000 && ip < 0x500000 && sp > 0x7f0000000000,
                "%s, ip %lx sp %lx", l4_strerror(err), ip, sp);
    l4_thread_exregs(T, L4_EXREGS_ALL, 0x401234, 0x7000, 9, &ip, &sp);
    err = l4_thread_exregs(T_READONLY, 0, 0, 0, 0, &ip, &sp);
    test_report("THR-031", err == L4_OK && ip == 0x401234 && sp == 0x7000, "ip %lx sp %lx", ip, sp);
}

static void run_errors(void)
{
    EXPECT_ERR("THR-032", l4_thread_start(L4_SLOT_DEBUG), L4_ECAP);
    EXPECT_ERR("THR-033", l4_thread_start(T_READONLY), L4_ERIGHTS);
    l4_thread_exregs(T, L4_EXREGS_SET_IP, 0, 0, 0, NULL, NULL);
    EXPECT_ERR("THR-034", l4_thread_start(T), L4_ESTATE); // no ip
    l4_thread_exregs(T, L4_EXREGS_SET_IP, (l4_word_t)record_arg, 0, 0, NULL, NULL);
    l4_thread_suspend(T); // keep it from running while the tests go on
    EXPECT_ERR("THR-035", l4_thread_start(T), L4_OK);
    EXPECT_ERR("THR-036", l4_thread_start(T), L4_ESTATE); // already started
    EXPECT_ERR("THR-037", l4_thread_suspend(EMPTY), L4_ECAP);
    EXPECT_ERR("THR-038", l4_thread_suspend(T_READONLY), L4_ERIGHTS);
    EXPECT_ERR("THR-039", l4_thread_suspend(T), L4_ESTATE); // suspended above
    EXPECT_ERR("THR-040", l4_thread_resume(FAR), L4_ECAP);
    EXPECT_ERR("THR-041", l4_thread_resume(T_READONLY), L4_ERIGHTS);
    EXPECT_ERR("THR-042", l4_thread_resume(L4_SLOT_THREAD), L4_ESTATE); // we are not suspended
    EXPECT_ERR("THR-043", l4_thread_destroy(L4_SLOT_CONTAINER), L4_ECAP);
    EXPECT_ERR("THR-044", l4_thread_destroy(T_READONLY), L4_ERIGHTS);
    EXPECT_ERR("THR-045", l4_thread_destroy(T), L4_OK);
    /* every capability naming a destroyed thread is gone, in every slot */
    l4_word_t type = 0;
    l4_err_t err = l4_cap_read(T_READONLY, &type, NULL, NULL, NULL, NULL, NULL);
    test_report("THR-046", err == L4_ECAP && l4_thread_resume(T) == L4_ECAP,
                "copy of a destroyed thread's cap: %s", l4_strerror(err));
}

static void lifecycle(void)
{
    l4_word_t tid = 0, space = 0, prio = 0, type_t = 0, type_s = 0, cap_tid = 0, cap_space = 0, x;

    /*
     * thread_id against facts that do not come from it: the objects the kernel's own
     * capabilities to our first thread and space name, and the system file's priority.
     */
    l4_thread_id(&tid, &space, &prio);
    l4_cap_read(L4_SLOT_THREAD, &type_t, &x, &x, &x, &cap_tid, &x);
    l4_cap_read(L4_SLOT_SPACE, &type_s, &x, &x, &x, &cap_space, &x);
    test_report("THR-047",
                type_t == L4_CAP_THREAD && tid == cap_tid && type_s == L4_CAP_SPACE &&
                    space == cap_space && prio == CONFIGURED_PRIO,
                "thread_id gave %lx/%lu/%lu, capabilities name %lx/%lu, priority %d configured",
                tid, space, prio, cap_tid, cap_space, CONFIGURED_PRIO);
    ran_with = 0;
    l4_err_t err = l4_thread_spawn(record_arg, 0x5eed, own_prio, SPARE);
    l4_thread_yield(); // equal priority: it runs now
    test_report("THR-048", err == L4_OK && ran_with == 0x5eed, "%s, thread saw %lx",
                l4_strerror(err), ran_with);
    /* it returned: its capability stays, for its exit code (thread_wait), until destroyed */
    EXPECT_ERR("THR-049", l4_thread_resume(SPARE), L4_ESTATE);
    l4_thread_destroy(SPARE);
    l4_word_t t0 = test_ticks(), t1 = t0, hz = 0, tsc0 = 0, tsc1 = 0;
    l4_time(NULL, &hz, &tsc0, NULL, NULL);
    while (t1 - t0 < 3)
        t1 = test_ticks();
    l4_time(NULL, NULL, &tsc1, NULL, NULL);
    test_report("THR-050", hz == 1000 && tsc1 > tsc0 && t1 >= t0 + 3, "hz %lu tsc %lu..%lu", hz,
                tsc0, tsc1);
}

/* A thread started in a brand-new (empty) space faults at once: reported and stopped. */
static void empty_space(void)
{
    const l4_cap_t s = SPARE, t = SPARE + 1;
    l4_word_t faults = 0, before = 0, x;

    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &before, &x, &x);
    EXPECT_ERR("THR-051", l4_space_create(POOL_SPC, POOL_PT, s, NULL), L4_OK);
    EXPECT_ERR("THR-052", l4_thread_create(POOL_THR, s, own_prio, t, NULL), L4_OK);
    l4_thread_exregs(t, L4_EXREGS_SET_IP | L4_EXREGS_SET_SP, 0x400000, 0x10000, 0, NULL, NULL);
    l4_thread_start(t);
    l4_thread_yield(); // it runs, faults on its first instruction fetch and is stopped
    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &faults, &x, &x);
    test_report("THR-053", faults == before + 1, "fault count %lu, was %lu", faults, before);
    EXPECT_ERR("THR-054", l4_thread_destroy(t), L4_OK); // a stopped thread can be destroyed
    l4_cap_destroy(s);
}

static void space_errors(void)
{
    EXPECT_ERR("THR-055", l4_space_create(POOL_THR, POOL_PT, SPARE, NULL), L4_ECAP);
    l4_cap_split(POOL_SPC, SPARE + 1, 1);
    l4_cap_deduce(SPARE + 1, L4_RIGHTS_CAP, L4_POOL_SPACES, 1);
    EXPECT_ERR("THR-056", l4_space_create(SPARE + 1, POOL_PT, SPARE, NULL), L4_ERIGHTS);
    l4_cap_destroy(SPARE + 1);
    EXPECT_ERR("THR-057", l4_space_create(POOL_SPC, POOL_PT, FAR, NULL), L4_ECAP);
    EXPECT_ERR("THR-058", l4_space_create(POOL_SPC, POOL_PT, L4_SLOT_THREAD, NULL), L4_EBUSY);
    unsigned n = 0;
    l4_err_t err;
    while ((err = l4_space_create(POOL_SPC, POOL_PT, 30 + n, NULL)) == L4_OK && n < 32)
        n++;
    test_report("THR-059", err == L4_ENOMEM && n == 3, "after %u spaces: %s", n, l4_strerror(err));
    for (unsigned i = 0; i < n; i++)
        l4_cap_destroy(30 + i); // the last capability of an unused space frees it
    EXPECT_ERR("THR-060", l4_space_create(POOL_SPC, POOL_PT, SPARE, NULL), L4_OK);
    l4_cap_destroy(SPARE);
    /* the page-table pool is checked like the space pool, and pays for the root */
    EXPECT_ERR("THR-061", l4_space_create(POOL_SPC, POOL_SPC, SPARE, NULL), L4_ECAP);
    l4_cap_split(POOL_PT, SPARE + 1, 1);
    l4_cap_deduce(SPARE + 1, L4_RIGHTS_CAP, L4_POOL_PAGETABLES, 1);
    EXPECT_ERR("THR-062", l4_space_create(POOL_SPC, SPARE + 1, SPARE, NULL), L4_ERIGHTS);
    l4_cap_deduce(SPARE + 1, L4_RIGHTS_CAP, L4_POOL_PAGETABLES, 1); // no change: still no ALLOC
    l4_cap_destroy(SPARE + 1);
    l4_cap_split(POOL_PT, SPARE + 1, 1); // one unit: enough for a root and nothing more
    EXPECT_ERR("THR-063", l4_space_create(POOL_SPC, SPARE + 1, SPARE, NULL), L4_OK);
    l4_word_t type, rights, a, b, used, depth;
    l4_cap_read(SPARE + 1, &type, &rights, &a, &b, &used, &depth);
    test_report("THR-064", used == 1 && b == 1, "page-table part: %lu of %lu units in use", used,
                b);
    EXPECT_ERR("THR-065", l4_space_create(POOL_SPC, SPARE + 1, SPARE + 2, NULL), L4_ENOMEM);
    EXPECT_ERR("THR-066", l4_cap_destroy(SPARE + 1), L4_EBUSY); // it pays for the root
    l4_cap_destroy(SPARE);                                      // the space goes, and its root
    EXPECT_ERR("THR-067", l4_cap_destroy(SPARE + 1), L4_OK);
}

static void syscall_errors(void)
{
    l4_word_t r[6] = {0};

    EXPECT_ERR("SYS-001", l4_syscall(L4_SYS_COUNT, r), L4_ENOSYS);
    EXPECT_ERR("SYS-002", l4_syscall(~0ull, r), L4_ENOSYS);
    EXPECT_ERR("SYS-003", l4_debug_write(L4_SLOT_THREAD, "x", 1), L4_ECAP);
    weaker_copy(L4_SLOT_DEBUG, SPARE, L4_RIGHTS_CAP);
    EXPECT_ERR("SYS-004", l4_debug_write(SPARE, "x", 1), L4_ERIGHTS);
    l4_cap_destroy(SPARE);
    EXPECT_ERR("SYS-005", l4_debug_write(L4_SLOT_DEBUG, "x", 4097), L4_ERANGE);
    EXPECT_ERR("SYS-006", l4_debug_write(L4_SLOT_DEBUG, (const void *)0x10, 4), L4_EFAULT);
    EXPECT_ERR("SYS-007", l4_debug_write(L4_SLOT_DEBUG, (const void *)0xffffffff80100000, 4),
               L4_EFAULT);
    /* the buffer's end runs past the last mapped page of the stack */
    EXPECT_ERR("SYS-008", l4_debug_write(L4_SLOT_DEBUG, (const void *)(0x7ffffff00000 - 2), 4),
               L4_EFAULT);
    EXPECT_ERR("SYS-009", l4_debug_write(L4_SLOT_DEBUG, "", 0), L4_OK);
}

/*
 * Ceilings across containers: a thread capability may reach another container, and neither
 * the caller's ceiling nor the thread's container's may be passed. The container low runs
 * below us, so it runs only while we wait for its answers.
 */
static void ceilings(void)
{
    l4_word_t low_err = 0, x;

    make_thread(SPARE, 10);
    l4_cap_replicate(SPARE, SPARE + 1);
    l4_cap_grant(SPARE + 1, LOW, LOW_GIVEN);
    l4_err_t err = l4_ipc_call(LOW_EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &x, &low_err, &x, &x, &x, &x);
    test_report("THR-068", err == L4_OK && low_err == L4_ERANGE,
                "low (ceiling %d) raising our thread to %d: %s (call %s)", LOW_CEILING,
                CONFIGURED_PRIO - 20, l4_strerror((l4_err_t)low_err), l4_strerror(err));
    /* and low gave us its own thread: we may not raise it above its container's ceiling */
    EXPECT_ERR("THR-069", l4_thread_configure(LOW_THREAD, L4_THREAD_PRIORITY, LOW_CEILING + 10),
               L4_ERANGE);
    /* our thread goes, and low's copy with it; then low ends */
    l4_thread_destroy(SPARE);
    l4_ipc_call(LOW_EP, L4_TAG(2, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
}

/*
 * The container low: label 1 tries to raise the thread thrtest gave it, and gives thrtest its
 * own; label 2 ends.
 */
static int low(void)
{
    l4_word_t tag, x;
    l4_err_t err = l4_ipc_recv(LOW_EP, 0, &tag, &x, &x, &x, &x, &x);

    while (!err && L4_TAG_LABEL(tag) != 2) {
        l4_err_t r = l4_thread_configure(LOW_GIVEN, L4_THREAD_PRIORITY, CONFIGURED_PRIO - 20);
        l4_cap_replicate(L4_SLOT_THREAD, LOW_GIVEN + 1);
        l4_cap_grant(LOW_GIVEN + 1, THRTEST, LOW_THREAD);
        err = l4_ipc_reply_recv(LOW_EP, L4_TAG(0, 1, 0), (l4_word_t)r, 0, 0, 0, &tag, &x, &x, &x,
                                &x, &x);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return 0;
}

int main(const char *arg)
{
    l4_word_t x;

    if (strcmp(arg, "low") == 0)
        return low();
    l4_thread_id(&x, &x, &own_prio);
    make_thread(T, 10);
    weaker_copy(T, T_NORIGHTS, L4_RIGHTS_CAP);
    weaker_copy(T, T_READONLY, L4_RIGHTS_CAP | L4_THR_READ);
    create_errors();
    configure_errors();
    exregs_errors();
    run_errors();
    lifecycle();
    empty_space();
    space_errors();
    syscall_errors();
    ceilings();
    printf("thrtest: done\n");
    return 0;
}
