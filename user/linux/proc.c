/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Linux processes and threads: creation (the first process, clone, fork, vfork), the end of
 * threads and processes, waiting for children, and the ids. Each Linux thread is a Coffer
 * thread in its process's space that runs in L4_FOREIGN_ALL mode with our endpoint (through a
 * send capability badged with its index) as its fault endpoint: it can make no Coffer call,
 * and every call and fault it makes comes to us.
 */
#include "fs.h"
#include "mm.h"
#include "tty.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>
#include <coffer/tls.h>

#define LX_CLONE_VM             0x00000100
#define LX_CLONE_FS             0x00000200
#define LX_CLONE_FILES          0x00000400
#define LX_CLONE_SIGHAND        0x00000800
#define LX_CLONE_PIDFD          0x00001000
#define LX_CLONE_PTRACE         0x00002000
#define LX_CLONE_VFORK          0x00004000
#define LX_CLONE_PARENT         0x00008000
#define LX_CLONE_THREAD         0x00010000
#define LX_CLONE_NEWNS          0x00020000
#define LX_CLONE_SYSVSEM        0x00040000
#define LX_CLONE_SETTLS         0x00080000
#define LX_CLONE_PARENT_SETTID  0x00100000
#define LX_CLONE_CHILD_CLEARTID 0x00200000
#define LX_CLONE_DETACHED       0x00400000
#define LX_CLONE_UNTRACED       0x00800000
#define LX_CLONE_CHILD_SETTID   0x01000000
#define LX_CLONE_IO             0x80000000ull
/* what we do (the namespaces and the rest are refused with EINVAL) */
#define LX_CLONE_KNOWN                                                                             \
    (0xffull | LX_CLONE_VM | LX_CLONE_FS | LX_CLONE_FILES | LX_CLONE_SIGHAND | LX_CLONE_VFORK |    \
     LX_CLONE_THREAD | LX_CLONE_SYSVSEM | LX_CLONE_SETTLS | LX_CLONE_PARENT_SETTID |               \
     LX_CLONE_CHILD_CLEARTID | LX_CLONE_DETACHED | LX_CLONE_UNTRACED | LX_CLONE_CHILD_SETTID |     \
     LX_CLONE_IO | LX_CLONE_PTRACE)

#define LX_SIGCHLD 17
#define LX_WNOHANG 1
#define LX_WEXITED 4
#define LX_WNOWAIT 0x01000000

static struct lx_task *tasks[LX_MAX_TASKS];
static struct lx_proc *procs;
static int nprocs, last_pid;

/*
 * A task's badge: its table index + 1 in the low byte, and above it a count of the tasks ever
 * made, so that no two tasks ever share one. A call a worker took off the endpoint just before
 * its thread was ended (exit_group of a sibling while the worker waited for lx_lock) must not
 * be served as the call of a new task that took the same index meanwhile: it would run with
 * the dead thread's registers in another process.
 */
static l4_word_t badges[LX_MAX_TASKS], badge_count;
_Static_assert(LX_MAX_TASKS < 256, "a task's index + 1 fits the badge's low byte");

struct lx_task *lx_task_by_badge(l4_word_t badge)
{
    l4_word_t i = (badge & 0xff) - 1;

    return i < LX_MAX_TASKS && badges[i] == badge ? tasks[i] : NULL;
}

struct lx_task *lx_task_at(int index)
{
    return index >= 0 && index < LX_MAX_TASKS ? tasks[index] : NULL;
}

struct lx_proc *lx_proc_first(void)
{
    return procs;
}

struct lx_proc *lx_proc_find(int pid)
{
    for (struct lx_proc *p = procs; p; p = p->next) {
        if (p->pid == pid && p->state != LX_PROC_DEAD)
            return p;
    }
    return NULL;
}

/* A pid no process, process group, session or thread uses. */
static int new_pid(void)
{
    for (int tries = 0; tries < 32768; tries++) {
        int pid = last_pid = last_pid >= 32767 ? 2 : last_pid + 1;
        bool used = false;
        for (struct lx_proc *p = procs; p && !used; p = p->next)
            used = p->pid == pid || p->pgid == pid || p->sid == pid;
        for (int i = 0; i < LX_MAX_TASKS && !used; i++)
            used = tasks[i] && tasks[i]->tid == pid;
        if (!used)
            return pid;
    }
    return 0;
}

/* --- threads ------------------------------------------------------------------------------ */

