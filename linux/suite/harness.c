// SPDX-License-Identifier: BSD-2-Clause
/*
 * The harness (t.h): runs the selected tests in order, one result line each, in a scratch
 * directory under /tmp that it removes afterwards. Lines go out with one write() each, so that
 * a line is never split or doubled by stdio buffers across fork.
 */
#include "t.h"

#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>

const char *t_self;

static jmp_buf t_jump;
static pid_t t_main_pid;
static int t_report[2] = {-1, -1}; /* children's failure reasons: [0] read, [1] write */
static char t_note_buf[160];
static char t_why[400];
static pid_t t_children[64];
static int t_nchildren;
enum { T_PASS, T_FAILED, T_SKIPPED };

static void put_line(const char *s)
{
    size_t n = strlen(s);
    while (n > 0) {
        ssize_t w = write(1, s, n);
        if (w <= 0)
            return;
        s += w;
        n -= (size_t)w;
    }
}

__attribute__((noreturn)) static void end_test(int how, const char *fmt, va_list ap)
{
    vsnprintf(t_why, sizeof(t_why), fmt, ap);
    if (getpid() != t_main_pid) {
        /* a child: the reason goes to the parent, the child goes */
        if (t_report[1] >= 0) {
            char line[sizeof(t_why) + 2];
            int n = snprintf(line, sizeof(line), "%s\n", t_why);
            if (write(t_report[1], line, (size_t)n) < 0) {
                /* nothing more to do: the exit code still says it failed */
            }
        }
        SC(SYS_exit_group, T_CHILD_FAILED);
    }
    longjmp(t_jump, how);
}

void t_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end_test(T_FAILED, fmt, ap);
}

void t_skip(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    end_test(T_SKIPPED, fmt, ap);
}

void t_note(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(t_note_buf, sizeof(t_note_buf), fmt, ap);
    va_end(ap);
}

const char *t_errname(int e)
{
    static const struct {
        int e;
        const char *name;
    } names[] = {
        {0, "0"},
        {EPERM, "EPERM"},
        {ENOENT, "ENOENT"},
        {ESRCH, "ESRCH"},
        {EINTR, "EINTR"},
        {EIO, "EIO"},
        {ENXIO, "ENXIO"},
        {E2BIG, "E2BIG"},
        {ENOEXEC, "ENOEXEC"},
        {EBADF, "EBADF"},
        {ECHILD, "ECHILD"},
        {EAGAIN, "EAGAIN"},
        {ENOMEM, "ENOMEM"},
        {EACCES, "EACCES"},
        {EFAULT, "EFAULT"},
        {EBUSY, "EBUSY"},
        {EEXIST, "EEXIST"},
        {EXDEV, "EXDEV"},
        {ENODEV, "ENODEV"},
        {ENOTDIR, "ENOTDIR"},
        {EISDIR, "EISDIR"},
        {EINVAL, "EINVAL"},
        {ENFILE, "ENFILE"},
        {EMFILE, "EMFILE"},
        {ENOTTY, "ENOTTY"},
        {EFBIG, "EFBIG"},
        {ENOSPC, "ENOSPC"},
        {ESPIPE, "ESPIPE"},
        {EROFS, "EROFS"},
        {EMLINK, "EMLINK"},
        {EPIPE, "EPIPE"},
        {ERANGE, "ERANGE"},
        {ENAMETOOLONG, "ENAMETOOLONG"},
        {ENOSYS, "ENOSYS"},
        {ENOTEMPTY, "ENOTEMPTY"},
        {ELOOP, "ELOOP"},
        {ETIMEDOUT, "ETIMEDOUT"},
        {EOVERFLOW, "EOVERFLOW"},
        {EOPNOTSUPP, "EOPNOTSUPP"},
    };
    static char other[16];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (names[i].e == e)
            return names[i].name;
    snprintf(other, sizeof(other), "errno %d", e);
    return other;
}

pid_t t_fork(void)
{
    pid_t pid = fork();
    if (pid > 0 && t_nchildren < (int)(sizeof(t_children) / sizeof(t_children[0])))
        t_children[t_nchildren++] = pid;
    return pid;
}

int t_wait(pid_t pid)
{
    int status = 0;
    pid_t r;
    do
        r = (pid_t)SC(SYS_wait4, pid, &status, 0, NULL);
    while (r == -1 && errno == EINTR);
    if (r != pid)
        t_fail("wait4(%d): returned %d (%s)", (int)pid, (int)r, t_errname(errno));
    for (int i = 0; i < t_nchildren; i++)
        if (t_children[i] == pid)
            t_children[i] = 0;
    return status;
}

/* the reason a failed child sent, if any */
static const char *child_reason(void)
{
    static char buf[sizeof(t_why) + 2];
    ssize_t n = t_report[0] >= 0 ? read(t_report[0], buf, sizeof(buf) - 1) : -1;
    if (n <= 0)
        return "(no reason sent)";
    buf[n] = 0;
    if (buf[n - 1] == '\n')
        buf[n - 1] = 0;
    return buf;
}

