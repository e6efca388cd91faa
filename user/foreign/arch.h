/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * user/foreign's architecture parts: arch_x86_64.c, arch_aarch64.c and call_<arch>.S (each
 * builds for its own). The tiny ABI of foreign.h is the kernel's own system call convention
 * (l4_syscall): the number in, the answer back where l4_syscall's error comes back (rax;
 * x8), the arguments in the argument registers (rdi, rsi; x0, x1).
 */
#ifndef FOREIGN_ARCH_H
#define FOREIGN_ARCH_H

#include "l4.h"

#include <coffer/regs.h>

/* Indexes of those registers' words in struct l4_regs */
extern const unsigned W_NR;      /* the number in, the answer out */
extern const unsigned W_A0;      /* the first argument */
extern const unsigned W_A1;      /* the second */
extern const unsigned W_ARGS[6]; /* all six, as l4_syscall passes them */
/* Word w of register set r, an lvalue */
#define REG(r, w) (((l4_word_t *)(r))[w])

/*
 * void foreign_call(struct l4_regs *in, struct l4_regs *out): a system call with every word
 * regs_chosen() says from in (and x86_64's rflags as they are, AArch64's NZCV from
 * in->pstate), which records in in the sp and ip it makes the call with, and stores into out
 * every register the thread resumed with. The handler must give the sp back unchanged: out is
 * found on the stack.
 */
void foreign_call(struct l4_regs *in, struct l4_regs *out);

/* NR_REGS: the words the guest sets itself from regs_pattern(), which the handler must see
 * exactly (the others the CPU or the call set: x86_64's rcx, r11, rsp, rip, rflags and bases;
 * AArch64's sp, pc, pstate and tpidr_el0) */
bool regs_chosen(unsigned i);
/* the words the handler adds DELTA to (the chosen ones, and x86_64's rcx and r11 too) */
bool regs_answered(unsigned i);
/* FOREIGN-006: what the CPU and the call put in the words not chosen, as the handler sees
 * them (x86_64: rcx = rip, r11 = rflags, IF; AArch64: the NZCV the guest set, sp aligned) */
bool regs_delivered_ok(const struct l4_regs *r);
/* The handler's answer to the flags: a change each user flag bit takes */
void regs_answer_flags(struct l4_regs *r);
/* FOREIGN-010: the words not chosen, as the guest resumed with them after its call in */
bool regs_answer_ok(const struct l4_regs *in, const struct l4_regs *out);

/* NR_BADREPLY 0..3: registers no thread may take (an ip in the kernel image, an ip at the
 * top of user space, a kernel sp, a flag bit the thread may not set) */
void regs_make_bad(unsigned which, struct l4_regs *r);

#endif
