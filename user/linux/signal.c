/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Signals: dispositions, sending, pending, delivery and the signal calls, with Linux x86_64
 * semantics (docs/linux-signals.md says what is and is not done).
 *
 * A signal is pending on a thread (t->sigpending: tkill, tgkill, faults) or on its process
 * (p->sigpending: kill, the terminal, SIGCHLD, SIGALRM), one bit per signal: a second
 * instance of a pending signal is merged with the first, real-time signals included. It is
 * delivered when its thread is about to go back to user code (lx_signal_deliver: at the end
 * of a call, or after lx_task_kick brings a running thread in).
 */
#include "lx_sig.h"

struct lx_sig {
    int refs;
    struct lx_sigaction act[LX_NSIG]; /* act[sig - 1] */
};

/* --- dispositions -------------------------------------------------------------------------- */

/* Signal numbers and pids are C ints: the register's upper half is not the caller's */
static bool valid_sig(int sig)
{
    return sig >= 1 && sig <= LX_NSIG;
}

struct lx_sig *lx_sig_new(void)
{
    struct lx_sig *s = lx_zalloc(sizeof(*s));

    if (s)
        s->refs = 1;
    return s;
}

struct lx_sig *lx_sig_dup(struct lx_sig *from)
{
    struct lx_sig *s = lx_alloc(sizeof(*s));

    if (s) {
        *s = *from;
        s->refs = 1;
    }
    return s;
}

void lx_sig_get(struct lx_sig *s)
{
    s->refs++;
}

void lx_sig_put(struct lx_sig *s)
{
    if (s && --s->refs == 0)
        lx_free(s);
}

/* execve: what was caught goes back to the default; what was ignored stays ignored */
void lx_sig_exec(struct lx_sig *s)
{
    for (int i = 0; i < LX_NSIG; i++) {
        uint64_t h = s->act[i].handler == LX_SIG_IGN ? LX_SIG_IGN : LX_SIG_DFL;
        s->act[i] = (struct lx_sigaction){.handler = h};
    }
}

void lx_sig_task_fork(struct lx_task *child, const struct lx_task *parent, bool thread)
{
    child->sigmask = parent->sigmask;
    child->sigpending = 0;
    child->altstack = thread ? (struct lx_altstack){0} : parent->altstack;
}

void lx_sig_task_exec(struct lx_task *t)
{
    t->altstack = (struct lx_altstack){0};
}

bool lx_sig_autoreap(struct lx_proc *parent)
{
    const struct lx_sigaction *a = &parent->sig->act[LX_SIGCHLD - 1];

    return a->handler == LX_SIG_IGN || (a->flags & LX_SA_NOCLDWAIT);
}

enum dfl { DFL_TERM, DFL_CORE, DFL_IGNORE, DFL_STOP };

static enum dfl default_action(int sig)
{
    switch (sig) {
    case LX_SIGQUIT:
    case LX_SIGILL:
    case LX_SIGTRAP:
    case LX_SIGABRT:
    case LX_SIGBUS:
    case LX_SIGFPE:
    case LX_SIGSEGV:
    case LX_SIGXCPU:
    case LX_SIGXFSZ:
    case LX_SIGSYS:
        return DFL_CORE;
    case LX_SIGCHLD:
    case LX_SIGCONT:
    case LX_SIGURG:
    case LX_SIGWINCH:
        return DFL_IGNORE;
    case LX_SIGSTOP:
    case LX_SIGTSTP:
    case LX_SIGTTIN:
    case LX_SIGTTOU:
        return DFL_STOP; /* no job control yet: ignored (docs/linux-signals.md) */
    default:
        return DFL_TERM;
    }
}

/* What sig does to p when it arrives: nothing at all (ignored, or a stop we do not do) */
static bool ignored(const struct lx_proc *p, int sig)
{
    uint64_t h = p->sig->act[sig - 1].handler;

    if (sig == LX_SIGKILL)
        return false;
    if (h == LX_SIG_IGN)
        return true;
    return h == LX_SIG_DFL &&
           (default_action(sig) == DFL_IGNORE || default_action(sig) == DFL_STOP);
}

/* --- what each pending signal says (its siginfo) ------------------------------------------- */

/*
 * Keyed by the pending set's owner (a task or a process) and the signal. A source is written
 * when its signal becomes pending and taken when it is delivered; when the table is full, a
 * signal goes without (siginfo then says SI_KERNEL). Entries of owners that are gone are
 * swept when room is needed.
 */