void t_wait_exit(pid_t pid, int code)
{
    int st = t_wait(pid);
    if (WIFEXITED(st) && WEXITSTATUS(st) == T_CHILD_FAILED && code != T_CHILD_FAILED)
        t_fail("child: %s", child_reason());
    if (WIFSIGNALED(st))
        t_fail("child %d killed by signal %d, want exit %d", (int)pid, WTERMSIG(st), code);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == code, "child %d: status %#x, want exit %d", (int)pid,
           st, code);
}

void t_wait_signal(pid_t pid, int sig)
{
    int st = t_wait(pid);
    if (WIFEXITED(st) && WEXITSTATUS(st) == T_CHILD_FAILED)
        t_fail("child: %s", child_reason());
    CHECKF(WIFSIGNALED(st) && WTERMSIG(st) == sig, "child %d: status %#x, want killed by %d",
           (int)pid, st, sig);
}

pid_t t_dead_pid(void)
{
    pid_t pid = t_fork();
    if (pid == 0)
        _exit(0);
    CHECK(pid > 0);
    t_wait(pid);
    return pid;
}

int t_is_coffer(void)
{
    struct utsname u;
    return uname(&u) == 0 && strstr(u.release, "coffer") != NULL;
}

#ifndef __x86_64__
long t_legacy(long n, long a, long b, long c, long d, long e)
{
    switch (n) {
    case SYS_poll: { /* poll(fds, n, ms): ppoll with no timeout for a negative ms */
        struct timespec ts = {c / 1000, (c % 1000) * 1000000};
        return syscall(SYS_ppoll, a, b, c < 0 ? 0L : (long)&ts, 0L, 8L);
    }
    case SYS_select: { /* select(n, r, w, x, tv): tv is written back, as Linux's select does */
        struct timeval *tv = (struct timeval *)e;
        struct timespec ts = {0, 0};
        if (tv)
            ts = (struct timespec){tv->tv_sec, tv->tv_usec * 1000};
        long r = syscall(SYS_pselect6, a, b, c, d, tv ? (long)&ts : 0L, 0L);
        if (tv && r >= 0)
            *tv = (struct timeval){ts.tv_sec, ts.tv_nsec / 1000};
        return r;
    }
    case SYS_dup2: /* onto itself: only a check that it is open */
        if (a == b)
            return syscall(SYS_fcntl, a, (long)F_GETFD) < 0 ? -1 : a;
        return syscall(SYS_dup3, a, b, 0L);
    case SYS_readlink:
        return syscall(SYS_readlinkat, (long)AT_FDCWD, a, b, c);
    default:
        errno = ENOSYS;
        return -1;
    }
}
#endif

