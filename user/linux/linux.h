/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The Linux personality server: what its parts share. docs/linux.md says what it does.
 *
 * Concurrency: the server runs a few worker threads that take Linux system calls and faults
 * off one endpoint. All server state is guarded by one lock (lx_lock), held by a worker from
 * the moment it receives a message until it replies; a worker that must wait (a pipe read,
 * wait4, a sleep) sleeps on a wait queue (lx_sleep), which drops the lock meanwhile. There
 * are always more workers than Linux threads, so every Linux thread can wait in a call at
 * once and a worker is still free to serve the one that will wake them.
 */
#ifndef LINUX_LINUX_H
#define LINUX_LINUX_H

#include "l4.h"
#include "lx_arch.h"
#include "lx_errno.h"
#include "lx_nr.h"
#include "sync.h"

#include <coffer/regs.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct lx_proc;
struct lx_task;
struct lx_files; /* a file descriptor table (fs_fd.c) */
struct lx_fsctx; /* cwd, umask (fs_vfs.c) */
struct lx_sig;   /* signal dispositions, shared by CLONE_SIGHAND (signal.c) */
struct lx_mm;    /* an address space (mem.c) */

/* The one lock (main.c). Every lx_* function below expects it held unless it says otherwise. */
extern struct l4_mutex lx_lock;

/* A wait queue: sleepers are woken all at once and re-check what they wait for. */
struct lx_waitq {
    struct l4_cond cond;
};

/*
 * Sleep on q until lx_wake(q), a signal for t, or (deadline != 0) the monotonic clock
 * reaching deadline (ns). Drops lx_lock while asleep. Returns 0 when woken (which may be
 * spurious: re-check the condition and sleep again), -LX_EINTR when a signal is pending
 * for t (the call should give up and return -LX_EINTR), -LX_ETIMEDOUT at the deadline.
 */
int lx_sleep(struct lx_task *t, struct lx_waitq *q, uint64_t deadline);
void lx_wake(struct lx_waitq *q);
/* The same, without signals or a deadline (a vfork parent): only t's end cuts it short. */
void lx_sleep_nosig(struct lx_task *t, struct lx_waitq *q);
/* Wake whatever t sleeps on (its end, a signal for it). */
void lx_wake_task(struct lx_task *t);
/* The monotonic clock in ns (the timer service's); the wall clock in ns since 1970. */
uint64_t lx_now(void);
uint64_t lx_wall(void);

/*
 * A Linux process's memory seen from the server. Each returns 0 or -LX_EFAULT: an address
 * range that is not the process's user memory with the access asked (a read of an unmapped
 * page, a write to a read-only one), never a server fault. Pages not yet touched are
 * brought in as the process's own access would (demand-zero, file-backed, copy-on-write).
 */
int lx_copy_in(struct lx_task *t, void *dst, uint64_t src, size_t len);
int lx_copy_out(struct lx_task *t, uint64_t dst, const void *src, size_t len);
/* Would lx_copy_out of len bytes to dst succeed? (A stream is read only into memory that can
 * take it: bytes taken from a pipe and then not delivered would be lost.) 0 or -LX_EFAULT. */
int lx_check_writable(struct lx_task *t, uint64_t dst, size_t len);
/* A NUL-terminated string of at most size - 1 bytes into dst: its length, -LX_EFAULT, or
 * -LX_ENAMETOOLONG when no NUL comes within size bytes. */
long lx_strcpy_in(struct lx_task *t, char *dst, uint64_t src, size_t size);

/* The server's heap (heap.c; frames of its region). NULL when out of memory: callers answer
 * -LX_ENOMEM. lx_zalloc zeroes. */
void *lx_alloc(size_t size);
void *lx_zalloc(size_t size);
void lx_free(void *p);

/* Signals (signal.c). */
#define LX_NSIG 64
/* Send sig to a process / every process of a process group; 0 or -LX_ESRCH. */
int lx_kill_proc(struct lx_proc *p, int sig);
int lx_kill_pgrp(int pgid, int sig);
/* True when t has a signal pending that it does not block: a sleeping call gives up. */
bool lx_signal_pending(struct lx_task *t);

