/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread and space system call conformance: THR-xxx (one per documented error) and SYS-xxx. */
#include "test.h"

#include <coffer/syscall_nr.h>
#include <coffer/thread.h>

#define USER_TOP  0x0000800000000000ull
#define BAD_TID   0x7fff0063ull /* slot 99, a generation never handed out */
#define BAD_SPACE 4000

static l4_word_t self, own_space, own_prio;
static volatile long ran_with;

/* An inactive thread at priority 10 for the error tests to poke at. */
static l4_tid_t inactive(void)
{
    l4_word_t t = 0;

    l4_thread_create(0, 10, &t);
    return t;
}

static long record_arg(l4_word_t arg)
{
    ran_with = (long)arg;
    return 7;
}

static void create_errors(void)
{
    l4_word_t t;

    EXPECT_ERR("THR-001", l4_thread_create(BAD_SPACE, 10, &t), L4_ECAP);
    EXPECT_ERR("THR-002", l4_thread_create(0, own_prio + 1, &t), L4_ERANGE);
    EXPECT_ERR("THR-003", l4_thread_create(0, 256, &t), L4_ERANGE);
    /* THR-004: exhaust the thread slots; the error is ENOMEM and all come back on destroy */
    static l4_word_t made[256];
    unsigned n = 0;
    l4_err_t err;
    while ((err = l4_thread_create(0, 10, &made[n])) == L4_OK && n < 255)
        n++;
    test_report("THR-004", err == L4_ENOMEM && n > 0, "after %u threads: %s", n,
                l4_strerror(err));
    for (unsigned i = 0; i < n; i++)
        l4_thread_destroy(made[i]);
    EXPECT_ERR("THR-005", l4_thread_create(0, 10, &t), L4_OK); // slots were freed
    l4_thread_destroy(t);
}

static void configure_errors(void)
{
    l4_tid_t t = inactive();

    EXPECT_ERR("THR-006", l4_thread_configure(BAD_TID, L4_THREAD_PRIORITY, 5), L4_ECAP);
    EXPECT_ERR("THR-007", l4_thread_configure(t, 99, 0), L4_EINVAL);
    EXPECT_ERR("THR-008", l4_thread_configure(t, L4_THREAD_PRIORITY, own_prio + 1), L4_ERANGE);
    EXPECT_ERR("THR-009", l4_thread_configure(t, L4_THREAD_TIMESLICE, 0), L4_ERANGE);
    EXPECT_ERR("THR-010", l4_thread_configure(t, L4_THREAD_TIMESLICE, 1001), L4_ERANGE);
    EXPECT_ERR("THR-011", l4_thread_configure(t, L4_THREAD_SPACE, BAD_SPACE), L4_ECAP);
    EXPECT_ERR("THR-012", l4_thread_configure(t, L4_THREAD_FAULT_EP, 3), L4_ECAP);
    EXPECT_ERR("THR-013", l4_thread_configure(t, L4_THREAD_TIMESLICE, 1000), L4_OK);
    EXPECT_ERR("THR-014", l4_thread_configure(self, L4_THREAD_SPACE, own_space), L4_ESTATE);
    l4_thread_destroy(t);
}

static void exregs_errors(void)
{
    l4_tid_t t = inactive();
    l4_word_t ip = 1, sp = 1;

    EXPECT_ERR("THR-015", l4_thread_exregs(BAD_TID, 0, 0, 0, 0, &ip, &sp), L4_ECAP);
    EXPECT_ERR("THR-016", l4_thread_exregs(t, 1u << 3, 0, 0, 0, &ip, &sp), L4_EINVAL);
    EXPECT_ERR("THR-017", l4_thread_exregs(t, L4_EXREGS_SET_IP, USER_TOP, 0, 0, &ip, &sp),
               L4_ERANGE);
    EXPECT_ERR("THR-018", l4_thread_exregs(t, L4_EXREGS_SET_SP, 0, ~0ull, 0, &ip, &sp),
               L4_ERANGE);
    EXPECT_ERR("THR-019", l4_thread_exregs(self, L4_EXREGS_SET_IP, 0x400000, 0, 0, &ip, &sp),
               L4_ESTATE);
    /* THR-020: reading only is allowed on oneself and changes nothing */
    l4_err_t err = l4_thread_exregs(self, 0, 0, 0, 0, &ip, &sp);
    test_report("THR-020", err == L4_OK && ip >= 0x400000 && ip < 0x500000 && sp > 0x7f0000000000,
                "%s, ip %lx sp %lx", l4_strerror(err), ip, sp);
    /* THR-021: values set are read back */
    l4_thread_exregs(t, L4_EXREGS_ALL, 0x401234, 0x7000, 9, &ip, &sp);
    err = l4_thread_exregs(t, 0, 0, 0, 0, &ip, &sp);
    test_report("THR-021", err == L4_OK && ip == 0x401234 && sp == 0x7000, "ip %lx sp %lx", ip,
                sp);
    l4_thread_destroy(t);
}

