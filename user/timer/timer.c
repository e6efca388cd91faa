/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The timer service (docs/services.md "Timer service"): owns a one-shot timer and its interrupt
 * (clocksrc.h: the PIT on x86_64, CNTP on AArch64) and serves monotonic time and sleeps to many
 * clients at once.
 *
 * A reply right is one per thread (the call a thread received last), so a caller kept waiting
 * keeps a thread: WORKERS threads receive on the endpoint, and one that takes a sleep parks
 * on its own condition until the clock thread (the first thread) finds its deadline due. The
 * clock thread keeps the pending deadlines sorted, arms the timer for the earliest (at most
 * clocksrc_max_ns ahead, ~55 ms for the PIT: it then looks again) and releases due sleepers in
 * deadline order. "Due" is always decided by the kernel's monotonic clock (l4_time), never by
 * the device, so no sleep ends early by that clock, whatever the two clocks' drift.
 */
#include "timer.h"

#include "clocksrc.h"
#include "l4.h"
#include "sync.h"

#include <coffer/ipc.h>

#define EP          16 /* the service's endpoint: clients hold badged send capabilities to it */
#define DEV         17 /* the device's capability: the PIT's ports 0x40..0x43 (CNTP: none) */
#define IRQ         18 /* its interrupt: the PIT's I/O APIC line 2, CNTP's line 23 */
#define NTF         19 /* the interrupt's notification; workers signal it too, to make the clock look */
#define WORKER_SLOT 32 /* workers' thread capabilities, WORKER_SLOT + i */

#define WORKERS  12
#define MIN_NS   500000u /* the kernel clock moves by 1 ms ticks; asking sooner only spins */
#define NS       1000000000ull
#define TIMERS   32    /* armed timers, all clients together (EBUSY beyond) */
#define ID_INDEX 0xffu /* a timer id: (generation << 8) | (index + 1): never 0, never reused soon */

struct worker {
    struct l4_cond cond;
    l4_word_t deadline;
    l4_word_t badge;
    bool waiting;    /* in the pending list or on a timer, until the clock thread or a cancel
                   * releases it */
    l4_err_t result; /* what a timer waiter replies: L4_OK fired, TIMER_CANCELLED */
};

/* A cancellable timer (TIMER_ARM): owned by one badge; armed until its deadline, then fired
 * until waited on or cancelled (then free). The service cannot learn that a client died, so a
 * dead client's timers stay held until the service restarts: the per-client limit bounds it. */
enum timer_state { TIMER_FREE, TIMER_ARMED, TIMER_FIRED };
struct timer {
    enum timer_state state;
    l4_word_t badge;
    l4_word_t deadline;
    l4_word_t generation;
    struct worker *waiter; /* the worker parked in TIMER_WAIT on it, or NULL */
};

static struct worker workers[WORKERS];
static struct worker *pending[WORKERS]; /* sorted by deadline, earliest first */
static unsigned npending;
static struct l4_mutex lock = L4_MUTEX_INIT;
static l4_word_t stopper;      /* the badge that may send TIMER_STOP ("stop=N"; 0: nobody) */
static volatile bool stopping; /* a TIMER_STOP came: the clock thread ends the service */
static struct timer timers[TIMERS];
static unsigned nwaiters; /* workers parked in TIMER_WAIT */

static l4_word_t monotonic(void)
{
    l4_word_t now = 0;

    l4_time(NULL, NULL, NULL, &now, NULL);
    return now;
}

static unsigned client_pending(l4_word_t badge)
{
    unsigned n = 0;

    for (unsigned i = 0; i < npending; i++)
        n += pending[i]->badge == badge;
    for (unsigned i = 0; i < TIMERS; i++) // a TIMER_WAIT keeps a worker as a sleep does
        n += timers[i].waiter && timers[i].badge == badge;
    return n;
}

/* Insert w after every entry due no later: equal deadlines wake in the order they came. */
static void pending_insert(struct worker *w)
{
    unsigned i = npending;

    // check() keeps npending below WORKERS - 1: there is always room
    while (i > 0 && pending[i - 1]->deadline > w->deadline) {
        pending[i] = pending[i - 1];
        i--;
    }
    pending[i] = w;
    npending++;
}

