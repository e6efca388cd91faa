/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The PC's 8254 timer, channel 0, as user code drives it through an I/O port capability for
 * ports 0x40..0x43: the timer service (user/timer), the interrupt latency bench
 * (user/benchrevoke) and the tests that stop a long call part way with its interrupt.
 */
#ifndef USER_PIT_H
#define USER_PIT_H

#include <coffer/types.h>

#define PIT_HZ      1193182u
#define PIT_DATA0   0x40
#define PIT_CMD     0x43
#define PIT_ONESHOT 0x30 /* channel 0, low then high byte, mode 0: interrupt on terminal count */

/* Count ticks (1..65535) once, then interrupt: the three port writes are all made; the
 * first error among them, or L4_OK. */
l4_err_t pit_oneshot(l4_cap_t ports, l4_word_t ticks);

#endif
