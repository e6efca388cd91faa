// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-100..199, signals: rt_sigaction, rt_sigprocmask, kill, tgkill, handlers that return
 * (rt_sigreturn through musl's restorer), the default actions, SIGCHLD, SIGPIPE, SIGSEGV of a
 * faulting process, EINTR and SA_RESTART, the mask inside a handler, signals across fork and
 * execve.
 */
#include "t.h"

#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>

#define KSIGSET 8 /* the kernel's sigset_t: 64 bits */

static volatile sig_atomic_t hits, last_sig, last_code, last_pid;
static volatile unsigned long masked_inside; /* the mask the handler ran with (bits 1..31) */

static void count(int sig)
{
    hits++;
    last_sig = sig;
    sigset_t m;
    sigprocmask(SIG_BLOCK, NULL, &m);
    unsigned long bits = 0;
    for (int s = 1; s < 32; s++)
        if (sigismember(&m, s))
            bits |= 1UL << s;
    masked_inside = bits;
}

static void info(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    hits++;
    last_sig = sig;
    last_code = si->si_code;
    last_pid = si->si_pid;
}

static void handle(int sig, void (*fn)(int), int flags)
{
    struct sigaction sa = {.sa_handler = fn, .sa_flags = flags};
    sigemptyset(&sa.sa_mask);
    OK(sigaction(sig, &sa, NULL));
}

static void handle_info(int sig)
{
    struct sigaction sa = {.sa_sigaction = info, .sa_flags = SA_SIGINFO};
    sigemptyset(&sa.sa_mask);
    OK(sigaction(sig, &sa, NULL));
}

static void handler_returns(void)
{
    hits = 0;
    handle(SIGUSR1, count, 0);
    volatile long a = 0x1234567890L, b = -77;
    volatile double d = 3.25;
    double e = d * 2;
    EQ(kill(getpid(), SIGUSR1), 0);
    EQ(hits, 1); /* delivered before kill returned */
    EQ(last_sig, SIGUSR1);
    CHECK(a == 0x1234567890L && b == -77 && d == 3.25 && e == 6.5);
    EQ(kill(getpid(), SIGUSR1), 0);
    EQ(hits, 2); /* still installed */
    /* SIG_IGN and back */
    handle(SIGUSR1, SIG_IGN, 0);
    EQ(kill(getpid(), SIGUSR1), 0);
    EQ(hits, 2);
}

static void sigaction_errors(void)
{
    struct sigaction sa = {.sa_handler = count}, old;
    sigemptyset(&sa.sa_mask);
    ERR(EINVAL, sigaction(SIGKILL, &sa, NULL));
    ERR(EINVAL, sigaction(SIGSTOP, &sa, NULL));
    /* the raw call: the kernel's struct and sigset size, as musl passes them */
    struct {
        void *handler;
        unsigned long flags;
        void *restorer;
        unsigned long mask;
    } k = {SIG_DFL, 0, NULL, 0}, kold;
    ERR(EINVAL, SC(SYS_rt_sigaction, 0, &k, NULL, KSIGSET));
    ERR(EINVAL, SC(SYS_rt_sigaction, 65, &k, NULL, KSIGSET));
    ERR(EINVAL, SC(SYS_rt_sigaction, SIGUSR1, &k, NULL, 4));
    ERR(EFAULT, SC(SYS_rt_sigaction, SIGUSR1, (void *)1, NULL, KSIGSET));
    ERR(EFAULT, SC(SYS_rt_sigaction, SIGUSR1, NULL, (void *)1, KSIGSET));
    EQ(SC(SYS_rt_sigaction, SIGKILL, NULL, &kold, KSIGSET), 0); /* reading it is fine */
    /* the old action comes back as it was set */
    sa.sa_flags = SA_RESTART;
    sigaddset(&sa.sa_mask, SIGUSR2);
    OK(sigaction(SIGUSR1, &sa, NULL));
    OK(sigaction(SIGUSR1, NULL, &old));
    CHECK(old.sa_handler == count);
    CHECK(old.sa_flags & SA_RESTART);
    CHECK(sigismember(&old.sa_mask, SIGUSR2) && !sigismember(&old.sa_mask, SIGINT));
    EQ(SC(SYS_rt_sigaction, SIGUSR1, NULL, &kold, KSIGSET), 0);
    CHECK(kold.handler == (void *)count);
    EQ(kold.mask, 1UL << (SIGUSR2 - 1));
}

static void procmask(void)
{
    hits = 0;
    handle(SIGUSR1, count, 0);
    sigset_t set, old;
    sigemptyset(&set);
    sigaddset(&set, SIGUSR1);
    OK(sigprocmask(SIG_BLOCK, &set, &old));
    CHECK(!sigismember(&old, SIGUSR1));
    EQ(kill(getpid(), SIGUSR1), 0);
    EQ(kill(getpid(), SIGUSR1), 0);
    EQ(hits, 0); /* blocked: pending */
    OK(sigprocmask(SIG_UNBLOCK, &set, NULL));
    EQ(hits, 1); /* delivered once unblocked, and a standard signal only once */
    /* SIG_SETMASK; SIGKILL and SIGSTOP cannot be blocked */
    unsigned long all = ~0UL, got = 0;
    EQ(SC(SYS_rt_sigprocmask, SIG_SETMASK, &all, NULL, KSIGSET), 0);
    EQ(SC(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &got, KSIGSET), 0);
    EQ(got & (1UL << (SIGKILL - 1)), 0);
    EQ(got & (1UL << (SIGSTOP - 1)), 0);
    CHECK(got & (1UL << (SIGUSR1 - 1)));
    unsigned long none = 0;
    ERR(EINVAL, SC(SYS_rt_sigprocmask, 99, &none, NULL, KSIGSET));
    ERR(EINVAL, SC(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, 4));
    ERR(EFAULT, SC(SYS_rt_sigprocmask, SIG_SETMASK, (void *)1, NULL, KSIGSET));
    ERR(EFAULT, SC(SYS_rt_sigprocmask, SIG_SETMASK, NULL, (void *)1, KSIGSET));
    EQ(SC(SYS_rt_sigprocmask, SIG_SETMASK, NULL, &got, KSIGSET), 0);
    CHECK(got & (1UL << (SIGUSR1 - 1))); /* the failed calls changed nothing */
    EQ(SC(SYS_rt_sigprocmask, SIG_SETMASK, &none, NULL, KSIGSET), 0);
}

static void kill_calls(void)
{
    EQ(kill(getpid(), 0), 0); /* existence check */
    ERR(ESRCH, kill(t_dead_pid(), 0));
    ERR(ESRCH, kill(t_dead_pid(), SIGTERM));
    ERR(EINVAL, kill(getpid(), 65));
    ERR(EINVAL, kill(getpid(), -1));
    hits = 0;
    handle_info(SIGUSR2);
    EQ(kill(getpid(), SIGUSR2), 0);
    EQ(hits, 1);
    EQ(last_code, SI_USER);
    EQ(last_pid, getpid());
    /* a child's signal to its parent */
    hits = 0;
    pid_t c = t_fork();
    if (c == 0)
        _exit(kill(getppid(), SIGUSR2) == 0 ? 0 : 1);
    t_wait_exit(c, 0);
    EQ(hits, 1);
    EQ(last_pid, c);
}

static void tgkill_calls(void)
{
    hits = 0;
    handle_info(SIGUSR1);
    pid_t me = getpid(), tid = (pid_t)SC(SYS_gettid);
    EQ(SC(SYS_tgkill, me, tid, SIGUSR1), 0);
    EQ(hits, 1);
    EQ(last_code, SI_TKILL);
    EQ(SC(SYS_tgkill, me, tid, 0), 0);
    ERR(ESRCH, SC(SYS_tgkill, me, t_dead_pid(), SIGUSR1));
    ERR(ESRCH, SC(SYS_tgkill, t_dead_pid(), tid, SIGUSR1));
    ERR(EINVAL, SC(SYS_tgkill, 0, tid, SIGUSR1));
    ERR(EINVAL, SC(SYS_tgkill, me, 0, SIGUSR1));
    ERR(EINVAL, SC(SYS_tgkill, me, tid, 65));
}

/* a child that waits on a pipe for ever; the signal sig must end it */
static void killed_by(int sig, int send)
{
    int p[2];
    OK(pipe2(p, 0));
    pid_t c = t_fork();
    if (c == 0) {
        char b;
        close(p[1]);
        read(p[0], &b, 1);
        _exit(1);
    }
    close(p[0]);
    t_msleep(5);
    EQ(kill(c, send), 0);
    t_wait_signal(c, sig);
    close(p[1]);
}

static void default_actions(void)
{
    killed_by(SIGTERM, SIGTERM);
    killed_by(SIGINT, SIGINT);
    killed_by(SIGKILL, SIGKILL);
    killed_by(SIGUSR1, SIGUSR1);
    killed_by(SIGHUP, SIGHUP);
    /* ignored by default: the process goes on */
    EQ(kill(getpid(), SIGCHLD), 0);
    EQ(kill(getpid(), SIGURG), 0);
    EQ(kill(getpid(), SIGWINCH), 0);
    /* SIGKILL even when the child handles or blocks everything it can */
    pid_t c = t_fork();
    if (c == 0) {
        sigset_t all;
        sigfillset(&all);
        sigprocmask(SIG_SETMASK, &all, NULL);
        handle(SIGTERM, SIG_IGN, 0);
        for (;;)
            t_msleep(1000);
    }
    t_msleep(10);
    EQ(kill(c, SIGTERM), 0);
    EQ(kill(c, SIGKILL), 0);
    t_wait_signal(c, SIGKILL);
}

static void sigchld(void)
{
    hits = 0;
    handle_info(SIGCHLD);
    pid_t c = t_fork();
    if (c == 0)
        _exit(3);
    int st;
    pid_t r;
    do
        r = (pid_t)SC(SYS_wait4, c, &st, 0, NULL);
    while (r == -1 && errno == EINTR);
    EQ(r, c);
    EQ(hits, 1);
    EQ(last_sig, SIGCHLD);
    EQ(last_pid, c);
    EQ(last_code, CLD_EXITED);
}

static void sigchld_ignored(void)
{
    /* SIGCHLD set to SIG_IGN: children are not kept as zombies; wait4 waits for them all
     * and then says ECHILD */
    handle(SIGCHLD, SIG_IGN, 0);
    pid_t c = t_fork();
    if (c == 0) {
        t_msleep(10);
        _exit(0);
    }
    ERR(ECHILD, SC(SYS_wait4, c, NULL, 0, NULL));
    ERR(ESRCH, kill(c, 0));
}

static void sigpipe(void)
{
    int p[2];
    OK(pipe2(p, 0));
    close(p[0]);
    pid_t c = t_fork();
    if (c == 0) {
        write(p[1], "x", 1);
        _exit(1);
    }
    t_wait_signal(c, SIGPIPE);
    handle(SIGPIPE, SIG_IGN, 0);
    ERR(EPIPE, write(p[1], "x", 1));
    hits = 0;
    handle(SIGPIPE, count, 0);
    ERR(EPIPE, write(p[1], "x", 1));
    EQ(hits, 1);
    EQ(last_sig, SIGPIPE);
    close(p[1]);
}

static void segv_handler(int sig, siginfo_t *si, void *uc)
{
    (void)uc;
    /* exit code: 10 when the report is right */
    _exit(sig == SIGSEGV && si->si_addr == (void *)0x10 && si->si_code == SEGV_MAPERR ? 10 : 11);
}

/* the faulting address, through a variable so the compiler cannot see it is bad */
static volatile int *volatile fault_at = (volatile int *)0x10;

static void sigsegv(void)
{
    pid_t c = t_fork();
    if (c == 0) {
        *fault_at = 1;
        _exit(1);
    }
    t_wait_signal(c, SIGSEGV);
    c = t_fork();
    if (c == 0) {
        struct sigaction sa = {.sa_sigaction = segv_handler, .sa_flags = SA_SIGINFO};
        sigemptyset(&sa.sa_mask);
        sigaction(SIGSEGV, &sa, NULL);
        (void)*fault_at;
        _exit(1);
    }
    t_wait_exit(c, 10);
    /* a blocked SIGSEGV from a fault still kills */
    c = t_fork();
    if (c == 0) {
        sigset_t s;
        sigemptyset(&s);
        sigaddset(&s, SIGSEGV);
        sigprocmask(SIG_BLOCK, &s, NULL);
        (void)*fault_at;
        _exit(1);
    }
    t_wait_signal(c, SIGSEGV);
}

static void eintr(void)
{
    hits = 0;
    handle(SIGUSR1, count, 0);
    int p[2], stop[2];
    char b;
    OK(pipe2(p, 0));
    OK(pipe2(stop, 0));
    pid_t c = t_poke(SIGUSR1, 30, 1000, -1, stop);
    ERR(EINTR, read(p[0], &b, 1));
    CHECK(hits >= 1);
    close(stop[1]);
    t_wait_exit(c, 0);
    /* with SA_RESTART the read goes on and gets the byte */
    hits = 0;
    handle(SIGUSR1, count, SA_RESTART);
    OK(pipe2(stop, 0));
    c = t_poke(SIGUSR1, 30, 3, p[1], stop);
    EQ(read(p[0], &b, 1), 1);
    EQ(b, 'z');
    EQ(hits, 3);
    close(stop[1]);
    t_wait_exit(c, 0);
    close(p[0]);
    close(p[1]);
}

static void mask_in_handler(void)
{
    struct sigaction sa = {.sa_handler = count};
    sigemptyset(&sa.sa_mask);
    sigaddset(&sa.sa_mask, SIGUSR2);
    OK(sigaction(SIGUSR1, &sa, NULL));
    masked_inside = 0;
    EQ(kill(getpid(), SIGUSR1), 0);
    EQ(masked_inside, (1UL << SIGUSR1) | (1UL << SIGUSR2)); /* itself and sa_mask */
    sigset_t now;
    OK(sigprocmask(SIG_BLOCK, NULL, &now));
    CHECK(!sigismember(&now, SIGUSR1) && !sigismember(&now, SIGUSR2)); /* restored */
    sa.sa_flags = SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    OK(sigaction(SIGUSR1, &sa, NULL));
    EQ(kill(getpid(), SIGUSR1), 0);
    EQ(masked_inside, 0);
    /* SA_RESETHAND: once, then the default */
    hits = 0;
    sa.sa_flags = SA_RESETHAND;
    OK(sigaction(SIGUSR1, &sa, NULL));
    EQ(kill(getpid(), SIGUSR1), 0);
    EQ(hits, 1);
    struct sigaction old;
    OK(sigaction(SIGUSR1, NULL, &old));
    CHECK(old.sa_handler == SIG_DFL);
}

static void across_exec(void)
{
    handle(SIGUSR1, count, 0);
    handle(SIGUSR2, SIG_IGN, 0);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGTERM);
    OK(sigprocmask(SIG_BLOCK, &s, NULL));
    pid_t c = t_fork();
    if (c == 0) {
        extern char **environ;
        char *av[] = {(char *)t_self, "--child", "sigs", NULL};
        SC(SYS_execve, t_self, av, environ);
        t_fail("execve: %s", t_errname(errno));
    }
    int st = t_wait(c);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0,
           "after execve the dispositions or mask differ: status %#x", st);
}

