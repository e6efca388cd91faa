/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU data, reached through TPIDR_EL1 (x86_64: GS): nothing "the running thread" is a
 * plain global, so a second CPU needs only its own struct cpu_local. */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tcb;

struct cpu_local {
    struct tcb *current;
    uint64_t ttbr0; /* the TTBR0_EL1 value now loaded (root | ASID << 48) */
    /* (no kernel stack top: SP_EL1 is the thread's stack top whenever it runs in EL0, since
     * every way out leaves it there; see arch_set_kernel_stack) */
};

/* TPIDR_EL1 := this CPU's area (first thing at boot: nothing before it may use it). */
void percpu_init(void);
struct cpu_local *percpu(void);
#endif

#endif