#define SOURCES 64
static struct source {
    const void *owner;
    int sig;
    struct lx_sigsource src;
} sources[SOURCES];

static bool owner_live(const void *owner)
{
    for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
        if (p == owner)
            return true;
        for (struct lx_task *t = p->threads; t; t = t->next) {
            if (t == owner)
                return true;
        }
    }
    return false;
}

static struct source *source_find(const void *owner, int sig)
{
    for (int i = 0; i < SOURCES; i++) {
        if (sources[i].owner == owner && sources[i].sig == sig)
            return &sources[i];
    }
    return NULL;
}

static void source_put(const void *owner, int sig, const struct lx_sigsource *src)
{
    struct source *s = source_find(owner, sig);

    if (!s)
        s = source_find(NULL, 0);
    if (!s) {
        for (int i = 0; i < SOURCES; i++) {
            if (!owner_live(sources[i].owner))
                sources[i] = (struct source){0};
        }
        s = source_find(NULL, 0);
    }
    if (s)
        *s = (struct source){owner, sig, *src};
}

static struct lx_sigsource source_take(const void *owner, int sig)
{
    struct source *s = source_find(owner, sig);
    struct lx_sigsource src = {.code = LX_SI_KERNEL};

    if (s) {
        src = s->src;
        *s = (struct source){0};
    }
    return src;
}

/* --- sending ------------------------------------------------------------------------------- */

/* Make t see what was just posted: wake it if it sleeps in a call, bring it in if it runs */
static void notify(struct lx_task *t)
{
    if (t->sleeping)
        lx_wake_task(t);
    else
        lx_task_kick(t);
}

/* A process signal: one thread that does not block it is told (all of them for SIGKILL) */
static void notify_proc(struct lx_proc *p, int sig)
{
    for (struct lx_task *t = p->threads; t; t = t->next) {
        if (!(t->sigmask & LX_SIGBIT(sig))) {
            notify(t);
            if (sig != LX_SIGKILL)
                return;
        }
    }
}

static bool all_block(const struct lx_proc *p, int sig)
{
    for (const struct lx_task *t = p->threads; t; t = t->next) {
        if (!(t->sigmask & LX_SIGBIT(sig)))
            return false;
    }
    return p->threads != NULL;
}

int lx_sig_post_proc(struct lx_proc *p, int sig, const struct lx_sigsource *src)
{
    if (!p || p->state == LX_PROC_DEAD)
        return -LX_ESRCH;
    if (sig < 0 || sig > LX_NSIG)
        return -LX_EINVAL;
    /* a zombie takes a signal as Linux's do: nothing happens */
    if (sig == 0 || p->state != LX_PROC_LIVE)
        return 0;
    /* an ignored signal is dropped at once, unless blocked: it may be handled by then */
    if (ignored(p, sig) && !all_block(p, sig))
        return 0;
    if (!(p->sigpending & LX_SIGBIT(sig)))
        source_put(p, sig, src);
    p->sigpending |= LX_SIGBIT(sig);
    notify_proc(p, sig);
    return 0;
}

static int post_task(struct lx_task *t, int sig, const struct lx_sigsource *src)
{
    struct lx_proc *p = t->proc;

    if (sig == 0 || p->state != LX_PROC_LIVE)
        return 0;
    if (sig == LX_SIGKILL) /* kills the whole process, whichever thread it names */
        return lx_sig_post_proc(p, sig, src);
    if (ignored(p, sig) && !(t->sigmask & LX_SIGBIT(sig)))
        return 0;
    if (!(t->sigpending & LX_SIGBIT(sig)))
        source_put(t, sig, src);
    t->sigpending |= LX_SIGBIT(sig);
    if (!(t->sigmask & LX_SIGBIT(sig)))
        notify(t);
    return 0;
}

int lx_kill_proc(struct lx_proc *p, int sig)
{
    const struct lx_sigsource src = {.code = LX_SI_KERNEL};

    return lx_sig_post_proc(p, sig, &src);
}

int lx_kill_child(struct lx_proc *parent, int code, int pid, int status)
{
    const struct lx_sigsource src = {.code = code, .pid = pid, .status = status};

    return lx_sig_post_proc(parent, LX_SIGCHLD, &src);
}

static int kill_pgrp(int pgid, int sig, const struct lx_sigsource *src)
{
    bool found = false;

    for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
        if (p->pgid == pgid && p->state != LX_PROC_DEAD) {
            found = true;
            lx_sig_post_proc(p, sig, src);
        }
    }
    return found ? 0 : -LX_ESRCH;
}