/* A new Linux thread of p (not running yet): its table entry and badged capability. */
static struct lx_task *task_new(struct lx_proc *p, int *err)
{
    int i = 0;

    *err = -LX_EAGAIN;
    while (i < LX_MAX_TASKS && tasks[i])
        i++;
    if (i == LX_MAX_TASKS)
        return NULL;
    struct lx_task *t = lx_zalloc(sizeof(*t));
    if (!t) {
        *err = -LX_ENOMEM;
        return NULL;
    }
    t->index = i;
    t->proc = p;
    t->tid = new_pid();
    t->ep = lx_slot_alloc();
    l4_word_t badge = (++badge_count << 8) | ((l4_word_t)i + 1);
    if (!t->tid || !t->ep || l4_cap_replicate(LX_SLOT_EP, t->ep) ||
        l4_cap_deduce(t->ep, L4_EP_SEND, badge, 0)) {
        if (t->ep) {
            l4_cap_destroy(t->ep);
            lx_slot_free(t->ep);
        }
        lx_free(t);
        return NULL;
    }
    tasks[i] = t;
    badges[i] = badge;
    t->next = p->threads;
    p->threads = t;
    p->nthreads++;
    return t;
}

/* Its Coffer thread, in mm's space, starting from regs; t->cap. */
static int thread_make(struct lx_task *t, struct lx_mm *mm, const struct l4_regs *regs)
{
    l4_cap_t slot = lx_slot_alloc();
    l4_word_t id;

    if (!slot)
        return -LX_EAGAIN;
    l4_err_t err =
        l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), lx_mm_space(mm), LX_TASK_PRIO, slot, &id);
    if (err) {
        lx_slot_free(slot);
        return -LX_EAGAIN;
    }
    if (l4_thread_regs(slot, L4_REGS_SET, regs, NULL) ||
        l4_thread_configure(slot, L4_THREAD_FAULT_EP, t->ep) ||
        l4_thread_configure(slot, L4_THREAD_FOREIGN, L4_FOREIGN_ALL) || l4_thread_start(slot)) {
        l4_thread_destroy(slot);
        lx_slot_free(slot);
        return -LX_EINVAL; /* registers no thread may have: exec checked them */
    }
    t->cap = slot;
    return 0;
}

int lx_task_start(struct lx_task *t, struct lx_mm *mm, const struct l4_regs *regs)
{
    l4_cap_t old = t->cap;

    t->cap = 0;
    int err = thread_make(t, mm, regs);
    if (err) {
        t->cap = old;
        return err;
    }
    if (old) { /* exec: the old thread waits in its call; it never comes back */
        l4_thread_destroy(old);
        lx_slot_free(old);
    }
    return 0;
}

/* Free what is left of an ended thread once no worker serves it. */
void lx_task_release(struct lx_task *t)
{
    LX_ASSERT(t->dying);
    if (t->in_call)
        return;
    lx_free(t);
}

static void unlink_task(struct lx_task *t)
{
    struct lx_proc *p = t->proc;

    for (struct lx_task **q = &p->threads; *q; q = &(*q)->next) {
        if (*q == t) {
            *q = t->next;
            p->nthreads--;
            break;
        }
    }
}

void lx_task_end(struct lx_task *t)
{
    if (t->dying)
        return;
    t->dying = true;
    if (t->cap) {
        l4_thread_destroy(t->cap);
        lx_slot_free(t->cap);
        t->cap = 0;
    }
    l4_cap_destroy(t->ep);
    lx_slot_free(t->ep);
    tasks[t->index] = NULL;
    unlink_task(t);
    lx_wake_task(t); /* its worker, if it sleeps for it, gives up the call */
    lx_task_release(t);
}

/* CLONE_CHILD_CLEARTID: the thread's tid word goes to 0 and a futex waiter on it wakes
 * (pthread_join), when the thread ends while its space lives on. */
static void clear_tid(struct lx_task *t)
{
    uint32_t zero = 0;

    if (t->clear_child_tid && !lx_copy_out(t, t->clear_child_tid, &zero, sizeof(zero)))
        lx_futex_wake_addr(t->proc->mm, t->clear_child_tid, 1);
}

/* --- processes --------------------------------------------------------------------------- */

