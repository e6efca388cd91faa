/* SPDX-License-Identifier: BSD-2-Clause */
/* The 8254's channel 0 as a one-shot (pit.h). */
#include "pit.h"

#include "l4.h"

l4_err_t pit_oneshot(l4_cap_t ports, l4_word_t ticks)
{
    l4_err_t cmd = l4_ioport_out(ports, PIT_CMD, 1, PIT_ONESHOT);
    l4_err_t low = l4_ioport_out(ports, PIT_DATA0, 1, ticks & 0xff);
    l4_err_t high = l4_ioport_out(ports, PIT_DATA0, 1, ticks >> 8); // the count starts here

    return cmd ? cmd : low ? low : high;
}