long long t_now_ns(void)
{
    struct timespec ts;
    if (SC(SYS_clock_gettime, CLOCK_MONOTONIC, &ts) != 0)
        t_fail("clock_gettime(CLOCK_MONOTONIC): %s", t_errname(errno));
    return ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

void t_msleep(int ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (SC(SYS_nanosleep, &ts, &ts) == -1 && errno == EINTR)
        ;
}

void t_make_file(const char *name, const char *content)
{
    int fd = (int)OK(openat(AT_FDCWD, name, O_WRONLY | O_CREAT | O_TRUNC, 0644));
    size_t n = strlen(content);
    EQ(write(fd, content, n), n);
    OK(close(fd));
}

/* A child that sends sig to its parent every ms until the parent closes its end of stop (or
 * times times), then writes "z" to fd if fd >= 0. Sending more than once: the parent may not
 * be waiting yet when the first one comes (a slow machine). */
pid_t t_poke(int sig, int ms, int times, int fd, int stop[2])
{
    pid_t c = t_fork();
    if (c == 0) {
        char b;
        close(stop[1]);
        for (int i = 0; i < times; i++) {
            struct pollfd pfd = {stop[0], POLLIN, 0};
            if (SC(SYS_poll, &pfd, 1, ms) == 1 && read(stop[0], &b, 1) == 0)
                break;
            kill(getppid(), sig);
        }
        if (fd >= 0)
            write(fd, "z", 1);
        _exit(0);
    }
    close(stop[0]);
    return c;
}

/* After each test: no child left, the signals as the suite started, the scratch cwd. */
static void tidy(const char *dir)
{
    for (int i = 0; i < t_nchildren; i++) {
        if (t_children[i] > 0) {
            kill(t_children[i], SIGKILL);
            SC(SYS_wait4, t_children[i], NULL, 0, NULL);
        }
    }
    t_nchildren = 0;
    while (SC(SYS_wait4, -1, NULL, WNOHANG, NULL) > 0)
        ;
    struct sigaction dfl = {.sa_handler = SIG_DFL};
    for (int s = 1; s < 32; s++)
        if (s != SIGKILL && s != SIGSTOP)
            sigaction(s, &dfl, NULL);
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    if (chdir(dir) != 0)
        put_line("lost the scratch directory\n");
    if (t_report[0] >= 0)
        while (read(t_report[0], t_why, sizeof(t_why)) > 0)
            ;
}

/* rm -r of the directory entry name under dirfd (getdents64 and unlinkat); 0 when done */
static int remove_tree(int dirfd, const char *name)
{
    if (unlinkat(dirfd, name, 0) == 0)
        return 0;
    int fd = openat(dirfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    char buf[2048];
    long n;
    int removed = 1;
    while (removed) { /* again from the start while a pass removes something */
        removed = 0;
        lseek(fd, 0, SEEK_SET);
        while ((n = SC(SYS_getdents64, fd, buf, sizeof(buf))) > 0) {
            for (long off = 0; off < n;) {
                struct {
                    uint64_t ino;
                    int64_t off;
                    unsigned short reclen;
                    unsigned char type;
                    char name[];
                } *d = (void *)(buf + off);
                if (strcmp(d->name, ".") != 0 && strcmp(d->name, "..") != 0 &&
                    remove_tree(fd, d->name) == 0)
                    removed = 1;
                off += d->reclen;
            }
        }
    }
    close(fd);
    return unlinkat(dirfd, name, AT_REMOVEDIR);
}

static int selected(int id, int argc, char **argv)
{
    if (argc <= 1)
        return 1;
    for (int i = 1; i < argc; i++) {
        int from, to;
        char dash;
        int n = sscanf(argv[i], "%d%c%d", &from, &dash, &to);
        if ((n == 1 && id == from) || (n == 3 && dash == '-' && id >= from && id <= to))
            return 1;
    }
    return 0;
}

static void find_self(const char *argv0)
{
    static char path[512];
    if (argv0[0] == '/') {
        t_self = argv0;
    } else if (strchr(argv0, '/') && getcwd(path, sizeof(path) - strlen(argv0) - 2)) {
        strcat(path, "/");
        strcat(path, argv0);
        t_self = path;
    } else {
        t_self = "/bin/lxsuite";
    }
}

int t_main(const char *prog, const struct t_area *const *areas, int argc, char **argv)
{
    if (argc > 1 && strcmp(argv[1], "--child") == 0)
        return t_child_main(argc - 1, argv + 1);
    find_self(argv[0]);
    t_main_pid = getpid();
#ifdef __GLIBC__
    /* glibc's threads get RLIMIT_STACK (8 MiB) of stack each, musl's 128 KiB: eight of glibc's
     * would meet the personality's memory quota (64 MiB, charged as mapped: docs/linux.md) */
    pthread_attr_t attr;
    if (!pthread_attr_init(&attr) && !pthread_attr_setstacksize(&attr, 128 << 10))
        pthread_setattr_default_np(&attr);
#endif
    if (pipe2(t_report, O_CLOEXEC | O_NONBLOCK) != 0)
        t_report[0] = t_report[1] = -1;

    char scratch[64], line[sizeof(t_why) + 200];
    snprintf(scratch, sizeof(scratch), "/tmp/%s.%d", prog, (int)getpid());
    if (mkdirat(AT_FDCWD, scratch, 0755) != 0 || chdir(scratch) != 0) {
        snprintf(line, sizeof(line), "%s: cannot make %s: %s\n", prog, scratch, t_errname(errno));
        put_line(line);
        return 2;
    }
    umask(022);
    int passed = 0, failed = 0, skipped = 0;
    for (int a = 0; areas[a]; a++) {
        for (int i = 0; i < areas[a]->n; i++) {
            const struct t_case *c = &areas[a]->cases[i];
            if (!selected(c->id, argc, argv))
                continue;
            t_note_buf[0] = 0;
            /* each test in a directory of its own, so that names never meet */
            char dir[96];
            snprintf(dir, sizeof(dir), "%s/%03d", scratch, c->id);
            if (mkdirat(AT_FDCWD, dir, 0755) != 0 || chdir(dir) != 0) {
                snprintf(line, sizeof(line), "%s: cannot make %s: %s\n", prog, dir,
                         t_errname(errno));
                put_line(line);
                return 2;
            }
            volatile int how = setjmp(t_jump);
            if (how == 0) {
                c->fn();
                how = T_PASS;
            }
            if (how == T_PASS) {
                passed++;
                snprintf(line, sizeof(line), "TEST LINUX-%03d PASS%s%s\n", c->id,
                         t_note_buf[0] ? " " : "", t_note_buf);
            } else if (how == T_FAILED) {
                failed++;
                snprintf(line, sizeof(line), "TEST LINUX-%03d FAIL %s: %s\n", c->id, c->name,
                         t_why);
            } else {
                skipped++;
                snprintf(line, sizeof(line), "TEST LINUX-%03d SKIP %s: %s\n", c->id, c->name,
                         t_why);
            }
            put_line(line);
            tidy(dir);
        }
    }
    chdir("/tmp");
    remove_tree(AT_FDCWD, scratch);
    if (skipped) {
        snprintf(line, sizeof(line), "%s: %d skipped\n", prog, skipped);
        put_line(line);
    }
    snprintf(line, sizeof(line), "%s: %d passed, %d failed\n", prog, passed, failed);
    put_line(line);
    return failed ? 1 : 0;
}