int lx_kill_pgrp(int pgid, int sig)
{
    const struct lx_sigsource src = {.code = LX_SI_KERNEL};

    if (sig < 0 || sig > LX_NSIG)
        return -LX_EINVAL;
    return kill_pgrp(pgid, sig, &src);
}

/* --- pending and delivery ------------------------------------------------------------------ */

/* The faults' signals: taken before any other, as the instruction cannot go on without */
#define SYNCHRONOUS                                                                                \
    (LX_SIGBIT(LX_SIGSEGV) | LX_SIGBIT(LX_SIGBUS) | LX_SIGBIT(LX_SIGILL) | LX_SIGBIT(LX_SIGTRAP) | \
     LX_SIGBIT(LX_SIGFPE) | LX_SIGBIT(LX_SIGSYS))

static uint64_t deliverable(const struct lx_task *t)
{
    uint64_t all = t->sigpending | t->proc->sigpending;

    return (all & ~t->sigmask) | (all & LX_SIGBIT(LX_SIGKILL));
}

bool lx_signal_pending(struct lx_task *t)
{
    return deliverable(t) != 0;
}

static int lowest(uint64_t set)
{
    return __builtin_ctzll(set) + 1;
}

/* Take the next signal t is to act on (0: none) and what its siginfo says */
static int dequeue(struct lx_task *t, uint64_t ready, struct lx_sigsource *src)
{
    const void *owner = t;
    uint64_t mine = t->sigpending & ready;
    int sig;

    if (ready & LX_SIGBIT(LX_SIGKILL))
        sig = LX_SIGKILL;
    else if (mine & SYNCHRONOUS)
        sig = lowest(mine & SYNCHRONOUS);
    else if (mine)
        sig = lowest(mine);
    else
        sig = lowest(ready);
    if (!(t->sigpending & LX_SIGBIT(sig)))
        owner = t->proc;
    if (owner == t)
        t->sigpending &= ~LX_SIGBIT(sig);
    else
        t->proc->sigpending &= ~LX_SIGBIT(sig);
    *src = source_take(owner, sig);
    return sig;
}

enum outcome { NONE, IGNORED, HANDLED, KILLED };

/* The calls Linux never restarts after a handler, SA_RESTART or not (signal(7)); some are
 * not in every architecture's table (the asm-generic one has no pause, poll, select or
 * epoll_wait) */
static bool restartable(const struct lx_task *t)
{
    switch (t->nr) {
#ifdef LX_NR_pause
    case LX_NR_pause:
    case LX_NR_poll:
    case LX_NR_select:
    case LX_NR_epoll_wait:
#endif
    case LX_NR_rt_sigsuspend:
    case LX_NR_rt_sigtimedwait:
    case LX_NR_nanosleep:
    case LX_NR_clock_nanosleep:
    case LX_NR_ppoll:
    case LX_NR_pselect6:
    case LX_NR_epoll_pwait:
    case LX_NR_io_getevents:
    case LX_NR_semop:
    case LX_NR_semtimedop:
    case LX_NR_msgrcv:
    case LX_NR_msgsnd:
        return false;
    case LX_NR_futex: { /* a wait with a timeout: EINTR; without one: restarted */
        uint64_t a[6];
        lx_call_args(&t->regs, a);
        return a[3] == 0;
    }
    default:
        return true;
    }
}

/* Make t's call happen again when it resumes */
static void restart_call(struct lx_task *t)
{
    lx_call_restart(&t->regs, t->nr, t->arg0);
}

/* Linux sets the wait status's core flag (0x80) only when it wrote a core file; we never
 * write one (as Linux with RLIMIT_CORE 0, Debian's default), so a "core" action is a plain
 * end by the signal: the shell says "Segmentation fault", not "(core dumped)". */
static void die(struct lx_task *t, int sig)
{
    lx_proc_exit(t->proc, sig);
}

/*
 * Act on one signal t does not block. interrupted: t->regs.rax is the -EINTR of a call a
 * signal cut short, to be restarted if the handler asks for it. frame_mask: the mask the
 * handler's return restores.
 */
static enum outcome deliver_one(struct lx_task *t, bool interrupted, uint64_t frame_mask)
{
    uint64_t ready = deliverable(t);
    struct lx_sigsource src;

