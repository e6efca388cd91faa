/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The one-shot timer a user driver owns with its interrupt line, the same calls on every
 * architecture (each has one backend, user/lib/arch/<arch>/clocksrc_*.c): the PC's PIT on
 * x86_64 (channel 0 through the ports 0x40..0x43 in a capability, ISA IRQ 0 on I/O APIC line
 * 2), EL1's physical timer CNTP on AArch64 (interrupt line 23: binding it lends its registers
 * to the binder's threads, so it needs no other capability). Users: the timer service
 * (user/timer) and the tests and benches that stop a long call part way with its interrupt.
 *
 * A driver binds the line to a notification, arms the timer, waits for the notification,
 * stops the timer (clocksrc_stop: CNTP's interrupt is a level that stays raised until then)
 * and acknowledges the line.
 */
#ifndef USER_CLOCKSRC_H
#define USER_CLOCKSRC_H

#include <coffer/error.h>
#include <coffer/types.h>

/* "PIT on line 2": the device and its line, for a service's banner. */
extern const char clocksrc_name[];

/* The longest one-shot the device counts (PIT: 65535 periods, ~55 ms); clocksrc_arm makes a
 * longer one this long. */
l4_word_t clocksrc_max_ns(void);

/* Interrupt once, no sooner than ns from now (at least one period of the device; at most
 * clocksrc_max_ns). dev: the device's capability (the PIT's ports); CNTP has none: the line's
 * binding lends its registers. The first error of the device's accesses, or L4_OK. */
l4_err_t clocksrc_arm(l4_cap_t dev, l4_word_t ns);

/* clocksrc_arm, and when it will fire in tsc() units (tsc.h), under QEMU's -icount shift=0,
 * where those count nanoseconds of the virtual clock that drives the device (make bench): the
 * count taken just before the device starts counting, plus the ns it counts (whole periods),
 * so that a latency measured against it is never short of the truth. */
l4_err_t clocksrc_arm_deadline(l4_cap_t dev, l4_word_t ns, l4_word_t *deadline);

/* The interrupt has come: make the device stop raising it, before the line's irq_ack. */
l4_err_t clocksrc_stop(l4_cap_t dev);

#endif
