/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signals, time, futex and identity (signal.c, signal_frame.c, time.c, futex.c, misc.c):
 * the Linux x86_64 structures they read and write in user memory (facts of the ABI, sizes
 * checked below) and what these files share. docs/linux-signals.md says what they do.
 */
#ifndef LINUX_LX_SIG_H
#define LINUX_LX_SIG_H

#include "linux.h"

/* Signal numbers (x86_64) */
#define LX_SIGHUP   1
#define LX_SIGINT   2
#define LX_SIGQUIT  3
#define LX_SIGILL   4
#define LX_SIGTRAP  5
#define LX_SIGABRT  6
#define LX_SIGBUS   7
#define LX_SIGFPE   8
#define LX_SIGKILL  9
#define LX_SIGUSR1  10
#define LX_SIGSEGV  11
#define LX_SIGUSR2  12
#define LX_SIGPIPE  13
#define LX_SIGALRM  14
#define LX_SIGTERM  15
#define LX_SIGCHLD  17
#define LX_SIGCONT  18
#define LX_SIGSTOP  19
#define LX_SIGTSTP  20
#define LX_SIGTTIN  21
#define LX_SIGTTOU  22
#define LX_SIGURG   23
#define LX_SIGXCPU  24
#define LX_SIGXFSZ  25
#define LX_SIGWINCH 28
#define LX_SIGSYS   31

#define LX_SIGBIT(sig)     (1ull << ((sig)-1))
/* What no mask may hold and no handler may take */
#define LX_SIG_UNBLOCKABLE (LX_SIGBIT(LX_SIGKILL) | LX_SIGBIT(LX_SIGSTOP))

/* sa_handler values and sa_flags */
#define LX_SIG_DFL           0
#define LX_SIG_IGN           1
#define LX_SA_NOCLDSTOP      0x00000001u
#define LX_SA_NOCLDWAIT      0x00000002u
#define LX_SA_SIGINFO        0x00000004u
#define LX_SA_RESTORER       0x04000000u
#define LX_SA_ONSTACK        0x08000000u
#define LX_SA_RESTART        0x10000000u
#define LX_SA_NODEFER        0x40000000u
#define LX_SA_RESETHAND      0x80000000u
#define LX_SA_EXPOSE_TAGBITS 0x00000800u
#define LX_SA_KNOWN                                                                                \
    (LX_SA_NOCLDSTOP | LX_SA_NOCLDWAIT | LX_SA_SIGINFO | LX_SA_RESTORER | LX_SA_ONSTACK |          \
     LX_SA_RESTART | LX_SA_NODEFER | LX_SA_RESETHAND | LX_SA_EXPOSE_TAGBITS)

/* si_code values */
#define LX_SI_USER   0
#define LX_SI_KERNEL 0x80
#define LX_SI_TKILL  (-6)

/* sigaltstack */
#define LX_SS_ONSTACK    1
#define LX_SS_DISABLE    2
#define LX_SS_AUTODISARM (1u << 31)
#define LX_MINSIGSTKSZ   2048

/* rt_sigprocmask's how */
#define LX_SIG_BLOCK   0
#define LX_SIG_UNBLOCK 1
#define LX_SIG_SETMASK 2

/* struct kernel_sigaction, what rt_sigaction reads and writes on x86_64 */
struct lx_sigaction {
    uint64_t handler, flags, restorer, mask;
};

/* stack_t */
struct lx_stack {
    uint64_t sp;
    int32_t flags, pad;
    uint64_t size;
};

/* siginfo_t: the fields we fill; 128 bytes as Linux's */
struct lx_siginfo {
    int32_t signo, errnum, code, pad;
    union {
        struct {
            int32_t pid, uid; /* kill, tkill, SIGCHLD */
            int32_t status;   /* SIGCHLD */
            int32_t pad2;
            int64_t utime, stime; /* SIGCHLD */
        } kill;
        uint64_t addr; /* SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP */
        uint8_t bytes[112];
    } u;
};

_Static_assert(sizeof(struct lx_sigaction) == 32, "kernel_sigaction");
_Static_assert(sizeof(struct lx_stack) == 24, "stack_t");
_Static_assert(sizeof(struct lx_siginfo) == 128, "siginfo_t");

/* What a pending signal says about itself (siginfo) */
struct lx_sigsource {
    int code, pid, status;
    uint64_t addr;
};

/* The frame (arch/<arch>/signal_frame.c: its layout is the architecture's). Build one for sig
 * on t's stack and point t->regs at handler (0 or -LX_EFAULT: the stack cannot take it); read
 * one back at rt_sigreturn (0, or -LX_EFAULT / -LX_EINVAL: a frame that cannot be resumed). */
int lx_frame_push(struct lx_task *t, int sig, const struct lx_sigaction *act,
                  const struct lx_sigsource *src, uint64_t saved_mask);
int lx_frame_pop(struct lx_task *t);
/* The rest is generic (signal_stack.c): what a handler's siginfo says, the alternate stack */
void lx_siginfo_fill(struct lx_siginfo *si, int sig, const struct lx_sigsource *src);
bool lx_on_altstack(const struct lx_task *t, uint64_t sp);
int lx_altstack_flags(const struct lx_task *t, uint64_t sp);
/* Install ss (checked as sigaltstack does): 0 or -LX_EINVAL / -LX_ENOMEM / -LX_EPERM. */
int lx_altstack_set(struct lx_task *t, const struct lx_stack *ss);

/* Post sig to a process (time.c's SIGALRM) with what siginfo says. */
int lx_sig_post_proc(struct lx_proc *p, int sig, const struct lx_sigsource *src);

/* struct timespec / timeval (time.c, futex.c) */
struct lx_timespec {
    int64_t sec, nsec;
};
struct lx_timeval {
    int64_t sec, usec;
};
#define LX_NS 1000000000ll
/* A timespec from user memory, checked: 0, -LX_EFAULT or -LX_EINVAL. */
int lx_timespec_in(struct lx_task *t, uint64_t uaddr, struct lx_timespec *ts);
/* ns from a checked timespec, saturating (no overflow for huge seconds) */
uint64_t lx_timespec_ns(const struct lx_timespec *ts);
/* A monotonic deadline for a wall-clock time (ns since 1970); 1 when it has passed. */
uint64_t lx_deadline_from_wall(uint64_t wall_ns);
/* now + ns, saturating, never 0 (lx_sleep's "no deadline") */
uint64_t lx_deadline_after(uint64_t ns);

/* Per process (lx_proc.misc; allocated on the first change) */
#define LX_RLIM_NLIMITS  16
#define LX_RLIM_INFINITY (~0ull)
#define LX_RLIMIT_STACK  3
#define LX_RLIMIT_NPROC  6
#define LX_RLIMIT_NOFILE 7
#define LX_RLIMIT_AS     9
struct lx_rlimit {
    uint64_t cur, max;
};
struct lx_pmisc {
    struct lx_rlimit rlim[LX_RLIM_NLIMITS];
    uint64_t alarm_at;       /* ITIMER_REAL: monotonic ns it fires at, 0 when disarmed */
    uint64_t alarm_interval; /* ns; 0: once */
};
/* p->misc, made with the defaults first: NULL when out of memory */
struct lx_pmisc *lx_pmisc(struct lx_proc *p);

#endif