    if (!ready)
        return NONE;
    int sig = dequeue(t, ready, &src);
    struct lx_sigaction *act = &t->proc->sig->act[sig - 1];
    if (sig == LX_SIGKILL || act->handler == LX_SIG_DFL) {
        if (sig != LX_SIGKILL &&
            (default_action(sig) == DFL_IGNORE || default_action(sig) == DFL_STOP))
            return IGNORED;
        die(t, sig);
        return KILLED;
    }
    if (act->handler == LX_SIG_IGN)
        return IGNORED;
    if (interrupted && (act->flags & LX_SA_RESTART) && restartable(t))
        restart_call(t);
    struct lx_sigaction a = *act;
    if (lx_frame_push(t, sig, &a, &src, frame_mask)) {
        /* nowhere to put the frame: the process dies of SIGSEGV, as on Linux */
        die(t, LX_SIGSEGV);
        return KILLED;
    }
    t->nr = -1; /* the registers are the handler's now, no call's */
    t->sigmask |= a.mask | (a.flags & LX_SA_NODEFER ? 0 : LX_SIGBIT(sig));
    t->sigmask &= ~LX_SIG_UNBLOCKABLE;
    if (a.flags & LX_SA_RESETHAND)
        *act = (struct lx_sigaction){.handler = LX_SIG_DFL};
    return HANDLED;
}

/* Deliver all t may take now; false: the process was ended */
static bool deliver_all(struct lx_task *t, bool interrupted)
{
    bool handled = false;

    /* each round takes one pending bit and nothing new is posted meanwhile (we hold the
     * lock): at most LX_NSIG * 2 rounds (the thread's and the process's) */
    for (int round = 0; round < 2 * LX_NSIG; round++) {
        switch (deliver_one(t, interrupted && !handled, t->sigmask)) {
        case NONE:
            /* no handler ran: a call a signal cut short goes on as if none had come (what
             * Linux does for its -ERESTART* results, sleeping calls' being among them) */
            if (interrupted && !handled)
                restart_call(t);
            return true;
        case KILLED:
            return false;
        case HANDLED:
            handled = true;
            break;
        case IGNORED:
            break;
        }
    }
    return true;
}

bool lx_signal_deliver(struct lx_task *t)
{
    bool interrupted = t->in_call && t->nr >= 0 && (long)lx_call_result(&t->regs) == -LX_EINTR;

    if (t->proc->state != LX_PROC_LIVE)
        return false;
    return deliver_all(t, interrupted);
}

void lx_signal_fault(struct lx_task *t, int sig, int code, uint64_t addr)
{
    const struct lx_sigsource src = {.code = code, .addr = addr};

    if (!valid_sig(sig) || t->proc->state != LX_PROC_LIVE)
        return;
    struct lx_sigaction *act = &t->proc->sig->act[sig - 1];
    /* blocked or ignored, it cannot be taken: then it kills, as on Linux */
    if ((t->sigmask & LX_SIGBIT(sig)) || act->handler == LX_SIG_IGN) {
        act->handler = LX_SIG_DFL;
        t->sigmask &= ~LX_SIGBIT(sig);
    }
    source_put(t, sig, &src);
    t->sigpending |= LX_SIGBIT(sig);
    t->nr = -1;
    deliver_all(t, false);
}

/* --- the calls ----------------------------------------------------------------------------- */

#define SIGSET_SIZE 8

/* Setting a signal to be ignored drops its pending instances (POSIX) */
static void drop_pending(struct lx_sig *s, int sig)
{
    for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
        if (p->sig != s)
            continue;
        p->sigpending &= ~LX_SIGBIT(sig);
        for (struct lx_task *t = p->threads; t; t = t->next)
            t->sigpending &= ~LX_SIGBIT(sig);
    }
}

long sys_rt_sigaction(struct lx_task *t, const uint64_t a[6])
{
    int sig = (int)a[0];
    struct lx_sigaction new, old;

    if (a[3] != SIGSET_SIZE || !valid_sig(sig))
        return -LX_EINVAL;
    if (a[1] && (sig == LX_SIGKILL || sig == LX_SIGSTOP))
        return -LX_EINVAL;
    if (a[1] && lx_copy_in(t, &new, a[1], sizeof(new)))
        return -LX_EFAULT;
    struct lx_sigaction *act = &t->proc->sig->act[sig - 1];
    old = *act;
    if (a[1]) {
        new.flags &= LX_SA_KNOWN;
        new.mask &= ~LX_SIG_UNBLOCKABLE;
        *act = new;
        if (ignored(t->proc, sig))
            drop_pending(t->proc->sig, sig);
    }
    if (a[2] && lx_copy_out(t, a[2], &old, sizeof(old)))
        return -LX_EFAULT;
    return 0;
}

