// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-001..099, processes: fork, vfork, execve, exit and exit_group, wait4 and waitid, the
 * ids, set_tid_address, arch_prctl, uname, the resource limits, process groups and sessions.
 * Also the child modes that the exec tests run the suite itself in (t_child_main).
 */
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/utsname.h>
#include <sys/wait.h>

#define ARCH_SET_FS 0x1002
#define ARCH_GET_FS 0x1003

extern char **environ;

/* lxsuite --child MODE ...: what the exec tests check from inside the new program */
int t_child_main(int argc, char **argv)
{
    if (argc >= 3 && strcmp(argv[1], "exit") == 0)
        return atoi(argv[2]);
    if (argc >= 2 && strcmp(argv[1], "args") == 0) {
        /* exactly: --child args one "two words" "" and the environment LXSUITE_ENV=yes */
        if (argc != 5 || strcmp(argv[2], "one") || strcmp(argv[3], "two words") || argv[4][0])
            return 1;
        if (argv[5] != NULL || !environ[0] || environ[1] || strcmp(environ[0], "LXSUITE_ENV=yes"))
            return 2;
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "wait") == 0) { /* exec'd, waits to be killed */
        for (;;)
            t_msleep(1000);
    }
    if (argc >= 3 && strcmp(argv[1], "pid") == 0)
        return getpid() == atoi(argv[2]) && getppid() == atoi(argv[3]) ? 0 : 1;
    if (argc >= 4 && strcmp(argv[1], "fds") == 0) {
        /* fd argv[2] survived the exec, fd argv[3] (close-on-exec) did not */
        if (fcntl(atoi(argv[2]), F_GETFD) != 0)
            return 1;
        if (fcntl(atoi(argv[3]), F_GETFD) != -1 || errno != EBADF)
            return 2;
        return 0;
    }
    if (argc >= 2 && strcmp(argv[1], "sigs") == 0) {
        /* a handled signal is back to SIG_DFL, an ignored one still ignored, the mask kept */
        struct sigaction sa;
        if (sigaction(SIGUSR1, NULL, &sa) || sa.sa_handler != SIG_DFL)
            return 1;
        if (sigaction(SIGUSR2, NULL, &sa) || sa.sa_handler != SIG_IGN)
            return 2;
        sigset_t set;
        if (sigprocmask(SIG_BLOCK, NULL, &set) || !sigismember(&set, SIGTERM) ||
            sigismember(&set, SIGUSR1))
            return 3;
        return 0;
    }
    return 100;
}

static void ids(void)
{
    pid_t pid = (pid_t)OK(SC(SYS_getpid));
    CHECK(pid > 0);
    EQ(SC(SYS_gettid), pid);
    pid_t ppid = (pid_t)OK(SC(SYS_getppid));
    CHECK(ppid >= 0 && ppid != pid);
    pid_t c = t_fork();
    if (c == 0) {
        CHECKF(getppid() == pid, "child's getppid %d, want %d", getppid(), pid);
        CHECK(getpid() != pid && getpid() > 0);
        EQ(SC(SYS_gettid), getpid());
        _exit(0);
    }
    CHECK(c > 0 && c != pid);
    t_wait_exit(c, 0);
}

static void fork_wait(void)
{
    pid_t c = (pid_t)OK(t_fork());
    if (c == 0)
        _exit(42);
    int st = 0;
    EQ(SC(SYS_wait4, c, &st, 0, NULL), c);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 42, "status %#x, want exit 42", st);
    ERR(ECHILD, SC(SYS_wait4, c, &st, 0, NULL));
}

static void fork_copies(void)
{
    static int global = 1;
    volatile int local = 10;
    char *heap = malloc(100);
    CHECK(heap);
    strcpy(heap, "parent");
    pid_t c = t_fork();
    if (c == 0) {
        CHECK(global == 1 && local == 10 && strcmp(heap, "parent") == 0);
        global = 2, local = 20, strcpy(heap, "child");
        t_msleep(30);
        CHECK(global == 2 && local == 20 && strcmp(heap, "child") == 0);
        _exit(0);
    }
    t_msleep(10);
    global = 3, local = 30;
    t_wait_exit(c, 0);
    CHECK(global == 3 && local == 30 && strcmp(heap, "parent") == 0);
    free(heap);
}