/* Check a request; on L4_OK *deadline is when to reply (now for MONOTONIC). */
static l4_err_t check(l4_word_t tag, l4_word_t m0, l4_word_t badge, l4_word_t now,
                      l4_word_t *deadline)
{
    l4_word_t label = L4_TAG_LABEL(tag), len = L4_TAG_LEN(tag);

    *deadline = now;
    if (badge == 0)
        return L4_ERIGHTS; // an unbadged capability names no client
    if (tag & (L4_IPC_EXT | L4_IPC_CAP | L4_IPC_TRUNC))
        return L4_EINVAL; // the protocol carries neither buffers nor capabilities
    switch (label) {
    case TIMER_MONOTONIC:
        return len == 0 ? L4_OK : L4_EINVAL;
    case TIMER_SLEEP:
        if (len != 1)
            return L4_EINVAL;
        if (m0 > TIMER_MAX_NS)
            return L4_ERANGE;
        *deadline = now + m0;
        break;
    case TIMER_WAKE_AT:
        if (len != 1)
            return L4_EINVAL;
        if (m0 > TIMER_MAX_NS)
            return L4_ERANGE;
        if (m0 <= now)
            return L4_ETIMEOUT; // already due: the reply's word 0 says how late
        *deadline = m0;
        break;
    case TIMER_ARM:
    case TIMER_ARM_AT:
    case TIMER_WAIT:
    case TIMER_CANCEL:
        return L4_OK; // timer_op() checks the rest
    case TIMER_STOP:
        if (stopper == 0 || badge != stopper)
            return L4_ERIGHTS;
        return len == 0 ? L4_OK : L4_EINVAL;
    default:
        return L4_ENOSYS;
    }
    if (*deadline <= now)
        return L4_OK; // a sleep of 0 ns
    if (client_pending(badge) >= TIMER_PER_CLIENT)
        return L4_EBUSY;
    if (npending + nwaiters >= WORKERS - 1)
        return L4_EBUSY; // the last free worker stays free to answer the others
    return L4_OK;
}

/* The timer id names, if it is one of this client's (a foreign id is as unknown as a free one:
 * a client learns nothing of another's timers). */
static struct timer *timer_find(l4_word_t id, l4_word_t badge)
{
    l4_word_t index = (id & ID_INDEX) - 1;

    if (index >= TIMERS)
        return NULL;
    struct timer *t = &timers[index];
    if (t->state == TIMER_FREE || t->badge != badge || t->generation != id >> 8)
        return NULL;
    return t;
}

static void timer_free(struct timer *t)
{
    t->state = TIMER_FREE;
    t->waiter = NULL;
    t->generation++;
}

/* TIMER_ARM/ARM_AT: a free timer armed for deadline (fired already if it is due). */
static l4_err_t arm_timer(l4_word_t badge, l4_word_t deadline, l4_word_t now, l4_word_t *id)
{
    struct timer *free = NULL;
    unsigned held = 0;

    for (unsigned i = 0; i < TIMERS; i++) {
        if (timers[i].state == TIMER_FREE)
            free = free ? free : &timers[i];
        else
            held += timers[i].badge == badge;
    }
    if (held >= TIMER_ARMED_PER_CLIENT || !free)
        return L4_EBUSY;
    free->state = deadline <= now ? TIMER_FIRED : TIMER_ARMED;
    free->badge = badge;
    free->deadline = deadline;
    free->waiter = NULL;
    *id = (free->generation << 8) | (l4_word_t)(free - timers + 1);
    l4_notify_signal(NTF); // the clock thread may need to program an earlier expiry
    return L4_OK;
}

/* TIMER_WAIT, under the lock: parks w until the timer fires or is cancelled. */
static l4_err_t wait_timer(struct worker *w, struct timer *t)
{
    if (t->waiter)
        return L4_EBUSY; // one waiter per timer: another thread of the client waits on it
    if (t->state == TIMER_ARMED) {
        if (client_pending(t->badge) >= TIMER_PER_CLIENT)
            return L4_EBUSY; // one client keeps at most TIMER_PER_CLIENT workers waiting
        if (npending + nwaiters >= WORKERS - 1)
            return L4_EBUSY; // the last free worker stays free to answer the others
        t->waiter = w;
        w->waiting = true;
        nwaiters++;
        while (w->waiting)
            l4_cond_wait(&w->cond, &lock);
        nwaiters--;
        if (w->result != L4_OK)
            return w->result; // cancelled: the cancel freed the timer
    }
    // here the timer has fired, and w (if it parked) is its waiter: only we free it now
    timer_free(t);
    return L4_OK;
}

/* TIMER_CANCEL, under the lock: frees the timer and releases its waiter, if any. */
static l4_err_t cancel_timer(struct timer *t)
{
    l4_err_t err = t->state == TIMER_FIRED ? L4_ETIMEOUT : L4_OK;
    struct worker *w = t->waiter;

    if (w) {
        w->result = TIMER_CANCELLED;
        w->waiting = false;
        l4_cond_signal(&w->cond);
    }
    timer_free(t);
    return err;
}

/* The cancellable-timer requests (check() has taken the badge and the flags): *word1 gets
 * ARM's id. */
