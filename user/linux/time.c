/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Time: the clocks, sleeps, times, and the ITIMER_REAL timer (alarm, setitimer).
 *
 * Two clocks exist: lx_now (monotonic) and lx_wall (ns since 1970). MONOTONIC_RAW, BOOTTIME
 * and the coarse clocks read the monotonic one, TAI the wall clock (offset 0, as Linux's
 * until someone sets it); the CPU-time clocks are not measured and read the monotonic clock
 * too (docs/linux-signals.md).
 */
#include "lx_sig.h"

#define LX_CLOCK_REALTIME           0
#define LX_CLOCK_MONOTONIC          1
#define LX_CLOCK_PROCESS_CPUTIME_ID 2
#define LX_CLOCK_THREAD_CPUTIME_ID  3
#define LX_CLOCK_MONOTONIC_RAW      4
#define LX_CLOCK_REALTIME_COARSE    5
#define LX_CLOCK_MONOTONIC_COARSE   6
#define LX_CLOCK_BOOTTIME           7
#define LX_CLOCK_TAI                11
#define LX_TIMER_ABSTIME            1
#define LX_USER_HZ                  100 /* clock_t ticks (times) */
#define LX_ITIMER_REAL              0

/* --- timespecs ---------------------------------------------------------------------------- */

int lx_timespec_in(struct lx_task *t, uint64_t uaddr, struct lx_timespec *ts)
{
    if (lx_copy_in(t, ts, uaddr, sizeof(*ts)))
        return -LX_EFAULT;
    if (ts->sec < 0 || ts->nsec < 0 || ts->nsec >= LX_NS)
        return -LX_EINVAL;
    return 0;
}

uint64_t lx_timespec_ns(const struct lx_timespec *ts)
{
    if ((uint64_t)ts->sec >= UINT64_MAX / LX_NS)
        return UINT64_MAX;
    return (uint64_t)ts->sec * LX_NS + (uint64_t)ts->nsec;
}

static struct lx_timespec timespec_of(uint64_t ns)
{
    return (struct lx_timespec){(int64_t)(ns / LX_NS), (int64_t)(ns % LX_NS)};
}

uint64_t lx_deadline_after(uint64_t ns)
{
    uint64_t now = lx_now();

    return ns > UINT64_MAX - now ? UINT64_MAX : (now + ns ? now + ns : 1);
}

uint64_t lx_deadline_from_wall(uint64_t wall_ns)
{
    uint64_t wall = lx_wall();

    return wall_ns <= wall ? 1 : lx_deadline_after(wall_ns - wall);
}

/* --- clocks ------------------------------------------------------------------------------- */

/* The clock's time in ns; false for a clock there is none of */
static bool clock_read(int64_t id, uint64_t *ns)
{
    switch (id) {
    case LX_CLOCK_REALTIME:
    case LX_CLOCK_REALTIME_COARSE:
    case LX_CLOCK_TAI:
        *ns = lx_wall();
        return true;
    case LX_CLOCK_MONOTONIC:
    case LX_CLOCK_MONOTONIC_RAW:
    case LX_CLOCK_MONOTONIC_COARSE:
    case LX_CLOCK_BOOTTIME:
    case LX_CLOCK_PROCESS_CPUTIME_ID: /* not measured: an upper bound */
    case LX_CLOCK_THREAD_CPUTIME_ID:
        *ns = lx_now();
        return true;
    default:
        return false;
    }
}

static long timespec_out(struct lx_task *t, uint64_t uaddr, uint64_t ns)
{
    struct lx_timespec ts = timespec_of(ns);

    return lx_copy_out(t, uaddr, &ts, sizeof(ts)) ? -LX_EFAULT : 0;
}

long sys_clock_gettime(struct lx_task *t, const uint64_t a[6])
{
    uint64_t ns;

    if (!clock_read((int)a[0], &ns))
        return -LX_EINVAL;
    return timespec_out(t, a[1], ns);
}