static void vfork_exits(void)
{
    pid_t me = getpid();
    pid_t c = vfork();
    if (c == 0) {
        if (getppid() != me)
            _exit(1);
        _exit(7);
    }
    CHECK(c > 0);
    t_wait_exit(c, 7);
    /* vfork then exec, as a shell does */
    c = vfork();
    if (c == 0) {
        char *av[] = {(char *)t_self, "--child", "exit", "8", NULL};
        execve(t_self, av, environ);
        _exit(9);
    }
    CHECK(c > 0);
    t_wait_exit(c, 8);
}

static void execve_runs(void)
{
    char pid[16], ppid[16];
    pid_t c = t_fork();
    if (c == 0) {
        snprintf(pid, sizeof(pid), "%d", getpid());
        snprintf(ppid, sizeof(ppid), "%d", getppid());
        char *av[] = {(char *)t_self, "--child", "pid", pid, ppid, NULL};
        SC(SYS_execve, t_self, av, environ);
        t_fail("execve(%s): %s", t_self, t_errname(errno));
    }
    t_wait_exit(c, 0);
    c = t_fork();
    if (c == 0) {
        char *av[] = {(char *)t_self, "--child", "args", "one", "two words", "", NULL};
        char *env[] = {"LXSUITE_ENV=yes", NULL};
        SC(SYS_execve, t_self, av, env);
        t_fail("execve(%s): %s", t_self, t_errname(errno));
    }
    int st = t_wait(c);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "exec'd program saw other arguments or environment: status %#x", st);
}

static void execve_errors(void)
{
    char *av[] = {"x", NULL};
    ERR(ENOENT, SC(SYS_execve, "/no/such/program", av, environ));
    ERR(ENOENT, SC(SYS_execve, "", av, environ));
    ERR(ENOTDIR, SC(SYS_execve, "/etc/passwd/x", av, environ));
    ERR(EFAULT, SC(SYS_execve, (void *)1, av, environ));
    ERR(EACCES, SC(SYS_execve, "/tmp", av, environ));
    t_make_file("notexec", "#!/bin/sh\nexit 0\n");
    ERR(EACCES, SC(SYS_execve, "notexec", av, environ));
    int fd = (int)OK(openat(AT_FDCWD, "garbage", O_WRONLY | O_CREAT | O_EXCL, 0755));
    EQ(write(fd, "no program at all, not even a script\n", 38), 38);
    close(fd);
    ERR(ENOEXEC, SC(SYS_execve, "garbage", av, environ));
    /* a failed execve leaves the caller running, as it was */
    EQ(SC(SYS_getpid), getpid());
}

static void exits(void)
{
    pid_t c = t_fork();
    if (c == 0)
        SC(SYS_exit_group, 3);
    t_wait_exit(c, 3);
    c = t_fork();
    if (c == 0)
        SC(SYS_exit, 4); /* the only thread: the process ends */
    t_wait_exit(c, 4);
    c = t_fork();
    if (c == 0)
        SC(SYS_exit_group, 0x1ff); /* only the low 8 bits are the status */
    t_wait_exit(c, 0xff);
}

