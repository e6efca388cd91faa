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
#define TIMER_MONOTONIC 1  /* no words: replies at once */
#define TIMER_SLEEP     2  /* word 0: a duration in ns: replies when it has passed */
#define TIMER_WAKE_AT   3  /* word 0: a deadline on the monotonic clock: replies when it is due */
#define TIMER_STOP      15 /* no words: end the service; only from the badge its args name */

/* The longest duration and the latest deadline the service takes (ERANGE beyond): ~146 years,
 * so that now + duration never overflows. */
#define TIMER_MAX_NS     (1ull << 62)
/* How many requests of one client (one badge) may wait at once (EBUSY beyond). */
#define TIMER_PER_CLIENT 4

/* The time on the service's clock (it is the kernel's monotonic clock, l4_time's); 0 if the
 * service could not be reached. */
l4_word_t clock_monotonic(l4_cap_t timer);
/* Sleep for ns / ms nanoseconds / milliseconds: returns no earlier (by l4_time's monotonic
 * clock); L4_OK, or the service's or the kernel's error. */
l4_err_t sleep_ns(l4_cap_t timer, l4_word_t ns);
l4_err_t sleep_ms(l4_cap_t timer, l4_word_t ms);
/* Sleep until the monotonic clock reads deadline (ETIMEOUT at once if it already does). */
l4_err_t sleep_until(l4_cap_t timer, l4_word_t deadline);
/* A raw request: label, len words (0 or 1) of which word 0 is arg; *now gets the reply's
 * word 0 when now is not NULL. For tests and for clients that need the reply's time. */
l4_err_t timer_request(l4_cap_t timer, l4_word_t label, l4_word_t len, l4_word_t arg,
                       l4_word_t *now);

#endif
