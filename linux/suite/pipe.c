// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-450..479, pipes: pipe2 and its flags, end of file, EPIPE, blocking and non-blocking
 * reads and writes, PIPE_BUF atomicity, a transfer larger than the pipe between processes.
 */
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>

static void pipe2_calls(void)
{
    int p[2] = {-1, -1};
    EQ(SC(SYS_pipe2, p, 0), 0);
    CHECK(p[0] >= 0 && p[1] >= 0 && p[0] != p[1]);
    EQ(write(p[1], "hey", 3), 3);
    char b[8];
    EQ(read(p[0], b, sizeof(b)), 3); /* what is there, not what was asked */
    CHECK(memcmp(b, "hey", 3) == 0);
    EQ(fcntl(p[0], F_GETFL) & O_ACCMODE, O_RDONLY);
    EQ(fcntl(p[1], F_GETFL) & O_ACCMODE, O_WRONLY);
    ERR(EBADF, write(p[0], "x", 1));
    ERR(EBADF, read(p[1], b, 1));
    close(p[0]);
    close(p[1]);
    EQ(SC(SYS_pipe2, p, O_CLOEXEC | O_NONBLOCK), 0);
    EQ(fcntl(p[0], F_GETFD), FD_CLOEXEC);
    EQ(fcntl(p[1], F_GETFD), FD_CLOEXEC);
    CHECK(fcntl(p[0], F_GETFL) & O_NONBLOCK);
    ERR(EAGAIN, read(p[0], b, 1));
    close(p[0]);
    close(p[1]);
    ERR(EINVAL, SC(SYS_pipe2, p, O_APPEND));
    ERR(EFAULT, SC(SYS_pipe2, (void *)1, 0));
}

static void end_of_file(void)
{
    int p[2];
    OK(pipe2(p, 0));
    EQ(write(p[1], "ab", 2), 2);
    close(p[1]);
    char b[4];
    EQ(read(p[0], b, sizeof(b)), 2); /* the data first */
    EQ(read(p[0], b, sizeof(b)), 0); /* then end of file */
    EQ(read(p[0], b, sizeof(b)), 0);
    close(p[0]);
    /* a writer kept open by a child: end of file only when the child is gone */
    OK(pipe2(p, 0));
    pid_t c = t_fork();
    if (c == 0) {
        close(p[0]);
        t_msleep(30);
        write(p[1], "c", 1);
        _exit(0);
    }
    close(p[1]);
    EQ(read(p[0], b, sizeof(b)), 1);
    EQ(b[0], 'c');
    EQ(read(p[0], b, sizeof(b)), 0);
    close(p[0]);
    t_wait_exit(c, 0);
}

static void epipe(void)
{
    int p[2];
    OK(pipe2(p, 0));
    close(p[0]);
    struct sigaction ign = {.sa_handler = SIG_IGN};
    OK(sigaction(SIGPIPE, &ign, NULL));
    ERR(EPIPE, write(p[1], "x", 1));
    EQ(write(p[1], "", 0), 0); /* nothing to write: no reader needed */
    close(p[1]);
    /* the reader goes while the writer waits for room: the writer gets EPIPE */
    OK(pipe2(p, 0));
    pid_t c = t_fork();
    if (c == 0) {
        close(p[1]);
        t_msleep(50);
        _exit(0);
    }
    close(p[0]);
    static char big[256 * 1024];
    long n = write(p[1], big, sizeof(big));
    CHECKF((n > 0 && n < (long)sizeof(big)) || (n == -1 && errno == EPIPE),
           "write into a pipe whose reader left: %ld %s", n, t_errname(errno));
    ERR(EPIPE, write(p[1], big, 1));
    close(p[1]);
    t_wait_exit(c, 0);
}

static void nonblocking(void)
{
    int p[2];
    OK(pipe2(p, O_NONBLOCK));
    static char chunk[4096];
    long total = 0, n;
    while ((n = write(p[1], chunk, sizeof(chunk))) > 0)
        total += n;
    CHECK(n == -1 && errno == EAGAIN);
    CHECKF(total >= 4096, "a pipe of %ld bytes", total);
    ERR(EAGAIN, write(p[1], chunk, 1));
    char b[512];
    EQ(read(p[0], b, sizeof(b)), sizeof(b));
    /* PIPE_BUF (4096) bytes go in whole or not at all: 512 free is not enough */
    ERR(EAGAIN, write(p[1], chunk, sizeof(chunk)));
    while (read(p[0], b, sizeof(b)) > 0) /* emptied: room for it */
        ;
    EQ(write(p[1], chunk, sizeof(chunk)), sizeof(chunk));
    close(p[0]);
    close(p[1]);
}

static void big_transfer(void)
{
    int p[2];
    OK(pipe2(p, 0));
    enum { TOTAL = 300 * 1000 };
    pid_t c = t_fork();
    if (c == 0) {
        close(p[0]);
        static unsigned char out[TOTAL];
        for (int i = 0; i < TOTAL; i++)
            out[i] = (unsigned char)(i * 31 + i / 1000);
        EQ(write(p[1], out, TOTAL), TOTAL); /* blocks until all is read */
        _exit(0);
    }
    close(p[1]);
    static unsigned char in[TOTAL + 1];
    long got = 0, n;
    while ((n = read(p[0], in + got, sizeof(in) - (size_t)got)) > 0)
        got += n;
    EQ(n, 0);
    EQ(got, TOTAL);
    for (int i = 0; i < TOTAL; i++)
        CHECKF(in[i] == (unsigned char)(i * 31 + i / 1000), "byte %d differs", i);
    close(p[0]);
    t_wait_exit(c, 0);
}

static void blocking_read(void)
{
    int p[2];
    OK(pipe2(p, 0));
    pid_t c = t_fork();
    if (c == 0) {
        t_msleep(50);
        write(p[1], "late", 4);
        _exit(0);
    }
    long long t0 = t_now_ns();
    char b[8];
    EQ(read(p[0], b, sizeof(b)), 4);
    CHECKF(t_now_ns() - t0 >= 40 * 1000000LL, "read returned before the data was written");
    close(p[0]);
    close(p[1]);
    t_wait_exit(c, 0);
}

T_AREA(pipe, {450, "pipe2", pipe2_calls}, {451, "end of file", end_of_file}, {452, "EPIPE", epipe},
       {453, "non-blocking and PIPE_BUF", nonblocking},
       {454, "a transfer larger than the pipe", big_transfer},
       {455, "a read waits for data", blocking_read});
