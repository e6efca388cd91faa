/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests of the Linux personality's signals, time, futex and identity calls
 * (user/linux/signal.c, signal_frame.c, time.c, futex.c, misc.c), over stand-ins for the
 * core: a fake user memory, a fake clock, and sleeps that run a test's hook.
 */
// uses: -Iuser/linux -Iuser/linux/arch/x86_64 -Iuser/lib user/linux/signal.c user/linux/signal_stack.c user/linux/arch/x86_64/signal_frame.c user/linux/time.c user/linux/futex.c user/linux/misc.c
#define main coffer_main /* l4.h declares a Coffer program's main */
#include "lx_frame.h"
#undef main

#include "check.h"

#include <stdlib.h>
#include <string.h>

/* --- the core's stand-ins --------------------------------------------------------------- */

struct l4_mutex lx_lock;

#define MEM_BASE 0x10000000ull
#define MEM_SIZE 0x10000ull
#define RO_BASE  0x20000000ull /* readable, not writable */
#define RO_SIZE  0x1000ull
static uint8_t mem[MEM_SIZE], ro[RO_SIZE];

static uint8_t *at(uint64_t a, size_t len, bool write)
{
    if (a >= MEM_BASE && a - MEM_BASE <= MEM_SIZE && len <= MEM_SIZE - (a - MEM_BASE))
        return &mem[a - MEM_BASE];
    if (!write && a >= RO_BASE && a - RO_BASE <= RO_SIZE && len <= RO_SIZE - (a - RO_BASE))
        return &ro[a - RO_BASE];
    return NULL;
}

/* Between the test's memory and the fake user memory, either way */
static int copy(void *host, uint64_t user, size_t len, bool write)
{
    uint8_t *p = at(user, len, write);

    if (!p)
        return -LX_EFAULT;
    if (write)
        memcpy(p, host, len);
    else
        memcpy(host, p, len);
    return 0;
}

int lx_copy_in(struct lx_task *t, void *dst, uint64_t src, size_t len)
{
    (void)t;
    return copy(dst, src, len, false);
}

int lx_copy_out(struct lx_task *t, uint64_t dst, const void *src, size_t len)
{
    (void)t;
    return copy((void *)src, dst, len, true);
}

void *lx_alloc(size_t size)
{
    return malloc(size);
}

void *lx_zalloc(size_t size)
{
    return calloc(1, size);
}

void lx_free(void *p)
{
    free(p);
}

static uint64_t mono = 1000 * LX_NS, wall = 1700000000ull * LX_NS;

uint64_t lx_now(void)
{
    return mono;
}

uint64_t lx_wall(void)
{
    return wall;
}

static void advance(uint64_t ns)
{
    mono += ns;
    wall += ns;
}

/* What happens while a task sleeps: the hook runs once (it may post a signal, wake a futex,
 * move the clock); then a deadline passes, or (so that nothing loops) a signal is said to
 * have come. */
static void (*while_asleep)(struct lx_task *t);
static int sleeps, kicks, wakes;

int lx_sleep(struct lx_task *t, struct lx_waitq *q, uint64_t deadline)
{
    (void)q;
    sleeps++;
    if (lx_signal_pending(t))
        return -LX_EINTR;
    if (while_asleep) {
        void (*hook)(struct lx_task *) = while_asleep;
        while_asleep = NULL;
        hook(t);
        return lx_signal_pending(t) ? -LX_EINTR : 0;
    }
    if (deadline) {
        if (mono < deadline)
            advance(deadline - mono);
        return -LX_ETIMEDOUT;
    }
    return -LX_EINTR;
}

void lx_wake(struct lx_waitq *q)
{
    (void)q;
    wakes++;
}

uint64_t lx_frames_total(void)
{
    return 49152;
}

uint64_t lx_frames_free(void)
{
    return 40000;
}

void lx_files_set_limit(struct lx_files *fs, uint64_t limit)
{
    (void)fs, (void)limit;
}

void lx_wake_task(struct lx_task *t)
{
    (void)t;
    wakes++;
}

void lx_task_kick(struct lx_task *t)
{
    (void)t;
    kicks++;
}

void lx_clock_kick(void)
{
}

static struct lx_proc *procs;

struct lx_proc *lx_proc_first(void)
{
    return procs;
}

struct lx_proc *lx_proc_find(int pid)
{
    for (struct lx_proc *p = procs; p; p = p->next) {
        if (p->pid == pid)
            return p;
    }
    return NULL;
}

void lx_proc_exit(struct lx_proc *p, int status)
{
    p->state = LX_PROC_ZOMBIE;
    p->exit_status = status;
}

/* --- a little world: processes 1 (init) and 2, 3 (group 3); task 2 has two threads ------ */

static struct lx_proc proc[3];
static struct lx_task task[4]; /* tids 1, 2, 3 and 4 (the second thread of 2) */
static int fake_mm[2];

#define STACK_TOP (MEM_BASE + 0x8000)
#define HANDLER   0x401000ull
#define RESTORER  0x402000ull
#define SCRATCH   (MEM_BASE + 0xc000) /* the tests' own user buffers */

static void world(void)
{
    for (int i = 0; i < 3; i++) {
        lx_sig_put(proc[i].sig);
        lx_pmisc_free(&proc[i]);
    }
    memset(proc, 0, sizeof(proc));
    memset(task, 0, sizeof(task));
    memset(mem, 0, sizeof(mem));
    procs = &proc[0];
    for (int i = 0; i < 3; i++) {
        proc[i].pid = i + 1;
        proc[i].pgid = i == 0 ? 1 : 3;
        proc[i].sig = lx_sig_new();
        proc[i].mm = (struct lx_mm *)&fake_mm[i == 0 ? 0 : 1];
        proc[i].next = i < 2 ? &proc[i + 1] : NULL;
        proc[i].threads = &task[i];
        proc[i].nthreads = 1;
        memcpy(proc[i].comm, "prog", 5);
        task[i].tid = i + 1;
        task[i].proc = &proc[i];
    }
    /* process 3 shares process 2's mm here, to make futex keying visible */
    task[1].next = &task[3];
    proc[1].nthreads = 2;
    task[3].tid = 4;
    task[3].proc = &proc[1];
    for (int i = 0; i < 4; i++) {
        l4_word_t *w = (l4_word_t *)&task[i].regs; /* each register its own value */
        for (unsigned k = 0; k < L4_REGS_WORDS; k++)
            w[k] = 0x1000 + k;
        task[i].regs.rsp = STACK_TOP - 0x100 * (uint64_t)i;
        task[i].regs.rip = 0x400100;
        task[i].regs.rflags = 0x246 | 0x400;
        task[i].nr = -1;
    }
    while_asleep = NULL;
    sleeps = kicks = wakes = 0;
    mono = 1000 * LX_NS;
    wall = 1700000000ull * LX_NS;
}

static long call(long (*fn)(struct lx_task *, const uint64_t[6]), struct lx_task *t, uint64_t a0,
                 uint64_t a1, uint64_t a2, uint64_t a3)
{
    const uint64_t a[6] = {a0, a1, a2, a3, 0, 0};

    return fn(t, a);
}

/* Install a handler for sig in t's process (through rt_sigaction, as a program does) */
static long handle(struct lx_task *t, int sig, uint64_t handler, uint64_t flags, uint64_t mask)
{
    struct lx_sigaction act = {handler, flags, RESTORER, mask};

    memcpy(&mem[SCRATCH - MEM_BASE], &act, sizeof(act));
    return call(sys_rt_sigaction, t, (uint64_t)sig, SCRATCH, 0, 8);
}

static struct lx_sigframe frame_at(uint64_t rsp)
{
    struct lx_sigframe f;

    memcpy(&f, &mem[rsp - MEM_BASE], sizeof(f));
    return f;
}

