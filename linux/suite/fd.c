// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-400..449, file descriptors: close, dup, dup2, dup3, fcntl, EMFILE at RLIMIT_NOFILE,
 * close-on-exec, and open files shared across dup and fork.
 */
#include "t.h"

#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>

static int open_file(const char *name, int flags)
{
    return (int)OK(SC(SYS_openat, AT_FDCWD, name, flags, 0644));
}

static void close_calls(void)
{
    int fd = open_file("c", O_RDWR | O_CREAT);
    EQ(SC(SYS_close, fd), 0);
    ERR(EBADF, SC(SYS_close, fd));
    ERR(EBADF, SC(SYS_close, -1));
    ERR(EBADF, SC(SYS_close, 1 << 20));
}

static void dup_calls(void)
{
    t_make_file("d", "abcdef");
    int fd = open_file("d", O_RDONLY);
    int d = (int)OK(SC(SYS_dup, fd));
    CHECK(d != fd);
    char b[2];
    EQ(read(fd, b, 2), 2);
    EQ(lseek(d, 0, SEEK_CUR), 2); /* one open file, one offset */
    EQ(read(d, b, 2), 2);
    EQ(b[0], 'c');
    EQ(fcntl(d, F_GETFD), 0); /* the copy is not close-on-exec */
    close(fd);
    EQ(read(d, b, 2), 2); /* the copy keeps the file open */
    close(d);
    ERR(EBADF, SC(SYS_dup, d));
    ERR(EBADF, SC(SYS_dup, -1));
}

static void dup2_calls(void)
{
    t_make_file("d2", "xyz");
    int fd = open_file("d2", O_RDONLY);
    int other = open_file("d2", O_RDONLY);
    EQ(SC(SYS_dup2, fd, other), other); /* closes what other was */
    char b;
    EQ(read(fd, &b, 1), 1);
    EQ(lseek(other, 0, SEEK_CUR), 1);
    EQ(SC(SYS_dup2, fd, fd), fd); /* onto itself: nothing */
    EQ(SC(SYS_dup2, fd, 100), 100);
    EQ(lseek(100, 0, SEEK_CUR), 1);
    close(100);
    ERR(EBADF, SC(SYS_dup2, 999, fd));
    ERR(EBADF, SC(SYS_dup2, 999, 999)); /* onto itself, but not open */
    ERR(EBADF, SC(SYS_dup2, fd, -1));
    struct rlimit r;
    OK(getrlimit(RLIMIT_NOFILE, &r));
    ERR(EBADF, SC(SYS_dup2, fd, (long)r.rlim_cur));
    close(fd);
    close(other);
}

static void dup3_calls(void)
{
    int fd = open_file("d3", O_RDWR | O_CREAT);
    EQ(SC(SYS_dup3, fd, 50, O_CLOEXEC), 50);
    EQ(fcntl(50, F_GETFD), FD_CLOEXEC);
    EQ(SC(SYS_dup3, fd, 51, 0), 51);
    EQ(fcntl(51, F_GETFD), 0);
    ERR(EINVAL, SC(SYS_dup3, fd, fd, 0)); /* unlike dup2 */
    ERR(EINVAL, SC(SYS_dup3, fd, 52, O_APPEND));
    ERR(EBADF, SC(SYS_dup3, 999, 52, 0));
    ERR(EBADF, SC(SYS_dup3, fd, -1, 0));
    close(50);
    close(51);
    close(fd);
}