static void wait4_errors(void)
{
    int st;
    ERR(ECHILD, SC(SYS_wait4, -1, &st, 0, NULL));
    ERR(ECHILD, SC(SYS_wait4, getppid(), &st, 0, NULL));
    ERR(ECHILD, SC(SYS_wait4, t_dead_pid(), &st, 0, NULL));
    int p[2];
    OK(pipe2(p, 0));
    pid_t c = t_fork();
    if (c == 0) {
        char b;
        close(p[1]);
        _exit(read(p[0], &b, 1) == 0 ? 5 : 6);
    }
    close(p[0]);
    EQ(SC(SYS_wait4, c, &st, WNOHANG, NULL), 0);
    ERR(EINVAL, SC(SYS_wait4, c, &st, 0x1000, NULL));
    close(p[1]);
    struct rusage ru;
    EQ(SC(SYS_wait4, c, &st, 0, &ru), c);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 5, "status %#x", st);
    /* a bad status pointer: EFAULT (the child is reaped all the same) */
    c = t_fork();
    if (c == 0)
        _exit(0);
    ERR(EFAULT, SC(SYS_wait4, c, (void *)1, 0, NULL));
    ERR(ECHILD, SC(SYS_wait4, c, &st, 0, NULL));
}

static void waitid_info(void)
{
    siginfo_t si;
    pid_t c = t_fork();
    if (c == 0)
        _exit(12);
    memset(&si, 0xff, sizeof(si));
    EQ(SC(SYS_waitid, P_PID, c, &si, WEXITED, NULL), 0);
    EQ(si.si_pid, c);
    EQ(si.si_signo, SIGCHLD);
    EQ(si.si_code, CLD_EXITED);
    EQ(si.si_status, 12);
    ERR(ECHILD, SC(SYS_waitid, P_PID, c, &si, WEXITED, NULL));
    ERR(ECHILD, SC(SYS_waitid, P_ALL, 0, &si, WEXITED, NULL));
    ERR(EINVAL, SC(SYS_waitid, P_ALL, 0, &si, 0, NULL));    /* no state asked */
    ERR(EINVAL, SC(SYS_waitid, 99, 0, &si, WEXITED, NULL)); /* no such idtype */
    int p[2];
    OK(pipe2(p, 0));
    c = t_fork();
    if (c == 0) {
        char b;
        close(p[1]);
        while (read(p[0], &b, 1) > 0)
            ;
        kill(getpid(), SIGTERM);
        _exit(1);
    }
    close(p[0]);
    memset(&si, 0xff, sizeof(si));
    EQ(SC(SYS_waitid, P_PID, c, &si, WEXITED | WNOHANG, NULL), 0);
    EQ(si.si_pid, 0); /* WNOHANG and nothing to report: si_pid zeroed */
    close(p[1]);
    /* WNOWAIT leaves the child to be waited for again */
    EQ(SC(SYS_waitid, P_PID, c, &si, WEXITED | WNOWAIT, NULL), 0);
    EQ(si.si_code, CLD_KILLED);
    EQ(si.si_status, SIGTERM);
    t_wait_signal(c, SIGTERM);
}

static void wait_any(void)
{
    pid_t kids[3];
    for (int i = 0; i < 3; i++) {
        kids[i] = t_fork();
        if (kids[i] == 0) {
            t_msleep(10 * (3 - i));
            _exit(20 + i);
        }
    }
    int seen = 0;
    for (int n = 0; n < 3; n++) {
        int st;
        pid_t r = (pid_t)OK(SC(SYS_wait4, -1, &st, 0, NULL));
        int i = r == kids[0] ? 0 : r == kids[1] ? 1 : r == kids[2] ? 2 : -1;
        CHECKF(i >= 0, "wait4(-1) returned %d, not a child", (int)r);
        CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 20 + i, "status %#x", st);
        seen |= 1 << i;
    }
    EQ(seen, 7);
    ERR(ECHILD, SC(SYS_wait4, -1, NULL, 0, NULL));
    /* wait4(0) waits for the caller's process group */
    pid_t c = t_fork();
    if (c == 0)
        _exit(1);
    EQ(SC(SYS_wait4, 0, NULL, 0, NULL), c);
}

static void tid_address(void)
{
    static int word;
    EQ(SC(SYS_set_tid_address, &word), SC(SYS_gettid));
    /* put musl's own back: the suite's main thread never exits on its own anyway */
    EQ(SC(SYS_set_tid_address, NULL), SC(SYS_gettid));
}