static void start_errors(void)
{
    l4_tid_t t = inactive();

    EXPECT_ERR("THR-022", l4_thread_start(BAD_TID), L4_ECAP);
    EXPECT_ERR("THR-023", l4_thread_start(t), L4_ESTATE); // no ip yet
    l4_thread_exregs(t, L4_EXREGS_SET_IP, (l4_word_t)record_arg, 0, 0, NULL, NULL);
    l4_thread_suspend(t); // keep it from running while we test a second start
    EXPECT_ERR("THR-024", l4_thread_start(t), L4_OK);
    EXPECT_ERR("THR-025", l4_thread_start(t), L4_ESTATE); // already started
    l4_thread_destroy(t);
}

static void suspend_resume_destroy_errors(void)
{
    l4_tid_t t = inactive();

    EXPECT_ERR("THR-026", l4_thread_suspend(BAD_TID), L4_ECAP);
    EXPECT_ERR("THR-027", l4_thread_suspend(t), L4_OK);
    EXPECT_ERR("THR-028", l4_thread_suspend(t), L4_ESTATE);
    EXPECT_ERR("THR-029", l4_thread_resume(BAD_TID), L4_ECAP);
    EXPECT_ERR("THR-030", l4_thread_resume(t), L4_OK);
    EXPECT_ERR("THR-031", l4_thread_resume(t), L4_ESTATE);
    EXPECT_ERR("THR-032", l4_thread_destroy(BAD_TID), L4_ECAP);
    EXPECT_ERR("THR-033", l4_thread_destroy(t), L4_OK);
    /* a destroyed thread's id is dead for good, even when its slot is reused */
    EXPECT_ERR("THR-034", l4_thread_resume(t), L4_ECAP);
    l4_tid_t again = inactive();
    test_report("THR-035", again != t && l4_thread_destroy(t) == L4_ECAP,
                "new thread %lx reuses old id %lx", again, t);
    l4_thread_destroy(again);
}

static void lifecycle(void)
{
    l4_word_t tid, space, prio;
    l4_tid_t t;

    l4_thread_id(&tid, &space, &prio);
    test_report("THR-036", tid == self && space == own_space && prio == own_prio && prio == 100,
                "thread_id gave %lx/%lu/%lu", tid, space, prio);
    ran_with = 0;
    l4_err_t err = l4_thread_spawn(record_arg, 0x5eed, own_prio, &t);
    l4_thread_yield(); // equal priority: it runs now
    test_report("THR-037", err == L4_OK && ran_with == 0x5eed, "%s, thread saw %lx",
                l4_strerror(err), ran_with);
    EXPECT_ERR("THR-038", l4_thread_resume(t), L4_ECAP); // it returned, so it is gone
    l4_word_t t0 = test_ticks(), t1 = t0, hz = 0, tsc0 = 0, tsc1 = 0;
    l4_time(NULL, &hz, &tsc0);
    while (t1 - t0 < 3)
        t1 = test_ticks();
    l4_time(NULL, NULL, &tsc1);
    test_report("THR-039", hz == 1000 && tsc1 > tsc0 && t1 >= t0 + 3, "hz %lu tsc %lu..%lu", hz,
                tsc0, tsc1);
}

/* A thread started in a brand-new (empty) space faults at once; the kernel reports it. */
static void empty_space(void)
{
    l4_word_t s = 0;
    l4_tid_t t = 0;

    EXPECT_ERR("THR-040", l4_space_create(&s), L4_OK);
    EXPECT_ERR("THR-041", l4_thread_create(s, own_prio, &t), L4_OK);
    l4_thread_exregs(t, L4_EXREGS_SET_IP | L4_EXREGS_SET_SP, 0x400000, 0x10000, 0, NULL, NULL);
    l4_thread_start(t);
    l4_thread_yield(); // it runs, faults on its first instruction fetch and is stopped
    EXPECT_ERR("THR-042", l4_thread_resume(t), L4_ECAP);
}

static void syscall_errors(void)
{
    l4_word_t r[6] = {0};

    EXPECT_ERR("SYS-001", l4_syscall(L4_SYS_COUNT, r), L4_ENOSYS);
    EXPECT_ERR("SYS-002", l4_syscall(~0ull, r), L4_ENOSYS);
    EXPECT_ERR("SYS-003", l4_debug_write("x", 4097), L4_ERANGE);
    EXPECT_ERR("SYS-004", l4_debug_write((const void *)0x10, 4), L4_EFAULT);
    EXPECT_ERR("SYS-005", l4_debug_write((const void *)0xffffffff80100000, 4), L4_EFAULT);
    /* the buffer's end runs past the last mapped page of the stack */
    EXPECT_ERR("SYS-006", l4_debug_write((const void *)(0x7ffffff00000 - 2), 4), L4_EFAULT);
    EXPECT_ERR("SYS-007", l4_debug_write("", 0), L4_OK);
    /* THR-043: space slots run out with ENOMEM (last: spaces are not reclaimed yet) */
    l4_word_t s;
    l4_err_t err;
    unsigned n = 0;
    while ((err = l4_space_create(&s)) == L4_OK && n < 1000)
        n++;
    test_report("THR-043", err == L4_ENOMEM, "after %u spaces: %s", n, l4_strerror(err));
}

int main(const char *arg)
{
    (void)arg;
    l4_thread_id(&self, &own_space, &own_prio);
    create_errors();
    configure_errors();
    exregs_errors();
    start_errors();
    suspend_resume_destroy_errors();
    lifecycle();
    empty_space();
    syscall_errors();
    printf("thrtest: done\n");
    return 0;
}