/* t no longer takes some signals pending on its process: another thread may */
static void retarget(struct lx_task *t, uint64_t newly_blocked)
{
    uint64_t moved = t->proc->sigpending & newly_blocked;

    while (moved) {
        int sig = lowest(moved);
        moved &= ~LX_SIGBIT(sig);
        notify_proc(t->proc, sig);
    }
}

long sys_rt_sigprocmask(struct lx_task *t, const uint64_t a[6])
{
    uint64_t old = t->sigmask, set;

    if (a[3] != SIGSET_SIZE)
        return -LX_EINVAL;
    if (a[1]) {
        if (lx_copy_in(t, &set, a[1], sizeof(set)))
            return -LX_EFAULT;
        set &= ~LX_SIG_UNBLOCKABLE;
        switch ((int)a[0]) {
        case LX_SIG_BLOCK:
            t->sigmask |= set;
            break;
        case LX_SIG_UNBLOCK:
            t->sigmask &= ~set;
            break;
        case LX_SIG_SETMASK:
            t->sigmask = set;
            break;
        default:
            return -LX_EINVAL;
        }
        retarget(t, t->sigmask & ~old);
    }
    if (a[2] && lx_copy_out(t, a[2], &old, sizeof(old)))
        return -LX_EFAULT;
    return 0;
}

long sys_rt_sigpending(struct lx_task *t, const uint64_t a[6])
{
    uint64_t set = (t->sigpending | t->proc->sigpending) & t->sigmask;

    if (a[1] > SIGSET_SIZE) /* a shorter set is Linux's to allow */
        return -LX_EINVAL;
    return lx_copy_out(t, a[0], &set, a[1]) ? -LX_EFAULT : 0;
}

/* A private queue to sleep on: nothing but a signal (or a deadline) wakes it */
static int sleep_for_signal(struct lx_task *t, uint64_t deadline)
{
    struct lx_waitq q = {.cond = L4_COND_INIT};

    return lx_sleep(t, &q, deadline);
}

long sys_rt_sigsuspend(struct lx_task *t, const uint64_t a[6])
{
    uint64_t old = t->sigmask, mask;

    if (a[1] != SIGSET_SIZE)
        return -LX_EINVAL;
    if (lx_copy_in(t, &mask, a[0], sizeof(mask)))
        return -LX_EFAULT;
    t->sigmask = mask & ~LX_SIG_UNBLOCKABLE;
    retarget(t, t->sigmask & ~old);
    for (;;) {
        int r = sleep_for_signal(t, 0);
        if (r != -LX_EINTR)
            continue;
        /* the handler runs with this call's mask and its return restores the old one:
         * deliver here, where both are known, with the call's result in the frame */
        lx_call_set_result(&t->regs, (uint64_t)-LX_EINTR);
        switch (deliver_one(t, false, old)) {
        case HANDLED:
            return LX_REGS_SET;
        case KILLED:
            return LX_NO_REPLY;
        case IGNORED:
            continue;
        case NONE: /* woken for another reason (the thread is ending): restarted if not */
            t->sigmask = old;
            return -LX_EINTR;
        }
    }
}

long lx_sig_end_masked_call(struct lx_task *t, long result, uint64_t saved)
{
    if (result == -LX_EINTR) {
        /* as rt_sigsuspend: the handler runs under the call's mask, its return restores */
        lx_call_set_result(&t->regs, (uint64_t)-LX_EINTR);
        switch (deliver_one(t, false, saved)) {
        case HANDLED:
            return LX_REGS_SET;
        case KILLED:
            return LX_NO_REPLY;
        default:
            break;
        }
    }
    t->sigmask = saved;
    return result;
}

long sys_pause(struct lx_task *t, const uint64_t a[6])
{
    (void)a;
    while (sleep_for_signal(t, 0) != -LX_EINTR)
        ;
    return -LX_EINTR;
}