/* The handler returns: its RET takes pretcode, then the restorer calls rt_sigreturn */
static long handler_returns(struct lx_task *t)
{
    t->regs.rsp += 8;
    t->nr = LX_NR_rt_sigreturn;
    t->in_call = true;
    long r = call(sys_rt_sigreturn, t, 0, 0, 0, 0);
    t->in_call = false;
    return r;
}

/* --- the frame ------------------------------------------------------------------------------ */

static void test_frame_round_trip(void)
{
    world();
    struct lx_task *t = &task[1];
    struct l4_regs before = t->regs;
    t->sigmask = LX_SIGBIT(LX_SIGHUP);
    CHECK_EQ(handle(t, LX_SIGUSR1, HANDLER, LX_SA_SIGINFO | LX_SA_RESTORER,
                    LX_SIGBIT(LX_SIGUSR2) | LX_SIGBIT(LX_SIGKILL)),
             0);
    CHECK_EQ(call(sys_kill, &task[2], 2, LX_SIGUSR1, 0, 0), 0);
    CHECK_EQ(kicks, 1); /* the running thread was brought in */
    CHECK(lx_signal_pending(t));
    CHECK(lx_signal_deliver(t));
    CHECK(!lx_signal_pending(t));

    struct l4_regs *r = &t->regs;
    CHECK_EQ(r->rip, HANDLER);
    CHECK_EQ(r->rdi, LX_SIGUSR1);
    CHECK_EQ((r->rsp + 8) % 16, 0);
    CHECK(r->rsp + sizeof(struct lx_sigframe) <= before.rsp - 128); /* the red zone is kept */
    CHECK_EQ(r->rsi, r->rsp + offsetof(struct lx_sigframe, info));
    CHECK_EQ(r->rdx, r->rsp + offsetof(struct lx_sigframe, uc));
    CHECK_EQ(r->rax, 0);
    CHECK_EQ(r->rflags & 0x400, 0); /* DF clear for the handler */
    CHECK_EQ(t->sigmask,
             LX_SIGBIT(LX_SIGHUP) | LX_SIGBIT(LX_SIGUSR1) | LX_SIGBIT(LX_SIGUSR2)); /* no KILL */

    struct lx_sigframe f = frame_at(r->rsp);
    CHECK_EQ(f.pretcode, RESTORER);
    CHECK_EQ(f.uc.mcontext.rip, before.rip);
    CHECK_EQ(f.uc.mcontext.rsp, before.rsp);
    CHECK_EQ(f.uc.mcontext.rbx, before.rbx);
    CHECK_EQ(f.uc.mcontext.r15, before.r15);
    CHECK_EQ(f.uc.mcontext.eflags, before.rflags);
    CHECK_EQ(f.uc.mcontext.cs, 0x33);
    CHECK_EQ(f.uc.mcontext.fpstate, 0);
    CHECK_EQ(f.uc.sigmask, LX_SIGBIT(LX_SIGHUP));
    CHECK_EQ(f.uc.stack.flags, LX_SS_DISABLE);
    CHECK_EQ(f.info.signo, LX_SIGUSR1);
    CHECK_EQ(f.info.code, LX_SI_USER);
    CHECK_EQ(f.info.u.kill.pid, 3);

    CHECK_EQ(handler_returns(t), LX_REGS_SET);
    CHECK(!memcmp(&t->regs, &before, sizeof(before)));
    CHECK_EQ(t->sigmask, LX_SIGBIT(LX_SIGHUP));
    CHECK_EQ(t->nr, -1);
    CHECK(lx_signal_deliver(t)); /* nothing more, and no restart of rt_sigreturn */
    CHECK(!memcmp(&t->regs, &before, sizeof(before)));
}

static void test_sigreturn_forged(void)
{
    world();
    struct lx_task *t = &task[1];
    handle(t, LX_SIGUSR1, HANDLER, LX_SA_RESTORER, 0);
    call(sys_tgkill, t, 2, 2, LX_SIGUSR1, 0);
    CHECK(lx_signal_deliver(t));
    /* the handler makes its saved flags claim IF and IOPL: only the user's bits come back */
    uint64_t ctx = t->regs.rsp + offsetof(struct lx_sigframe, uc.mcontext);
    uint64_t flags = 0x3201 | 0x40000;
    memcpy(&mem[ctx + offsetof(struct lx_sigcontext, eflags) - MEM_BASE], &flags, 8);
    CHECK_EQ(handler_returns(t), LX_REGS_SET);
    CHECK_EQ(t->regs.rflags, 0x40001 | (0x246 & ~L4_RFLAGS_USER));
    CHECK_EQ(proc[1].state, LX_PROC_LIVE);

    /* a kernel rip: SIGSEGV, which kills (no handler) */
    call(sys_tgkill, t, 2, 2, LX_SIGUSR1, 0);
    CHECK(lx_signal_deliver(t));
    uint64_t rip = 0xffff800000001000ull;
    memcpy(&mem[t->regs.rsp + offsetof(struct lx_sigframe, uc.mcontext.rip) - MEM_BASE], &rip, 8);
    CHECK_EQ(handler_returns(t), LX_NO_REPLY);
    CHECK_EQ(proc[1].exit_status, LX_SIGSEGV);

    /* a frame on no memory at all */
    world();
    task[1].regs.rsp = 0x5000;
    CHECK_EQ(handler_returns(&task[1]), LX_NO_REPLY);
    CHECK_EQ(proc[1].exit_status, LX_SIGSEGV);
}

static void test_frame_cannot_be_written(void)
{
    world();
    handle(&task[1], LX_SIGUSR1, HANDLER, LX_SA_RESTORER, 0);
    task[1].regs.rsp = RO_BASE + 0x800; /* read-only */
    call(sys_kill, &task[1], 2, LX_SIGUSR1, 0, 0);
    CHECK(!lx_signal_deliver(&task[1]));
    CHECK_EQ(proc[1].exit_status, LX_SIGSEGV);

    world();
    handle(&task[1], LX_SIGUSR1, HANDLER, 0, 0); /* no SA_RESTORER: no way back */
    call(sys_kill, &task[1], 2, LX_SIGUSR1, 0, 0);
    CHECK(!lx_signal_deliver(&task[1]));
    CHECK_EQ(proc[1].exit_status, LX_SIGSEGV);

    world();
    handle(&task[1], LX_SIGUSR1, 0xffff800000000000ull, LX_SA_RESTORER, 0);
    call(sys_kill, &task[1], 2, LX_SIGUSR1, 0, 0);
    CHECK(!lx_signal_deliver(&task[1]));
    CHECK_EQ(proc[1].state, LX_PROC_ZOMBIE);
}

/* --- dispositions and default actions -------------------------------------------------------- */

static void test_default_actions(void)
{
    static const struct {
        int sig, status; /* 0: goes on */
    } cases[] = {
        {LX_SIGTERM, LX_SIGTERM}, {LX_SIGHUP, LX_SIGHUP},   {LX_SIGALRM, LX_SIGALRM},
        {LX_SIGKILL, LX_SIGKILL}, {LX_SIGQUIT, LX_SIGQUIT}, {LX_SIGABRT, LX_SIGABRT},
        {LX_SIGSYS, LX_SIGSYS},   {LX_SIGCHLD, 0},          {LX_SIGWINCH, 0},
        {LX_SIGTSTP, 0},          {LX_SIGSTOP, 0},          {40, 40},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        world();
        CHECK_EQ(call(sys_kill, &task[0], 2, (uint64_t)cases[i].sig, 0, 0), 0);
        bool goes_on = lx_signal_deliver(&task[1]);
        CHECK_EQ(goes_on, cases[i].status == 0);
        if (cases[i].status)
            CHECK_EQ(proc[1].exit_status, cases[i].status);
        CHECK_EQ(proc[1].sigpending, 0);
    }
}

