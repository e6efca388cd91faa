/* SPDX-License-Identifier: BSD-2-Clause */
/* clocksrc.h on the PC's PIT, channel 0 one-shot (mode 0: its output rises once, at the
 * terminal count, which the I/O APIC takes as an edge). */
#include "clocksrc.h"
#include "l4.h"
#include "pit.h"
#include "tsc.h"

#define NS           1000000000ull
#define PIT_MAX      65535ull
#define NS_PER_TICKS (PIT_MAX * NS / PIT_HZ) /* ns of PIT_MAX periods, rounded down */

const char clocksrc_name[] = "PIT on line 2";

l4_word_t clocksrc_max_ns(void)
{
    return NS_PER_TICKS;
}

/* ns as whole periods, rounded up: never sooner than ns */
static l4_word_t ticks_of(l4_word_t ns)
{
    if (ns > NS_PER_TICKS)
        ns = NS_PER_TICKS;
    l4_word_t ticks = (ns * PIT_HZ + NS - 1) / NS;
    return ticks ? ticks : 1;
}

l4_err_t clocksrc_arm(l4_cap_t dev, l4_word_t ns)
{
    return pit_oneshot(dev, ticks_of(ns));
}

l4_err_t clocksrc_arm_deadline(l4_cap_t dev, l4_word_t ns, l4_word_t *deadline)
{
    l4_word_t ticks = ticks_of(ns);
    l4_err_t cmd = l4_ioport_out(dev, PIT_CMD, 1, PIT_ONESHOT);
    l4_err_t low = l4_ioport_out(dev, PIT_DATA0, 1, ticks & 0xff);
    l4_word_t t0 = tsc();
    l4_err_t high = l4_ioport_out(dev, PIT_DATA0, 1, ticks >> 8); // the count starts here

    *deadline = t0 + ticks * NS / PIT_HZ; // QEMU's PIT: load time + count periods
    return cmd ? cmd : low ? low : high;
}

l4_err_t clocksrc_stop(l4_cap_t dev)
{
    (void)dev; // the output stays high, but the line took its edge: nothing raises it again
    return L4_OK;
}
