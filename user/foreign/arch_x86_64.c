/* SPDX-License-Identifier: BSD-2-Clause */
/* user/foreign's x86_64 parts (built for x86_64 only): see arch.h. SYSCALL: call_x86_64.S. */
#ifdef __x86_64__
#include "foreign.h"

#include <stddef.h>

#define WORD(reg) ((unsigned)(offsetof(struct l4_regs, reg) / sizeof(l4_word_t)))

const unsigned W_NR = WORD(rax), W_A0 = WORD(rdi), W_A1 = WORD(rsi);
const unsigned W_ARGS[6] = {WORD(rdi), WORD(rsi), WORD(rdx), WORD(r10), WORD(r8), WORD(r9)};

#define RFLAGS_IF 0x200ull
#define RFLAGS_1  0x2ull   /* reserved, always set */
#define CF_OF     0x801ull /* the user flags the handler sets */

bool regs_chosen(unsigned i)
{
    return i <= WORD(r15) && i != WORD(rcx) && i != WORD(r11) && i != WORD(rsp);
}

bool regs_answered(unsigned i)
{
    return i <= WORD(r15) && i != WORD(rsp); // rsp: the guest finds its return address there
}

/* SYSCALL put the return address in rcx and rflags in r11; the thread runs with IF set */
bool regs_delivered_ok(const struct l4_regs *r)
{
    bool ok = r->rcx == r->rip && r->r11 == r->rflags && (r->rflags & RFLAGS_IF);

    if (!ok)
        printf("foreign: rcx %lx rip %lx r11 %lx rflags %lx\n", r->rcx, r->rip, r->r11, r->rflags);
    return ok;
}

void regs_answer_flags(struct l4_regs *r)
{
    r->rflags |= CF_OF; // user flags the thread takes
}

/* rcx and r11 as delivered (rip and rflags) plus DELTA; rflags the user bits of what the
 * handler gave, with IF and the reserved bit the kernel keeps */
bool regs_answer_ok(const struct l4_regs *in, const struct l4_regs *out)
{
    l4_word_t flags = out->r11 - DELTA; // what the handler saw in r11: our rflags
    bool ok = out->rcx == in->rip + DELTA &&
              out->rflags == (((flags | CF_OF) & L4_RFLAGS_USER) | RFLAGS_IF | RFLAGS_1);

    if (!ok)
        printf("foreign: rcx %lx rflags %lx (r11 %lx)\n", out->rcx, out->rflags, out->r11);
    return ok;
}

void regs_make_bad(unsigned which, struct l4_regs *r)
{
    if (which == 0)
        r->rip = 0xffffffff80100000ull; // the kernel image
    else if (which == 1)
        r->rip = 0x800000000000ull; // not canonical
    else if (which == 2)
        r->rsp = 0xffff800000001000ull;
    else
        r->rflags |= 0x3000; // IOPL 3
}
#endif
