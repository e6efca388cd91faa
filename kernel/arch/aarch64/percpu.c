/* SPDX-License-Identifier: BSD-2-Clause */
/* The boot CPU's per-CPU area, behind TPIDR_EL1. */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"

static struct cpu_local cpu0 __attribute__((aligned(64)));

void percpu_init(void)
{
    write_sysreg(tpidr_el1, &cpu0);
}

struct cpu_local *percpu(void)
{
    return (struct cpu_local *)read_sysreg(tpidr_el1);
}

struct tcb *arch_cpu_current(void)
{
    return percpu()->current;
}

void arch_cpu_set_current(struct tcb *t)
{
    percpu()->current = t;
}

/* Nothing to load: every way out to EL0 leaves sp at the top of the thread's stack
 * (vectors.S), so SP_EL1 is right there on the next entry. (The fastpaths' switch,
 * BECOME_NEXT in arch_entry.h, does not call this either.) */
void arch_set_kernel_stack(void *top)
{
    (void)top;
}
