/* SPDX-License-Identifier: BSD-2-Clause */
/* devtest's device on x86_64 (built for x86_64 only): q35's HPET (see dev.h). */
#ifdef __x86_64__
#include "dev.h"
#include "test.h"

/* HPET registers (IA-PC HPET specification): 32-bit accesses, which every HPET takes */
#define HPET_ID      0x000 /* bits 31:16 vendor; the next word: the period in femtoseconds */
#define HPET_PERIOD  0x004
#define HPET_CONFIG  0x010 /* bit 0 ENABLE_CNF: the main counter runs */
#define HPET_COUNTER 0x0f0 /* main counter, low word */
#define ENABLE_CNF   1u
#define MAX_PERIOD   100000000u /* 100 ns: the slowest an HPET may tick (QEMU's: 10 ns) */

const char dev_name[] = "HPET";
const l4_word_t dev_base = 0xfed00000ul;
const l4_word_t spare_base = 0xfe000000ul;
const unsigned dev_reg = HPET_COUNTER;

static void set_reg(l4_word_t va, unsigned off, uint32_t v)
{
    *(volatile uint32_t *)(va + off) = v;
}

bool dev_identify(l4_word_t va)
{
    uint32_t period = dev_read32(va, HPET_PERIOD), vendor = dev_read32(va, HPET_ID) >> 16;

    printf("devtest: HPET vendor %x, period %u fs\n", vendor, period);
    return period > 0 && period <= MAX_PERIOD && vendor != 0 && vendor != 0xffff;
}

/* Does the main counter count? Enables it first (firmware may have left it off). */
bool dev_answers(l4_word_t va)
{
    set_reg(va, HPET_CONFIG, dev_read32(va, HPET_CONFIG) | ENABLE_CNF);
    uint32_t first = dev_read32(va, HPET_COUNTER), later = first;
    for (unsigned i = 0; i < 1000 && later == first; i++)
        later = dev_read32(va, HPET_COUNTER);
    return later != first;
}
#endif