static void test_ignore_and_block(void)
{
    world();
    struct lx_task *t = &task[2];
    CHECK_EQ(handle(t, LX_SIGINT, LX_SIG_IGN, 0, 0), 0);
    call(sys_kill, t, 3, LX_SIGINT, 0, 0);
    CHECK_EQ(proc[2].sigpending, 0); /* dropped at once */
    CHECK(lx_signal_deliver(t));

    /* blocked, it waits; rt_sigpending shows it; unblocked, it is delivered */
    handle(t, LX_SIGINT, LX_SIG_DFL, 0, 0);
    uint64_t set = LX_SIGBIT(LX_SIGINT);
    memcpy(&mem[SCRATCH - MEM_BASE], &set, 8);
    CHECK_EQ(call(sys_rt_sigprocmask, t, LX_SIG_BLOCK, SCRATCH, 0, 8), 0);
    call(sys_kill, t, 3, LX_SIGINT, 0, 0);
    CHECK(!lx_signal_pending(t));
    CHECK(lx_signal_deliver(t));
    CHECK_EQ(call(sys_rt_sigpending, t, SCRATCH + 8, 8, 0, 0), 0);
    CHECK_EQ(*(uint64_t *)&mem[SCRATCH + 8 - MEM_BASE], LX_SIGBIT(LX_SIGINT));
    /* ignoring it now drops it */
    handle(t, LX_SIGINT, LX_SIG_IGN, 0, 0);
    CHECK_EQ(proc[2].sigpending, 0);
    /* again, then unblocked with the default action: the process dies */
    handle(t, LX_SIGINT, LX_SIG_DFL, 0, 0);
    call(sys_kill, t, 3, LX_SIGINT, 0, 0);
    memcpy(&mem[SCRATCH + 200 - MEM_BASE], &set, 8);
    CHECK_EQ(call(sys_rt_sigprocmask, t, LX_SIG_UNBLOCK, SCRATCH + 200, 0, 8), 0);
    CHECK(!lx_signal_deliver(t));
    CHECK_EQ(proc[2].exit_status, LX_SIGINT);
}

static void test_process_signal_goes_to_a_thread_that_takes_it(void)
{
    world();
    task[1].sigmask = LX_SIGBIT(LX_SIGUSR1);
    handle(&task[1], LX_SIGUSR1, HANDLER, LX_SA_RESTORER, 0);
    call(sys_kill, &task[0], 2, LX_SIGUSR1, 0, 0);
    CHECK(!lx_signal_pending(&task[1]));
    CHECK(lx_signal_pending(&task[3]));
    CHECK(lx_signal_deliver(&task[1]));
    CHECK_EQ(task[1].regs.rip, 0x400100);
    CHECK(lx_signal_deliver(&task[3]));
    CHECK_EQ(task[3].regs.rip, HANDLER);
    /* a thread-directed one waits for its own thread */
    call(sys_tgkill, &task[0], 2, 2, LX_SIGUSR1, 0);
    CHECK(!lx_signal_pending(&task[3]));
    CHECK_EQ(task[1].sigpending, LX_SIGBIT(LX_SIGUSR1));
}

static void test_resethand_nodefer(void)
{
    world();
    struct lx_task *t = &task[1];
    handle(t, LX_SIGUSR2, HANDLER, LX_SA_RESTORER | LX_SA_RESETHAND | LX_SA_NODEFER, 0);
    call(sys_kill, t, 2, LX_SIGUSR2, 0, 0);
    CHECK(lx_signal_deliver(t));
    CHECK_EQ(t->regs.rip, HANDLER);
    CHECK_EQ(t->sigmask, 0); /* NODEFER: not blocked in its handler */
    struct lx_sigaction old;
    CHECK_EQ(call(sys_rt_sigaction, t, LX_SIGUSR2, 0, SCRATCH + 64, 8), 0);
    memcpy(&old, &mem[SCRATCH + 64 - MEM_BASE], sizeof(old));
    CHECK_EQ(old.handler, LX_SIG_DFL);
    /* the second one: the default action */
    call(sys_kill, t, 2, LX_SIGUSR2, 0, 0);
    CHECK(!lx_signal_deliver(t));
    CHECK_EQ(proc[1].exit_status, LX_SIGUSR2);
}

static void test_sigaction_errors(void)
{
    world();
    struct lx_task *t = &task[1];
    CHECK_EQ(call(sys_rt_sigaction, t, LX_SIGUSR1, 0, 0, 4), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigaction, t, 0, 0, 0, 8), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigaction, t, 65, 0, 0, 8), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigaction, t, (uint64_t)-1, 0, 0, 8), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigaction, t, 0x100000002ull, 0, SCRATCH, 8), 0); /* an int: 2 */
    CHECK_EQ(handle(t, LX_SIGKILL, HANDLER, LX_SA_RESTORER, 0), -LX_EINVAL);
    CHECK_EQ(handle(t, LX_SIGSTOP, LX_SIG_IGN, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigaction, t, LX_SIGKILL, 0, SCRATCH + 64, 8), 0); /* asking is fine */
    CHECK_EQ(call(sys_rt_sigaction, t, LX_SIGUSR1, 0x1234, 0, 8), -LX_EFAULT);
    CHECK_EQ(call(sys_rt_sigaction, t, LX_SIGUSR1, 0, RO_BASE, 8), -LX_EFAULT);
    /* unknown flags are dropped; SIGKILL and SIGSTOP never in a mask */
    CHECK_EQ(handle(t, LX_SIGUSR1, HANDLER, LX_SA_RESTORER | 0x100 | LX_SA_RESTART, ~0ull), 0);
    CHECK_EQ(call(sys_rt_sigaction, t, LX_SIGUSR1, 0, SCRATCH + 64, 8), 0);
    struct lx_sigaction old;
    memcpy(&old, &mem[SCRATCH + 64 - MEM_BASE], sizeof(old));
    CHECK_EQ(old.flags, LX_SA_RESTORER | LX_SA_RESTART);
    CHECK_EQ(old.mask, ~LX_SIG_UNBLOCKABLE);
    CHECK_EQ(old.restorer, RESTORER);
}

static void test_sigprocmask(void)
{
    world();
    struct lx_task *t = &task[1];
    uint64_t set = ~0ull;
    memcpy(&mem[SCRATCH - MEM_BASE], &set, 8);
    CHECK_EQ(call(sys_rt_sigprocmask, t, LX_SIG_BLOCK, SCRATCH, 0, 4), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigprocmask, t, 7, SCRATCH, 0, 8), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigprocmask, t, 7, 0, 0, 8), 0); /* how is not read without a set */
    CHECK_EQ(call(sys_rt_sigprocmask, t, LX_SIG_BLOCK, 0x99, 0, 8), -LX_EFAULT);
    CHECK_EQ(call(sys_rt_sigprocmask, t, LX_SIG_SETMASK, SCRATCH, 0, 8), 0);
    CHECK_EQ(t->sigmask, ~LX_SIG_UNBLOCKABLE);
    set = LX_SIGBIT(LX_SIGUSR1);
    memcpy(&mem[SCRATCH - MEM_BASE], &set, 8);
    CHECK_EQ(call(sys_rt_sigprocmask, t, LX_SIG_UNBLOCK, SCRATCH, SCRATCH + 8, 8), 0);
    CHECK_EQ(*(uint64_t *)&mem[SCRATCH + 8 - MEM_BASE], ~LX_SIG_UNBLOCKABLE);
    CHECK_EQ(t->sigmask, ~LX_SIG_UNBLOCKABLE & ~set);
    CHECK_EQ(call(sys_rt_sigprocmask, t, LX_SIG_BLOCK, SCRATCH, RO_BASE, 8), -LX_EFAULT);
    /* SIGKILL cannot be blocked: it kills */
    call(sys_kill, t, 2, LX_SIGKILL, 0, 0);
    CHECK(lx_signal_pending(t));
    CHECK(!lx_signal_deliver(t));
    CHECK_EQ(proc[1].exit_status, LX_SIGKILL);
    CHECK_EQ(call(sys_rt_sigpending, t, SCRATCH, 9, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigpending, t, RO_BASE, 8, 0, 0), -LX_EFAULT);
}

