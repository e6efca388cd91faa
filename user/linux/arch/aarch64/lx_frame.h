/* SPDX-License-Identifier: BSD-2-Clause */
/* Linux AArch64's signal frame: struct sigcontext, ucontext and rt_sigframe (facts of the ABI). */
#ifndef LINUX_LX_FRAME_H
#define LINUX_LX_FRAME_H

#include "lx_sig.h"

/*
 * struct sigcontext (arm64): the registers the signal interrupted, then __reserved, a list of
 * records (each a {magic, size} header) ended by a header of zeros. Linux puts the FP/SIMD
 * registers there (fpsimd_context, magic 0x46508001); the server cannot read another thread's
 * (the kernel keeps them), so the list here is empty: a handler that changes them changes them
 * for the code it interrupted too, as on x86_64 (fpstate 0).
 */
struct lx_sigcontext {
    uint64_t fault_address;
    uint64_t regs[31];
    uint64_t sp, pc, pstate;
    _Alignas(16) uint8_t reserved[4096];
};

struct lx_ucontext {
    uint64_t flags, link;
    struct lx_stack stack;
    uint64_t sigmask;
    uint8_t unused[1024 / 8 - 8]; /* room for a larger sigset_t */
    _Alignas(16) struct lx_sigcontext mcontext;
};

/* The frame a handler runs on (Linux's struct rt_sigframe), at sp when it starts */
struct lx_sigframe {
    struct lx_siginfo info;
    struct lx_ucontext uc;
};

/* Above the frame: a frame record {fp, lr} of the interrupted code, which x29 points at, so
 * that a backtrace goes on through the signal */
struct lx_frame_record {
    uint64_t fp, lr;
};

_Static_assert(__builtin_offsetof(struct lx_sigcontext, reserved) == 288, "sigcontext");
_Static_assert(sizeof(struct lx_sigcontext) == 4384, "sigcontext");
_Static_assert(__builtin_offsetof(struct lx_ucontext, mcontext) == 176, "ucontext");
_Static_assert(sizeof(struct lx_ucontext) == 4560, "ucontext");
_Static_assert(sizeof(struct lx_sigframe) == 4688, "rt_sigframe");

#endif