/* A Linux process. */
struct lx_proc {
    int pid, ppid, pgid, sid;
    char comm[16];          /* the program's name, as Linux's comm: for logs */
    struct lx_files *files; /* its file descriptors (shared by its threads) */
    struct lx_fsctx *fs;    /* its cwd and umask */
    struct lx_mm *mm;       /* its address space (mem.c) */
    struct lx_sig *sig;     /* its signal dispositions (signal.c) */
    uint64_t sigpending; /* signals sent to the process: any thread not blocking them takes them */
    struct lx_proc *parent;  /* NULL for the first process */
    struct lx_task *threads; /* its threads, through lx_task.next */
    int nthreads;
    int state;                  /* LX_PROC_* */
    int exit_status;            /* as wait4 reports it, once a zombie */
    struct lx_waitq child_wait; /* a child changed state (wait4) */
    struct lx_proc *next;       /* all processes (proc.c) */
    uint64_t utime_ns;
    int exit_signal; /* sent to the parent when it ends (clone's low byte) */
    bool vfork_done; /* CLONE_VFORK: the parent may go on (exec or exit) */
    bool did_exec;   /* it has called execve: its parent may not setpgid it any more */
    struct lx_waitq vfork_wait;
    char exe[256];     /* the path it was executed from (/proc/self/exe) */
    char cmdline[256]; /* its argv, each NUL-terminated, cut to fit (/proc/pid/cmdline) */
    int cmdline_len;
    struct lx_pmisc *misc; /* rlimits, interval timer (misc.c, time.c); NULL: the defaults */
};
enum { LX_PROC_LIVE, LX_PROC_ZOMBIE, LX_PROC_DEAD };

/* A thread's alternate signal stack (sigaltstack; signal.c) */
struct lx_altstack {
    uint64_t sp, size;
    int flags;
};

/* A Linux thread: one Coffer thread in its process's space. */
struct lx_task {
    int tid;
    struct lx_proc *proc;
    struct lx_task *next;        /* in proc->threads */
    l4_cap_t cap;                /* its Coffer thread capability, in the server's table */
    struct l4_regs regs;         /* during a call: as it entered; the reply resumes these */
    uint64_t clear_child_tid;    /* set_tid_address / CLONE_CHILD_CLEARTID */
    uint64_t sigmask;            /* blocked signals (bit n - 1 for signal n) */
    uint64_t sigpending;         /* signals sent to this thread only */
    bool sleeping;               /* in lx_sleep: a signal or its end wakes it (lx_wake_task) */
    bool in_call;                /* a worker holds its call */
    bool dying;                  /* its thread is gone; freed when no worker holds it */
    bool kick;                   /* lx_task_kick asked for it: lx_kick_run does it */
    int index;                   /* the task table's index: its badge's low byte - 1 */
    l4_cap_t ep;                 /* the badged send capability its thread calls us with */
    long nr;                     /* the call being served (for restarts) */
    uint64_t arg0;               /* its first argument as it came (a restart on AArch64: x0) */
    struct lx_altstack altstack; /* sigaltstack (signal.c) */
    uint64_t robust_list;        /* set_robust_list's head (misc.c) */
};

/*
 * A system call handler: a[0..5] are its arguments (lx_arch.h: rdi, rsi, rdx, r10, r8, r9 on
 * x86_64, x0..x5 on AArch64). It returns the value for the result register (rax, x0): a
 * result, or -LX_E*. It may change t->regs (execve, rt_sigreturn); then it returns
 * LX_REGS_SET and the registers go back as they are. LX_NO_REPLY: the thread must not be
 * resumed (it was ended).
 */
typedef long (*lx_syscall_fn)(struct lx_task *t, const uint64_t a[6]);
#define LX_REGS_SET (-4096L - 1)
#define LX_NO_REPLY (-4096L - 2)
extern const lx_syscall_fn lx_syscalls[LX_NR_MAX];
#include "syscall_list.h"
#define LX_DECLARE_CALL(name) long sys_##name(struct lx_task *t, const uint64_t a[6]);
LX_ALL_CALLS(LX_DECLARE_CALL)
extern const char *const lx_syscall_names[LX_NR_MAX];

/* The top of a process's address space: what it may map (Linux's TASK_SIZE_MAX: the last page
 * below 2^47 stays unmapped) and what a register (rip, rsp, a TLS base) may hold at most. */
#define LX_TASK_SIZE     0x7ffffffff000ull
#define LX_CANONICAL_TOP 0x800000000000ull

/* Copy the string src into dst of size bytes, cut to fit, always NUL-terminated. */
static inline void lx_strlcpy(char *dst, const char *src, size_t size)
{
    size_t n = 0;

    while (n + 1 < size && src[n]) {
        dst[n] = src[n];
        n++;
    }
    if (size)
        dst[n] = 0;
}

