// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-600..649, poll and select: readiness of pipes, files and /dev/null, POLLHUP, POLLERR,
 * POLLNVAL, timeouts, a wait woken by another process, EINTR, and their error returns.
 */
#include "t.h"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/select.h>

#define MS 1000000LL

static void poll_pipes(void)
{
    int p[2];
    OK(pipe2(p, 0));
    struct pollfd f[2] = {{p[0], POLLIN, 0}, {p[1], POLLOUT, 0}};
    EQ(SC(SYS_poll, f, 2, 0), 1); /* the write end has room, the read end nothing */
    EQ(f[0].revents, 0);
    EQ(f[1].revents, POLLOUT);
    EQ(write(p[1], "x", 1), 1);
    EQ(SC(SYS_poll, f, 2, 0), 2);
    EQ(f[0].revents, POLLIN);
    close(p[1]);
    f[1].fd = -1; /* a negative fd is passed over */
    EQ(SC(SYS_poll, f, 2, 0), 1);
    EQ(f[0].revents, POLLIN | POLLHUP); /* data and no writer */
    EQ(f[1].revents, 0);
    char b;
    EQ(read(p[0], &b, 1), 1);
    EQ(SC(SYS_poll, f, 1, 0), 1);
    EQ(f[0].revents, POLLHUP);
    close(p[0]);
    /* the reader gone: POLLERR for the writer, even when not asked */
    OK(pipe2(p, 0));
    close(p[0]);
    f[0] = (struct pollfd){p[1], 0, 0};
    EQ(SC(SYS_poll, f, 1, 0), 1);
    EQ(f[0].revents, POLLERR);
    close(p[1]);
    /* a closed fd: POLLNVAL */
    f[0] = (struct pollfd){p[1], POLLIN, 0};
    EQ(SC(SYS_poll, f, 1, 0), 1);
    EQ(f[0].revents, POLLNVAL);
}

static void poll_files(void)
{
    t_make_file("f", "abc");
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "f", O_RDWR));
    int null = (int)OK(SC(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR));
    struct pollfd f[2] = {{fd, POLLIN | POLLOUT, 0}, {null, POLLIN | POLLOUT, 0}};
    EQ(SC(SYS_poll, f, 2, 1000), 2); /* always ready */
    EQ(f[0].revents, POLLIN | POLLOUT);
    EQ(f[1].revents, POLLIN | POLLOUT);
    close(fd);
    close(null);
}

static void poll_errors(void)
{
    int p[2];
    OK(pipe2(p, 0));
    struct pollfd f = {p[0], POLLIN, 0};
    ERR(EFAULT, SC(SYS_poll, (void *)1, 1, 0));
    struct rlimit r;
    OK(getrlimit(RLIMIT_NOFILE, &r));
    ERR(EINVAL, SC(SYS_poll, &f, (long)r.rlim_cur + 1, 0));
    EQ(SC(SYS_poll, NULL, 0, 10), 0); /* nothing to wait for: a sleep */
    close(p[0]);
    close(p[1]);
}

static void poll_waits(void)
{
    int p[2];
    OK(pipe2(p, 0));
    struct pollfd f = {p[0], POLLIN, 0};
    long long t0 = t_now_ns();
    EQ(SC(SYS_poll, &f, 1, 50), 0);
    long long dt = t_now_ns() - t0;
    CHECKF(dt >= 50 * MS, "poll of 50 ms timed out after %lld ns", dt);
    /* woken by another process's write, long before the timeout */
    pid_t c = t_fork();
    if (c == 0) {
        t_msleep(30);
        write(p[1], "w", 1);
        _exit(0);
    }
    t0 = t_now_ns();
    EQ(SC(SYS_poll, &f, 1, 20000), 1);
    EQ(f.revents, POLLIN);
    CHECK(t_now_ns() - t0 < 10000 * MS);
    t_wait_exit(c, 0);
    close(p[0]);
    close(p[1]);
}

static volatile sig_atomic_t hits;
static void count(int sig)
{
    (void)sig;
    hits++;
}

static void poll_eintr(void)
{
    struct sigaction sa = {.sa_handler = count, .sa_flags = SA_RESTART};
    OK(sigaction(SIGUSR1, &sa, NULL));
    int p[2], stop[2];
    OK(pipe2(p, 0));
    OK(pipe2(stop, 0));
    pid_t c = t_poke(SIGUSR1, 30, 1000, -1, stop);
    struct pollfd f = {p[0], POLLIN, 0};
    ERR(EINTR, SC(SYS_poll, &f, 1, -1)); /* even with SA_RESTART */
    CHECK(hits >= 1);
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    ERR(EINTR, SC(SYS_select, p[0] + 1, &rd, NULL, NULL, NULL));
    close(stop[1]);
    t_wait_exit(c, 0);
    close(p[0]);
    close(p[1]);
}

