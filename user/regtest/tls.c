/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-local storage bases: thread_tls, and per-thread %fs:0 and %gs:0 across switches,
 * preemption and IPC (REG-040..). */
#include "regtest.h"

#define TICKS 30 /* how long the preemption test runs */

/* A thread's TLS block: the first word is what %fs:0 (or %gs:0) reads. */
struct block {
    l4_word_t word;
    l4_word_t pad[7];
};

static struct block fs_blocks[3], gs_blocks[3];
static volatile l4_word_t bad[3], rounds[3], other_moved[3];
static volatile int finished[3];

static void set_bases(unsigned i)
{
    l4_word_t old;

    fs_blocks[i].word = 0xf5000000 + i;
    gs_blocks[i].word = 0x65000000 + i;
    l4_thread_tls(L4_TLS_FS | L4_TLS_SET, (l4_word_t)&fs_blocks[i], &old);
    l4_thread_tls(L4_TLS_GS | L4_TLS_SET, (l4_word_t)&gs_blocks[i], &old);
}

static bool own_bases(unsigned i)
{
    return fs_word() == fs_blocks[i].word && gs_word() == gs_blocks[i].word;
}

static void errors(void)
{
    l4_word_t old;

    EXPECT_ERR("REG-040", l4_thread_tls(2, 0, &old), L4_EINVAL);
    EXPECT_ERR("REG-041", l4_thread_tls(L4_TLS_SET | 7, 0, &old), L4_EINVAL);
    EXPECT_ERR("REG-042", l4_thread_tls(L4_TLS_FS | L4_TLS_SET, USER_TOP, &old), L4_ERANGE);
    EXPECT_ERR("REG-043", l4_thread_tls(L4_TLS_GS | L4_TLS_SET, KERNEL, &old), L4_ERANGE);
    EXPECT_ERR("REG-044", l4_thread_tls(L4_TLS_FS | L4_TLS_SET, 0x8000000000000000ull, &old),
               L4_ERANGE);
}

/* The calling thread sets its own bases, reads them back and through %fs:0 and %gs:0. */
static void own(void)
{
    l4_word_t old_fs, now_fs, now_gs;

    set_bases(0);
    l4_thread_tls(L4_TLS_FS | L4_TLS_SET, (l4_word_t)&fs_blocks[0], &old_fs);
    l4_thread_tls(L4_TLS_GS, 0, &now_gs);
    l4_thread_tls(L4_TLS_FS, 0, &now_fs);
    test_report("REG-045",
                old_fs == (l4_word_t)&fs_blocks[0] && now_fs == old_fs &&
                    now_gs == (l4_word_t)&gs_blocks[0] && own_bases(0),
                "old %lx, fs %lx gs %lx, %%fs:0 %lx", old_fs, now_fs, now_gs, fs_word());
}

static long fresh(l4_word_t arg)
{
    l4_word_t fs = 1, gs = 1;

    (void)arg;
    l4_thread_tls(L4_TLS_FS, 0, &fs);
    l4_thread_tls(L4_TLS_GS, 0, &gs);
    test_report("REG-046", fs == 0 && gs == 0, "a new thread's fs %lx gs %lx", fs, gs);
    finished[2] = 1;
    return 0;
}

/* Two threads at one priority, a one-tick slice: preempted many times, each always finds
 * its own bases. */
static long busy(l4_word_t i)
{
    l4_word_t end = test_ticks() + TICKS, last_other = 0;

    set_bases(i);
    while (test_ticks() < end) {
        for (int k = 0; k < 1000; k++)
            bad[i] += !own_bases(i);
        rounds[i]++;
        other_moved[i] += rounds[1 - i] != last_other;
        last_other = rounds[1 - i];
    }
    finished[i] = 1;
    return 0;
}

