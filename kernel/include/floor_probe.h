/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench's floor, measured by the kernel (bench=floor on its command line). */
#ifndef KERNEL_FLOOR_PROBE_H
#define KERNEL_FLOOR_PROBE_H

#include "types.h"

/*
 * What the probe times in user mode, each with the bench's own method (user/bench/bench.c):
 * nothing (the timer's cost, subtracted from the others), a system call whose kernel side is
 * its return alone (x86_64: SYSRET; AArch64: ERET), and a round trip from space A to space B
 * and back whose kernel side does the least a switch must (save and load the user pc, flags
 * and stack pointer, write the page-table root: x86_64 rip, rflags, rsp and CR3; AArch64
 * ELR_EL1, SPSR_EL1, SP_EL0 and TTBR0 with the space's ASID).
 */
enum floor_what { FLOOR_EMPTY, FLOOR_NULL, FLOOR_SWITCH };

/* n runs of what into ticks[]; false if the probe could not be set up or did not finish.
 * The architecture's half (kernel/arch/ARCH/floor.c). */
bool arch_floor_sample(enum floor_what what, uint64_t *ticks, unsigned n);

/* One of the probe's two spaces: its root (as arch_pt_activate takes it) and its data page. */
struct floor_space {
    paddr_t root, data;
};
/* The probe's two spaces, each mapping a copy of its user code [start, end) (a page at most) at
 * code_va, executable, and a zeroed data page of its own at data_va (the architectures' half
 * calls it once); false if memory is short or the code does not fit. Nothing is freed: the
 * kernel halts after the probe. */
bool floor_spaces_make(const char *start, const char *end, vaddr_t code_va, vaddr_t data_va,
                       struct floor_space s[2]);

/* Time each, print them as make bench's rows, and halt: no container ever starts. */
_Noreturn void floor_probe_run(void);

#endif