/* --- interrupted calls ---------------------------------------------------------------------- */

/* t comes out of call nr with -EINTR, and SIGUSR1 (handled with flags) is pending */
static struct lx_sigframe interrupted(long nr, uint64_t flags, uint64_t r10)
{
    world();
    struct lx_task *t = &task[1];
    handle(t, LX_SIGUSR1, HANDLER, LX_SA_RESTORER | flags, 0);
    call(sys_kill, t, 2, LX_SIGUSR1, 0, 0);
    t->in_call = true;
    t->nr = nr;
    t->regs.r10 = r10;
    t->regs.rax = (uint64_t)-LX_EINTR;
    CHECK(lx_signal_deliver(t));
    t->in_call = false;
    CHECK_EQ(t->regs.rip, HANDLER);
    return frame_at(t->regs.rsp);
}

static void test_restart(void)
{
    struct lx_sigframe f = interrupted(LX_NR_wait4, LX_SA_RESTART, 0);
    CHECK_EQ(f.uc.mcontext.rax, LX_NR_wait4);
    CHECK_EQ(f.uc.mcontext.rip, 0x400100 - 2);
    CHECK_EQ(task[1].nr, -1);

    f = interrupted(LX_NR_wait4, 0, 0);
    CHECK_EQ(f.uc.mcontext.rax, (uint64_t)-LX_EINTR);
    CHECK_EQ(f.uc.mcontext.rip, 0x400100);

    f = interrupted(LX_NR_nanosleep, LX_SA_RESTART, 0); /* never restarted */
    CHECK_EQ(f.uc.mcontext.rax, (uint64_t)-LX_EINTR);
    f = interrupted(LX_NR_futex, LX_SA_RESTART, SCRATCH); /* a wait with a timeout */
    CHECK_EQ(f.uc.mcontext.rax, (uint64_t)-LX_EINTR);
    f = interrupted(LX_NR_futex, LX_SA_RESTART, 0);
    CHECK_EQ(f.uc.mcontext.rax, LX_NR_futex);

    /* no handler ran (the signal went elsewhere): the call is made again */
    world();
    struct lx_task *t = &task[1];
    t->in_call = true;
    t->nr = LX_NR_pause;
    t->regs.rax = (uint64_t)-LX_EINTR;
    CHECK(lx_signal_deliver(t));
    CHECK_EQ(t->regs.rax, LX_NR_pause);
    CHECK_EQ(t->regs.rip, 0x400100 - 2);
    /* a kicked thread's -4 in rax is no call's */
    world();
    t->nr = LX_NR_read;
    t->regs.rax = (uint64_t)-LX_EINTR;
    CHECK(lx_signal_deliver(t));
    CHECK_EQ(t->regs.rax, (uint64_t)-LX_EINTR);
    CHECK_EQ(t->regs.rip, 0x400100);
}

static void post_usr1(struct lx_task *t)
{
    call(sys_kill, &task[0], (uint64_t)t->proc->pid, LX_SIGUSR1, 0, 0);
}

static void test_sigsuspend(void)
{
    world();
    struct lx_task *t = &task[1];
    handle(t, LX_SIGUSR1, HANDLER, LX_SA_RESTORER, 0);
    t->sigmask = LX_SIGBIT(LX_SIGUSR1) | LX_SIGBIT(LX_SIGHUP);
    uint64_t during = LX_SIGBIT(LX_SIGINT);
    memcpy(&mem[SCRATCH - MEM_BASE], &during, 8);
    CHECK_EQ(call(sys_rt_sigsuspend, t, SCRATCH, 4, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigsuspend, t, 0x10, 8, 0, 0), -LX_EFAULT);
    while_asleep = post_usr1;
    t->nr = LX_NR_rt_sigsuspend;
    CHECK_EQ(call(sys_rt_sigsuspend, t, SCRATCH, 8, 0, 0), LX_REGS_SET);
    CHECK_EQ(t->regs.rip, HANDLER);
    CHECK_EQ(t->sigmask, LX_SIGBIT(LX_SIGINT) | LX_SIGBIT(LX_SIGUSR1));
    struct lx_sigframe f = frame_at(t->regs.rsp);
    CHECK_EQ(f.uc.sigmask, LX_SIGBIT(LX_SIGUSR1) | LX_SIGBIT(LX_SIGHUP));
    CHECK_EQ(f.uc.mcontext.rax, (uint64_t)-LX_EINTR);
    CHECK_EQ(handler_returns(t), LX_REGS_SET);
    CHECK_EQ(t->sigmask, LX_SIGBIT(LX_SIGUSR1) | LX_SIGBIT(LX_SIGHUP));
    CHECK_EQ((long)t->regs.rax, -LX_EINTR);

    /* pause: -EINTR, then the handler as for any call */
    world();
    handle(t, LX_SIGUSR1, HANDLER, LX_SA_RESTORER | LX_SA_RESTART, 0);
    while_asleep = post_usr1;
    CHECK_EQ(call(sys_pause, t, 0, 0, 0, 0), -LX_EINTR);
}

static void test_sigtimedwait(void)
{
    world();
    struct lx_task *t = &task[1];
    uint64_t set = LX_SIGBIT(LX_SIGUSR2);
    struct lx_timespec ts = {0, 5000};
    memcpy(&mem[SCRATCH - MEM_BASE], &set, 8);
    memcpy(&mem[SCRATCH + 8 - MEM_BASE], &ts, sizeof(ts));
    t->sigmask = set;
    CHECK_EQ(call(sys_rt_sigtimedwait, t, SCRATCH, 0, SCRATCH + 8, 4), -LX_EINVAL);
    uint64_t before = mono;
    CHECK_EQ(call(sys_rt_sigtimedwait, t, SCRATCH, 0, SCRATCH + 8, 8), -LX_EAGAIN);
    CHECK_EQ(mono - before, 5000);
    call(sys_tkill, &task[0], 2, LX_SIGUSR2, 0, 0);
    CHECK_EQ(call(sys_rt_sigtimedwait, t, SCRATCH, SCRATCH + 32, 0, 8), LX_SIGUSR2);
    struct lx_siginfo si;
    memcpy(&si, &mem[SCRATCH + 32 - MEM_BASE], sizeof(si));
    CHECK_EQ(si.signo, LX_SIGUSR2);
    CHECK_EQ(si.code, LX_SI_TKILL);
    CHECK_EQ(si.u.kill.pid, 1);
    CHECK_EQ(t->sigmask, set);
    CHECK_EQ(t->sigpending, 0);
    ts.nsec = LX_NS;
    memcpy(&mem[SCRATCH + 8 - MEM_BASE], &ts, sizeof(ts));
    CHECK_EQ(call(sys_rt_sigtimedwait, t, SCRATCH, 0, SCRATCH + 8, 8), -LX_EINVAL);
    CHECK_EQ(call(sys_rt_sigtimedwait, t, 0x10, 0, 0, 8), -LX_EFAULT);
}

/* --- faults, the alternate stack ------------------------------------------------------------ */

