/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What every architecture's signal frame (arch/<arch>/signal_frame.c) shares: the siginfo a
 * handler gets and the alternate signal stack (sigaltstack) a frame may go on.
 */
#include "lx_sig.h"

bool lx_on_altstack(const struct lx_task *t, uint64_t sp)
{
    const struct lx_altstack *a = &t->altstack;

    return a->size && sp > a->sp && sp - a->sp <= a->size;
}

/* ss_flags as sigaltstack and the frame report them */
int lx_altstack_flags(const struct lx_task *t, uint64_t sp)
{
    int flags = t->altstack.flags & (int)LX_SS_AUTODISARM;

    if (!t->altstack.size)
        return flags | LX_SS_DISABLE;
    return flags | (lx_on_altstack(t, sp) ? LX_SS_ONSTACK : 0);
}

int lx_altstack_set(struct lx_task *t, const struct lx_stack *ss)
{
    int mode = ss->flags & ~(int)LX_SS_AUTODISARM;

    if (lx_on_altstack(t, L4_REGS_SP(&t->regs)))
        return -LX_EPERM;
    if (mode != 0 && mode != LX_SS_ONSTACK && mode != LX_SS_DISABLE)
        return -LX_EINVAL;
    if (mode == LX_SS_DISABLE) {
        t->altstack = (struct lx_altstack){0};
        return 0;
    }
    if (ss->size < LX_MINSIGSTKSZ)
        return -LX_ENOMEM;
    /* a stack that wraps or reaches past user memory could never take a frame */
    if (ss->sp >= LX_CANONICAL_TOP || ss->size > LX_CANONICAL_TOP - ss->sp)
        return -LX_ENOMEM;
    t->altstack = (struct lx_altstack){ss->sp, ss->size, ss->flags & (int)LX_SS_AUTODISARM};
    return 0;
}

/* What the handler's siginfo says */
void lx_siginfo_fill(struct lx_siginfo *si, int sig, const struct lx_sigsource *src)
{
    *si = (struct lx_siginfo){.signo = sig, .code = src->code};
    switch (sig) {
    case LX_SIGSEGV:
    case LX_SIGBUS:
    case LX_SIGILL:
    case LX_SIGFPE:
    case LX_SIGTRAP:
        if (src->code > 0) { /* from a fault, not from kill */
            si->u.addr = src->addr;
            return;
        }
        break;
    default:
        break;
    }
    si->u.kill.pid = src->pid;
    si->u.kill.status = src->status;
}
