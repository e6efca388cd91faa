/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzz system (systems/fuzz.toml): its roles, the slots the file gives them, shared helpers. */
#ifndef FUZZ_FUZZ_H
#define FUZZ_FUZZ_H

#include "l4.h"

/* super: the clock (the architecture's: clock_<arch>.c), the fuzzer's and the sink's controller */
#define SUPER_CLOCK  16 /* notification the clock signals */
#define SUPER_DONE   17 /* notification the fuzzer signals after its final summary */
#define SUPER_PIT    18 /* x86_64: I/O ports 0x40..0x43; AArch64: the clock's thread */
#define SUPER_IRQ    19 /* x86_64: interrupt line 2 (the PIT, ISA IRQ 0) */
#define SUPER_FUZZER 20 /* the fuzzer container: control, inspect */
#define SUPER_SINK   21 /* the sink container: control, inspect */
#define SUPER_TICK   22 /* the victim's notification, badge VICTIM_TICK */
#define SUPER_STOP   23 /* the victim's notification, badge VICTIM_STOP */
#define SUPER_VICTIM 24 /* the victim container: inspect */

/* victim: a service endpoint (the fuzzer may send to it) and the notification super signals */
#define VICTIM_SVC      16
#define VICTIM_TICK_NTF 17
#define VICTIM_TICK     1u /* badge bits of super's two capabilities to it */
#define VICTIM_STOP     2u

/* fuzzer: what the file gives it beyond the well-known slots */
#define FUZZ_SVC    16 /* the victim's service endpoint: send, badge 7 */
#define FUZZ_SINK   17 /* the sink container: every right */
#define FUZZ_DONE   18 /* super's done notification: signal (never fuzzed) */
#define FUZZ_PART   19 /* 19..24: a part split off each pool root, by kind (fuzzer.c) */
#define FUZZ_IO     25 /* I/O ports 0x80..0x83: nothing answers there on this machine */
#define FUZZ_IRQ    26 /* interrupt line 5: nothing raises it */
#define FUZZ_FREE   27 /* slots from here on are the fuzzing's to fill and empty */
#define FUZZ_NSLOTS 64 /* its capslots pool: the size of its table */

/* The value of "key=N" in a module argument string, or def. */
l4_word_t arg_value(const char *arg, const char *key, l4_word_t def);
/* Scheduler ticks since boot, and ticks per second. */
l4_word_t now_ticks(void);
l4_word_t ticks_per_sec(void);

/* super's clock: start it at hz ticks a second; sleep until its next tick; stop it (the
 * system ends when no thread is left). */
l4_err_t clock_start(unsigned hz);
void clock_wait(void);
void clock_stop(void);

int super_main(const char *arg);
int victim_main(const char *arg);
int fuzzer_main(const char *arg);

#endif
