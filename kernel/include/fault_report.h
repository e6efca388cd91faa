/* SPDX-License-Identifier: BSD-2-Clause */
/* The report printed when a user thread faults and nobody handles it. */
#ifndef KERNEL_FAULT_REPORT_H
#define KERNEL_FAULT_REPORT_H

#include "types.h"

struct tcb;
struct trap_frame;

#define FAULT_FRAMES 8 /* return addresses a backtrace follows at most */

/*
 * Print t's fault in the system's own names: its container, thread and
 * program, the error code in words, "stack overflow" for an access to the
 * guard pages below the initial stack, the pc and a frame-pointer backtrace
 * with function names from the program's ELF symbols, then the registers.
 */
void fault_report(struct tcb *t, const struct trap_frame *f, unsigned vector, uint64_t error,
                  uint64_t addr);

#endif