static void test_fault(void)
{
    world();
    struct lx_task *t = &task[1];
    handle(t, LX_SIGSEGV, HANDLER, LX_SA_RESTORER | LX_SA_SIGINFO, 0);
    call(sys_kill, t, 2, LX_SIGINT, 0, 0);
    t->sigmask = LX_SIGBIT(LX_SIGINT);
    t->in_call = true; /* the core's fault path */
    lx_signal_fault(t, LX_SIGSEGV, 1, 0xdead000);
    t->in_call = false;
    CHECK_EQ(t->regs.rip, HANDLER);
    struct lx_sigframe f = frame_at(t->regs.rsp);
    CHECK_EQ(f.info.signo, LX_SIGSEGV);
    CHECK_EQ(f.info.code, 1);
    CHECK_EQ(f.info.u.addr, 0xdead000);
    CHECK_EQ(f.uc.mcontext.cr2, 0xdead000);
    CHECK_EQ(f.uc.mcontext.trapno, 14);
    /* the same fault inside the handler: SIGSEGV is blocked there, so it kills */
    lx_signal_fault(t, LX_SIGSEGV, 1, 0xdead000);
    CHECK_EQ(proc[1].state, LX_PROC_ZOMBIE);
    CHECK_EQ(proc[1].exit_status, LX_SIGSEGV);

    world();
    handle(&task[1], LX_SIGFPE, LX_SIG_IGN, 0, 0);
    lx_signal_fault(&task[1], LX_SIGFPE, 1, 0x400100);
    CHECK_EQ(proc[1].exit_status, LX_SIGFPE);
    lx_signal_fault(&task[1], 99, 1, 0); /* out of range: nothing */
}

static void test_altstack(void)
{
    world();
    struct lx_task *t = &task[1];
    struct lx_stack ss = {MEM_BASE + 0x1000, 0, 0, 0x2000};
    memcpy(&mem[SCRATCH - MEM_BASE], &ss, sizeof(ss));
    CHECK_EQ(call(sys_sigaltstack, t, SCRATCH, SCRATCH + 64, 0, 0), 0);
    struct lx_stack old;
    memcpy(&old, &mem[SCRATCH + 64 - MEM_BASE], sizeof(old));
    CHECK_EQ(old.flags, LX_SS_DISABLE);
    handle(t, LX_SIGUSR1, HANDLER, LX_SA_RESTORER | LX_SA_ONSTACK, 0);
    call(sys_kill, t, 2, LX_SIGUSR1, 0, 0);
    CHECK(lx_signal_deliver(t));
    CHECK(t->regs.rsp < MEM_BASE + 0x3000 && t->regs.rsp > MEM_BASE + 0x1000);
    struct lx_sigframe f = frame_at(t->regs.rsp);
    CHECK_EQ(f.uc.stack.sp, MEM_BASE + 0x1000);
    CHECK_EQ(f.uc.stack.size, 0x2000);
    CHECK_EQ(f.uc.stack.flags, 0);
    /* on it: it cannot be changed, and sigaltstack says so */
    CHECK_EQ(call(sys_sigaltstack, t, SCRATCH, 0, 0, 0), -LX_EPERM);
    CHECK_EQ(call(sys_sigaltstack, t, 0, SCRATCH + 64, 0, 0), 0);
    memcpy(&old, &mem[SCRATCH + 64 - MEM_BASE], sizeof(old));
    CHECK_EQ(old.flags, LX_SS_ONSTACK);
    CHECK_EQ(handler_returns(t), LX_REGS_SET);
    CHECK_EQ(t->regs.rsp, STACK_TOP - 0x100);

    ss.flags = 5;
    memcpy(&mem[SCRATCH - MEM_BASE], &ss, sizeof(ss));
    CHECK_EQ(call(sys_sigaltstack, t, SCRATCH, 0, 0, 0), -LX_EINVAL);
    ss.flags = 0;
    ss.size = 100;
    memcpy(&mem[SCRATCH - MEM_BASE], &ss, sizeof(ss));
    CHECK_EQ(call(sys_sigaltstack, t, SCRATCH, 0, 0, 0), -LX_ENOMEM);
    ss.flags = LX_SS_DISABLE;
    memcpy(&mem[SCRATCH - MEM_BASE], &ss, sizeof(ss));
    CHECK_EQ(call(sys_sigaltstack, t, SCRATCH, 0, 0, 0), 0);
    CHECK_EQ(t->altstack.size, 0);
    CHECK_EQ(call(sys_sigaltstack, t, 0x10, 0, 0, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_sigaltstack, t, 0, RO_BASE, 0, 0), -LX_EFAULT);
}

/* --- kill and its relatives --------------------------------------------------------------- */

static void test_kill(void)
{
    world();
    struct lx_task *t = &task[1];
    CHECK_EQ(call(sys_kill, t, 99, 0, 0, 0), -LX_ESRCH);
    CHECK_EQ(call(sys_kill, t, 3, 0, 0, 0), 0);
    CHECK_EQ(call(sys_kill, t, 3, 65, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_kill, t, 3, (uint64_t)-1, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_kill, t, (uint64_t)-99, LX_SIGUSR1, 0, 0), -LX_ESRCH);
    CHECK_EQ(call(sys_kill, t, (uint64_t)INT32_MIN, LX_SIGUSR1, 0, 0), -LX_ESRCH);
    /* the own group (2 and 3) */
    CHECK_EQ(call(sys_kill, t, 0, LX_SIGUSR1, 0, 0), 0);
    CHECK_EQ(proc[1].sigpending, LX_SIGBIT(LX_SIGUSR1));
    CHECK_EQ(proc[2].sigpending, LX_SIGBIT(LX_SIGUSR1));
    CHECK_EQ(proc[0].sigpending, 0);
    /* -1: all but init and the caller */
    CHECK_EQ(call(sys_kill, t, (uint64_t)-1, LX_SIGUSR2, 0, 0), 0);
    CHECK_EQ(proc[2].sigpending, LX_SIGBIT(LX_SIGUSR1) | LX_SIGBIT(LX_SIGUSR2));
    CHECK_EQ(proc[1].sigpending, LX_SIGBIT(LX_SIGUSR1));
    CHECK_EQ(proc[0].sigpending, 0);
    CHECK_EQ(lx_kill_pgrp(1, LX_SIGHUP), 0);
    CHECK_EQ(proc[0].sigpending, LX_SIGBIT(LX_SIGHUP));
    CHECK_EQ(lx_kill_pgrp(42, LX_SIGHUP), -LX_ESRCH);
    /* a zombie takes it and nothing happens */
    proc[2].state = LX_PROC_ZOMBIE;
    proc[2].sigpending = 0;
    CHECK_EQ(call(sys_kill, t, 3, LX_SIGTERM, 0, 0), 0);
    CHECK_EQ(proc[2].sigpending, 0);
    CHECK_EQ(lx_kill_proc(NULL, LX_SIGTERM), -LX_ESRCH);

    CHECK_EQ(call(sys_tgkill, t, 0, 2, LX_SIGUSR1, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_tgkill, t, 2, 0, LX_SIGUSR1, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_tgkill, t, 2, 2, 65, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_tgkill, t, 1, 2, LX_SIGUSR1, 0), -LX_ESRCH); /* 2 is not in 1 */
    CHECK_EQ(call(sys_tgkill, t, 2, 4, LX_SIGUSR2, 0), 0);
    CHECK_EQ(task[3].sigpending, LX_SIGBIT(LX_SIGUSR2));
    CHECK_EQ(call(sys_tkill, t, 77, LX_SIGUSR1, 0, 0), -LX_ESRCH);
    CHECK_EQ(call(sys_tkill, t, (uint64_t)-2, LX_SIGUSR1, 0, 0), -LX_EINVAL);
}

