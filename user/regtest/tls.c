/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-local storage bases: thread_tls, and the words at each thread's own bases (%fs:0 and
 * %gs:0, [TPIDR_EL0]) across switches, preemption and IPC (REG-040..). */
#include "regtest.h"

#define TICKS 30 /* how long the preemption test runs */

/* A thread's TLS block: the first word is what tls_word reads. */
struct block {
    l4_word_t word;
    l4_word_t pad[7];
};

static struct block blocks[L4_TLS_COUNT][3]; /* [base][thread] */
static volatile l4_word_t bad[3], rounds[3], other_moved[3];
static volatile int finished[3];

static void set_bases(unsigned i)
{
    l4_word_t old;

    for (unsigned b = 0; b < L4_TLS_COUNT; b++) {
        blocks[b][i].word = 0xf5000000 + b * 0x1000 + i;
        l4_thread_tls(b | L4_TLS_SET, (l4_word_t)&blocks[b][i], &old);
    }
}

static bool own_bases(unsigned i)
{
    bool own = true;

    for (unsigned b = 0; b < L4_TLS_COUNT; b++)
        own = own && tls_word(b) == blocks[b][i].word;
    return own;
}

static void errors(void)
{
    l4_word_t old;

    EXPECT_ERR("REG-040", l4_thread_tls(L4_TLS_COUNT, 0, &old), L4_EINVAL);
    EXPECT_ERR("REG-041", l4_thread_tls(L4_TLS_SET | 7, 0, &old), L4_EINVAL);
    EXPECT_ERR("REG-042", l4_thread_tls(0 | L4_TLS_SET, user_top, &old), L4_ERANGE);
    EXPECT_ERR("REG-043", l4_thread_tls((L4_TLS_COUNT - 1) | L4_TLS_SET, kernel_addr, &old),
               L4_ERANGE);
    EXPECT_ERR("REG-044", l4_thread_tls(0 | L4_TLS_SET, 0x8000000000000000ull, &old), L4_ERANGE);
}

/* The calling thread sets its own bases, reads them back and through the words at them. */
static void own(void)
{
    l4_word_t old, now_first, now_last;
    const unsigned last = L4_TLS_COUNT - 1;

    set_bases(0);
    l4_thread_tls(0 | L4_TLS_SET, (l4_word_t)&blocks[0][0], &old);
    l4_thread_tls(last, 0, &now_last);
    l4_thread_tls(0, 0, &now_first);
    test_report("REG-045",
                old == (l4_word_t)&blocks[0][0] && now_first == old &&
                    now_last == (l4_word_t)&blocks[last][0] && own_bases(0),
                "old %lx, bases %lx %lx, the word at the first %lx", old, now_first, now_last,
                tls_word(0));
}

static long fresh(l4_word_t arg)
{
    l4_word_t first = 1, last = 1;

    (void)arg;
    l4_thread_tls(0, 0, &first);
    l4_thread_tls(L4_TLS_COUNT - 1, 0, &last);
    test_report("REG-046", first == 0 && last == 0, "a new thread's bases %lx %lx", first, last);
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
    l4_word_t base;

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
    l4_thread_tls(0, 0, &base);
    test_report("REG-048", base == (l4_word_t)&blocks[0][0] && own_bases(0),
                "our first base %lx after the others ran", base);
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

void tls_tests(void)
{
    errors();
    own();
    preempted();
    ipc();
}

/* Another container, meanwhile: its thread never sees regtest's bases. */
void peer_main(void)
{
    l4_word_t base, seen = 0, end = test_ticks() + 2 * TICKS;

    while (test_ticks() < end) {
        for (unsigned b = 0; b < L4_TLS_COUNT; b++) {
            l4_thread_tls(b, 0, &base);
            seen |= base;
        }
        l4_thread_yield();
    }
    test_report("REG-052", seen == 0, "bases %lx seen in another container", seen);
}