static struct lx_proc *proc_new(struct lx_proc *parent, int *err)
{
    *err = -LX_EAGAIN;
    if (nprocs >= LX_MAX_PROCS)
        return NULL;
    struct lx_proc *p = lx_zalloc(sizeof(*p));
    if (!p) {
        *err = -LX_ENOMEM;
        return NULL;
    }
    p->parent = parent;
    p->ppid = parent ? parent->pid : 0;
    p->exit_signal = LX_SIGCHLD;
    if (parent) {
        p->pgid = parent->pgid;
        p->sid = parent->sid;
        memcpy(p->comm, parent->comm, sizeof(p->comm));
        memcpy(p->exe, parent->exe, sizeof(p->exe));
        memcpy(p->cmdline, parent->cmdline, sizeof(p->cmdline));
        p->cmdline_len = parent->cmdline_len;
    }
    p->next = procs;
    procs = p;
    nprocs++;
    return p;
}

/* Take p off the list and free it: a reaped zombie, or one never started. */
static void proc_free(struct lx_proc *p)
{
    LX_ASSERT(!p->threads);
    for (struct lx_proc **q = &procs; *q; q = &(*q)->next) {
        if (*q == p) {
            *q = p->next;
            break;
        }
    }
    if (p->files)
        lx_files_put(p->files);
    if (p->fs)
        lx_fsctx_put(p->fs);
    if (p->mm)
        lx_mm_put(p->mm);
    if (p->sig)
        lx_sig_put(p->sig);
    lx_pmisc_free(p);
    nprocs--;
    lx_free(p);
}

void lx_proc_exit(struct lx_proc *p, int status)
{
    if (p->state != LX_PROC_LIVE)
        return;
    p->state = LX_PROC_ZOMBIE;
    p->exit_status = status;
    while (p->threads) {
        struct lx_task *t = p->threads;
        lx_task_end(t);
    }
    /* what it holds goes now; the zombie keeps only its status */
    lx_files_put(p->files);
    p->files = NULL;
    lx_fsctx_put(p->fs);
    p->fs = NULL;
    lx_mm_put(p->mm);
    p->mm = NULL;
    p->vfork_done = true;
    lx_wake(&p->vfork_wait);
    if (p->pid == 1)
        lx_shutdown(status);
    struct lx_proc *init = lx_proc_find(1);
    for (struct lx_proc *c = procs; c; c = c->next) {
        if (c->parent == p) {
            c->parent = init;
            c->ppid = init ? 1 : 0;
        }
    }
    struct lx_proc *parent = p->parent;
    if (!parent || parent->state != LX_PROC_LIVE || lx_sig_autoreap(parent)) {
        proc_free(p);
        if (parent) /* a wait4 that waited for it now finds no child (ECHILD), as Linux */
            lx_wake(&parent->child_wait);
    } else {
        if (p->exit_signal == LX_SIGCHLD) /* CLD_DUMPED, CLD_KILLED or CLD_EXITED */
            lx_kill_child(parent, (status & 0x7f) ? ((status & 0x80) ? 3 : 2) : 1, p->pid,
                          (status & 0x7f) ? (status & 0x7f) : (status >> 8) & 0xff);
        else if (p->exit_signal)
            lx_kill_proc(parent, p->exit_signal);
        lx_wake(&parent->child_wait);
    }
    /* zombies that lost their parent go: nobody can wait for them */
    for (struct lx_proc *c = procs, *n; c; c = n) {
        n = c->next;
        if (c->state == LX_PROC_ZOMBIE && !c->parent)
            proc_free(c);
    }
}

void lx_proc_kill_all(void)
{
    for (struct lx_proc *p = procs; p; p = p->next) {
        if (p->pid != 1 && p->state == LX_PROC_LIVE) {
            while (p->threads)
                lx_task_end(p->threads);
        }
    }
}

int lx_start_init(char **argv)
{
    static const char *const envp[] = {"PATH=/bin:/usr/bin:/sbin",
                                       "HOME=/",
                                       "TERM=vt100",
                                       "SHELL=/bin/sh",
                                       "USER=root",
                                       "LOGNAME=root",
                                       NULL};
    int err, argc = 0;

    while (argv[argc])
        argc++;
    last_pid = 0;
    struct lx_proc *p = proc_new(NULL, &err);
    if (!p)
        return err;
    struct lx_task *t = task_new(p, &err);
    if (!t)
        return err;
    p->pid = p->pgid = p->sid = t->tid;
    LX_ASSERT(p->pid == 1);
    p->files = lx_files_new();
    p->fs = lx_fsctx_new();
    p->sig = lx_sig_new();
    p->mm = lx_mm_new();
    if (!p->files || !p->fs || !p->sig || !p->mm)
        return -LX_ENOMEM;
    lx_tty_set_session(p->sid, p->pgid);
    err = lx_files_console(p->files);
    if (err)
        return err;
    return lx_exec(t, argv[0], argv, argc, (char *const *)envp, 6);
}

