/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * clocksrc.h on EL1's physical timer, CNTP: its registers are the caller's only while its
 * container has line 23 bound (kernel/arch/aarch64/cntp.c); any other thread's access is an
 * undefined instruction (fault 6). It compares CNTP_CVAL_EL0 with the physical counter
 * CNTPCT_EL0, which runs at CNTFRQ_EL0 (62.5 MHz on QEMU), and raises its interrupt (a level)
 * while the counter is past the compare value, until it is disabled or set later.
 */
#include "clocksrc.h"
#include "tsc.h"

#define NS         1000000000ull
#define CTL_ENABLE 1ull         /* CNTP_CTL_EL0: enabled, interrupt not masked (IMASK 0) */
#define MAX_NS     (10ull * NS) /* ns * frequency stays below 2^64 up to 1 GHz (ARMv8.6's) */

const char clocksrc_name[] = "CNTP on line 23";

l4_word_t clocksrc_max_ns(void)
{
    return MAX_NS;
}

/* Compare value ns (rounded up to whole counter ticks) past the counter, enabled. t0, if given,
 * gets tsc() just before the counter is read, from which the count runs: the interrupt comes
 * more than ticks - 1 whole ticks after t0 (the counter was part way through its tick when
 * read), which *counted gets in ns. */
static void program(l4_word_t ns, l4_word_t *t0, l4_word_t *counted)
{
    l4_word_t freq, now;

    if (ns > MAX_NS)
        ns = MAX_NS;
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(freq));
    l4_word_t ticks = (ns * freq + NS - 1) / NS; // rounded up: never sooner than ns
    ticks = ticks ? ticks : 1;
    if (t0)
        *t0 = tsc();
    __asm__ volatile("isb; mrs %0, cntpct_el0" : "=r"(now));
    __asm__ volatile("msr cntp_cval_el0, %0; msr cntp_ctl_el0, %1; isb"
                     :
                     : "r"(now + ticks), "r"(CTL_ENABLE)
                     : "memory");
    if (counted)
        *counted = (ticks - 1) * NS / freq;
}

l4_err_t clocksrc_arm(l4_cap_t dev, l4_word_t ns)
{
    (void)dev; // the line's binding lends the registers
    program(ns, NULL, NULL);
    return L4_OK;
}

l4_err_t clocksrc_arm_deadline(l4_cap_t dev, l4_word_t ns, l4_word_t *deadline)
{
    l4_word_t t0, counted;

    (void)dev;
    program(ns, &t0, &counted);
    *deadline = t0 + counted;
    return L4_OK;
}

l4_err_t clocksrc_stop(l4_cap_t dev)
{
    (void)dev;
    __asm__ volatile("msr cntp_ctl_el0, xzr; isb" : : : "memory");
    return L4_OK;
}
