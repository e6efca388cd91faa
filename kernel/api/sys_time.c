/* SPDX-License-Identifier: BSD-2-Clause */
/* Time system calls: read the clocks (anyone), set the wall clock (a clock capability). */
#include "arch.h"
#include "caller.h"
#include "clock.h"
#include "sys_handlers.h"

l4_err_t sys_time(l4_word_t *ticks, l4_word_t *hz, l4_word_t *tsc, l4_word_t *monotonic,
                  l4_word_t *wall)
{
    *ticks = sched_ticks(); // one reading: the monotonic clock is exactly this many ticks
    *hz = CONFIG_TIMER_HZ;
    *tsc = arch_timestamp();
    *monotonic = clock_ns(*ticks, CONFIG_TIMER_HZ);
    *wall = clock_wall(*monotonic);
    return L4_OK;
}

l4_err_t sys_time_set(l4_cap_t clock, l4_word_t wall, l4_word_t at)
{
    struct cap *k;
    l4_err_t err = caller_cap("time_set", clock, L4_CAP_CLOCK, L4_CLOCK_SET, &k);

    if (err)
        return err;
    if ((err = clock_set(wall, at)))
        user_error("time_set: wall %lu at %lu: wall must be below 2^63 and at no later than wall\n",
                   wall, at);
    return err;
}
