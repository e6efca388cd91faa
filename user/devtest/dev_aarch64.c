/* SPDX-License-Identifier: BSD-2-Clause */
/* devtest's device on AArch64 (built for AArch64 only): virt's PL031 real-time clock. */
#ifdef __aarch64__
#include "dev.h"
#include "test.h"

/* PL031 registers (ARM PrimeCell RTC PL031 TRM): 32-bit accesses */
#define RTC_DR    0x000 /* the seconds count */
#define RTC_MR    0x004 /* the match register: read/write, no effect while the interrupt is masked */
#define RTC_IMSC  0x010 /* interrupt mask: 0 at reset, and we never set it */
#define PERIPH_ID 0xfe0 /* four registers, a byte each: the part 0x031, designer 0x41 ('A') */
#define CELL_ID   0xff0 /* four registers, a byte each: 0xb105f00d, every PrimeCell's */

const char dev_name[] = "PL031";
const l4_word_t dev_base = 0x09010000ul;
/* below the virtio-mmio transports (0x0a000000) and above virt's last fixed device page */
const l4_word_t spare_base = 0x09800000ul;
const unsigned dev_reg = RTC_DR;

/* The four byte-wide registers from off, as one word (the first the low byte). */
static uint32_t id_word(l4_word_t va, unsigned off)
{
    uint32_t w = 0;

    for (unsigned i = 0; i < 4; i++)
        w |= (dev_read32(va, off + 4 * i) & 0xff) << (8 * i);
    return w;
}

bool dev_identify(l4_word_t va)
{
    uint32_t periph = id_word(va, PERIPH_ID), cell = id_word(va, CELL_ID);

    printf("devtest: PL031 peripheral id %x, PrimeCell id %x\n", periph, cell);
    return (periph & 0xfffff) == 0x41031 && cell == 0xb105f00du;
}

/* Does a write land? The match register keeps what is written (its interrupt stays masked). */
bool dev_answers(l4_word_t va)
{
    volatile uint32_t *mr = (volatile uint32_t *)(va + RTC_MR);
    bool ok = dev_read32(va, RTC_IMSC) == 0;

    for (uint32_t v = 0x5a5a0001u; ok && v != 0x5a5a0004u; v++) {
        *mr = v;
        ok = *mr == v;
    }
    return ok;
}
#endif
