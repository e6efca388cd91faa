/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-thread FPU/SSE/AVX state: saved and loaded only for threads that have used it. */
#ifndef KERNEL_FPU_H
#define KERNEL_FPU_H

#include "thread.h"
#include "types.h"

/*
 * The rule (docs/architecture.md "FPU state"): while a thread that never used the FPU runs,
 * the registers hold the clean state and its first FPU instruction traps (fpu_first_use);
 * while a thread that did runs, they hold its own state. A switch between two threads that
 * never used it costs one test; anything else goes to fpu_switch_slow.
 */
__attribute__((noinline, cold)) void fpu_switch_slow(struct tcb *prev, struct tcb *next);

/* Called on a change of the running thread when prev or next has switch work (sched.c). */
static inline void fpu_switch(struct tcb *prev, struct tcb *next)
{
    if (prev->fpu_used | next->fpu_used)
        fpu_switch_slow(prev, next);
}

/* The running thread's first FPU instruction trapped: mark it, give it a clean state, and
 * return true so that it retries the instruction. */
bool fpu_first_use(void);

#endif
