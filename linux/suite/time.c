// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-550..599, time: clock_gettime, gettimeofday, nanosleep, clock_nanosleep (relative and
 * TIMER_ABSTIME), a sleep cut short by a signal. The raw calls throughout: musl would take
 * the clocks from the vDSO, where there is one, and a bad pointer would fault there instead.
 */
#include "t.h"

#include <signal.h>
#include <sys/time.h>
#include <time.h>

#define MS 1000000LL

static long long ts_ns(const struct timespec *ts)
{
    return ts->tv_sec * 1000000000LL + ts->tv_nsec;
}

static void clocks(void)
{
    struct timespec a, b;
    EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, &a), 0);
    CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
    for (int i = 0; i < 100; i++) {
        EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, &b), 0);
        CHECKF(ts_ns(&b) >= ts_ns(&a), "the monotonic clock went back");
        a = b;
    }
    EQ(SC(SYS_clock_gettime, CLOCK_REALTIME, &a), 0);
    CHECKF(a.tv_sec > 1600000000L, "realtime %lld: before 2020", (long long)a.tv_sec);
    CHECK(a.tv_nsec >= 0 && a.tv_nsec < 1000000000L);
    EQ(SC(SYS_clock_gettime, CLOCK_BOOTTIME, &a), 0);
    ERR(EINVAL, SC(SYS_clock_gettime, 1000, &a));
    ERR(EFAULT, SC(SYS_clock_gettime, CLOCK_MONOTONIC, (void *)1));
    ERR(EFAULT, SC(SYS_clock_gettime, CLOCK_REALTIME, (void *)1));
    /* it advances: 20 ms of sleep are at least 20 ms on the clock */
    EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, &a), 0);
    t_msleep(20);
    EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, &b), 0);
    CHECK(ts_ns(&b) - ts_ns(&a) >= 20 * MS);
}

static void timeofday(void)
{
    struct timeval tv;
    struct timespec ts;
    EQ(SC(SYS_gettimeofday, &tv, NULL), 0);
    EQ(SC(SYS_clock_gettime, CLOCK_REALTIME, &ts), 0);
    CHECK(tv.tv_usec >= 0 && tv.tv_usec < 1000000);
    long long d = ts_ns(&ts) - (tv.tv_sec * 1000000000LL + tv.tv_usec * 1000LL);
    CHECKF(d >= 0 && d < 2000 * MS, "gettimeofday and CLOCK_REALTIME %lld ns apart", d);
    EQ(SC(SYS_gettimeofday, NULL, NULL), 0);
    ERR(EFAULT, SC(SYS_gettimeofday, (void *)1, NULL));
}

static void nanosleeps(void)
{
    struct timespec req = {0, 30 * MS}, rem = {9, 9};
    long long t0 = t_now_ns();
    EQ(SC(SYS_nanosleep, &req, &rem), 0);
    long long dt = t_now_ns() - t0;
    CHECKF(dt >= 30 * MS, "slept %lld ns of 30 ms", dt);
    CHECKF(dt < 3000 * MS, "slept %lld ns for 30 ms", dt);
    req.tv_nsec = 0;
    EQ(SC(SYS_nanosleep, &req, NULL), 0);
    req.tv_nsec = 1000000000L;
    ERR(EINVAL, SC(SYS_nanosleep, &req, NULL));
    req.tv_nsec = -1;
    ERR(EINVAL, SC(SYS_nanosleep, &req, NULL));
    req.tv_sec = -1, req.tv_nsec = 0;
    ERR(EINVAL, SC(SYS_nanosleep, &req, NULL));
    ERR(EFAULT, SC(SYS_nanosleep, (void *)1, NULL));
}

static void clock_nanosleeps(void)
{
    struct timespec req = {0, 20 * MS};
    long long t0 = t_now_ns();
    EQ(SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL), 0);
    CHECK(t_now_ns() - t0 >= 20 * MS);
    /* until an absolute time */
    struct timespec now, until;
    EQ(SC(SYS_clock_gettime, CLOCK_MONOTONIC, &now), 0);
    long long end = ts_ns(&now) + 30 * MS;
    until.tv_sec = end / 1000000000LL, until.tv_nsec = end % 1000000000LL;
    EQ(SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL), 0);
    CHECK(t_now_ns() >= end);
    /* a time already past: at once */
    until.tv_sec = 0, until.tv_nsec = 1;
    t0 = t_now_ns();
    EQ(SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, TIMER_ABSTIME, &until, NULL), 0);
    CHECK(t_now_ns() - t0 < 1000 * MS);
    EQ(SC(SYS_clock_nanosleep, CLOCK_REALTIME, 0, &req, NULL), 0);
    ERR(EINVAL, SC(SYS_clock_nanosleep, 1000, 0, &req, NULL));
    req.tv_nsec = 1000000000L;
    ERR(EINVAL, SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, NULL));
    ERR(EFAULT, SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, (void *)1, NULL));
}

static volatile sig_atomic_t rang;
static void ring(int sig)
{
    (void)sig;
    rang++;
}

static void interrupted(void)
{
    struct sigaction sa = {.sa_handler = ring};
    OK(sigaction(SIGUSR1, &sa, NULL));
    int stop[2];
    OK(pipe2(stop, 0));
    pid_t c = t_poke(SIGUSR1, 50, 1000, -1, stop);
    struct timespec req = {10, 0}, rem = {0, 0};
    long long t0 = t_now_ns();
    ERR(EINTR, SC(SYS_nanosleep, &req, &rem));
    CHECK(rang >= 1);
    long long left = ts_ns(&rem), slept = t_now_ns() - t0;
    CHECKF(left > 0 && left <= 10000 * MS - slept + 100 * MS, "%lld ns left after %lld", left,
           slept);
    /* clock_nanosleep as well, and it also fills in what is left */
    close(stop[1]);
    t_wait_exit(c, 0);
    OK(pipe2(stop, 0));
    c = t_poke(SIGUSR1, 50, 1000, -1, stop);
    rem.tv_sec = 0;
    ERR(EINTR, SC(SYS_clock_nanosleep, CLOCK_MONOTONIC, 0, &req, &rem));
    CHECK(rem.tv_sec > 0 && rem.tv_sec <= 10);
    close(stop[1]);
    t_wait_exit(c, 0);
}

T_AREA(time, {550, "clock_gettime", clocks}, {551, "gettimeofday", timeofday},
       {552, "nanosleep", nanosleeps}, {553, "clock_nanosleep", clock_nanosleeps},
       {554, "a sleep interrupted by a signal", interrupted});
