/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * A user driver for the HPET (make run SYSTEM=hpet): the system file gives this container the
 * HPET's page as device memory in slot 16; the driver maps it (uncached: mem_map does that
 * for device memory), starts the main counter and reads time from it, with no system call
 * per reading. A timer service would start here.
 */
#include "l4.h"

#include <coffer/mem.h>

#define HPET_SLOT 16           /* systems/hpet.toml */
#define HPET_VA   0x30000000ul /* where we map its registers */

/* registers (IA-PC HPET specification), read and written 32 bits at a time */
#define HPET_ID      0x000 /* bits 31:16 vendor, 12:8 last timer, 13 the counter is 64-bit */
#define HPET_PERIOD  0x004 /* the counter's period in femtoseconds */
#define HPET_CONFIG  0x010 /* bit 0 ENABLE_CNF: the main counter runs */
#define HPET_COUNTER 0x0f0 /* the main counter: low word, then high word */
#define ENABLE_CNF   1u

static volatile uint32_t *reg(unsigned off)
{
    return (volatile uint32_t *)(HPET_VA + off);
}

/* The 64-bit main counter, read as two words: the high word again if the low one wrapped. */
static uint64_t counter(void)
{
    uint32_t hi, lo;

    do {
        hi = *reg(HPET_COUNTER + 4);
        lo = *reg(HPET_COUNTER);
    } while (hi != *reg(HPET_COUNTER + 4));
    return (uint64_t)hi << 32 | lo;
}

/* Nanoseconds in ticks of period femtoseconds (exact for the short spans measured here). */
static uint64_t ns(uint64_t ticks, uint32_t period)
{
    return ticks * period / 1000000u;
}

int main(const char *arg)
{
    (void)arg;
    l4_err_t err = l4_mem_map(HPET_SLOT, 0, L4_SLOT_SPACE, HPET_VA, L4_MAP_READ | L4_MAP_WRITE);
    if (err) {
        printf("hpet: cannot map the HPET: %s\n", l4_strerror(err));
        return 1;
    }
    uint32_t id = *reg(HPET_ID), period = *reg(HPET_PERIOD);
    if (period == 0 || period > 100000000u) { // the specification's bound: 100 ns
        printf("hpet: no HPET here (period %u fs): boot this system with machine q35 or pc\n",
               period);
        return 1;
    }
    printf("hpet: vendor %x, %u timers, period %u fs (%u MHz)\n", id >> 16, ((id >> 8) & 0x1f) + 1,
           period, 1000000000u / period);
    *reg(HPET_CONFIG) |= ENABLE_CNF;
    uint64_t start = counter(), last = start;
    for (unsigned i = 0; i < 3; i++) {
        for (unsigned y = 0; y < 100; y++)
            l4_thread_yield();
        uint64_t now = counter();
        if (now <= last) {
            printf("hpet: the counter went from %lu to %lu: it does not run\n", last, now);
            return 1;
        }
        printf("hpet: counter %lu, +%lu ns\n", now, ns(now - last, period));
        last = now;
    }
    printf("hpet: %lu ns passed in all, the counter only rising\n", ns(last - start, period));
    return 0;
}
