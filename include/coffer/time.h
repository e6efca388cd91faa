/* SPDX-License-Identifier: BSD-2-Clause */
/* Time ABI: the units of the time call's clocks and time_set's bounds. */
#ifndef COFFER_TIME_H
#define COFFER_TIME_H

#include <coffer/types.h>

/*
 * time returns two clocks in nanoseconds:
 *   monotonic  since the scheduler started, from the timer tick count: exactly
 *              ticks * L4_NS_PER_SEC / hz (so its resolution is one tick, 1 ms at the default
 *              1000 Hz). Nothing sets it, and it never goes backwards.
 *   wall       monotonic + an offset that time_set (a clock capability with L4_CLOCK_SET)
 *              sets for the whole machine: nanoseconds since 1970-01-01 00:00:00 UTC once
 *              somebody set it; the offset is 0 until then, so wall equals monotonic.
 * time_set(clock, wall, at) makes the wall clock read `wall` when the monotonic one reads
 * `at` (usually a monotonic reading taken together with the wall time from an RTC or a
 * network). It takes wall < L4_TIME_MAX and at <= wall (a wall clock that read less than 0 at
 * boot is no time since 1970), so the offset is below 2^63 and wall never overflows in the
 * 292 years monotonic needs to reach 2^63.
 */
#define L4_NS_PER_SEC 1000000000ull
#define L4_TIME_MAX   (1ull << 63)

#endif