#ifdef __x86_64__
static __thread int tls_probe = 1234;
#endif

static void arch_prctl_fs(void)
{
#ifndef __x86_64__
    t_skip("arch_prctl is x86_64's: an AArch64 thread writes its thread pointer itself");
#else
    unsigned long fs = 0, again = 0;
    EQ(SC(SYS_arch_prctl, ARCH_GET_FS, &fs), 0);
    CHECK(fs != 0);
    /* x86_64 TLS: the word at %fs:0 is the thread pointer itself */
    unsigned long self;
    __asm__ volatile("mov %%fs:0, %0" : "=r"(self));
    EQ(self, fs);
    EQ(SC(SYS_arch_prctl, ARCH_SET_FS, fs), 0);
    EQ(SC(SYS_arch_prctl, ARCH_GET_FS, &again), 0);
    EQ(again, fs);
    EQ(tls_probe, 1234);
    ERR(EFAULT, SC(SYS_arch_prctl, ARCH_GET_FS, (void *)1));
    ERR(EINVAL, SC(SYS_arch_prctl, 0x9999, 0));
    /* an address beyond user space is refused, and the old one kept */
    ERR(EPERM, SC(SYS_arch_prctl, ARCH_SET_FS, 0xffff800000000000UL));
    EQ(tls_probe, 1234);
#endif
}

static void uname_fields(void)
{
    struct utsname u;
    memset(&u, 0xff, sizeof(u));
    EQ(SC(SYS_uname, &u), 0);
    CHECKF(strcmp(u.sysname, "Linux") == 0, "sysname %.20s", u.sysname);
    CHECKF(strcmp(u.machine, T_MACHINE) == 0, "machine %.20s", u.machine);
    CHECK(memchr(u.release, 0, sizeof(u.release)) && u.release[0] >= '3');
    CHECK(memchr(u.nodename, 0, sizeof(u.nodename)) && u.nodename[0]);
    ERR(EFAULT, SC(SYS_uname, (void *)1));
    if (t_is_coffer())
        t_note("release %s", u.release);
}

static void user_ids(void)
{
    long uid = OK(SC(SYS_getuid)), euid = OK(SC(SYS_geteuid));
    long gid = OK(SC(SYS_getgid)), egid = OK(SC(SYS_getegid));
    CHECK(uid >= 0 && gid >= 0);
    EQ(uid, euid);
    EQ(gid, egid);
    pid_t c = t_fork();
    if (c == 0) {
        EQ(SC(SYS_getuid), uid);
        EQ(SC(SYS_getgid), gid);
        _exit(0);
    }
    t_wait_exit(c, 0);
}