/* Processes (proc.c). */
struct lx_proc *lx_proc_find(int pid); /* a live or zombie process by pid, or NULL */
struct lx_proc *lx_proc_first(void);   /* every process: first, then p->next */
/* End every thread of p and make it a zombie with this wait status (as wait4 reports it:
 * exited (code << 8), or killed by signal sig (sig)): its parent gets SIGCHLD. */
void lx_proc_exit(struct lx_proc *p, int status);
/*
 * Make t, running user code (not in a call), come to the server at once as if it had made
 * a call, so that a signal just posted to it is delivered: the core suspends it, reads its
 * registers, runs lx_signal_deliver on them and resumes it. Nothing happens when t is in a
 * call (the call's end delivers) or when it is about to enter one.
 */
void lx_task_kick(struct lx_task *t);
/* Kicks are done at a safe point, not inside the caller's walk over threads or processes (a
 * kick may end a process): each server thread runs this before it lets go of lx_lock after
 * something that may have posted a signal (a call, a fault, terminal input, a timer). */
void lx_kick_run(void);

/* The calling server thread's UTCB (each worker has its own). */
struct l4_utcb *lx_utcb(void);

/* Signals: what the core calls (signal.c). */
struct lx_sig *lx_sig_new(void);            /* default dispositions, nothing pending */
struct lx_sig *lx_sig_dup(struct lx_sig *); /* fork: a copy of the dispositions */
void lx_sig_get(struct lx_sig *);           /* CLONE_SIGHAND: shared */
void lx_sig_put(struct lx_sig *);
void lx_sig_exec(struct lx_sig *); /* execve: handled signals go back to default */
/*
 * Before t is resumed (from a call, a fault or a kick; t->regs as they will be resumed):
 * deliver pending signals t does not block. Default actions run here (terminate: the process
 * exits, and this returns false: t must not be resumed; ignore); a handler gets a signal
 * frame on t's stack and t->regs are changed to run it. True: resume t with t->regs.
 */
bool lx_signal_deliver(struct lx_task *t);
/* A fault t cannot go on from (SIGSEGV, SIGBUS, SIGILL, SIGFPE): delivered now even if
 * blocked or ignored (then the default action: the process dies of it), addr for siginfo. */
void lx_signal_fault(struct lx_task *t, int sig, int code, uint64_t addr);
/* The end of a call that ran under a mask of its own (ppoll, pselect6; saved: the mask to go
 * back to): a call a signal interrupted has the handler run under the call's mask, and the
 * handler's return restores saved (as rt_sigsuspend does); else the mask is restored now.
 * Returns what the call returns (result, LX_REGS_SET or LX_NO_REPLY). */
long lx_sig_end_masked_call(struct lx_task *t, long result, uint64_t saved);

/* SIGCHLD of a child that ended (proc.c): si_code CLD_EXITED (1), CLD_KILLED (2) or
 * CLD_DUMPED (3), its pid and wait status; 0 or -LX_ESRCH like lx_kill_proc. */
int lx_kill_child(struct lx_proc *parent, int code, int pid, int status);
/* The parent ignores SIGCHLD (SIG_IGN or SA_NOCLDWAIT): its children are reaped at once. */
bool lx_sig_autoreap(struct lx_proc *parent);
/* A new task's mask and alternate stack: fork keeps both; a thread (same mm, not vfork) gets
 * no alternate stack, as on Linux. execve: the alternate stack goes (lx_sig_task_exec). */
void lx_sig_task_fork(struct lx_task *child, const struct lx_task *parent, bool thread);
void lx_sig_task_exec(struct lx_task *t);

/* futex (futex.c): wake n waiters on (mm, uaddr): CLONE_CHILD_CLEARTID at a thread's end. */
void lx_futex_wake_addr(struct lx_mm *mm, uint64_t uaddr, int n);

/* Per-process limits and the ITIMER_REAL timer (misc.c, time.c; lx_proc.misc). fork: the
 * child gets the parent's limits and no timer (0 or -LX_ENOMEM); the last reference: free. */
int lx_pmisc_fork(struct lx_proc *child, const struct lx_proc *parent);
void lx_pmisc_free(struct lx_proc *p);
uint64_t lx_rlimit_cur(const struct lx_proc *p, int resource); /* RLIMIT_NOFILE, ... */
/*
 * Timers: the core's clock thread calls lx_itimer_run(now) each time it wakes; it sends the
 * SIGALRMs due and returns the next deadline (0: none), which the clock must wake for.
 * lx_clock_kick (main.c) wakes the clock thread when a timer is set.
 */
uint64_t lx_itimer_run(uint64_t now);
void lx_clock_kick(void);

#endif