static void fcntl_calls(void)
{
    int fd = open_file("fc", O_RDWR | O_CREAT | O_APPEND);
    EQ(SC(SYS_fcntl, fd, F_GETFD), 0);
    EQ(SC(SYS_fcntl, fd, F_SETFD, FD_CLOEXEC), 0);
    EQ(SC(SYS_fcntl, fd, F_GETFD), FD_CLOEXEC);
    EQ(SC(SYS_fcntl, fd, F_SETFD, 0), 0);
    long fl = OK(SC(SYS_fcntl, fd, F_GETFL));
    EQ(fl & O_ACCMODE, O_RDWR);
    CHECK(fl & O_APPEND);
    EQ(SC(SYS_fcntl, fd, F_SETFL, O_NONBLOCK), 0);
    fl = OK(SC(SYS_fcntl, fd, F_GETFL));
    CHECK((fl & O_NONBLOCK) && !(fl & O_APPEND));
    EQ(fl & O_ACCMODE, O_RDWR); /* the access mode cannot change */
    EQ(SC(SYS_fcntl, fd, F_SETFL, O_WRONLY | O_APPEND), 0);
    fl = OK(SC(SYS_fcntl, fd, F_GETFL));
    EQ(fl & O_ACCMODE, O_RDWR);
    CHECK(fl & O_APPEND);
    /* F_DUPFD: the lowest free number at or above the argument */
    int d = (int)OK(SC(SYS_fcntl, fd, F_DUPFD, 30));
    EQ(d, 30);
    EQ(SC(SYS_fcntl, fd, F_DUPFD, 30), 31);
    EQ(SC(SYS_fcntl, d, F_GETFD), 0);
    int e = (int)OK(SC(SYS_fcntl, fd, F_DUPFD_CLOEXEC, 30));
    EQ(e, 32);
    EQ(SC(SYS_fcntl, e, F_GETFD), FD_CLOEXEC);
    /* the status flags belong to the open file: its copies see them */
    EQ(SC(SYS_fcntl, d, F_SETFL, 0), 0);
    CHECK(!(SC(SYS_fcntl, fd, F_GETFL) & O_APPEND));
    close(30);
    close(31);
    close(32);
    struct rlimit r;
    OK(getrlimit(RLIMIT_NOFILE, &r));
    ERR(EINVAL, SC(SYS_fcntl, fd, F_DUPFD, (long)r.rlim_cur));
    ERR(EINVAL, SC(SYS_fcntl, fd, F_DUPFD, -1));
    ERR(EINVAL, SC(SYS_fcntl, fd, 9999));
    close(fd);
    ERR(EBADF, SC(SYS_fcntl, fd, F_GETFD));
    ERR(EBADF, SC(SYS_fcntl, fd, F_GETFL));
    ERR(EBADF, SC(SYS_fcntl, fd, F_DUPFD, 0));
}

static void emfile(void)
{
    struct rlimit old, low = {16, 0};
    OK(getrlimit(RLIMIT_NOFILE, &old));
    low.rlim_max = old.rlim_max;
    /* in a child: the limit and the files go with it */
    pid_t c = t_fork();
    if (c == 0) {
        OK(setrlimit(RLIMIT_NOFILE, &low));
        int last = -1, n = 0;
        for (;;) {
            int fd = (int)SC(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY);
            if (fd < 0) {
                CHECKF(errno == EMFILE, "open #%d: %s, want EMFILE", n, t_errname(errno));
                break;
            }
            CHECKF(fd < 16, "fd %d at a limit of 16", fd);
            last = fd, n++;
        }
        EQ(last, 15);
        ERR(EMFILE, SC(SYS_dup, 0));
        ERR(EMFILE, SC(SYS_fcntl, 0, F_DUPFD, 0));
        int p[2];
        ERR(EMFILE, SC(SYS_pipe2, p, 0));
        ERR(EBADF, SC(SYS_dup2, 0, 16));
        close(last);
        ERR(EMFILE, SC(SYS_pipe2, p, 0)); /* needs two */
        EQ(SC(SYS_dup, 0), last);
        _exit(0);
    }
    t_wait_exit(c, 0);
}

static void cloexec(void)
{
    int keep = open_file("ce", O_RDWR | O_CREAT);
    int gone = open_file("ce", O_RDONLY | O_CLOEXEC);
    EQ(SC(SYS_fcntl, gone, F_GETFD), FD_CLOEXEC);
    pid_t c = t_fork();
    if (c == 0) {
        extern char **environ;
        char a[12], b[12];
        snprintf(a, sizeof(a), "%d", keep);
        snprintf(b, sizeof(b), "%d", gone);
        char *av[] = {(char *)t_self, "--child", "fds", a, b, NULL};
        SC(SYS_execve, t_self, av, environ);
        t_fail("execve: %s", t_errname(errno));
    }
    int st = t_wait(c);
    CHECKF(st == 0, "after execve: status %#x (256: kept fd closed, 512: close-on-exec fd open)",
           st);
    close(keep);
    close(gone);
}

static void fork_shares(void)
{
    int fd = open_file("fs", O_RDWR | O_CREAT | O_TRUNC);
    pid_t c = t_fork();
    if (c == 0) {
        EQ(write(fd, "child", 5), 5);
        close(fd); /* the parent's stays open */
        _exit(0);
    }
    t_wait_exit(c, 0);
    EQ(lseek(fd, 0, SEEK_CUR), 5); /* one open file, one offset */
    EQ(write(fd, "parent", 6), 6);
    char b[12] = {0};
    EQ(SC(SYS_pread64, fd, b, sizeof(b), 0), 11);
    CHECK(memcmp(b, "childparent", 11) == 0);
    close(fd);
}

T_AREA(fd, {400, "close", close_calls}, {401, "dup", dup_calls}, {402, "dup2", dup2_calls},
       {403, "dup3", dup3_calls}, {404, "fcntl", fcntl_calls},
       {405, "EMFILE at RLIMIT_NOFILE", emfile}, {406, "close-on-exec", cloexec},
       {407, "open files shared across fork", fork_shares});