static void rlimits(void)
{
    struct rlimit r, r2, lower;
    EQ(SC(SYS_getrlimit, RLIMIT_NOFILE, &r), 0);
    CHECK(r.rlim_cur > 3 && r.rlim_cur <= r.rlim_max);
    EQ(SC(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, &r2), 0);
    CHECK(r2.rlim_cur == r.rlim_cur && r2.rlim_max == r.rlim_max);
    EQ(SC(SYS_prlimit64, getpid(), RLIMIT_STACK, NULL, &r2), 0);
    CHECK(r2.rlim_cur > 0);
    lower = r;
    lower.rlim_cur = 64;
    EQ(SC(SYS_prlimit64, 0, RLIMIT_NOFILE, &lower, &r2), 0);
    EQ(r2.rlim_cur, r.rlim_cur); /* the old one, as it was */
    EQ(SC(SYS_getrlimit, RLIMIT_NOFILE, &r2), 0);
    EQ(r2.rlim_cur, 64);
    pid_t c = t_fork();
    if (c == 0) { /* inherited */
        EQ(SC(SYS_getrlimit, RLIMIT_NOFILE, &r2), 0);
        EQ(r2.rlim_cur, 64);
        _exit(0);
    }
    t_wait_exit(c, 0);
    EQ(SC(SYS_prlimit64, 0, RLIMIT_NOFILE, &r, NULL), 0);
    EQ(SC(SYS_getrlimit, RLIMIT_NOFILE, &r2), 0);
    EQ(r2.rlim_cur, r.rlim_cur);
    ERR(EINVAL, SC(SYS_getrlimit, 999, &r2));
    ERR(EINVAL, SC(SYS_prlimit64, 0, 999, NULL, &r2));
    ERR(EFAULT, SC(SYS_getrlimit, RLIMIT_NOFILE, (void *)1));
    ERR(EFAULT, SC(SYS_prlimit64, 0, RLIMIT_NOFILE, NULL, (void *)1));
    ERR(EFAULT, SC(SYS_prlimit64, 0, RLIMIT_NOFILE, (void *)1, NULL));
    ERR(ESRCH, SC(SYS_prlimit64, t_dead_pid(), RLIMIT_NOFILE, NULL, &r2));
    lower.rlim_cur = lower.rlim_max + 1; /* soft above hard */
    if (lower.rlim_max != RLIM_INFINITY)
        ERR(EINVAL, SC(SYS_prlimit64, 0, RLIMIT_NOFILE, &lower, NULL));
}

static void process_groups(void)
{
    pid_t me = getpid();
    pid_t pg = (pid_t)OK(SC(SYS_getpgid, 0));
    EQ(SC(SYS_getpgid, me), pg);
    ERR(ESRCH, SC(SYS_getpgid, t_dead_pid()));
    int p[2];
    OK(pipe2(p, 0));
    pid_t c = t_fork();
    if (c == 0) {
        char b;
        close(p[1]);
        while (read(p[0], &b, 1) > 0)
            ;
        EQ(SC(SYS_getpgid, 0), getpid()); /* the parent made it a group of its own */
        EQ(SC(SYS_setpgid, 0, pg), 0);    /* and back into the parent's, same session */
        EQ(SC(SYS_getpgid, 0), pg);
        ERR(EINVAL, SC(SYS_setpgid, 0, -1));
        ERR(ESRCH, SC(SYS_setpgid, getppid(), 0)); /* not the caller or its child */
        _exit(0);
    }
    close(p[0]);
    EQ(SC(SYS_getpgid, c), pg); /* inherited */
    EQ(SC(SYS_setpgid, c, c), 0);
    EQ(SC(SYS_getpgid, c), c);
    ERR(ESRCH, SC(SYS_setpgid, t_dead_pid(), 0));
    close(p[1]);
    t_wait_exit(c, 0);
}

static void sessions(void)
{
    pid_t c = t_fork();
    if (c == 0) {
        pid_t me = getpid();
        EQ(SC(SYS_setsid), me);
        EQ(SC(SYS_getpgid, 0), me);
        ERR(EPERM, SC(SYS_setsid)); /* a group leader already */
        _exit(0);
    }
    t_wait_exit(c, 0);
    c = t_fork();
    if (c == 0) {
        EQ(SC(SYS_setpgid, 0, 0), 0);
        ERR(EPERM, SC(SYS_setsid));
        _exit(0);
    }
    t_wait_exit(c, 0);
    /* a child in another session cannot be moved into our group */
    int p[2], ready[2];
    OK(pipe2(p, 0));
    OK(pipe2(ready, 0));
    c = t_fork();
    if (c == 0) {
        char b;
        close(p[1]);
        SC(SYS_setsid);
        close(ready[1]);
        while (read(p[0], &b, 1) > 0)
            ;
        _exit(0);
    }
    close(p[0]);
    close(ready[1]);
    char b;
    EQ(read(ready[0], &b, 1), 0); /* the child is in its session */
    close(ready[0]);
    ERR(EPERM, SC(SYS_setpgid, c, getpgid(0)));
    close(p[1]);
    t_wait_exit(c, 0);
}