static void test_sigchld(void)
{
    world();
    CHECK(lx_sig_autoreap(&proc[0]) == false);
    handle(&task[0], LX_SIGCHLD, HANDLER, LX_SA_RESTORER | LX_SA_SIGINFO | LX_SA_NOCLDWAIT, 0);
    CHECK(lx_sig_autoreap(&proc[0]));
    CHECK_EQ(lx_kill_child(&proc[0], 1, 3, 7 << 8), 0);
    CHECK(lx_signal_deliver(&task[0]));
    struct lx_sigframe f = frame_at(task[0].regs.rsp);
    CHECK_EQ(f.info.signo, LX_SIGCHLD);
    CHECK_EQ(f.info.code, 1);
    CHECK_EQ(f.info.u.kill.pid, 3);
    CHECK_EQ(f.info.u.kill.status, 7 << 8);
    handle(&task[0], LX_SIGCHLD, LX_SIG_IGN, 0, 0);
    CHECK(lx_sig_autoreap(&proc[0]));

    /* fork and exec */
    struct lx_task child = {0};
    task[0].altstack = (struct lx_altstack){MEM_BASE, 0x1000, 0};
    task[0].sigmask = 5;
    lx_sig_task_fork(&child, &task[0], false);
    CHECK_EQ(child.sigmask, 5);
    CHECK_EQ(child.altstack.size, 0x1000);
    lx_sig_task_fork(&child, &task[0], true);
    CHECK_EQ(child.altstack.size, 0);
    lx_sig_task_exec(&task[0]);
    CHECK_EQ(task[0].altstack.size, 0);
    struct lx_sig *s = lx_sig_dup(proc[0].sig);
    handle(&task[0], LX_SIGUSR1, HANDLER, LX_SA_RESTORER, 0);
    lx_sig_exec(proc[0].sig);
    CHECK(lx_sig_autoreap(&proc[0])); /* SIG_IGN stays */
    call(sys_kill, &task[0], 1, LX_SIGUSR1, 0, 0);
    CHECK(!lx_signal_deliver(&task[0])); /* the handler is gone: default */
    lx_sig_get(s);
    lx_sig_put(s);
    lx_sig_put(s);
}

/* --- time ----------------------------------------------------------------------------------- */

static void test_clocks(void)
{
    world();
    struct lx_task *t = &task[1];
    struct lx_timespec ts;
    CHECK_EQ(call(sys_clock_gettime, t, 1, SCRATCH, 0, 0), 0);
    memcpy(&ts, &mem[SCRATCH - MEM_BASE], sizeof(ts));
    CHECK_EQ(ts.sec, 1000);
    CHECK_EQ(ts.nsec, 0);
    CHECK_EQ(call(sys_clock_gettime, t, 0, SCRATCH, 0, 0), 0);
    memcpy(&ts, &mem[SCRATCH - MEM_BASE], sizeof(ts));
    CHECK_EQ(ts.sec, 1700000000);
    for (uint64_t id = 0; id < 12; id++) {
        long want = id == 8 || id == 9 || id == 10 ? -LX_EINVAL : 0;
        CHECK_EQ(call(sys_clock_gettime, t, id, SCRATCH, 0, 0), want);
        CHECK_EQ(call(sys_clock_getres, t, id, 0, 0, 0), want);
    }
    CHECK_EQ(call(sys_clock_gettime, t, (uint64_t)-6, SCRATCH, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_clock_gettime, t, 1, RO_BASE, 0, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_clock_getres, t, 1, SCRATCH, 0, 0), 0);
    memcpy(&ts, &mem[SCRATCH - MEM_BASE], sizeof(ts));
    CHECK_EQ(ts.nsec, 1);
    CHECK_EQ(call(sys_gettimeofday, t, SCRATCH, 0, 0, 0), 0);
    CHECK_EQ(call(sys_gettimeofday, t, 0, SCRATCH + 32, 0, 0), 0);
    CHECK_EQ(call(sys_gettimeofday, t, RO_BASE, 0, 0, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_time, t, 0, 0, 0, 0), 1700000000);
    CHECK_EQ(call(sys_time, t, RO_BASE, 0, 0, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_times, t, SCRATCH, 0, 0, 0), 1000 * 100);
}

static void put_ts(uint64_t addr, int64_t sec, int64_t nsec)
{
    struct lx_timespec ts = {sec, nsec};
    memcpy(&mem[addr - MEM_BASE], &ts, sizeof(ts));
}

static void half_then_signal(struct lx_task *t)
{
    advance(LX_NS / 2);
    post_usr1(t);
}

static void test_sleeps(void)
{
    world();
    struct lx_task *t = &task[1];
    put_ts(SCRATCH, 2, 0);
    uint64_t before = mono;
    CHECK_EQ(call(sys_nanosleep, t, SCRATCH, 0, 0, 0), 0);
    CHECK_EQ(mono - before, 2 * LX_NS);
    put_ts(SCRATCH, 0, LX_NS);
    CHECK_EQ(call(sys_nanosleep, t, SCRATCH, 0, 0, 0), -LX_EINVAL);
    put_ts(SCRATCH, -1, 0);
    CHECK_EQ(call(sys_nanosleep, t, SCRATCH, 0, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_nanosleep, t, 0x10, 0, 0, 0), -LX_EFAULT);
    put_ts(SCRATCH, INT64_MAX, 0); /* no overflow: a very long sleep */
    CHECK_EQ(call(sys_nanosleep, t, SCRATCH, 0, 0, 0), 0);

    world();
    handle(t, LX_SIGUSR1, HANDLER, LX_SA_RESTORER, 0);
    put_ts(SCRATCH, 2, 0);
    while_asleep = half_then_signal;
    CHECK_EQ(call(sys_nanosleep, t, SCRATCH, SCRATCH + 16, 0, 0), -LX_EINTR);
    struct lx_timespec rem;
    memcpy(&rem, &mem[SCRATCH + 16 - MEM_BASE], sizeof(rem));
    CHECK_EQ(rem.sec, 1);
    CHECK_EQ(rem.nsec, LX_NS / 2);
    while_asleep = half_then_signal;
    CHECK_EQ(call(sys_nanosleep, t, SCRATCH, RO_BASE, 0, 0), -LX_EFAULT);

    /* clock_nanosleep: absolute on both clocks, and the clocks it refuses */
    world();
    put_ts(SCRATCH, 1005, 0);
    CHECK_EQ(call(sys_clock_nanosleep, t, 1, 1, SCRATCH, 0), 0);
    CHECK_EQ(mono, 1005 * LX_NS);
    put_ts(SCRATCH, 1700000000 + 10, 0); /* realtime, 10 s after the start */
    CHECK_EQ(call(sys_clock_nanosleep, t, 0, 1, SCRATCH, 0), 0);
    CHECK_EQ(wall, (1700000000ull + 10) * LX_NS);
    put_ts(SCRATCH, 1, 0);
    CHECK_EQ(call(sys_clock_nanosleep, t, 1, 1, SCRATCH, 0), 0); /* passed: at once */
    CHECK_EQ(call(sys_clock_nanosleep, t, 4, 0, SCRATCH, 0), -LX_EOPNOTSUPP);
    CHECK_EQ(call(sys_clock_nanosleep, t, 3, 0, SCRATCH, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_clock_nanosleep, t, 77, 0, SCRATCH, 0), -LX_EINVAL);
}