long sys_clock_getres(struct lx_task *t, const uint64_t a[6])
{
    uint64_t ns;

    if (!clock_read((int)a[0], &ns))
        return -LX_EINVAL;
    return a[1] ? timespec_out(t, a[1], 1) : 0; /* both clocks count in ns */
}

long sys_gettimeofday(struct lx_task *t, const uint64_t a[6])
{
    uint64_t ns = lx_wall();
    struct lx_timeval tv = {(int64_t)(ns / LX_NS), (int64_t)(ns % LX_NS / 1000)};
    int32_t tz[2] = {0, 0}; /* struct timezone: UTC, no DST */

    if (a[0] && lx_copy_out(t, a[0], &tv, sizeof(tv)))
        return -LX_EFAULT;
    if (a[1] && lx_copy_out(t, a[1], tz, sizeof(tz)))
        return -LX_EFAULT;
    return 0;
}

long sys_time(struct lx_task *t, const uint64_t a[6])
{
    int64_t sec = (int64_t)(lx_wall() / LX_NS);

    if (a[0] && lx_copy_out(t, a[0], &sec, sizeof(sec)))
        return -LX_EFAULT;
    return sec;
}

long sys_times(struct lx_task *t, const uint64_t a[6])
{
    int64_t tms[4] = {(int64_t)(t->proc->utime_ns / (LX_NS / LX_USER_HZ)), 0, 0, 0};

    if (a[0] && lx_copy_out(t, a[0], tms, sizeof(tms)))
        return -LX_EFAULT;
    return (long)(lx_now() / (LX_NS / LX_USER_HZ));
}

/* --- sleeps -------------------------------------------------------------------------------- */

/* Sleep until deadline; on a signal, what was left is written to rem (when not 0) */
static long sleep_until(struct lx_task *t, uint64_t deadline, uint64_t rem)
{
    struct lx_waitq q = {.cond = L4_COND_INIT};

    for (;;) {
        int r = lx_sleep(t, &q, deadline);
        if (r == -LX_ETIMEDOUT)
            return 0;
        if (r == -LX_EINTR) {
            uint64_t now = lx_now();
            if (rem && timespec_out(t, rem, deadline > now ? deadline - now : 0))
                return -LX_EFAULT;
            return -LX_EINTR;
        }
    }
}

long sys_nanosleep(struct lx_task *t, const uint64_t a[6])
{
    struct lx_timespec req;
    int err = lx_timespec_in(t, a[0], &req);

    if (err)
        return err;
    return sleep_until(t, lx_deadline_after(lx_timespec_ns(&req)), a[1]);
}

long sys_clock_nanosleep(struct lx_task *t, const uint64_t a[6])
{
    int id = (int)a[0];
    bool abs = a[1] & LX_TIMER_ABSTIME;
    struct lx_timespec req;

    switch (id) {
    case LX_CLOCK_REALTIME:
    case LX_CLOCK_TAI:
    case LX_CLOCK_MONOTONIC:
    case LX_CLOCK_BOOTTIME:
    case LX_CLOCK_PROCESS_CPUTIME_ID:
        break;
    case LX_CLOCK_MONOTONIC_RAW:
    case LX_CLOCK_REALTIME_COARSE:
    case LX_CLOCK_MONOTONIC_COARSE:
        return -LX_EOPNOTSUPP; /* clocks Linux cannot sleep on */
    default:
        return -LX_EINVAL;
    }
    int err = lx_timespec_in(t, a[2], &req);
    if (err)
        return err;
    uint64_t ns = lx_timespec_ns(&req), deadline;
    if (!abs)
        deadline = lx_deadline_after(ns);
    else if (id == LX_CLOCK_REALTIME || id == LX_CLOCK_TAI)
        deadline = lx_deadline_from_wall(ns);
    else
        deadline = ns ? ns : 1;
    /* an absolute sleep has nothing left to report: it is simply made again */
    return sleep_until(t, deadline, abs ? 0 : a[3]);
}

/* --- ITIMER_REAL ----------------------------------------------------------------------------- */

