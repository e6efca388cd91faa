/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel's clocks: monotonic nanoseconds from the tick count, and the wall clock's offset
 * (hardware free, host tested). */
#ifndef OBJECT_CLOCK_H
#define OBJECT_CLOCK_H

#include "types.h"

/* Nanoseconds in ticks timer interrupts at hz a second, exactly (rounded down). */
uint64_t clock_ns(uint64_t ticks, uint64_t hz);
/* The wall clock when the monotonic one reads mono: mono + the offset time_set made. */
uint64_t clock_wall(uint64_t mono);
/* Make the wall clock read wall when the monotonic clock reads at (<coffer/time.h>): ERANGE
 * when wall >= L4_TIME_MAX or at > wall; nothing changes then. */
l4_err_t clock_set(uint64_t wall, uint64_t at);

#endif
