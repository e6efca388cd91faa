/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * super's clock on AArch64 (built for AArch64 only). virt has no timer a container can take
 * interrupts from yet (the scheduler's tick, CNTV, is the kernel's), so a thread of super's
 * watches the scheduler's tick count and signals SUPER_CLOCK each period, yielding between
 * looks. It runs at the fuzzer's priority (CLOCK_PRIO, its container's ceiling): above it,
 * it would never let the fuzzer run; at it, the scheduler's round-robin runs it after every
 * fuzzer thread that is ready, so the fuzzer can delay a tick by the timeslices of its ready
 * threads (and no more: it cannot stop the clock). super and the victim still sleep above the
 * fuzzer between ticks.
 */
#ifdef __aarch64__
#include "fuzz.h"

#include <coffer/thread.h>

#define CLOCK_PRIO 100 /* systems/fuzz-virt.toml: the fuzzer's priority */

static long clock_thread(l4_word_t period)
{
    for (l4_word_t next = now_ticks() + period;; next += period) {
        while (now_ticks() < next)
            l4_thread_yield();
        l4_notify_signal(SUPER_CLOCK);
    }
    return 0;
}

l4_err_t clock_start(unsigned hz)
{
    l4_word_t period = ticks_per_sec() / hz;
    l4_err_t err = l4_thread_spawn(clock_thread, period ? period : 1, CLOCK_PRIO, SUPER_PIT);

    if (!err) // a look at the time, then the next thread: one tick, not the default slice
        err = l4_thread_configure(SUPER_PIT, L4_THREAD_TIMESLICE, 1);
    return err;
}

void clock_wait(void)
{
    l4_word_t bits;

    l4_notify_wait(SUPER_CLOCK, &bits);
}

void clock_stop(void)
{
    l4_thread_destroy(SUPER_PIT);
}
#endif