/* a zombie is still a member of its process group until it is reaped: a pipeline's later
 * processes join the group of a leader that has exited already (a shell's job control) */
static void zombie_keeps_group(void)
{
    pid_t a = t_fork();
    if (a == 0) {
        EQ(SC(SYS_setpgid, 0, 0), 0);
        _exit(0);
    }
    siginfo_t si;
    EQ(waitid(P_PID, (id_t)a, &si, WEXITED | WNOWAIT), 0); /* a zombie now, not reaped */
    int p[2];
    OK(pipe2(p, 0));
    pid_t b = t_fork();
    if (b == 0) {
        char c;
        close(p[1]);
        while (read(p[0], &c, 1) > 0)
            ;
        _exit(0);
    }
    close(p[0]);
    EQ(SC(SYS_setpgid, b, a), 0);
    EQ(SC(SYS_getpgid, b), a);
    close(p[1]);
    t_wait_exit(b, 0);
    t_wait_exit(a, 0);
}

static void unknown_call(void)
{
    ERR(ENOSYS, SC(1000));
    ERR(ENOSYS, SC(-1L));
    ERR(ENOSYS, SC(0x40000000L + SYS_getpid)); /* the x32 ABI's numbers: not here */
}

/* setpgid of a child that has called execve: EACCES; waitid's rusage is written (EFAULT) */
static void after_exec(void)
{
    int p[2];
    OK(pipe2(p, O_CLOEXEC));
    pid_t c = t_fork();
    if (c == 0) {
        char *av[] = {(char *)t_self, "--child", "wait", NULL};
        SC(SYS_execve, t_self, av, environ);
        _exit(6);
    }
    close(p[1]);
    char b;
    EQ(read(p[0], &b, 1), 0); /* the pipe closes at the child's exec */
    close(p[0]);
    ERR(EACCES, SC(SYS_setpgid, c, c));
    OK(kill(c, SIGKILL));
    siginfo_t si;
    ERR(EFAULT, SC(SYS_waitid, P_PID, c, &si, WEXITED | WNOWAIT, (void *)1));
    t_wait_signal(c, SIGKILL);
}

/* a process waits only for its own children: not its parent, siblings or their children */
static void own_children_only(void)
{
    pid_t sib = t_fork();
    if (sib == 0) {
        t_msleep(300);
        _exit(0);
    }
    pid_t c = t_fork();
    if (c == 0) {
        if (SC(SYS_wait4, -1, NULL, WNOHANG, NULL) != -1 || errno != ECHILD)
            _exit(1);
        if (SC(SYS_wait4, sib, NULL, WNOHANG, NULL) != -1 || errno != ECHILD)
            _exit(2);
        if (SC(SYS_wait4, 0, NULL, WNOHANG, NULL) != -1 || errno != ECHILD)
            _exit(3);
        _exit(0);
    }
    t_wait_exit(c, 0);
    t_wait_exit(sib, 0);
}

T_AREA(proc, {1, "ids", ids}, {2, "fork and wait4", fork_wait},
       {3, "fork copies memory", fork_copies}, {4, "vfork", vfork_exits},
       {5, "execve", execve_runs}, {6, "execve errors", execve_errors},
       {7, "exit and exit_group", exits}, {8, "wait4 errors and WNOHANG", wait4_errors},
       {9, "waitid", waitid_info}, {10, "wait for any child", wait_any},
       {11, "set_tid_address", tid_address}, {12, "arch_prctl", arch_prctl_fs},
       {13, "uname", uname_fields}, {14, "user and group ids", user_ids},
       {15, "getrlimit and prlimit64", rlimits}, {16, "setpgid and getpgid", process_groups},
       {17, "setsid", sessions}, {18, "unknown system call", unknown_call},
       {19, "setpgid and waitid after exec", after_exec},
       {20, "only one's own children", own_children_only},
       {21, "a zombie keeps its process group", zombie_keeps_group});
