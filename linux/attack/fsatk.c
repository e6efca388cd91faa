// SPDX-License-Identifier: BSD-2-Clause
/*
 * Attack on the personality's file calls with hostile arguments: paths without a NUL, too
 * long, looping symlinks, .. above /, renames of a directory into itself, unlinked open
 * files, huge offsets, iovecs bad in the middle, tiny getdents buffers, poll and select
 * with huge counts and bad pointers, pipes whose other end goes, descriptor exhaustion,
 * fcntl and ioctl with hostile arguments. Each line says what was tried and what came back,
 * so that its output on Linux and here can be compared line by line (test LINUX-ATK-FS).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/select.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

/* the bad arguments are the point: glibc's headers tell the compiler which are not allowed */
#ifdef __GLIBC__
#pragma GCC diagnostic ignored "-Wnonnull"
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif

#define D "/tmp/fsatk.d"

/* errno's number: the names differ between libcs, the numbers are Linux's */
static const char *ename(int e)
{
    static char b[16];
    snprintf(b, sizeof b, "errno %d", e);
    return b;
}

static void show(const char *what, long r)
{
    if (r < 0)
        printf("fsatk: %s: -1 %s\n", what, ename(errno));
    else
        printf("fsatk: %s: %ld\n", what, r);
}

static char *bad; /* a page that is not mapped */

