/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench's floor, measured by the kernel (bench=floor on its command line). */
#ifndef KERNEL_FLOOR_PROBE_H
#define KERNEL_FLOOR_PROBE_H

#include "types.h"

/*
 * What the probe times in ring 3, each with the bench's own method (user/bench/bench.c):
 * nothing (the timer's cost, subtracted from the others), a system call whose kernel side is
 * SYSRET alone, and a round trip from space A to space B and back whose kernel side does
 * the least a switch must (save and load rip, rflags and rsp, write CR3).
 */
enum floor_what { FLOOR_EMPTY, FLOOR_NULL, FLOOR_SWITCH };

/* n runs of what into ticks[]; false if the probe could not be set up or did not finish.
 * The architecture's half (kernel/arch/x86_64/floor.c). */
bool arch_floor_sample(enum floor_what what, uint64_t *ticks, unsigned n);

/* Time each, print them as make bench's rows, and halt: no container ever starts. */
_Noreturn void floor_probe_run(void);

#endif
