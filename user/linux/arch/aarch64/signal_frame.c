/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The signal frame: what a handler runs on and rt_sigreturn reads back, laid out as Linux
 * arm64 lays out its rt_sigframe (signal_stack.c: the alternate signal stack it may go on).
 *
 * The frame goes where the process's stack pointer says, through lx_copy_out only (which
 * refuses anything that is not the process's own writable memory); what comes back at
 * rt_sigreturn is the process's to forge, so every register is checked before it is used.
 * A handler returns to its sa_restorer when it gave one (musl does), else to the server's
 * trampoline page (lx_arch.h: LX_SIGPAGE), as Linux's to its vDSO.
 */
#include "lx_frame.h"

static bool user_address(uint64_t a)
{
    return a < LX_CANONICAL_TOP;
}

/* One frame at a time: every worker builds its frame under lx_lock, and 4.6 KiB is a large
 * part of a worker's stack */
static struct lx_sigframe frame;

int lx_frame_push(struct lx_task *t, int sig, const struct lx_sigaction *act,
                  const struct lx_sigsource *src, uint64_t saved_mask)
{
    struct l4_regs *r = &t->regs;
    struct lx_sigframe *f = &frame;
    uint64_t sp = r->sp;

    if (!user_address(act->handler))
        return -LX_EFAULT;
    bool onstack = lx_on_altstack(t, r->sp);
    if ((act->flags & LX_SA_ONSTACK) && t->altstack.size && !onstack)
        sp = t->altstack.sp + t->altstack.size;
    uint64_t need = sizeof(*f) + sizeof(struct lx_frame_record) + 32;
    if (onstack && (sp < t->altstack.sp + need || sp - need < t->altstack.sp))
        return -LX_EFAULT; /* the alternate stack overflows: Linux gives up too */
    if (sp < need || !user_address(sp))
        return -LX_EFAULT;
    uint64_t record = (sp - sizeof(struct lx_frame_record)) & ~15ull;
    sp = (record - sizeof(*f)) & ~15ull;

    *f = (struct lx_sigframe){0};
    f->uc.stack.sp = t->altstack.sp;
    f->uc.stack.size = t->altstack.size;
    f->uc.stack.flags = lx_altstack_flags(t, r->sp);
    f->uc.sigmask = saved_mask;
    struct lx_sigcontext *c = &f->uc.mcontext;
    for (int i = 0; i < 31; i++)
        c->regs[i] = r->x[i];
    c->sp = r->sp;
    c->pc = r->pc;
    c->pstate = r->pstate;
    if (src->code > 0 && sig == LX_SIGSEGV)
        c->fault_address = src->addr;
    lx_siginfo_fill(&f->info, sig, src);
    struct lx_frame_record rec = {r->x[29], r->x[30]};
    if (lx_copy_out(t, sp, f, sizeof(*f)) || lx_copy_out(t, record, &rec, sizeof(rec)))
        return -LX_EFAULT;
    if (t->altstack.flags & (int)LX_SS_AUTODISARM)
        t->altstack = (struct lx_altstack){0};

    r->sp = sp;
    r->pc = act->handler;
    r->x[0] = (uint64_t)sig;
    r->x[1] = sp + offsetof(struct lx_sigframe, info);
    r->x[2] = sp + offsetof(struct lx_sigframe, uc);
    r->x[29] = record;
    r->x[30] = act->flags & LX_SA_RESTORER ? act->restorer : LX_SIGPAGE;
    return 0;
}

int lx_frame_pop(struct lx_task *t)
{
    struct lx_sigframe *f = &frame;
    struct l4_regs r = t->regs;

    /* the handler returned with sp where the frame starts, as Linux requires: 16-aligned */
    if ((r.sp & 15) || lx_copy_in(t, f, r.sp, sizeof(*f)))
        return -LX_EFAULT;
    const struct lx_sigcontext *c = &f->uc.mcontext;
    if (!user_address(c->pc) || !user_address(c->sp))
        return -LX_EINVAL;
    for (int i = 0; i < 31; i++)
        r.x[i] = c->regs[i];
    r.sp = c->sp;
    r.pc = c->pc;
    /* as Linux: the flags from the frame, the rest of pstate (EL0, masks) stays the thread's */
    r.pstate = (t->regs.pstate & ~L4_PSTATE_USER) | (c->pstate & L4_PSTATE_USER);
    t->regs = r;
    t->sigmask = f->uc.sigmask & ~LX_SIG_UNBLOCKABLE;
    /* the alternate stack as the frame says; a bad one is ignored, as Linux does */
    (void)lx_altstack_set(t, &f->uc.stack);
    return 0;
}
