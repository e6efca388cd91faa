/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The signal frame: what a handler runs on and rt_sigreturn reads back, laid out as Linux
 * x86_64 lays out its rt_sigframe (signal_stack.c: the alternate signal stack it may go on).
 *
 * The frame goes where the process's stack pointer says, through lx_copy_out only (which
 * refuses anything that is not the process's own writable memory); what comes back at
 * rt_sigreturn is the process's to forge, so every register is checked before it is used.
 *
 * FPU state: the kernel gives the server no access to another thread's FPU and vector
 * registers, so the frame carries none (fpstate = 0) and rt_sigreturn restores none: a
 * handler that changes them changes them for the code it interrupted too.
 */
#include "lx_frame.h"

/* Linux's selectors for 64-bit user code and data; the frame reports them */
#define LX_USER_CS              0x33
#define LX_USER_SS              0x2b
/* What a handler starts without: DF (0x400), TF (0x100), RF (0x10000) */
#define LX_RFLAGS_HANDLER_CLEAR 0x10500ull
/* Below the stack pointer: the ABI's red zone, which the interrupted code may be using */
#define LX_REDZONE              128
#define LX_TRAP_PF              14

static void context_save(struct lx_sigcontext *c, const struct l4_regs *r)
{
    *c = (struct lx_sigcontext){
        .r8 = r->r8,
        .r9 = r->r9,
        .r10 = r->r10,
        .r11 = r->r11,
        .r12 = r->r12,
        .r13 = r->r13,
        .r14 = r->r14,
        .r15 = r->r15,
        .rdi = r->rdi,
        .rsi = r->rsi,
        .rbp = r->rbp,
        .rbx = r->rbx,
        .rdx = r->rdx,
        .rax = r->rax,
        .rcx = r->rcx,
        .rsp = r->rsp,
        .rip = r->rip,
        .eflags = r->rflags,
        .cs = LX_USER_CS,
        .ss = LX_USER_SS,
    };
}

static bool user_address(uint64_t a)
{
    return a < LX_CANONICAL_TOP;
}

int lx_frame_push(struct lx_task *t, int sig, const struct lx_sigaction *act,
                  const struct lx_sigsource *src, uint64_t saved_mask)
{
    struct l4_regs *r = &t->regs;
    struct lx_sigframe f;
    uint64_t sp = r->rsp - LX_REDZONE;

    /* x86_64 has no default return path: without a restorer the handler could not return */
    if (!(act->flags & LX_SA_RESTORER) || !user_address(act->handler))
        return -LX_EFAULT;
    bool onstack = lx_on_altstack(t, r->rsp);
    if ((act->flags & LX_SA_ONSTACK) && t->altstack.size && !onstack)
        sp = t->altstack.sp + t->altstack.size;
    else if (onstack && (sp < t->altstack.sp + sizeof(f) || sp - sizeof(f) < t->altstack.sp))
        return -LX_EFAULT; /* the alternate stack overflows: Linux gives up too */
    if (sp < sizeof(f) + 16 || !user_address(sp))
        return -LX_EFAULT;
    /* as after a CALL: rsp + 8 is 16-byte aligned, with the return address at rsp */
    sp = ((sp - sizeof(f)) & ~15ull) - 8;

    f = (struct lx_sigframe){.pretcode = act->restorer};
    f.uc.flags = LX_UC_SIGCONTEXT_SS | LX_UC_STRICT_RESTORE_SS;
    f.uc.stack.sp = t->altstack.sp;
    f.uc.stack.size = t->altstack.size;
    f.uc.stack.flags = lx_altstack_flags(t, r->rsp);
    context_save(&f.uc.mcontext, r);
    f.uc.mcontext.oldmask = saved_mask;
    if (src->code > 0 && sig == LX_SIGSEGV) {
        f.uc.mcontext.trapno = LX_TRAP_PF;
        f.uc.mcontext.cr2 = src->addr;
    }
    f.uc.sigmask = saved_mask;
    lx_siginfo_fill(&f.info, sig, src);
    if (lx_copy_out(t, sp, &f, sizeof(f)))
        return -LX_EFAULT;
    if (t->altstack.flags & (int)LX_SS_AUTODISARM)
        t->altstack = (struct lx_altstack){0};

    r->rsp = sp;
    r->rip = act->handler;
    r->rdi = (uint64_t)sig;
    r->rsi = sp + offsetof(struct lx_sigframe, info);
    r->rdx = sp + offsetof(struct lx_sigframe, uc);
    r->rax = 0;
    r->rflags &= ~LX_RFLAGS_HANDLER_CLEAR;
    return 0;
}

int lx_frame_pop(struct lx_task *t)
{
    struct lx_sigframe f;
    struct l4_regs r = t->regs;
    uint64_t frame = r.rsp - 8; /* the handler's RET took pretcode */

    if (r.rsp < 8 || lx_copy_in(t, &f, frame, sizeof(f)))
        return -LX_EFAULT;
    const struct lx_sigcontext *c = &f.uc.mcontext;
    if (!user_address(c->rip) || !user_address(c->rsp))
        return -LX_EINVAL;
    r.r8 = c->r8;
    r.r9 = c->r9;
    r.r10 = c->r10;
    r.r11 = c->r11;
    r.r12 = c->r12;
    r.r13 = c->r13;
    r.r14 = c->r14;
    r.r15 = c->r15;
    r.rdi = c->rdi;
    r.rsi = c->rsi;
    r.rbp = c->rbp;
    r.rbx = c->rbx;
    r.rdx = c->rdx;
    r.rax = c->rax;
    r.rcx = c->rcx;
    r.rsp = c->rsp;
    r.rip = c->rip;
    /* as Linux: the user's flags from the frame, the rest (IF, ...) stay the thread's */
    r.rflags = (t->regs.rflags & ~L4_RFLAGS_USER) | (c->eflags & L4_RFLAGS_USER);
    t->regs = r;
    t->sigmask = f.uc.sigmask & ~LX_SIG_UNBLOCKABLE;
    /* the alternate stack as the frame says; a bad one is ignored, as Linux does */
    (void)lx_altstack_set(t, &f.uc.stack);
    return 0;
}