long sys_rt_sigtimedwait(struct lx_task *t, const uint64_t a[6])
{
    uint64_t want, deadline = 0, saved = t->sigmask;
    struct lx_timespec ts;
    struct lx_siginfo si;
    struct lx_sigsource src;

    if (a[3] != SIGSET_SIZE)
        return -LX_EINVAL;
    if (lx_copy_in(t, &want, a[0], sizeof(want)))
        return -LX_EFAULT;
    want &= ~LX_SIG_UNBLOCKABLE;
    if (a[2]) {
        int err = lx_timespec_in(t, a[2], &ts);
        if (err)
            return err;
        deadline = lx_deadline_after(lx_timespec_ns(&ts));
    }
    /* the signals waited for may wake us, blocked or not */
    t->sigmask &= ~want;
    int sig = 0;
    for (;;) {
        uint64_t ready = (t->sigpending | t->proc->sigpending) & want;
        if (ready) {
            sig = dequeue(t, ready, &src);
            break;
        }
        int r = sleep_for_signal(t, deadline);
        if (r == -LX_ETIMEDOUT || r == -LX_EINTR) {
            if ((t->sigpending | t->proc->sigpending) & want)
                continue;
            t->sigmask = saved;
            return r == -LX_EINTR ? -LX_EINTR : -LX_EAGAIN;
        }
    }
    t->sigmask = saved;
    if (a[1]) {
        si = (struct lx_siginfo){.signo = sig, .code = src.code};
        si.u.kill.pid = src.pid;
        si.u.kill.status = src.status;
        if (lx_copy_out(t, a[1], &si, sizeof(si)))
            return -LX_EFAULT;
    }
    return sig;
}

long sys_rt_sigreturn(struct lx_task *t, const uint64_t a[6])
{
    (void)a;
    t->nr = -1; /* the registers are the interrupted code's: no call of ours to restart */
    if (lx_frame_pop(t)) {
        /* a frame that cannot be resumed: SIGSEGV where the handler returned */
        lx_signal_fault(t, LX_SIGSEGV, LX_SI_KERNEL, 0);
        return t->proc->state == LX_PROC_LIVE ? LX_REGS_SET : LX_NO_REPLY;
    }
    return LX_REGS_SET;
}

long sys_sigaltstack(struct lx_task *t, const uint64_t a[6])
{
    struct lx_stack ss, old = {
                            .sp = t->altstack.sp,
                            .size = t->altstack.size,
                            .flags = lx_altstack_flags(t, L4_REGS_SP(&t->regs)),
                        };

    if (a[0]) {
        if (lx_copy_in(t, &ss, a[0], sizeof(ss)))
            return -LX_EFAULT;
        int err = lx_altstack_set(t, &ss);
        if (err)
            return err;
    }
    if (a[1] && lx_copy_out(t, a[1], &old, sizeof(old)))
        return -LX_EFAULT;
    return 0;
}

long sys_kill(struct lx_task *t, const uint64_t a[6])
{
    int pid = (int)a[0];
    const struct lx_sigsource src = {.code = LX_SI_USER, .pid = t->proc->pid};

    int sig = (int)a[1];
    if (sig < 0 || sig > LX_NSIG)
        return -LX_EINVAL;
    if (pid > 0)
        return lx_sig_post_proc(lx_proc_find(pid), sig, &src);
    if (pid == 0)
        return kill_pgrp(t->proc->pgid, sig, &src);
    if (pid == -1) { /* everyone but init and the caller */
        bool found = false;
        for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
            if (p->pid > 1 && p != t->proc && p->state == LX_PROC_LIVE) {
                found = true;
                lx_sig_post_proc(p, sig, &src);
            }
        }
        return found ? 0 : -LX_ESRCH;
    }
    if (pid == INT32_MIN) /* -pid would overflow; Linux says ESRCH too */
        return -LX_ESRCH;
    return kill_pgrp(-pid, sig, &src);
}

static struct lx_task *task_find(int tid)
{
    for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
        for (struct lx_task *t = p->threads; t; t = t->next) {
            if (t->tid == tid)
                return t;
        }
    }
    return NULL;
}

static long thread_kill(struct lx_task *t, int tgid, int tid, int sig)
{
    const struct lx_sigsource src = {.code = LX_SI_TKILL, .pid = t->proc->pid};

    if (tid <= 0 || sig < 0 || sig > LX_NSIG)
        return -LX_EINVAL;
    struct lx_task *to = task_find(tid);
    if (!to || (tgid > 0 && to->proc->pid != tgid))
        return -LX_ESRCH;
    return post_task(to, sig, &src);
}

long sys_tkill(struct lx_task *t, const uint64_t a[6])
{
    return thread_kill(t, 0, (int)a[0], (int)a[1]);
}

long sys_tgkill(struct lx_task *t, const uint64_t a[6])
{
    if ((int)a[0] <= 0)
        return -LX_EINVAL;
    return thread_kill(t, (int)a[0], (int)a[1], (int)a[2]);
}