static void across_fork(void)
{
    hits = 0;
    handle(SIGUSR1, count, 0);
    sigset_t s;
    sigemptyset(&s);
    sigaddset(&s, SIGUSR2);
    OK(sigprocmask(SIG_BLOCK, &s, NULL));
    EQ(kill(getpid(), SIGUSR2), 0); /* pending in the parent only */
    pid_t c = t_fork();
    if (c == 0) {
        sigset_t m;
        sigprocmask(SIG_BLOCK, NULL, &m);
        CHECK(sigismember(&m, SIGUSR2));
        handle(SIGUSR2, SIG_DFL, 0);
        sigprocmask(SIG_UNBLOCK, &s, NULL); /* would kill it if the pending one came along */
        EQ(kill(getpid(), SIGUSR1), 0);
        EQ(hits, 1); /* the handler was inherited */
        _exit(0);
    }
    t_wait_exit(c, 0);
    handle(SIGUSR2, SIG_IGN, 0);
    OK(sigprocmask(SIG_UNBLOCK, &s, NULL));
}

static void process_group_kill(void)
{
    int p[2];
    OK(pipe2(p, 0));
    pid_t kids[2];
    for (int i = 0; i < 2; i++) {
        kids[i] = t_fork();
        if (kids[i] == 0) {
            char b;
            close(p[1]);
            read(p[0], &b, 1);
            _exit(1);
        }
        OK(SC(SYS_setpgid, kids[i], kids[0]));
    }
    close(p[0]);
    EQ(kill(-kids[0], SIGTERM), 0);
    t_wait_signal(kids[0], SIGTERM);
    t_wait_signal(kids[1], SIGTERM);
    ERR(ESRCH, kill(-kids[0], SIGTERM));
    close(p[1]);
}

T_AREA(signal, {100, "handler runs and returns", handler_returns},
       {101, "rt_sigaction errors and old action", sigaction_errors},
       {102, "rt_sigprocmask", procmask}, {103, "kill", kill_calls}, {104, "tgkill", tgkill_calls},
       {105, "default actions", default_actions}, {106, "SIGCHLD", sigchld},
       {107, "SIGCHLD ignored", sigchld_ignored}, {108, "SIGPIPE", sigpipe},
       {109, "SIGSEGV of a faulting process", sigsegv}, {110, "EINTR and SA_RESTART", eintr},
       {111, "mask in a handler", mask_in_handler}, {112, "signals across execve", across_exec},
       {113, "signals across fork", across_fork},
       {114, "kill a process group", process_group_kill});
