/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The timer service (docs/services.md "Timer service"): owns the PIT (ports 0x40..0x43 and its
 * interrupt, I/O APIC line 2) and serves monotonic time and sleeps to many clients at once.
 *
 * A reply right is one per thread (the call a thread received last), so a caller kept waiting
 * keeps a thread: WORKERS threads receive on the endpoint, and one that takes a sleep parks
 * on its own condition until the clock thread (the first thread) finds its deadline due. The
 * clock thread keeps the pending deadlines sorted, programs the PIT one-shot for the earliest
 * (at most PIT_MAX_TICKS, ~55 ms, ahead: it then looks again) and releases due sleepers in
 * deadline order. "Due" is always decided by the kernel's monotonic clock (l4_time), never by
 * the PIT, so no sleep ends early by that clock, whatever the two clocks' drift.
 */
#include "timer.h"

#include "l4.h"
#include "sync.h"

#include <coffer/ipc.h>

#define EP          16 /* the service's endpoint: clients hold badged send capabilities to it */
#define PIT         17 /* I/O ports 0x40..0x43 */
#define IRQ         18 /* the PIT's interrupt: ISA IRQ 0, wired to I/O APIC line 2 */
#define NTF         19 /* the interrupt's notification; workers signal it too, to make the clock look */
#define WORKER_SLOT 32 /* workers' thread capabilities, WORKER_SLOT + i */

#define WORKERS       12
#define PIT_HZ        1193182u
#define PIT_DATA0     0x40
#define PIT_CMD       0x43
#define PIT_ONESHOT   0x30 /* channel 0, low then high byte, mode 0: interrupt on terminal count */
#define PIT_MAX_TICKS 65535u
#define PIT_MIN_TICKS                                                                              \
    600u /* ~0.5 ms: the kernel clock moves by 1 ms ticks; asking sooner only spins */
#define NS 1000000000ull

struct worker {
    struct l4_cond cond;
    l4_word_t deadline;
    l4_word_t badge;
    bool waiting; /* in the pending list, until the clock thread releases it */
};

static struct worker workers[WORKERS];
static struct worker *pending[WORKERS]; /* sorted by deadline, earliest first */
static unsigned npending;
static struct l4_mutex lock = L4_MUTEX_INIT;
static l4_word_t stopper;      /* the badge that may send TIMER_STOP ("stop=N"; 0: nobody) */
static volatile bool stopping; /* a TIMER_STOP came: the clock thread ends the service */

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
    if (npending >= WORKERS - 1)
        return L4_EBUSY; // the last free worker stays free to answer the others
    return L4_OK;
}

static long worker_main(l4_word_t index)
{
    struct worker *w = &workers[index];
    l4_word_t tag, m0, badge, deadline;

    for (;;) {
        if (l4_ipc_recv(EP, 0, &tag, &m0, NULL, NULL, NULL, &badge))
            continue;
        l4_mutex_lock(&lock);
        l4_err_t err = check(tag, m0, badge, monotonic(), &deadline);
        if (!err && deadline > monotonic()) {
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
        l4_ipc_reply(L4_TAG(err, 1, 0), monotonic(), 0, 0, 0);
    }
    return 0;
}

static void pit_program(l4_word_t ns)
{
    l4_word_t ticks = ns / 1000 * PIT_HZ / 1000000u + 1; // round up: never before the deadline
    if (ticks > PIT_MAX_TICKS)
        ticks = PIT_MAX_TICKS;
    if (ticks < PIT_MIN_TICKS)
        ticks = PIT_MIN_TICKS;
    l4_ioport_out(PIT, PIT_CMD, 1, PIT_ONESHOT);
    l4_ioport_out(PIT, PIT_DATA0, 1, ticks & 0xff);
    l4_ioport_out(PIT, PIT_DATA0, 1, ticks >> 8);
}

int main(const char *arg)
{
    l4_word_t bits;

    if (strncmp(arg, "stop=", 5) == 0)
        for (const char *p = arg + 5; *p >= '0' && *p <= '9'; p++)
            stopper = stopper * 10 + (l4_word_t)(*p - '0');
    l4_err_t err = l4_irq_bind(IRQ, NTF);
    if (err) {
        printf("timer: cannot bind the PIT's interrupt: %s\n", l4_strerror(err));
        return 1;
    }
    for (l4_word_t i = 0; i < WORKERS; i++) {
        err = l4_thread_spawn(worker_main, i, 100, WORKER_SLOT + i);
        if (err) {
            printf("timer: cannot start worker %lu: %s\n", i, l4_strerror(err));
            return 1;
        }
    }
    printf("timer: PIT on line 2, %u workers, serving\n", WORKERS);
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
        if (npending > 0)
            pit_program(pending[0]->deadline - now);
        l4_mutex_unlock(&lock);
        l4_notify_wait(NTF, &bits);
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