static void test_alarm(void)
{
    world();
    struct lx_task *t = &task[1];
    CHECK_EQ(call(sys_alarm, t, 5, 0, 0, 0), 0);
    CHECK_EQ(lx_itimer_run(mono), mono + 5 * LX_NS);
    advance(LX_NS + LX_NS / 2);
    CHECK_EQ(call(sys_alarm, t, 2, 0, 0, 0), 4); /* 3.5 s left: rounded */
    advance(2 * LX_NS);
    CHECK_EQ(lx_itimer_run(mono), 0);
    CHECK_EQ(proc[1].sigpending, LX_SIGBIT(LX_SIGALRM));
    CHECK(!lx_signal_deliver(t));
    CHECK_EQ(proc[1].exit_status, LX_SIGALRM);

    world();
    struct lx_timeval v[2] = {{0, 100000}, {1, 0}}; /* every 0.1 s after 1 s */
    memcpy(&mem[SCRATCH - MEM_BASE], v, sizeof(v));
    CHECK_EQ(call(sys_setitimer, t, 0, SCRATCH, SCRATCH + 32, 0), 0);
    CHECK_EQ(call(sys_getitimer, t, 0, SCRATCH + 32, 0, 0), 0);
    memcpy(v, &mem[SCRATCH + 32 - MEM_BASE], sizeof(v));
    CHECK_EQ(v[0].usec, 100000);
    CHECK_EQ(v[1].sec, 1);
    advance(LX_NS);
    CHECK_EQ(lx_itimer_run(mono), mono + LX_NS / 10);
    CHECK_EQ(proc[1].sigpending, LX_SIGBIT(LX_SIGALRM));
    CHECK_EQ(call(sys_setitimer, t, 0, 0, 0, 0), 0); /* none: disarmed */
    CHECK_EQ(lx_itimer_run(mono + LX_NS), 0);
    CHECK_EQ(call(sys_getitimer, t, 1, SCRATCH, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_getitimer, t, 0, RO_BASE, 0, 0), -LX_EFAULT);
    v[1].usec = 1000000;
    memcpy(&mem[SCRATCH - MEM_BASE], v, sizeof(v));
    CHECK_EQ(call(sys_setitimer, t, 0, SCRATCH, 0, 0), -LX_EINVAL);
    /* fork: limits kept, no timer */
    CHECK_EQ(call(sys_alarm, t, 5, 0, 0, 0), 0);
    struct lx_proc child = {0};
    CHECK_EQ(lx_pmisc_fork(&child, &proc[1]), 0);
    CHECK(child.misc && !child.misc->alarm_at);
    lx_pmisc_free(&child);
}

/* --- futex ---------------------------------------------------------------------------------- */

#define FUTEX (MEM_BASE + 0xe000)
static long woke;

static void wake_from_thread(struct lx_task *t)
{
    (void)t;
    woke = call(sys_futex, &task[3], FUTEX, 129 /* WAKE | PRIVATE */, 1, 0);
}

static void wake_from_other_mm(struct lx_task *t)
{
    (void)t;
    woke = call(sys_futex, &task[0], FUTEX, 1, 10, 0);
}

static void requeue_then_wake(struct lx_task *t)
{
    (void)t;
    const uint64_t a[6] = {FUTEX, 4 /* CMP_REQUEUE */, 0, 1, FUTEX + 4, 7};
    woke = sys_futex(&task[3], a);
    lx_futex_wake_addr(proc[1].mm, FUTEX + 4, 1);
}

static void test_futex(void)
{
    world();
    struct lx_task *t = &task[1];
    uint32_t v = 7;
    memcpy(&mem[FUTEX - MEM_BASE], &v, 4);
    CHECK_EQ(call(sys_futex, t, FUTEX, 0, 8, 0), -LX_EAGAIN);
    CHECK_EQ(call(sys_futex, t, FUTEX + 2, 0, 7, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_futex, t, FUTEX + 2, 1, 1, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_futex, t, 0x10, 0, 7, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_futex, t, FUTEX, 0 | 256, 7, 0), -LX_ENOSYS);
    CHECK_EQ(call(sys_futex, t, FUTEX, 5 /* WAKE_OP */, 7, 0), -LX_ENOSYS);
    CHECK_EQ(call(sys_futex, t, FUTEX, 99, 7, 0), -LX_ENOSYS);
    const uint64_t nobits[6] = {FUTEX, 9, 7, 0, 0, 0};
    CHECK_EQ(sys_futex(t, nobits), -LX_EINVAL);
    CHECK_EQ(call(sys_futex, t, FUTEX, 1, 1, 0), 0); /* nobody waits */

    /* a timeout */
    put_ts(SCRATCH, 0, 1000);
    uint64_t before = mono;
    CHECK_EQ(call(sys_futex, t, FUTEX, 128, 7, SCRATCH), -LX_ETIMEDOUT);
    CHECK_EQ(mono - before, 1000);
    put_ts(SCRATCH, 0, -1);
    CHECK_EQ(call(sys_futex, t, FUTEX, 128, 7, SCRATCH), -LX_EINVAL);
    CHECK_EQ(call(sys_futex, t, FUTEX, 128, 7, 0x10), -LX_EFAULT);
    /* WAIT_BITSET: absolute, on the realtime clock */
    put_ts(SCRATCH, 1700000000 + 3, 0);
    const uint64_t abs[6] = {FUTEX, 9 | 256, 7, SCRATCH, 0, 1};
    CHECK_EQ(sys_futex(t, abs), -LX_ETIMEDOUT);
    CHECK_EQ(wall, (1700000000ull + 3) * LX_NS);

    /* woken by a thread of the same mm; not by another process's */
    while_asleep = wake_from_thread;
    CHECK_EQ(call(sys_futex, t, FUTEX, 128, 7, 0), 0);
    CHECK_EQ(woke, 1);
    while_asleep = wake_from_other_mm;
    CHECK_EQ(call(sys_futex, t, FUTEX, 0, 7, 0), -LX_EINTR); /* (the stand-in's "signal") */
    CHECK_EQ(woke, 0);
    CHECK_EQ(call(sys_futex, t, FUTEX, 1, 1, 0), 0); /* the interrupted waiter left */
    /* a bitset that does not meet the waiter's */
    const uint64_t bits1[6] = {FUTEX, 9, 7, 0, 0, 1};
    const uint64_t wake2[6] = {FUTEX, 10, 5, 0, 0, 2};
    while_asleep = NULL;
    CHECK_EQ(sys_futex(t, bits1), -LX_EINTR);
    CHECK_EQ(sys_futex(&task[3], wake2), 0);
    /* CMP_REQUEUE: the waiter moves to the second futex, where it is woken */
    while_asleep = requeue_then_wake;
    CHECK_EQ(call(sys_futex, t, FUTEX, 0, 7, 0), 0);
    CHECK_EQ(woke, 1);
    const uint64_t cmp_bad[6] = {FUTEX, 4, 0, 1, FUTEX + 4, 8};
    CHECK_EQ(sys_futex(t, cmp_bad), -LX_EAGAIN);
}

/* --- identity and the rest ------------------------------------------------------------------ */

