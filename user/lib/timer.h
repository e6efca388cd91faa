/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The timer service's protocol (user/timer, docs/services.md "Timer service") and the libl4
 * wrappers its clients use. Every request is an ipc_call of at most one word through a badged
 * send capability to the service's endpoint; the reply's label is an l4_err_t (0: done) and
 * its word 0 the kernel's monotonic clock (l4_time's, in ns) when the service replied.
 */
#ifndef USER_TIMER_H
#define USER_TIMER_H

#include <coffer/types.h>

/* Request labels (the tag's label; the tag's length is the number of words). */
#define TIMER_MONOTONIC 1 /* no words: replies at once */
#define TIMER_SLEEP     2 /* word 0: a duration in ns: replies when it has passed */
#define TIMER_WAKE_AT   3 /* word 0: a deadline on the monotonic clock: replies when it is due */
#define TIMER_ARM       4 /* word 0: a duration in ns: arms a timer, replies at once, word 1 its id */
#define TIMER_ARM_AT    5  /* word 0: a deadline: as TIMER_ARM (a past one is fired at once) */
#define TIMER_WAIT      6  /* word 0: a timer id: replies when it fires (OK) or is cancelled */
#define TIMER_CANCEL    7  /* word 0: a timer id: frees it; its waiter gets TIMER_CANCELLED */
#define TIMER_STOP      15 /* no words: end the service; only from the badge its args name */

/* What TIMER_WAIT answers when another thread of the client cancels the timer it waits on. */
#define TIMER_CANCELLED L4_ESTATE

/* The longest duration and the latest deadline the service takes (ERANGE beyond): ~146 years,
 * so that now + duration never overflows. */
#define TIMER_MAX_NS           (1ull << 62)
/* How many requests of one client (one badge) may wait at once (EBUSY beyond). */
#define TIMER_PER_CLIENT       4
/* How many timers one client may hold armed or fired-but-not-waited at once (EBUSY beyond). */
#define TIMER_ARMED_PER_CLIENT 4

/* The time on the service's clock (it is the kernel's monotonic clock, l4_time's); 0 if the
 * service could not be reached. */
l4_word_t clock_monotonic(l4_cap_t timer);
/* Sleep for ns / ms nanoseconds / milliseconds: returns no earlier (by l4_time's monotonic
 * clock); L4_OK, or the service's or the kernel's error. */
l4_err_t sleep_ns(l4_cap_t timer, l4_word_t ns);
l4_err_t sleep_ms(l4_cap_t timer, l4_word_t ms);
/* Sleep until the monotonic clock reads deadline (ETIMEOUT at once if it already does). */
l4_err_t sleep_until(l4_cap_t timer, l4_word_t deadline);
/* Arm a timer that fires ns from now (timer_arm) or at deadline (timer_arm_at) without
 * blocking: *id names it to timer_wait and timer_cancel, for this client (badge) only. */
l4_err_t timer_arm(l4_cap_t timer, l4_word_t ns, l4_word_t *id);
l4_err_t timer_arm_at(l4_cap_t timer, l4_word_t deadline, l4_word_t *id);
/* Block until timer id fires (L4_OK at once if it has) or another thread cancels it
 * (TIMER_CANCELLED); either way the id is then free. ECAP: no timer of this client. */
l4_err_t timer_wait(l4_cap_t timer, l4_word_t id);
/* Free timer id, releasing its waiter with TIMER_CANCELLED: L4_OK, or L4_ETIMEOUT if it had
 * already fired (and nobody waited yet: the cancel lost the race), or ECAP. */
l4_err_t timer_cancel(l4_cap_t timer, l4_word_t id);
/* A raw request: label, len words (0 or 1) of which word 0 is arg; *now gets the reply's
 * word 0 when now is not NULL. For tests and for clients that need the reply's time. */
l4_err_t timer_request(l4_cap_t timer, l4_word_t label, l4_word_t len, l4_word_t arg,
                       l4_word_t *now);

#endif