static void preempted(void)
{
    l4_word_t fs;

    finished[0] = finished[1] = finished[2] = 0;
    l4_thread_spawn(fresh, 0, 100, W1);
    while (!finished[2])
        l4_thread_yield();
    l4_thread_spawn(busy, 0, 90, W1);
    l4_thread_spawn(busy, 1, 90, W2);
    l4_thread_configure(W1, L4_THREAD_TIMESLICE, 1);
    l4_thread_configure(W2, L4_THREAD_TIMESLICE, 1);
    /* below them, we run only when both are done */
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, 80);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, 100);
    while (!finished[0] || !finished[1])
        l4_thread_yield();
    test_report("REG-047", !bad[0] && !bad[1] && other_moved[0] > 2 && other_moved[1] > 2,
                "wrong bases seen %lu and %lu times; switches seen %lu, %lu", bad[0], bad[1],
                other_moved[0], other_moved[1]);
    l4_thread_tls(L4_TLS_FS, 0, &fs);
    test_report("REG-048", fs == (l4_word_t)&fs_blocks[0] && own_bases(0),
                "our fs %lx after the others ran", fs);
}

#define ROUNDS 200

/* The server of REG-049: other bases than its client's, checked after every message. */
static long server(l4_word_t arg)
{
    l4_word_t tag, w;

    (void)arg;
    set_bases(1);
    l4_ipc_recv(EP, 0, &tag, &w, NULL, NULL, NULL, NULL);
    for (;;) {
        bad[1] += !own_bases(1);
        l4_ipc_reply_recv(EP, L4_TAG(0, 1, 0), w + 1, 0, 0, 0, &tag, &w, NULL, NULL, NULL, NULL);
    }
    return 0;
}

/* Call and reply round trips (the fastpath, or the general path with ipc=slow) between two
 * threads with different bases: each finds its own after every switch. */
static void ipc(void)
{
    l4_word_t tag, w = 0;
    unsigned wrong = 0;

    bad[1] = 0;
    l4_thread_spawn(server, 0, 100, W1);
    l4_thread_yield(); // it waits on EP now
    for (l4_word_t i = 0; i < ROUNDS; i++) {
        l4_ipc_call(EP, L4_TAG(0, 1, 0), i, 0, 0, 0, &tag, &w, NULL, NULL, NULL, NULL);
        wrong += !own_bases(0) || w != i + 1;
    }
    test_report("REG-049", !wrong && !bad[1], "%u wrong in the client, %lu in the server", wrong,
                bad[1]);
    l4_thread_destroy(W1);
}

/* The kernel keeps CR4.FSGSBASE off, so that only it sets bases: WRFSBASE in user mode is an
 * invalid opcode, and the bases stay what the kernel holds (docs/architecture.md). */
static long wrfsbase_user(l4_word_t arg)
{
    __asm__ volatile("wrfsbase %0" : : "r"(arg));
    finished[2] = 1; // not reached: the instruction faults
    return 0;
}

static void user_set(void)
{
    l4_word_t tag = 0, vector = 0, x;
    struct l4_regs r;

    finished[2] = 0;
    l4_thread_prepare(POOL_THR, L4_SLOT_SPACE, wrfsbase_user, (l4_word_t)&fs_blocks[2], 100, W1);
    l4_thread_configure(W1, L4_THREAD_FAULT_EP, EP);
    l4_thread_start(W1);
    l4_ipc_recv(EP, 0, &tag, &vector, &x, &x, &x, NULL);
    test_report("REG-050", L4_TAG_LABEL(tag) == L4_LABEL_FAULT && vector == 6 && !finished[2],
                "label %lx vector %lu: WRFSBASE in user mode must be an invalid opcode",
                L4_TAG_LABEL(tag), vector);
    l4_thread_regs(W1, L4_REGS_GET, NULL, &r);
    test_report("REG-051", r.fs_base == 0 && own_bases(0), "the faulting thread's fs %lx",
                r.fs_base);
    l4_thread_destroy(W1);
}

void tls_tests(void)
{
    errors();
    own();
    preempted();
    ipc();
    user_set();
}

/* Another container, meanwhile: its thread never sees regtest's bases. */
void peer_main(void)
{
    l4_word_t fs, gs, seen = 0, end = test_ticks() + 2 * TICKS;

    while (test_ticks() < end) {
        l4_thread_tls(L4_TLS_FS, 0, &fs);
        l4_thread_tls(L4_TLS_GS, 0, &gs);
        seen |= fs | gs;
        l4_thread_yield();
    }
    test_report("REG-052", seen == 0, "bases %lx seen in another container", seen);
}
