/* SPDX-License-Identifier: BSD-2-Clause */
/* user/foreign's AArch64 parts (built for AArch64 only): see arch.h. SVC: call_aarch64.S. */
#ifdef __aarch64__
#include "foreign.h"

#include <coffer/layout.h>
#include <stddef.h>

#define WORD(reg) ((unsigned)(offsetof(struct l4_regs, reg) / sizeof(l4_word_t)))

const unsigned W_NR = 8, W_A0 = 0, W_A1 = 1;   // x8, x0, x1
const unsigned W_ARGS[6] = {0, 1, 2, 3, 4, 5}; // x0..x5

/* the NZCV the guest makes its call with (call_aarch64.S takes it from the pattern) */
static l4_word_t nzcv_pattern(void)
{
    return regs_pattern(WORD(pstate)) & L4_PSTATE_USER;
}

/* what the handler's answer turns them into */
static l4_word_t nzcv_answered(void)
{
    return nzcv_pattern() ^ L4_PSTATE_USER;
}

bool regs_chosen(unsigned i)
{
    return i < WORD(sp); // x0..x30, the link register too: the call saved its own
}

bool regs_answered(unsigned i)
{
    return regs_chosen(i);
}

/* pstate shows NZCV alone, as the guest set them; sp a 16-byte aligned one (as AAPCS64's) */
bool regs_delivered_ok(const struct l4_regs *r)
{
    bool ok = r->pstate == nzcv_pattern() && r->sp % 16 == 0;

    if (!ok)
        printf("foreign: pstate %lx (the guest's NZCV %lx), sp %lx\n", r->pstate, nzcv_pattern(),
               r->sp);
    return ok;
}

void regs_answer_flags(struct l4_regs *r)
{
    r->pstate ^= L4_PSTATE_USER; // each flag changes, both ways
}

bool regs_answer_ok(const struct l4_regs *in, const struct l4_regs *out)
{
    (void)in;
    bool ok = out->pstate == nzcv_answered();

    if (!ok)
        printf("foreign: NZCV %lx after the call, not %lx\n", out->pstate, nzcv_answered());
    return ok;
}

void regs_make_bad(unsigned which, struct l4_regs *r)
{
    if (which == 0)
        r->pc = 0xffff000040080000ull; // the kernel image (docs/aarch64.md)
    else if (which == 1)
        r->pc = L4_USER_TOP; // the first address past user space
    else if (which == 2)
        r->sp = 0xffff000000001000ull; // the kernel's direct map
    else
        r->pstate |= 0x5; // EL1h: the exception level is not the thread's
}
#endif