static void selects(void)
{
    int p[2];
    OK(pipe2(p, 0));
    fd_set rd, wr;
    FD_ZERO(&rd);
    FD_ZERO(&wr);
    FD_SET(p[0], &rd);
    FD_SET(p[1], &wr);
    struct timeval tv = {0, 0};
    EQ(SC(SYS_select, p[1] + 1, &rd, &wr, NULL, &tv), 1);
    CHECK(!FD_ISSET(p[0], &rd) && FD_ISSET(p[1], &wr));
    EQ(write(p[1], "x", 1), 1);
    FD_SET(p[0], &rd);
    FD_ZERO(&wr);
    EQ(SC(SYS_select, p[1] + 1, &rd, &wr, NULL, &tv), 1);
    CHECK(FD_ISSET(p[0], &rd));
    /* a timeout: it passes, and the time left is written back */
    char b;
    EQ(read(p[0], &b, 1), 1);
    FD_SET(p[0], &rd);
    tv = (struct timeval){0, 40000};
    long long t0 = t_now_ns();
    EQ(SC(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv), 0);
    CHECK(t_now_ns() - t0 >= 40 * MS);
    CHECK(!FD_ISSET(p[0], &rd));
    EQ(tv.tv_sec, 0);
    EQ(tv.tv_usec, 0);
    /* errors */
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    ERR(EINVAL, SC(SYS_select, -1, &rd, NULL, NULL, &tv));
    tv = (struct timeval){0, -1};
    ERR(EINVAL, SC(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv));
    tv = (struct timeval){0, 0};
    ERR(EFAULT, SC(SYS_select, p[0] + 1, (void *)1, NULL, NULL, &tv));
    close(p[1]);
    FD_ZERO(&rd);
    FD_SET(p[1], &rd);
    ERR(EBADF, SC(SYS_select, p[1] + 1, &rd, NULL, NULL, &tv));
    /* no writer: readable (end of file) */
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    EQ(SC(SYS_select, p[0] + 1, &rd, NULL, NULL, &tv), 1);
    close(p[0]);
    /* none at all: a sleep */
    tv = (struct timeval){0, 20000};
    t0 = t_now_ns();
    EQ(SC(SYS_select, 0, NULL, NULL, NULL, &tv), 0);
    CHECK(t_now_ns() - t0 >= 20 * MS);
}

/* ppoll and pselect6 with a mask that lets a blocked signal through: the call ends with EINTR
 * and the handler runs (under the call's mask), and afterwards the old mask is back */
static void masked_waits(void)
{
    struct sigaction sa = {.sa_handler = count};
    OK(sigaction(SIGUSR1, &sa, NULL));
    sigset_t block, none, now;
    sigemptyset(&block);
    sigaddset(&block, SIGUSR1);
    sigemptyset(&none);
    OK(sigprocmask(SIG_BLOCK, &block, NULL));
    int p[2], stop[2];
    OK(pipe2(p, 0));
    OK(pipe2(stop, 0));
    pid_t c = t_poke(SIGUSR1, 30, 1000, -1, stop);
    int before = hits;
    struct pollfd f = {p[0], POLLIN, 0};
    struct timespec ts = {5, 0};
    ERR(EINTR, SC(SYS_ppoll, &f, 1, &ts, &none, 8));
    CHECKF(hits > before, "ppoll: the handler of the signal its mask let in did not run");
    OK(sigprocmask(SIG_BLOCK, NULL, &now));
    CHECK(sigismember(&now, SIGUSR1));
    before = hits;
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    const void *arg[2] = {&none, (void *)8};
    ts = (struct timespec){5, 0};
    ERR(EINTR, SC(SYS_pselect6, p[0] + 1, &rd, NULL, NULL, &ts, arg));
    CHECKF(hits > before, "pselect6: the handler of the signal its mask let in did not run");
    OK(sigprocmask(SIG_BLOCK, NULL, &now));
    CHECK(sigismember(&now, SIGUSR1));
    close(stop[1]);
    t_wait_exit(c, 0);
    OK(sigprocmask(SIG_UNBLOCK, &block, NULL));
    close(p[0]);
    close(p[1]);
}

T_AREA(poll, {600, "poll on pipes", poll_pipes}, {601, "poll on files", poll_files},
       {602, "poll errors", poll_errors}, {603, "poll timeouts and wakeups", poll_waits},
       {604, "poll and select interrupted", poll_eintr}, {605, "select", selects},
       {606, "ppoll and pselect6 masks", masked_waits});