static void paths(void)
{
    static char longp[8192];
    char *page = mmap(0, 8192, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(page + 4096, 4096);
    memset(page, 'a', 4096); /* no NUL before the unmapped page */
    show("open of a path with no NUL before an unmapped page", open(page, O_RDONLY));
    memset(longp, 'a', sizeof longp - 1);
    show("open of an 8 KiB path", open(longp, O_RDONLY));
    longp[255] = 0;
    show("open of a 255-byte name", open(longp, O_RDONLY));
    longp[255] = 'a';
    longp[256] = 0;
    show("open of a 256-byte name", open(longp, O_RDONLY));
    for (int i = 0; i < 4095; i += 2)
        memcpy(longp + i, "/.", 2);
    longp[4095] = 0;
    show("stat of 4095 bytes of /./.", syscall(SYS_newfstatat, AT_FDCWD, longp, page, 0));
    longp[4095] = '/';
    longp[4096] = 0;
    show("stat of 4096 bytes of /./.", syscall(SYS_newfstatat, AT_FDCWD, longp, page, 0));
#ifndef SYS_open /* the asm-generic table (AArch64): openat is the only open */
#define SYS_open_AT(path, flags) syscall(SYS_openat, AT_FDCWD, path, flags)
#else
#define SYS_open_AT(path, flags) syscall(SYS_open, path, flags)
#endif
    show("open of NULL", SYS_open_AT(0, O_RDONLY));
    show("open of a bad pointer", SYS_open_AT(bad, O_RDONLY));
    show("open of the empty path", open("", O_RDONLY));
    mkdir(D, 0755);
    show("symlink loop a->b", symlink(D "/b", D "/a"));
    show("symlink loop b->a", symlink(D "/a", D "/b"));
    show("open through the loop", open(D "/a", O_RDONLY));
    show("stat of the loop, not followed",
         syscall(SYS_newfstatat, AT_FDCWD, D "/a", page, AT_SYMLINK_NOFOLLOW));
    show("symlink self", symlink("self", D "/self"));
    show("open of self/x", open(D "/self/x", O_RDONLY));
    show("mkdir through the loop", mkdir(D "/a/x", 0755));
    show("symlink to /tmp/../..", symlink("/../../../tmp/../..", D "/up"));
    int fd = open(D "/up/tmp", O_RDONLY | O_DIRECTORY);
    show("open of up/tmp (.. above / stays at /)", fd >= 0 ? 0 : -1);
    close(fd);
    show("chdir /../../..", chdir("/../../.."));
    char cwd[64];
    printf("fsatk: cwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : ename(errno));
    show("getcwd into 1 byte", getcwd(cwd, 1) ? 0 : -1);
    show("getcwd into a bad pointer", syscall(SYS_getcwd, bad, 64));
    show("open /dev/null/x", open("/dev/null/x", O_RDONLY));
    show("mkdir /dev/x", mkdir("/dev/x", 0755));
    show("unlink /dev/null", unlink("/dev/null"));
    show("rename /dev/null into /tmp", rename("/dev/null", D "/null"));
    show("link /dev/zero into /tmp", link("/dev/zero", D "/zero"));
    show("rename /bin/sh into /tmp", rename("/bin/sh", D "/sh"));
    show("mkdir /tmp/x/", mkdir(D "/x/", 0755));
    show("mkdir x/y/z", mkdir(D "/x/y/z", 0755));
    show("mkdir x/y", mkdir(D "/x/y", 0755));
    show("rename x into x/y/z", rename(D "/x", D "/x/y/z"));
    show("rename x into x", rename(D "/x", D "/x"));
    show("rename x/y to x", rename(D "/x/y", D "/x"));
    show("rename x to x/y/.", rename(D "/x", D "/x/y/."));
    show("rename . to z", rename(D "/x/.", D "/z"));
    show("rmdir x/y/..", rmdir(D "/x/y/.."));
    show("rmdir x/.", rmdir(D "/x/."));
    show("rmdir x", rmdir(D "/x"));
    show("chdir x/y", chdir(D "/x/y"));
    show("rmdir x/y while it is the cwd", rmdir(D "/x/y"));
    show("open . in a removed cwd", open(".", O_RDONLY));
    show("creat in a removed cwd", open("f", O_CREAT | O_RDWR, 0600));
    show("stat .. from a removed cwd", syscall(SYS_newfstatat, AT_FDCWD, "..", page, 0));
    printf("fsatk: cwd: %s\n", getcwd(cwd, sizeof cwd) ? cwd : ename(errno));
    show("chdir /", chdir("/"));
    show("rmdir x", rmdir(D "/x"));
}

static void unlinked(void)
{
    char buf[16] = {0};
    int fd = open(D "/gone", O_CREAT | O_RDWR | O_TRUNC, 0600);
    show("write to gone", write(fd, "hello", 5));
    show("unlink gone", unlink(D "/gone"));
    show("pread of an unlinked file", pread(fd, buf, sizeof buf, 0));
    printf("fsatk: it says %s\n", buf);
    show("pwrite of an unlinked file", pwrite(fd, "HE", 2, 0));
    show("ftruncate of an unlinked file", ftruncate(fd, 1 << 20));
    show("lseek end", lseek(fd, 0, SEEK_END));
    show("lseek to 2^62", lseek(fd, 1ll << 62, SEEK_SET));
    show("lseek past 2^63", lseek(fd, 1ll << 62, SEEK_CUR));
    show("lseek to -1", lseek(fd, -1, SEEK_SET));
    show("lseek whence 5", lseek(fd, 0, 5));
    show("lseek whence -1", lseek(fd, 0, -1));
    show("write at 2^62", write(fd, "x", 1));
    show("pwrite at 2^63-1", pwrite(fd, "x", 1, 0x7fffffffffffffffll));
    show("pwrite at -1", pwrite(fd, "x", 1, -1));
    show("pread of 2^63 bytes", syscall(SYS_pread64, fd, buf, 1ull << 63, 0));
    show("pread of -1 bytes at 1", syscall(SYS_pread64, fd, buf, -1l, 1));
    show("pread at 2^63-2 of 16", pread(fd, buf, 16, 0x7ffffffffffffffell));
    show("pwrite at 64 MiB - 1 of 16", pwrite(fd, "0123456789abcdef", 16, (64 << 20) - 1));
    show("read into a bad pointer", pread(fd, bad, 16, 0));
    show("read into NULL", pread(fd, 0, 16, 0));
    show("write from a bad pointer", pwrite(fd, bad, 16, 0));
    show("fstat size", lseek(fd, 0, SEEK_END));
    show("close gone", close(fd));
    show("close gone again", close(fd));
    show("close -1", close(-1));
    show("close 1<<20", close(1 << 20));
}

static void vectors(void)
{
    int fd = open(D "/v", O_CREAT | O_RDWR | O_TRUNC, 0600);
    char a[8] = "AAAAAAA", b[8] = "BBBBBBB";
    struct iovec iov[3] = {{a, 7}, {bad, 7}, {b, 7}};
    show("writev with a bad middle iovec (file)", writev(fd, iov, 3));
    struct iovec big[3] = {{a, 7}, {bad, 8000}, {b, 7}};
    show("writev with a bad middle iovec, 8 KiB (file)", writev(fd, big, 3));
    show("lseek end", lseek(fd, 0, SEEK_END));
    lseek(fd, 0, SEEK_SET);
    show("readv with a bad middle iovec (file)", readv(fd, iov, 3));
    struct iovec neg[2] = {{a, 7}, {b, (size_t)-1}};
    show("writev with a length of -1", writev(fd, neg, 2));
    struct iovec huge[2] = {{a, 0x7fffffffffffffff}, {b, 0x7fffffffffffffff}};
    show("writev whose lengths overflow", writev(fd, huge, 2));
    show("writev with 1025 iovecs", syscall(SYS_writev, fd, iov, 1025));
    show("writev with -1 iovecs", writev(fd, iov, -1));
    show("writev with 0 iovecs", writev(fd, iov, 0));
    show("writev with a bad iovec array", writev(fd, (struct iovec *)bad, 1));
    show("preadv at -1", preadv(fd, iov, 1, -1));
    close(fd);
    int p[2];
    pipe(p);
    show("writev with a bad middle iovec (pipe)", writev(p[1], iov, 3));
    show("writev with a bad middle iovec, 8 KiB (pipe)", writev(p[1], big, 3));
    char got[64];
    fcntl(p[0], F_SETFL, O_NONBLOCK);
    show("read the pipe", read(p[0], got, sizeof got));
    fcntl(p[0], F_SETFL, 0);
    write(p[1], "0123456789", 10);
    struct iovec r[3] = {{got, 3}, {bad, 3}, {got + 3, 3}};
    show("readv with a bad middle iovec (pipe)", readv(p[0], r, 3));
    show("what is left of the pipe", read(p[0], got, sizeof got));
    close(p[0]);
    close(p[1]);
}

static void dirs(void)
{
    char buf[64];
    int fd = open("/", O_RDONLY | O_DIRECTORY);
    show("getdents64 into 0 bytes", syscall(SYS_getdents64, fd, buf, 0));
    show("getdents64 into 20 bytes", syscall(SYS_getdents64, fd, buf, 20));
    show("getdents64 into 24 bytes", syscall(SYS_getdents64, fd, buf, 24));
    show("getdents64 into a bad pointer", syscall(SYS_getdents64, fd, bad, 4096));
    show("getdents64 into NULL", syscall(SYS_getdents64, fd, 0, 4096));
    show("getdents64 with -1 bytes", syscall(SYS_getdents64, fd, buf, -1l) > 0 ? 1 : -1);
    long n = 0, r;
    lseek(fd, 0, SEEK_SET);
    while ((r = syscall(SYS_getdents64, fd, buf, 24)) > 0)
        n++;
    show("entries of / read one by one (more than 5)", n > 5 ? 1 : n);
    show("getdents64 of a file", syscall(SYS_getdents64, 0, buf, 64));
    show("getdents64 of -1", syscall(SYS_getdents64, -1, buf, 64));
    show("lseek a directory to -1", lseek(fd, -1, SEEK_SET));
    show("lseek a directory to 2^62", lseek(fd, 1ll << 62, SEEK_SET) > 0 ? 1 : -1);
    show("getdents64 past the end", syscall(SYS_getdents64, fd, buf, 64));
    close(fd);
}

static void polls(void)
{
    int p[2];
    pipe(p);
    struct pollfd pf[2] = {{p[0], POLLIN, 0}, {-1, POLLIN, 0}};
    show("poll with 2^31 fds", poll(pf, 1u << 31, 0));
    show("poll with 257 fds", poll(pf, 257, 0));
    show("poll with a bad pointer", poll((struct pollfd *)bad, 1, 0));
    show("poll with NULL and 0 fds, 10 ms", poll(0, 0, 10));
    struct pollfd nv = {999, POLLIN, 0};
    show("poll of fd 999", poll(&nv, 1, 0));
    printf("fsatk: revents %#x\n", nv.revents);
    show("poll -2 ms (forever) with a ready fd", (write(p[1], "x", 1), poll(pf, 1, -2)));
    fd_set rd;
    FD_ZERO(&rd);
    FD_SET(p[0], &rd);
    struct timeval tv = {0, 0};
#ifdef SYS_select
    show("select nfds 2000", syscall(SYS_select, 2000, &rd, 0, 0, &tv));
#else /* the asm-generic table: select is pselect6 */
    struct timespec zero = {0, 0};
    show("select nfds 2000", syscall(SYS_pselect6, 2000, &rd, 0, 0, &zero, 0));
#endif
    show("select nfds -1", select(-1, &rd, 0, 0, &tv));
    tv.tv_usec = -1;
    show("select usec -1", select(p[0] + 1, &rd, 0, 0, &tv));
    tv.tv_usec = 0;
    show("select with a bad set", select(p[0] + 1, (fd_set *)bad, 0, 0, &tv));
    fd_set many;
    memset(&many, 0xff, sizeof many);
    show("select on every fd up to 1024", select(1024, &many, 0, 0, &tv));
    struct timespec ts = {0, 1000000000};
    show("ppoll with tv_nsec 1e9", ppoll(pf, 1, &ts, 0));
    sigset_t ss[2];
    show("ppoll with a sigset size of 16", syscall(SYS_ppoll, pf, 1, 0, ss, 16));
    close(p[0]);
    close(p[1]);
}

static volatile int sigpipes;
static void on_pipe(int s)
{
    (void)s;
    sigpipes++;
}

static void pipes(void)
{
    int p[2], st;
    signal(SIGPIPE, on_pipe);
    pipe(p);
    pid_t c = fork();
    if (c == 0) {
        close(p[1]);
        usleep(100000);
        _exit(0); /* the reader dies while the parent is blocked writing */
    }
    close(p[0]);
    static char big[200000];
    show("write 200000 to a pipe whose reader dies", write(p[1], big, sizeof big));
    show("write to a pipe with no reader", write(p[1], "x", 1));
    printf("fsatk: SIGPIPEs: %d\n", sigpipes);
    close(p[1]);
    waitpid(c, &st, 0);

    pipe(p);
    c = fork();
    if (c == 0) {
        close(p[0]);
        usleep(100000);
        close(p[1]); /* the writer goes while the parent is blocked reading */
        _exit(0);
    }
    close(p[1]);
    char b[8];
    show("read of a pipe whose writer goes", read(p[0], b, sizeof b));
    close(p[0]);
    waitpid(c, &st, 0);

    pipe(p);
    show("F_SETPIPE_SZ 0", fcntl(p[0], F_SETPIPE_SZ, 0) > 0 ? 1 : -1);
    show("F_GETPIPE_SZ of a file", fcntl(0, F_GETPIPE_SZ) > 0 ? 1 : -1);
    show("read the write end", read(p[1], b, 1));
    show("write the read end", write(p[0], b, 1));
    show("lseek a pipe", lseek(p[0], 0, SEEK_SET));
    show("pread a pipe", pread(p[0], b, 1, 0));
    show("pipe into a bad pointer", syscall(SYS_pipe2, bad, 0));
    show("pipe2 with a bad flag", syscall(SYS_pipe2, p, 1));
    close(p[0]);
    close(p[1]);
}

static void fds(void)
{
    int n = 0, last = -1, fd;
    while ((fd = dup(0)) >= 0) {
        last = fd;
        n++;
    }
    printf("fsatk: dup until %s after %d (more than 200: %d)\n", ename(errno), n, n > 200);
    show("pipe with no fds left", syscall(SYS_pipe2, (int[2]){0, 0}, 0));
    show("open with no fds left", open("/", O_RDONLY));
    for (fd = 3; fd <= last; fd++)
        close(fd);
    show("dup2 3 onto itself (closed)", dup2(3, 3));
    show("dup2 0 onto itself", dup2(0, 0));
    show("dup3 0 onto itself", dup3(0, 0, 0));
    show("dup3 with a bad flag", dup3(0, 5, 1));
    show("dup2 onto -1", dup2(0, -1));
    show("dup2 onto 1<<20", dup2(0, 1 << 20));
#ifdef SYS_dup2
    show("dup2 onto 2^32+5", syscall(SYS_dup2, 0, (1ul << 32) + 5));
#else /* the asm-generic table: dup2 is dup3 */
    show("dup2 onto 2^32+5", syscall(SYS_dup3, 0, (1ul << 32) + 5, 0));
#endif
    close(5);
    show("fcntl F_DUPFD -1", fcntl(0, F_DUPFD, -1));
    show("fcntl F_DUPFD 1<<20", fcntl(0, F_DUPFD, 1 << 20));
    show("fcntl cmd 9999", fcntl(0, 9999, 0));
    show("fcntl cmd -1", fcntl(0, -1, 0));
    show("fcntl F_SETFL everything", fcntl(0, F_SETFL, ~0));
    show("fcntl F_GETLK into a bad pointer", fcntl(0, F_GETLK, bad));
    show("fcntl F_SETLK type 7", fcntl(0, F_SETLK, &(struct flock){.l_type = 7}));
    show("fcntl F_SETFD -1", fcntl(0, F_SETFD, -1));
    show("fcntl F_GETFD", fcntl(0, F_GETFD));
    fcntl(0, F_SETFD, 0);
    show("fcntl F_SETFL 0", fcntl(0, F_SETFL, 0));
    show("ioctl TCGETS into a bad pointer", ioctl(0, TCGETS, bad));
    show("ioctl TCSETS from a bad pointer", ioctl(0, TCSETS, bad));
    show("ioctl TIOCGWINSZ into NULL", ioctl(0, TIOCGWINSZ, 0));
    show("ioctl FIONREAD into a bad pointer", ioctl(0, FIONREAD, bad));
    show("ioctl FIONBIO from a bad pointer", ioctl(0, FIONBIO, bad));
    show("ioctl TIOCSPGRP -5", ioctl(0, TIOCSPGRP, &(int){-5}));
    show("ioctl TIOCSPGRP 99999", ioctl(0, TIOCSPGRP, &(int){99999}));
    show("ioctl TCFLSH 7", ioctl(0, TCFLSH, 7));
    show("ioctl 0xdeadbeef", ioctl(0, 0xdeadbeef, 0));
    show("ioctl TCGETS on a file", ioctl(open("/", O_RDONLY), TCGETS, &(struct termios){0}));
    struct termios t, saved;
    tcgetattr(0, &saved);
    t = saved;
    memset(t.c_cc, 0xff, sizeof t.c_cc);
    t.c_lflag &= ~(ICANON | ECHO);
    t.c_cc[VMIN] = 0;
    t.c_cc[VTIME] = 1;
    show("tcsetattr with c_cc all 255, VMIN 0 VTIME 1", tcsetattr(0, TCSANOW, &t));
    char b[4];
    show("read with VMIN 0 VTIME 1 (0.1 s, nothing typed)", read(0, b, sizeof b));
    t.c_cflag = ~0u;
    t.c_iflag = ~0u;
    t.c_oflag = ~0u;
    t.c_lflag = ~0u & ~(ICANON | ECHO);
    show("tcsetattr with every flag", tcsetattr(0, TCSANOW, &t));
    show("write with every output flag", write(1, "fsatk: every flag\n", 18) > 0 ? 1 : -1);
    show("tcsetattr back", tcsetattr(0, TCSANOW, &saved));
    printf("\n");
}

int main(void)
{
    /* this attack renames /bin/sh and unlinks /dev/null; run natively on the
     * host as root it broke the host's /bin/sh and /dev/null (twice). Only under Coffer. */
    struct utsname u;
    if (uname(&u) || !strstr(u.release, "coffer")) {
        printf("fsatk: not under Coffer's personality: refusing to run on this host\n");
        return 2;
    }
    bad = mmap(0, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    munmap(bad, 4096);
    paths();
    unlinked();
    vectors();
    dirs();
    polls();
    pipes();
    fds();
    printf("fsatk: done\n");
    return 0;
}