static uint64_t timeval_ns(const struct lx_timeval *tv)
{
    struct lx_timespec ts = {tv->sec, tv->usec * 1000};

    return lx_timespec_ns(&ts);
}

static struct lx_timeval timeval_of(uint64_t ns)
{
    return (struct lx_timeval){(int64_t)(ns / LX_NS), (int64_t)(ns % LX_NS / 1000)};
}

/* What is left of p's timer, in ns (0: disarmed) */
static uint64_t alarm_left(const struct lx_proc *p)
{
    uint64_t now = lx_now();

    if (!p->misc || !p->misc->alarm_at)
        return 0;
    /* due but not yet fired: Linux reports a tiny remainder, never 0 (0 means disarmed) */
    return p->misc->alarm_at > now ? p->misc->alarm_at - now : 1000;
}

/* Arm (value ns from now, then every interval ns) or disarm (value 0) p's timer */
static int alarm_set(struct lx_proc *p, uint64_t value, uint64_t interval)
{
    struct lx_pmisc *m = value || p->misc ? lx_pmisc(p) : NULL;

    if (!m)
        return value ? -LX_ENOMEM : 0;
    m->alarm_at = value ? lx_deadline_after(value) : 0;
    m->alarm_interval = interval;
    if (value)
        lx_clock_kick();
    return 0;
}

uint64_t lx_itimer_run(uint64_t now)
{
    const struct lx_sigsource src = {.code = LX_SI_KERNEL};
    uint64_t next = 0;

    for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
        struct lx_pmisc *m = p->misc;
        if (!m || !m->alarm_at || p->state != LX_PROC_LIVE)
            continue;
        if (m->alarm_at <= now) {
            lx_sig_post_proc(p, LX_SIGALRM, &src);
            /* a period the clock missed is not made up: the next one counts from now */
            m->alarm_at = m->alarm_interval ? lx_deadline_after(m->alarm_interval) : 0;
        }
        if (m->alarm_at && (!next || m->alarm_at < next))
            next = m->alarm_at;
    }
    return next;
}

long sys_alarm(struct lx_task *t, const uint64_t a[6])
{
    uint64_t left = alarm_left(t->proc);
    uint32_t sec = (uint32_t)a[0];
    int err = alarm_set(t->proc, (uint64_t)sec * LX_NS, 0);

    if (err)
        return err;
    /* whole seconds, rounded to nearest, but never 0 for a timer that was armed */
    uint64_t s = (left + LX_NS / 2) / LX_NS;
    return (long)(left && !s ? 1 : s);
}

static long itimer_out(struct lx_task *t, uint64_t uaddr)
{
    struct lx_timeval v[2] = {
        timeval_of(t->proc->misc ? t->proc->misc->alarm_interval : 0),
        timeval_of(alarm_left(t->proc)),
    };

    return lx_copy_out(t, uaddr, v, sizeof(v)) ? -LX_EFAULT : 0;
}

long sys_getitimer(struct lx_task *t, const uint64_t a[6])
{
    if ((int)a[0] != LX_ITIMER_REAL)
        return -LX_EINVAL; /* ITIMER_VIRTUAL and ITIMER_PROF are not done */
    return itimer_out(t, a[1]);
}

long sys_setitimer(struct lx_task *t, const uint64_t a[6])
{
    struct lx_timeval v[2] = {{0, 0}, {0, 0}}; /* interval, value; none: disarm (as Linux) */

    if ((int)a[0] != LX_ITIMER_REAL)
        return -LX_EINVAL;
    if (a[1] && lx_copy_in(t, v, a[1], sizeof(v)))
        return -LX_EFAULT;
    for (int i = 0; i < 2; i++) {
        if (v[i].sec < 0 || v[i].usec < 0 || v[i].usec >= 1000000)
            return -LX_EINVAL;
    }
    if (a[2]) {
        long err = itimer_out(t, a[2]);
        if (err)
            return err;
    }
    return alarm_set(t->proc, timeval_ns(&v[1]), timeval_ns(&v[0]));
}
