/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4's timer service client (user/lib/timer.h). Registers only: any thread may call these. */
#include "timer.h"

#include "l4.h"

#include <coffer/ipc.h>

l4_err_t timer_request(l4_cap_t timer, l4_word_t label, l4_word_t len, l4_word_t arg,
                       l4_word_t *now)
{
    l4_word_t tag = 0, m0 = 0;
    l4_err_t err =
        l4_ipc_call(timer, L4_TAG(label, len, 0), arg, 0, 0, 0, &tag, &m0, NULL, NULL, NULL, NULL);
    if (err)
        return err;
    if (now)
        *now = m0;
    return (l4_err_t)L4_TAG_LABEL(tag);
}

l4_word_t clock_monotonic(l4_cap_t timer)
{
    l4_word_t now = 0;

    return timer_request(timer, TIMER_MONOTONIC, 0, 0, &now) ? 0 : now;
}

l4_err_t sleep_ns(l4_cap_t timer, l4_word_t ns)
{
    return timer_request(timer, TIMER_SLEEP, 1, ns, NULL);
}

l4_err_t sleep_ms(l4_cap_t timer, l4_word_t ms)
{
    if (ms > TIMER_MAX_NS / 1000000u)
        return L4_ERANGE;
    return sleep_ns(timer, ms * 1000000u);
}

l4_err_t sleep_until(l4_cap_t timer, l4_word_t deadline)
{
    return timer_request(timer, TIMER_WAKE_AT, 1, deadline, NULL);
}

static l4_err_t arm(l4_cap_t timer, l4_word_t label, l4_word_t arg, l4_word_t *id)
{
    l4_word_t tag = 0, m1 = 0;
    l4_err_t err =
        l4_ipc_call(timer, L4_TAG(label, 1, 0), arg, 0, 0, 0, &tag, NULL, &m1, NULL, NULL, NULL);
    if (err)
        return err;
    *id = m1;
    return (l4_err_t)L4_TAG_LABEL(tag);
}

l4_err_t timer_arm(l4_cap_t timer, l4_word_t ns, l4_word_t *id)
{
    return arm(timer, TIMER_ARM, ns, id);
}

l4_err_t timer_arm_at(l4_cap_t timer, l4_word_t deadline, l4_word_t *id)
{
    return arm(timer, TIMER_ARM_AT, deadline, id);
}

l4_err_t timer_wait(l4_cap_t timer, l4_word_t id)
{
    return timer_request(timer, TIMER_WAIT, 1, id, NULL);
}

l4_err_t timer_cancel(l4_cap_t timer, l4_word_t id)
{
    return timer_request(timer, TIMER_CANCEL, 1, id, NULL);
}
