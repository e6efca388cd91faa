/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RV-210, RV-211: how long one system call of an unprivileged container keeps interrupts
 * off (kernel code is never preempted) through the new scans of every thread that run each
 * time a space or endpoint capability leaves a table. Measured in guest rdtsc ticks under
 * -icount shift=0 (one tick per instruction, about 1 ns).
 *
 *  RV-210: one container alone: an endpoint, THREADS threads of ours whose fault endpoint it
 *          is, COPIES copies of it without L4_EP_SEND in the low slots and the one with it
 *          in the last slots. A revoke removes COPIES capabilities; each scans every thread
 *          (threads_forget_fault_ep) and, for each of ours, our whole table (container_holds).
 *  RV-211: the same through a space: a lender lends us its space; we bind THREADS inactive
 *          threads to it, the copy with L4_SPACE_BIND in the last slot; each removal runs
 *          threads_kill_strangers (every thread, and our table for each of ours there).
 * The bound is 10 ms (10^7 ticks) of interrupts off for one call.
 */
#include "rv2.h"

#define THREADS 200
#define COPIES  780
#define LAST    1023 /* capslots = 1024 */
#define LIMIT   10000000ull

#define P_LENDER 16 /* the lender's container: receive */
#define P_KICK   17 /* the lender's notification: signal */
#define P_WAKE   18
#define P_NOSEND 21
#define P_FIRST  30
#define P_THR0   (P_FIRST + COPIES) /* thread capabilities after the copies */
#define P_LENT   LAST
#define P_EPLAST (LAST - 1) /* the endpoint copy with L4_EP_SEND */
#define P_SPACE  22

static l4_word_t tsc(void)
{
    l4_word_t t = 0;

    l4_time(NULL, NULL, &t, NULL, NULL);
    return t;
}

/* COPIES copies of the capability in src (children of it) in P_FIRST.. */
static unsigned fill(l4_cap_t src)
{
    unsigned n = 0;

    for (unsigned i = 0; i < COPIES; i++)
        n += l4_cap_replicate(src, P_FIRST + i) == L4_OK;
    return n;
}

static l4_word_t timed_revoke(l4_cap_t slot)
{
    l4_word_t t0 = tsc();
    l4_err_t err = l4_cap_revoke(slot);
    l4_word_t t1 = tsc();

    if (err)
        printf("perf: revoke %s\n", l4_strerror(err));
    return t1 - t0;
}

static void endpoint_scan(void)
{
    l4_endpoint_create(POOL_EP, P_EPLAST, NULL); /* the only one with L4_EP_SEND: last */
    l4_cap_replicate(P_EPLAST, P_NOSEND);
    l4_cap_deduce(P_NOSEND, L4_RIGHTS_CAP | L4_EP_RECV, 0, 0);
    /* a baseline: the same revoke with no thread naming the endpoint */
    unsigned n0 = fill(P_NOSEND);
    l4_word_t base = timed_revoke(P_NOSEND);
    unsigned made = 0;
    for (unsigned i = 0; i < THREADS; i++) {
        if (l4_thread_create(POOL_THR, SPACE, 1, P_THR0 + i, NULL) == L4_OK &&
            l4_thread_configure(P_THR0 + i, L4_THREAD_FAULT_EP, P_EPLAST) == L4_OK)
            made++;
    }
    unsigned n = fill(P_NOSEND);
    l4_word_t t = timed_revoke(P_NOSEND);
    printf("perf: endpoint: revoke of %u copies: %lu ticks alone, %lu with %u threads naming it "
           "(%lu per copy)\n",
           n0, base, t, made, n ? t / n : 0);
    test_report("RV-210", t < LIMIT,
                "one cap_revoke kept interrupts off for %lu ticks (%lu ms at 1 GHz): %u copies x "
                "%u threads x %u slots",
                t, t / 1000000, n, made, LAST + 1);
    for (unsigned i = 0; i < THREADS; i++)
        l4_thread_destroy(P_THR0 + i);
    l4_cap_destroy(P_NOSEND);
    l4_cap_destroy(P_EPLAST);
}

static void space_scan(void)
{
    l4_word_t bits;

    l4_notify_wait(P_WAKE, &bits); /* the lender's space is in P_LENT */
    l4_cap_replicate(P_LENT, P_SPACE);
    l4_cap_deduce(P_SPACE, L4_RIGHTS_CAP | L4_SPACE_MAP, 0, 0);
    unsigned made = 0;
    for (unsigned i = 0; i < THREADS; i++)
        made += l4_thread_create(POOL_THR, P_LENT, 1, P_THR0 + i, NULL) == L4_OK;
    unsigned n = fill(P_SPACE);
    l4_word_t t = timed_revoke(P_SPACE);
    printf("perf: space: revoke of %u copies with %u of our threads bound to it: %lu ticks (%lu "
           "per copy)\n",
           n, made, t, n ? t / n : 0);
    test_report("RV-211", t < LIMIT,
                "one cap_revoke kept interrupts off for %lu ticks (%lu ms at 1 GHz): %u copies x "
                "%u threads x %u slots",
                t, t / 1000000, n, made, LAST + 1);
    for (unsigned i = 0; i < THREADS; i++)
        l4_thread_destroy(P_THR0 + i);
    l4_notify_signal(P_KICK);
}

int role_perf(void)
{
    endpoint_scan();
    space_scan();
    printf("perf: done\n");
    return 0;
}

int role_lender(void)
{
    l4_word_t bits;

    l4_cap_replicate(SPACE, 20);
    l4_cap_grant(20, 16, P_LENT); /* slot 16: the perf container, receive */
    l4_notify_signal(17);
    l4_notify_wait(18, &bits);
    printf("lender: done\n");
    return 0;
}
