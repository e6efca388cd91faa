/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests of the Linux personality's AArch64 signal frame (user/linux/arch/aarch64/
 * signal_frame.c), built here with AArch64's struct l4_regs (tests/host/a64) over a fake user
 * memory: what a handler starts with, the frame and its record, the way back (x30), the round
 * trip through rt_sigreturn, and every frame the server refuses to build or to resume.
 */
// uses: -Itests/host/a64 -Iuser/linux -Iuser/linux/arch/aarch64 -Iuser/lib user/linux/signal_stack.c user/linux/arch/aarch64/signal_frame.c
#define main coffer_main /* l4.h declares a Coffer program's main */
#include "lx_frame.h"
#undef main

#include "check.h"

#include <string.h>

#define MEM_BASE 0x10000000ull
#define MEM_SIZE 0x10000ull
#define HANDLER  0x400800ull
#define RESTORER 0x400900ull
static uint8_t mem[MEM_SIZE];

int lx_copy_in(struct lx_task *t, void *dst, uint64_t src, size_t len)
{
    (void)t;
    if (src < MEM_BASE || src - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (src - MEM_BASE))
        return -LX_EFAULT;
    memcpy(dst, &mem[src - MEM_BASE], len);
    return 0;
}

int lx_copy_out(struct lx_task *t, uint64_t dst, const void *src, size_t len)
{
    (void)t;
    if (dst < MEM_BASE || dst - MEM_BASE > MEM_SIZE || len > MEM_SIZE - (dst - MEM_BASE))
        return -LX_EFAULT;
    memcpy(&mem[dst - MEM_BASE], src, len);
    return 0;
}

static struct lx_task task;

/* A thread interrupted with every register its own value, sp near the memory's top */
static struct lx_task *fresh(void)
{
    memset(&task, 0, sizeof(task));
    memset(mem, 0, sizeof(mem));
    for (int i = 0; i < 31; i++)
        task.regs.x[i] = 0x1000 + (uint64_t)i;
    task.regs.sp = MEM_BASE + MEM_SIZE - 0x108; /* not 16-aligned: the frame must be */
    task.regs.pc = 0x400100;
    task.regs.pstate = 0x60000000;
    task.regs.tpidr_el0 = 0x7000;
    return &task;
}

static const struct lx_sigsource segv = {.code = 1, .addr = 0xdead000};

static void test_handler_starts(void)
{
    struct lx_task *t = fresh();
    struct l4_regs before = t->regs;
    struct lx_sigaction act = {.handler = HANDLER};

    CHECK_EQ(lx_frame_push(t, LX_SIGSEGV, &act, &segv, 0x5), 0);
    struct l4_regs *r = &t->regs;
    CHECK_EQ(r->pc, HANDLER);
    CHECK_EQ(r->sp % 16, 0);
    CHECK(r->sp + sizeof(struct lx_sigframe) <= before.sp);
    CHECK_EQ(r->x[0], LX_SIGSEGV);
    CHECK_EQ(r->x[1], r->sp + offsetof(struct lx_sigframe, info));
    CHECK_EQ(r->x[2], r->sp + offsetof(struct lx_sigframe, uc));
    CHECK_EQ(r->x[30], LX_SIGPAGE); /* no SA_RESTORER: the trampoline page */
    /* x29: a frame record above the frame, 16-aligned, holding the interrupted x29 and x30 */
    CHECK_EQ(r->x[29] % 16, 0);
    CHECK(r->x[29] >= r->sp + sizeof(struct lx_sigframe) && r->x[29] + 16 <= before.sp);
    struct lx_frame_record rec;
    CHECK_EQ(lx_copy_in(t, &rec, r->x[29], sizeof(rec)), 0);
    CHECK_EQ(rec.fp, before.x[29]);
    CHECK_EQ(rec.lr, before.x[30]);
    CHECK_EQ(r->tpidr_el0, before.tpidr_el0);

    static struct lx_sigframe f;
    CHECK_EQ(lx_copy_in(t, &f, r->sp, sizeof(f)), 0);
    CHECK_EQ(f.info.signo, LX_SIGSEGV);
    CHECK_EQ(f.info.code, 1);
    CHECK_EQ(f.info.u.addr, 0xdead000);
    CHECK_EQ(f.uc.mcontext.fault_address, 0xdead000);
    CHECK_EQ(f.uc.sigmask, 0x5);
    CHECK(!memcmp(f.uc.mcontext.regs, before.x, sizeof(before.x)));
    CHECK_EQ(f.uc.mcontext.sp, before.sp);
    CHECK_EQ(f.uc.mcontext.pc, before.pc);
    CHECK_EQ(f.uc.mcontext.pstate, before.pstate);
    /* no FP/SIMD record: __reserved's list is only its terminating empty header */
    uint32_t head[2];
    memcpy(head, f.uc.mcontext.reserved, sizeof(head));
    CHECK_EQ(head[0], 0);
    CHECK_EQ(head[1], 0);
    CHECK_EQ(f.uc.stack.flags, LX_SS_DISABLE);
}