/* --- calls ------------------------------------------------------------------------------- */

long sys_getpid(struct lx_task *t, const uint64_t a[6])
{
    (void)a;
    return t->proc->pid;
}

long sys_getppid(struct lx_task *t, const uint64_t a[6])
{
    (void)a;
    return t->proc->parent ? t->proc->parent->pid : 0;
}

long sys_gettid(struct lx_task *t, const uint64_t a[6])
{
    (void)a;
    return t->tid;
}

long sys_set_tid_address(struct lx_task *t, const uint64_t a[6])
{
    t->clear_child_tid = a[0];
    return t->tid;
}

long sys_exit(struct lx_task *t, const uint64_t a[6])
{
    struct lx_proc *p = t->proc;

    if (p->nthreads == 1) {
        lx_proc_exit(p, (int)(a[0] & 0xff) << 8);
    } else {
        clear_tid(t);
        lx_task_end(t);
    }
    return LX_NO_REPLY;
}

long sys_exit_group(struct lx_task *t, const uint64_t a[6])
{
    lx_proc_exit(t->proc, (int)(a[0] & 0xff) << 8);
    return LX_NO_REPLY;
}

/* A clone's first registers: the caller's, 0 returned, with its stack and TLS if given. */
static struct l4_regs child_regs(const struct lx_task *t, uint64_t flags, uint64_t sp, uint64_t tls)
{
    struct l4_regs r = t->regs;

    lx_call_set_result(&r, 0);
    if (sp)
        L4_REGS_SP(&r) = sp;
    if (flags & LX_CLONE_SETTLS)
        L4_REGS_TLS(&r)[L4_TLS_TP] = tls;
    return r;
}

/* A thread of t's process (CLONE_THREAD), running from the caller's registers. */
static long clone_thread(struct lx_task *t, uint64_t flags, uint64_t sp, uint64_t ptid,
                         uint64_t ctid, uint64_t tls)
{
    int err;
    struct lx_task *n = task_new(t->proc, &err);

    if (!n)
        return err;
    struct l4_regs r = child_regs(t, flags, sp, tls);
    int32_t tid = n->tid;
    if (((flags & LX_CLONE_PARENT_SETTID) && lx_copy_out(t, ptid, &tid, 4)) ||
        ((flags & LX_CLONE_CHILD_SETTID) && lx_copy_out(t, ctid, &tid, 4))) {
        lx_task_end(n);
        return -LX_EFAULT;
    }
    if (flags & LX_CLONE_CHILD_CLEARTID)
        n->clear_child_tid = ctid;
    lx_sig_task_fork(n, t, true);
    err = lx_task_start(n, t->proc->mm, &r);
    if (err) {
        lx_task_end(n);
        return err;
    }
    return tid;
}

static long clone_proc(struct lx_task *t, uint64_t flags, uint64_t sp, uint64_t ptid, uint64_t ctid,
                       uint64_t tls)
{
    struct lx_proc *p = t->proc;
    int err;
    struct lx_proc *c = proc_new(p, &err);

    if (!c)
        return err;
    struct lx_task *n = task_new(c, &err);
    if (!n) {
        proc_free(c);
        return err;
    }
    c->pid = n->tid;
    c->exit_signal = (int)(flags & 0xff);
    err = -LX_ENOMEM;
    if (flags & LX_CLONE_VM) {
        lx_mm_get(p->mm);
        c->mm = p->mm;
    } else {
        c->mm = lx_mm_fork(p->mm, &err);
    }
    if (flags & LX_CLONE_FILES) {
        lx_files_get(p->files);
        c->files = p->files;
    } else {
        c->files = lx_files_dup(p->files);
    }
    c->fs = lx_fsctx_dup(p->fs);
    if (flags & LX_CLONE_SIGHAND) {
        lx_sig_get(p->sig);
        c->sig = p->sig;
    } else {
        c->sig = lx_sig_dup(p->sig);
    }
    if (!c->mm || !c->files || !c->fs || !c->sig || lx_pmisc_fork(c, p))
        goto fail;
    struct l4_regs r = child_regs(t, flags, sp, tls);
    int32_t tid = n->tid;
    err = -LX_EFAULT;
    if (((flags & LX_CLONE_PARENT_SETTID) && lx_copy_out(t, ptid, &tid, 4)) ||
        ((flags & LX_CLONE_CHILD_SETTID) && lx_mm_copy_out(c->mm, ctid, &tid, 4)))
        goto fail;
    if (flags & LX_CLONE_CHILD_CLEARTID)
        n->clear_child_tid = ctid;
    lx_sig_task_fork(n, t, false);
    err = lx_task_start(n, c->mm, &r);
    if (err)
        goto fail;
    /* CLONE_VFORK: the parent waits until the child execs or ends; signals do not end the
     * wait (as on Linux), the parent's own end does (lx_task_end wakes it) */
    while ((flags & LX_CLONE_VFORK) && !t->dying) {
        c = lx_proc_find(tid); /* it may have ended and been reaped meanwhile */
        if (!c || c->vfork_done)
            break;
        lx_sleep_nosig(t, &c->vfork_wait);
    }
    return tid;
fail:
    lx_task_end(n);
    c->state = LX_PROC_ZOMBIE;
    proc_free(c);
    return err;
}

