/* SPDX-License-Identifier: BSD-2-Clause */
/* Linux x86_64's signal frame: struct sigcontext, ucontext and rt_sigframe (facts of the ABI). */
#ifndef LINUX_LX_FRAME_H
#define LINUX_LX_FRAME_H

#include "lx_sig.h"

/* struct sigcontext (x86_64): the registers the signal interrupted */
struct lx_sigcontext {
    uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
    uint64_t rdi, rsi, rbp, rbx, rdx, rax, rcx, rsp, rip, eflags;
    uint16_t cs, gs, fs, ss;
    uint64_t err, trapno, oldmask, cr2;
    uint64_t fpstate; /* a pointer; always 0 here: the server cannot save FPU state */
    uint64_t reserved1[8];
};

struct lx_ucontext {
    uint64_t flags, link;
    struct lx_stack stack;
    struct lx_sigcontext mcontext;
    uint64_t sigmask;
};
#define LX_UC_SIGCONTEXT_SS     0x2
#define LX_UC_STRICT_RESTORE_SS 0x4

/* The frame a handler runs on (Linux's struct rt_sigframe), at rsp when it starts */
struct lx_sigframe {
    uint64_t pretcode; /* sa_restorer: the handler's return address */
    struct lx_ucontext uc;
    struct lx_siginfo info;
};

_Static_assert(sizeof(struct lx_sigcontext) == 256, "sigcontext");
_Static_assert(sizeof(struct lx_ucontext) == 304, "ucontext");
_Static_assert(sizeof(struct lx_sigframe) == 440, "rt_sigframe");

#endif