static void test_restorer_given(void)
{
    struct lx_task *t = fresh();
    struct lx_sigaction act = {.handler = HANDLER, .flags = LX_SA_RESTORER, .restorer = RESTORER};
    struct lx_sigsource kill = {.code = 0, .pid = 7};

    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &kill, 0), 0);
    CHECK_EQ(t->regs.x[30], RESTORER);
    struct lx_sigframe *f = (struct lx_sigframe *)&mem[t->regs.sp - MEM_BASE];
    CHECK_EQ(f->info.u.kill.pid, 7);
    CHECK_EQ(f->uc.mcontext.fault_address, 0); /* not a fault */
}

static void test_round_trip(void)
{
    struct lx_task *t = fresh();
    struct l4_regs before = t->regs;
    struct lx_sigaction act = {.handler = HANDLER};

    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &segv, 0x3), 0);
    /* the handler ran and returned to the trampoline: sp where the frame starts, its other
     * registers anything; it changed x0 and the flags in the frame */
    uint64_t frame = t->regs.sp;
    struct lx_sigframe *f = (struct lx_sigframe *)&mem[frame - MEM_BASE];
    f->uc.mcontext.regs[0] = 0x77;
    f->uc.mcontext.pstate = 0xf00003c5; /* NZCV and bits a thread may not set */
    memset(t->regs.x, 0x55, sizeof(t->regs.x));
    t->regs.pc = LX_SIGPAGE + 8;
    CHECK_EQ(lx_frame_pop(t), 0);
    struct l4_regs want = before;
    want.x[0] = 0x77;
    want.pstate = (before.pstate & ~L4_PSTATE_USER) | 0xf0000000;
    CHECK(!memcmp(&t->regs, &want, sizeof(want)));
    CHECK_EQ(t->sigmask, 0x3);
}

static void test_pop_refused(void)
{
    struct lx_task *t = fresh();
    struct lx_sigaction act = {.handler = HANDLER};

    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &segv, 0), 0);
    uint64_t frame = t->regs.sp;
    struct l4_regs kept = t->regs;
    t->regs.sp = frame + 8; /* Linux wants sp 16-aligned at rt_sigreturn */
    CHECK_EQ(lx_frame_pop(t), -LX_EFAULT);
    t->regs.sp = MEM_BASE + MEM_SIZE - 0x100; /* the frame would run past the memory */
    CHECK_EQ(lx_frame_pop(t), -LX_EFAULT);
    struct lx_sigframe *f = (struct lx_sigframe *)&mem[frame - MEM_BASE];
    t->regs = kept;
    f->uc.mcontext.pc = 0xffff000040000000ull; /* the kernel's: a forged frame */
    CHECK_EQ(lx_frame_pop(t), -LX_EINVAL);
    f->uc.mcontext.pc = 0x400100;
    f->uc.mcontext.sp = LX_CANONICAL_TOP;
    CHECK_EQ(lx_frame_pop(t), -LX_EINVAL);
    CHECK(!memcmp(&t->regs, &kept, sizeof(kept))); /* nothing was taken from a refused frame */
    f->uc.mcontext.sp = MEM_BASE;
    f->uc.sigmask = ~0ull; /* SIGKILL and SIGSTOP stay unblocked */
    CHECK_EQ(lx_frame_pop(t), 0);
    CHECK_EQ(t->sigmask, ~0ull & ~LX_SIG_UNBLOCKABLE);
}

static void test_push_refused(void)
{
    struct lx_task *t = fresh();
    struct lx_sigaction act = {.handler = 0xffff000040000000ull};

    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &segv, 0), -LX_EFAULT); /* a kernel handler */
    act.handler = HANDLER;
    t->regs.sp = MEM_BASE + 0x100; /* no room below: the frame would leave the memory */
    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &segv, 0), -LX_EFAULT);
    t->regs.sp = 0x800; /* below the frame's own size */
    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &segv, 0), -LX_EFAULT);
    t->regs.sp = LX_CANONICAL_TOP + 0x10000;
    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &segv, 0), -LX_EFAULT);
}

static void test_altstack(void)
{
    struct lx_task *t = fresh();
    struct lx_sigaction act = {.handler = HANDLER, .flags = LX_SA_ONSTACK};
    struct lx_stack ss = {.sp = MEM_BASE, .size = 0x4000};

    CHECK_EQ(lx_altstack_set(t, &ss), 0);
    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &segv, 0), 0);
    CHECK(t->regs.sp >= MEM_BASE && t->regs.sp < MEM_BASE + 0x4000);
    struct lx_sigframe *f = (struct lx_sigframe *)&mem[t->regs.sp - MEM_BASE];
    CHECK_EQ(f->uc.stack.sp, MEM_BASE);
    CHECK_EQ(f->uc.stack.flags, 0); /* it was not on the stack when the signal came */
    /* a second signal on the alternate stack, with no room left on it: refused */
    t->regs.sp = MEM_BASE + 0x800;
    CHECK_EQ(lx_frame_push(t, LX_SIGUSR1, &act, &segv, 0), -LX_EFAULT);
}

int main(void)
{
    RUN("linux_frame_a64", test_handler_starts);
    RUN("linux_frame_a64", test_restorer_given);
    RUN("linux_frame_a64", test_round_trip);
    RUN("linux_frame_a64", test_pop_refused);
    RUN("linux_frame_a64", test_push_refused);
    RUN("linux_frame_a64", test_altstack);
    return CHECK_DONE();
}
