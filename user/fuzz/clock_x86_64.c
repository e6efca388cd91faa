/* SPDX-License-Identifier: BSD-2-Clause */
/* super's clock on x86_64 (built for x86_64 only): the PIT's channel 0 as a rate generator,
 * its interrupt on I/O APIC line 2 signalling SUPER_CLOCK. */
#ifdef __x86_64__
#include "fuzz.h"

#define PIT_CMD     0x43
#define PIT_CH0     0x40
#define PIT_INPUT   1193182 /* Hz */
#define PIT_RATEGEN 0x34    /* channel 0, low then high byte, mode 2 (rate generator) */

l4_err_t clock_start(unsigned hz)
{
    unsigned div = PIT_INPUT / hz;
    l4_err_t err = l4_irq_bind(SUPER_IRQ, SUPER_CLOCK);

    if (!err)
        err = l4_ioport_out(SUPER_PIT, PIT_CMD, 1, PIT_RATEGEN);
    if (!err)
        err = l4_ioport_out(SUPER_PIT, PIT_CH0, 1, div & 0xff);
    if (!err)
        err = l4_ioport_out(SUPER_PIT, PIT_CH0, 1, div >> 8);
    return err;
}

void clock_wait(void)
{
    l4_word_t bits;

    l4_notify_wait(SUPER_CLOCK, &bits);
    l4_irq_ack(SUPER_IRQ);
}

void clock_stop(void)
{
    l4_irq_release(SUPER_IRQ); // the PIT runs on, and nobody hears it
}
#endif
