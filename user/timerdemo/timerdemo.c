/* SPDX-License-Identifier: BSD-2-Clause */
/* A timer service client (make run SYSTEM=timer): sleeps a few times, prints the time, and
 * then ends the service. */
#include "l4.h"
#include "timer.h"

#define TIMER 16 /* badged send capability to the timer service */

int main(const char *arg)
{
    (void)arg;
    for (l4_word_t ms = 100; ms <= 400; ms += 100) {
        l4_word_t before = clock_monotonic(TIMER);
        l4_err_t err = sleep_ms(TIMER, ms);
        l4_word_t after = clock_monotonic(TIMER);
        printf("timerdemo: slept %lu ms (%s): %lu.%06lu -> %lu.%06lu ms\n", ms, l4_strerror(err),
               before / 1000000, before % 1000000, after / 1000000, after % 1000000);
    }
    /* its system file lets this client (badge 1) end the service, so the system ends too */
    timer_request(TIMER, TIMER_STOP, 0, 0, NULL);
    return 0;
}