static l4_err_t timer_op(struct worker *w, l4_word_t tag, l4_word_t m0, l4_word_t badge,
                         l4_word_t *word1)
{
    l4_word_t label = L4_TAG_LABEL(tag), now = monotonic();

    if (L4_TAG_LEN(tag) != 1)
        return L4_EINVAL;
    if (label == TIMER_ARM || label == TIMER_ARM_AT) {
        if (m0 > TIMER_MAX_NS)
            return L4_ERANGE;
        return arm_timer(badge, label == TIMER_ARM ? now + m0 : m0, now, word1);
    }
    struct timer *t = timer_find(m0, badge);
    if (!t)
        return L4_ECAP; // unknown, freed, or another client's
    return label == TIMER_WAIT ? wait_timer(w, t) : cancel_timer(t);
}

static bool is_timer_request(l4_word_t tag)
{
    l4_word_t label = L4_TAG_LABEL(tag);

    return label >= TIMER_ARM && label <= TIMER_CANCEL;
}

static long worker_main(l4_word_t index)
{
    struct worker *w = &workers[index];
    l4_word_t tag, m0, badge, deadline, word1;

    for (;;) {
        if (l4_ipc_recv(EP, 0, &tag, &m0, NULL, NULL, NULL, &badge))
            continue;
        word1 = 0;
        l4_mutex_lock(&lock);
        l4_err_t err = check(tag, m0, badge, monotonic(), &deadline);
        if (!err && is_timer_request(tag)) {
            w->result = L4_OK;
            err = timer_op(w, tag, m0, badge, &word1);
        } else if (!err && deadline > monotonic()) {
            w->deadline = deadline;
            w->badge = badge;
            w->waiting = true;
            pending_insert(w);
            l4_notify_signal(NTF); // the clock thread may need to program an earlier expiry
            while (w->waiting)
                l4_cond_wait(&w->cond, &lock);
        }
        if (!err && L4_TAG_LABEL(tag) == TIMER_STOP)
            stopping = true;
        l4_mutex_unlock(&lock);
        if (stopping) {
            l4_ipc_reply(L4_TAG(err, 1, 0), monotonic(), 0, 0, 0);
            l4_notify_signal(NTF);
            l4_exit(0);
        }
        // A caller that ended while it waited makes this fail (ESTATE): nothing else to undo.
        l4_ipc_reply(L4_TAG(err, 2, 0), monotonic(), word1, 0, 0);
    }
    return 0;
}

int main(const char *arg)
{
    l4_word_t bits;

    if (strncmp(arg, "stop=", 5) == 0)
        for (const char *p = arg + 5; *p >= '0' && *p <= '9'; p++)
            stopper = stopper * 10 + (l4_word_t)(*p - '0');
    l4_err_t err = l4_irq_bind(IRQ, NTF);
    if (err) {
        printf("timer: %s: cannot bind its interrupt: %s\n", clocksrc_name, l4_strerror(err));
        return 1;
    }
    for (l4_word_t i = 0; i < WORKERS; i++) {
        err = l4_thread_spawn(worker_main, i, 100, WORKER_SLOT + i);
        if (err) {
            printf("timer: cannot start worker %lu: %s\n", i, l4_strerror(err));
            return 1;
        }
    }
    printf("timer: %s, %u workers, serving\n", clocksrc_name, WORKERS);
    for (;;) {
        l4_mutex_lock(&lock);
        l4_word_t now = monotonic();
        while (npending > 0 && pending[0]->deadline <= now) {
            struct worker *w = pending[0];
            npending--;
            for (unsigned i = 0; i < npending; i++)
                pending[i] = pending[i + 1];
            w->waiting = false;
            l4_cond_signal(&w->cond);
        }
        l4_word_t next = npending > 0 ? pending[0]->deadline : ~0ull;
        for (unsigned i = 0; i < TIMERS; i++) {
            struct timer *t = &timers[i];
            if (t->state != TIMER_ARMED)
                continue;
            if (t->deadline <= now) {
                t->state = TIMER_FIRED; // a waiter frees it; until then it stays fired
                if (t->waiter) {
                    t->waiter->waiting = false;
                    l4_cond_signal(&t->waiter->cond);
                }
            } else if (t->deadline < next) {
                next = t->deadline;
            }
        }
        if (next != ~0ull) // the device rounds up (never before the deadline) and cuts at its most
            clocksrc_arm(DEV, next - now < MIN_NS ? MIN_NS : next - now);
        l4_mutex_unlock(&lock);
        l4_notify_wait(NTF, &bits);
        clocksrc_stop(DEV); // an interrupt that came stops raising its line
        l4_irq_ack(IRQ);
        if (stopping)
            break;
    }
    // Workers still parked (and their callers, who get ESTATE) end with the service.
    for (l4_word_t i = 0; i < WORKERS; i++)
        l4_thread_destroy(WORKER_SLOT + i);
    printf("timer: stopped\n");
    return 0;
}