long sys_clone(struct lx_task *t, const uint64_t a[6])
{
    uint64_t flags = a[0];

    if ((flags & ~LX_CLONE_KNOWN) || ((flags & LX_CLONE_THREAD) && !(flags & LX_CLONE_SIGHAND)) ||
        ((flags & LX_CLONE_SIGHAND) && !(flags & LX_CLONE_VM)))
        return -LX_EINVAL;
    uint64_t ctid = a[LX_CLONE_ARG_CTID], tls = a[LX_CLONE_ARG_TLS];
    if ((flags & LX_CLONE_SETTLS) && tls >= LX_CANONICAL_TOP)
        return -LX_EPERM;
    if (flags & LX_CLONE_THREAD)
        return clone_thread(t, flags, a[1], a[2], ctid, tls);
    return clone_proc(t, flags, a[1], a[2], ctid, tls);
}

long sys_fork(struct lx_task *t, const uint64_t a[6])
{
    (void)a;
    return clone_proc(t, LX_SIGCHLD, 0, 0, 0, 0);
}

long sys_vfork(struct lx_task *t, const uint64_t a[6])
{
    (void)a;
    return clone_proc(t, LX_CLONE_VM | LX_CLONE_VFORK | LX_SIGCHLD, 0, 0, 0, 0);
}

/* --- waiting ------------------------------------------------------------------------------ */

/* Does child c match wait4's pid argument for parent p? */
static bool matches(struct lx_proc *p, struct lx_proc *c, long pid)
{
    if (c->parent != p || c->state == LX_PROC_DEAD)
        return false;
    if (pid > 0)
        return c->pid == pid;
    if (pid == 0)
        return c->pgid == p->pgid;
    if (pid < -1)
        return c->pgid == -pid;
    return true;
}

/* The first zombie child matching pid (NULL if none); *any: some child matches at all. */
static struct lx_proc *find_zombie(struct lx_proc *p, long pid, bool *any)
{
    *any = false;
    for (struct lx_proc *c = procs; c; c = c->next) {
        if (!matches(p, c, pid))
            continue;
        *any = true;
        if (c->state == LX_PROC_ZOMBIE)
            return c;
    }
    return NULL;
}

long sys_wait4(struct lx_task *t, const uint64_t a[6])
{
    long pid = (long)(int32_t)a[0];
    uint64_t status_p = a[1], options = a[2], rusage_p = a[3];

    if (options & ~(uint64_t)(LX_WNOHANG | 2 | 8 | 0x20000000 | 0x40000000 | 0x80000000))
        return -LX_EINVAL;
    if (pid == -2147483648L)
        return -LX_ESRCH;
    for (;;) {
        bool any;
        struct lx_proc *c = find_zombie(t->proc, pid, &any);
        if (!any)
            return -LX_ECHILD;
        if (c) {
            int32_t st = c->exit_status;
            static const char zeros[144];
            int cpid = c->pid;
            /* as Linux: the child is reaped even when its status cannot be stored */
            bool fault = (status_p && lx_copy_out(t, status_p, &st, 4)) ||
                         (rusage_p && lx_copy_out(t, rusage_p, zeros, sizeof(zeros)));
            proc_free(c);
            return fault ? -LX_EFAULT : cpid;
        }
        if (options & LX_WNOHANG)
            return 0;
        int err = lx_sleep(t, &t->proc->child_wait, 0);
        if (err == -LX_EINTR)
            return err;
    }
}