static void test_identity(void)
{
    world();
    struct lx_task *t = &task[1];
    CHECK_EQ(call(sys_uname, t, SCRATCH, 0, 0, 0), 0);
    const char *u = (const char *)&mem[SCRATCH - MEM_BASE];
    CHECK(!strcmp(u, "Linux"));
    CHECK(!strcmp(u + 65, "coffer"));
    CHECK(!strcmp(u + 2 * 65, "6.1.0-coffer"));
    CHECK(!strcmp(u + 4 * 65, "x86_64"));
    CHECK(!strcmp(u + 5 * 65, "(none)"));
    CHECK_EQ(call(sys_uname, t, RO_BASE, 0, 0, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_getuid, t, 0, 0, 0, 0), 0);
    CHECK_EQ(call(sys_getegid, t, 0, 0, 0, 0), 0);
    CHECK_EQ(call(sys_setuid, t, 0, 0, 0, 0), 0);
    CHECK_EQ(call(sys_setuid, t, 1000, 0, 0, 0), -LX_EPERM);
    CHECK_EQ(call(sys_setuid, t, 0xffffffff, 0, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_setresgid, t, 0, 0xffffffff, 0, 0), 0);
    CHECK_EQ(call(sys_setresgid, t, 0, 5, 0, 0), -LX_EPERM);
    CHECK_EQ(call(sys_getresuid, t, SCRATCH, SCRATCH + 4, SCRATCH + 8, 0), 0);
    CHECK_EQ(call(sys_getresuid, t, SCRATCH, RO_BASE, SCRATCH + 8, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_getgroups, t, 0, 0, 0, 0), 0);
    CHECK_EQ(call(sys_getgroups, t, (uint64_t)-1, 0, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_setgroups, t, 0, 0, 0, 0), 0);
    CHECK_EQ(call(sys_setgroups, t, (uint64_t)-1, 0, 0, 0), -LX_EINVAL);
    memset(&mem[SCRATCH - MEM_BASE], 0, 8);
    CHECK_EQ(call(sys_setgroups, t, 2, SCRATCH, 0, 0), 0);
    mem[SCRATCH + 4 - MEM_BASE] = 1;
    CHECK_EQ(call(sys_setgroups, t, 2, SCRATCH, 0, 0), -LX_EPERM);
    CHECK_EQ(call(sys_setgroups, t, 2, 0x10, 0, 0), -LX_EFAULT);

    memcpy(&mem[SCRATCH - MEM_BASE], "a-very-long-program-name", 25);
    CHECK_EQ(call(sys_prctl, t, 15, SCRATCH, 0, 0), 0);
    CHECK(!strcmp(proc[1].comm, "a-very-long-pro"));
    CHECK_EQ(call(sys_prctl, t, 16, SCRATCH + 64, 0, 0), 0);
    CHECK(!strcmp((char *)&mem[SCRATCH + 64 - MEM_BASE], "a-very-long-pro"));
    CHECK_EQ(call(sys_prctl, t, 15, 0x10, 0, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_prctl, t, 16, RO_BASE, 0, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_prctl, t, 9999, 0, 0, 0), -LX_EINVAL);

    CHECK_EQ(call(sys_set_robust_list, t, SCRATCH, 23, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_set_robust_list, t, SCRATCH, 24, 0, 0), 0);
    CHECK_EQ(call(sys_get_robust_list, t, 0, SCRATCH + 64, SCRATCH + 72, 0), 0);
    CHECK_EQ(*(uint64_t *)&mem[SCRATCH + 64 - MEM_BASE], SCRATCH);
    CHECK_EQ(*(uint64_t *)&mem[SCRATCH + 72 - MEM_BASE], 24);
    CHECK_EQ(call(sys_get_robust_list, t, 77, SCRATCH, SCRATCH, 0), -LX_ESRCH);

    CHECK_EQ(call(sys_sched_getaffinity, t, 0, 8, SCRATCH, 0), 8);
    CHECK_EQ(*(uint64_t *)&mem[SCRATCH - MEM_BASE], 1);
    CHECK_EQ(call(sys_sched_getaffinity, t, 0, 4, SCRATCH, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_sched_getaffinity, t, 77, 8, SCRATCH, 0), -LX_ESRCH);
    CHECK_EQ(call(sys_getcpu, t, SCRATCH, 0, 0, 0), 0);
    CHECK_EQ(call(sys_sysinfo, t, SCRATCH, 0, 0, 0), 0);
    CHECK_EQ(*(uint16_t *)&mem[SCRATCH + 80 - MEM_BASE], 4); /* threads */
    CHECK_EQ(call(sys_getrusage, t, 2, SCRATCH, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_getrusage, t, (uint64_t)-1, SCRATCH, 0, 0), 0);
    CHECK_EQ(call(sys_getrusage, t, 0, RO_BASE, 0, 0), -LX_EFAULT);
}

static void test_rlimits(void)
{
    world();
    struct lx_task *t = &task[1];
    struct lx_rlimit r;
    CHECK_EQ(call(sys_getrlimit, t, LX_RLIMIT_NOFILE, SCRATCH, 0, 0), 0);
    memcpy(&r, &mem[SCRATCH - MEM_BASE], sizeof(r));
    CHECK_EQ(r.cur, 256);
    CHECK_EQ(r.max, 256);
    CHECK_EQ(lx_rlimit_cur(&proc[1], LX_RLIMIT_STACK), 8 << 20);
    r = (struct lx_rlimit){512, 512};
    memcpy(&mem[SCRATCH - MEM_BASE], &r, sizeof(r));
    CHECK_EQ(call(sys_setrlimit, t, LX_RLIMIT_NOFILE, SCRATCH, 0, 0), -LX_EPERM);
    r = (struct lx_rlimit){200, 100};
    memcpy(&mem[SCRATCH - MEM_BASE], &r, sizeof(r));
    CHECK_EQ(call(sys_setrlimit, t, LX_RLIMIT_NOFILE, SCRATCH, 0, 0), -LX_EINVAL);
    r = (struct lx_rlimit){64, 128};
    memcpy(&mem[SCRATCH - MEM_BASE], &r, sizeof(r));
    CHECK_EQ(call(sys_setrlimit, t, LX_RLIMIT_NOFILE, SCRATCH, 0, 0), 0);
    CHECK_EQ(lx_rlimit_cur(&proc[1], LX_RLIMIT_NOFILE), 64);
    CHECK_EQ(lx_rlimit_cur(&proc[2], LX_RLIMIT_NOFILE), 256);
    CHECK_EQ(call(sys_setrlimit, t, 16, SCRATCH, 0, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_getrlimit, t, 1, RO_BASE, 0, 0), -LX_EFAULT);
    /* prlimit64 on another process: its limits, and old before new */
    CHECK_EQ(call(sys_prlimit64, t, 3, LX_RLIMIT_NOFILE, SCRATCH, SCRATCH + 16), 0);
    memcpy(&r, &mem[SCRATCH + 16 - MEM_BASE], sizeof(r));
    CHECK_EQ(r.cur, 256);
    CHECK_EQ(lx_rlimit_cur(&proc[2], LX_RLIMIT_NOFILE), 64);
    CHECK_EQ(call(sys_prlimit64, t, 99, LX_RLIMIT_NOFILE, 0, SCRATCH), -LX_ESRCH);
    CHECK_EQ(call(sys_prlimit64, t, 0, LX_RLIMIT_NOFILE, 0x10, 0), -LX_EFAULT);
}

static void test_getrandom(void)
{
    world();
    struct lx_task *t = &task[1];
    CHECK_EQ(call(sys_getrandom, t, SCRATCH, 300, 0, 0), 300);
    CHECK_EQ(call(sys_getrandom, t, SCRATCH + 512, 300, 1 | 2, 0), 300);
    CHECK(memcmp(&mem[SCRATCH - MEM_BASE], &mem[SCRATCH + 512 - MEM_BASE], 300));
    int zeros = 0;
    for (int i = 0; i < 300; i++)
        zeros += mem[SCRATCH - MEM_BASE + i] == 0;
    CHECK(zeros < 10);
    CHECK_EQ(call(sys_getrandom, t, SCRATCH, 8, 8, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_getrandom, t, SCRATCH, 8, 2 | 4, 0), -LX_EINVAL);
    CHECK_EQ(call(sys_getrandom, t, RO_BASE, 8, 0, 0), -LX_EFAULT);
    CHECK_EQ(call(sys_getrandom, t, MEM_BASE + MEM_SIZE - 256, 1000, 0, 0), 256); /* short */
    CHECK_EQ(call(sys_getrandom, t, 0, 0, 0, 0), 0);
}

int main(void)
{
    RUN("linux_sig", test_frame_round_trip);
    RUN("linux_sig", test_sigreturn_forged);
    RUN("linux_sig", test_frame_cannot_be_written);
    RUN("linux_sig", test_default_actions);
    RUN("linux_sig", test_ignore_and_block);
    RUN("linux_sig", test_process_signal_goes_to_a_thread_that_takes_it);
    RUN("linux_sig", test_resethand_nodefer);
    RUN("linux_sig", test_sigaction_errors);
    RUN("linux_sig", test_sigprocmask);
    RUN("linux_sig", test_restart);
    RUN("linux_sig", test_sigsuspend);
    RUN("linux_sig", test_sigtimedwait);
    RUN("linux_sig", test_fault);
    RUN("linux_sig", test_altstack);
    RUN("linux_sig", test_kill);
    RUN("linux_sig", test_sigchld);
    RUN("linux_sig", test_clocks);
    RUN("linux_sig", test_sleeps);
    RUN("linux_sig", test_alarm);
    RUN("linux_sig", test_futex);
    RUN("linux_sig", test_identity);
    RUN("linux_sig", test_rlimits);
    RUN("linux_sig", test_getrandom);
    world();
    return CHECK_DONE();
}
