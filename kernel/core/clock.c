/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's clocks: monotonic nanoseconds from the tick count, and the wall clock's offset. */
#include "clock.h"

#include "printk.h"

#include <coffer/error.h>
#include <coffer/time.h>

/* wall = monotonic + offset; below L4_TIME_MAX, so the sum cannot wrap while monotonic is */
static uint64_t offset;

uint64_t clock_ns(uint64_t ticks, uint64_t hz)
{
    DEBUG_ASSERT(hz > 0 && hz <= L4_NS_PER_SEC);
    /* whole seconds, then the rest: ticks * 10^9 alone would wrap after 213 days at 1000 Hz */
    return ticks / hz * L4_NS_PER_SEC + ticks % hz * L4_NS_PER_SEC / hz;
}

uint64_t clock_wall(uint64_t mono)
{
    return mono + offset;
}

l4_err_t clock_set(uint64_t wall, uint64_t at)
{
    if (wall >= L4_TIME_MAX || at > wall)
        return L4_ERANGE;
    offset = wall - at;
    DEBUG_ASSERT(offset < L4_TIME_MAX);
    return L4_OK;
}
