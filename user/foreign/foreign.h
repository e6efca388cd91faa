/* SPDX-License-Identifier: BSD-2-Clause */
/* The tiny foreign ABI the FOREIGN tests emulate: numbers past Coffer's, handled by a server. */
#ifndef USER_FOREIGN_H
#define USER_FOREIGN_H

#include "arch.h"
#include "l4.h"

#define SYS_EP      16 /* the handler's endpoint: the handler receives, the guest sends */
#define GUEST_BADGE 7  /* the guest's capability to it carries this badge */

/* The numbers, in W_NR; the arguments A0, A1 (arch.h: rax, rdi, rsi; x8, x0, x1) */
#define NR_ADD            1000 /* NR = A0 + A1 */
#define NR_REGS           1001 /* check every register against regs_pattern(), answer with each changed */
#define NR_WHERE          1002 /* A0, A1: the sp and ip NR_REGS had: does the handler agree? */
#define NR_BADREPLY       1003 /* A0 0..4: the handler answers with registers no thread may take */
#define NR_BADREPLY_KINDS 5
#define NR_DONE           1004 /* the tests are over: the handler ends */
#define NR_PRIO           1005 /* A0: the handler's priority from now on */
#define NR_NOUTCB         1006 /* the handler takes the next call without a UTCB, and stops it */
#define NOUTCB_ARG        0x52 /* A0 of that next call (NR_ADD) */
#define NR_VIA            1007 /* A0 1: the handler answers with ipc_reply_recv from now on */
/* A0: the TLS base (L4_TLS_TP) the caller set (1: answer with a bad one); A1: the base it
 * is to go on with */
#define NR_TLS            1008
/* A0 1 or 2: the handler puts page A0 of its region under its UTCB, at the same address, in
 * place of the frame there (the old one, if its region's, then holds a stale answer: the
 * registers of this answer with the argument registers changed); A0 4: its UTCB is read-only while it
 * waits for the next call */
#define NR_SWAPUTCB       1009
/* Did the calls since the last NR_SWAPUTCB leave the old frame's stale answer alone? (its own
 * number: its words in the UTCB, where A0 is on x86_64, are what it checks) */
#define NR_UTCBKEPT       1011
#define STALE             0x57a1eull /* a stale answer's argument registers: STALE + i */
/* NR = A0 + A1, answered first with L4_IPC_CAP in the resume's tag, then with the tag's top
 * flag bit (each refused: EINVAL), then as usual */
#define NR_FLAGGED        1010
/* A0 0: a resume with L4_REGS_WORDS + 1 words; 1: one whose label is L4_SYSCALL_RESUME
 * with bit 16 of the label set: either stops the caller, by the fastpath's way too */
#define NR_ODDREPLY       1012
/* NR_BADREPLY 0 (an ip in the kernel) also changes every register the handler answers and
 * sets this TLS base: a refused resume must leave the thread with none of them */
#define BAD_TLS           0x5000ull
#define NR_STOP           1099     /* the handler stops the caller */
#define LABEL_HOLD        0x401    /* an ordinary call the handler keeps unanswered (FOREIGN-086) */
#define NR_UNKNOWN_ANSWER 0xbadull /* NR for a number the handler does not emulate */
#define COFFER_ANSWER     0x5555ull /* NR for a Coffer number delivered in L4_FOREIGN_ALL */
#define REGS_ANSWER       0x600dull
#define DELTA             0x1111ull /* NR_REGS adds it to every register it may change */

/* What NR_REGS puts in register i (word i of struct l4_regs). */
static inline l4_word_t regs_pattern(unsigned i)
{
    return 0x0101010101010101ull * (i + 1) ^ 0xa5;
}

/* The handler's side (handler.c): a delivered call's registers (words 0..3 came in m, the
 * rest in our UTCB), and the reply to it with label and len words of r. */
void regs_in(const l4_word_t m[4], struct l4_regs *r);
l4_err_t reply(l4_word_t label, const struct l4_regs *r, l4_word_t len);
l4_err_t resume(const struct l4_regs *r);

int handler_main(void);
int guest_main(void);
/* boot.c: first threads that boot in a foreign mode (system-file keys), and their handler */
int boot_handler_main(void);
int boot_all_main(void);
int boot_unknown_main(void);

#endif