long sys_waitid(struct lx_task *t, const uint64_t a[6])
{
    uint64_t type = a[0], id = a[1], info_p = a[2], options = a[3];
    long pid;

    if (!(options & LX_WEXITED) ||
        (options & ~(uint64_t)(LX_WNOHANG | 2 | LX_WEXITED | 8 | LX_WNOWAIT | 0xe0000000)))
        return -LX_EINVAL;
    if (type == 0)
        pid = -1;
    else if (type == 1 && (int32_t)id > 0)
        pid = (int32_t)id;
    else if (type == 2 && (int32_t)id >= 0)
        pid = id ? -(long)(int32_t)id : 0;
    else
        return -LX_EINVAL;
    for (;;) {
        bool any;
        struct lx_proc *c = find_zombie(t->proc, pid, &any);
        if (!any)
            return -LX_ECHILD;
        if (c || (options & LX_WNOHANG)) {
            int32_t info[32] = {0};
            if (c) {
                int st = c->exit_status;
                info[0] = LX_SIGCHLD;
                info[2] = (st & 0x7f) ? ((st & 0x80) ? 3 : 2) : 1; /* CLD_DUMPED, KILLED, EXITED */
                info[4] = c->pid;
                info[6] = (st & 0x7f) ? (st & 0x7f) : (st >> 8) & 0xff;
            }
            static const char zeros[144]; /* struct rusage: nothing is counted */
            if ((info_p && lx_copy_out(t, info_p, info, sizeof(info))) ||
                (a[4] && lx_copy_out(t, a[4], zeros, sizeof(zeros))))
                return -LX_EFAULT;
            if (c && !(options & LX_WNOWAIT))
                proc_free(c);
            return 0;
        }
        int err = lx_sleep(t, &t->proc->child_wait, 0);
        if (err == -LX_EINTR)
            return err;
    }
}

/* --- groups and sessions ------------------------------------------------------------------ */

long sys_getpgid(struct lx_task *t, const uint64_t a[6])
{
    struct lx_proc *p = a[0] ? lx_proc_find((int)a[0]) : t->proc;

    return p ? p->pgid : -LX_ESRCH;
}

long sys_getpgrp(struct lx_task *t, const uint64_t a[6])
{
    (void)a;
    return t->proc->pgid;
}

long sys_getsid(struct lx_task *t, const uint64_t a[6])
{
    struct lx_proc *p = a[0] ? lx_proc_find((int)a[0]) : t->proc;

    return p ? p->sid : -LX_ESRCH;
}

long sys_setpgid(struct lx_task *t, const uint64_t a[6])
{
    struct lx_proc *self = t->proc;
    int pid = (int)a[0], pgid = (int)a[1];

    if (pgid < 0)
        return -LX_EINVAL;
    struct lx_proc *p = pid ? lx_proc_find(pid) : self;
    if (!p || p->state != LX_PROC_LIVE || (p != self && p->parent != self))
        return -LX_ESRCH;
    if (p != self && p->did_exec)
        return -LX_EACCES; /* a child may be moved only before it execs */
    if (p->sid != self->sid || p->pid == p->sid)
        return -LX_EPERM;
    if (!pgid)
        pgid = p->pid;
    if (pgid != p->pid) { /* joining a group: one of this session's must exist */
        bool found = false;
        /* a zombie is still its group's member until it is reaped: a shell puts a pipeline's
         * later processes into the group of a leader that may have exited already */
        for (struct lx_proc *q = procs; q && !found; q = q->next)
            found = q->state != LX_PROC_DEAD && q->pgid == pgid && q->sid == self->sid;
        if (!found)
            return -LX_EPERM;
    }
    p->pgid = pgid;
    return 0;
}

long sys_setsid(struct lx_task *t, const uint64_t a[6])
{
    struct lx_proc *p = t->proc;

    (void)a;
    for (struct lx_proc *q = procs; q; q = q->next) {
        if (q->state != LX_PROC_DEAD && q->pgid == p->pid)
            return -LX_EPERM; /* a group leader (or its group still has members, zombies too) */
    }
    p->sid = p->pgid = p->pid;
    return p->sid;
}
