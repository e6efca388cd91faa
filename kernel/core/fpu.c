/* SPDX-License-Identifier: BSD-2-Clause */
/* When a thread's FPU/SSE/AVX state is saved and loaded: eagerly, once it has used it. */
#include "fpu.h"

#include "arch.h"
#include "printk.h"
#include "sched.h"

/*
 * No state crosses threads: prev's registers are saved before next sees any, and a next
 * that never used the FPU gets the clean state and a trap on its first use (not prev's
 * registers behind a trap: even the speculative reads of lazy switching are closed).
 */
void fpu_switch_slow(struct tcb *prev, struct tcb *next)
{
    DEBUG_ASSERT(prev != next);
    if (prev->fpu_used)
        arch_fpu_save(&prev->fpu);
    if (next->fpu_used)
        arch_fpu_load(&next->fpu);
    else
        arch_fpu_trap();
}

bool fpu_first_use(void)
{
    struct tcb *t = sched_current();

    /* a thread marked already runs with its state loaded and nothing trapping */
    ASSERT(!t->fpu_used);
    t->fpu_used = true;
    arch_fpu_claim();
    return true;
}
