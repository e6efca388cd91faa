/* SPDX-License-Identifier: BSD-2-Clause */
/* The AArch64 timestamp the bench programs read (bench_time.h): the PMU cycle counter. */
#ifndef USER_TSC_H
#define USER_TSC_H

#include <coffer/types.h>

/*
 * PMCCNTR_EL0, with an ISB on both sides so that no instruction of the timed code is
 * reordered across the read. Under QEMU's -icount shift=0 the cycle counter advances one a
 * guest instruction, which makes a bench run repeatable as RDTSC does on x86_64 (the generic
 * timer's CNTVCT_EL0 would count in 62.5 MHz ticks of virtual time instead).
 *
 * EL0 may read it only if the kernel allows it: PMUSERENR_EL0.CR (or .EN) set, and the
 * counter enabled (PMCR_EL0.E, PMCNTENSET_EL0.C). Without that the read traps as an
 * undefined instruction, and the bench program stops with that fault.
 */
#define TSC_READ "isb;mrs pmccntr;isb" /* what tsc() runs, for the bench's overhead line */
static inline l4_word_t tsc(void)
{
    l4_word_t v;

    __asm__ volatile("isb; mrs %0, pmccntr_el0; isb" : "=r"(v));
    return v;
}

#endif
