/* SPDX-License-Identifier: BSD-2-Clause */
/* The tiny foreign ABI the FOREIGN tests emulate: numbers past Coffer's, handled by a server. */
#ifndef USER_FOREIGN_H
#define USER_FOREIGN_H

#include "l4.h"

#include <coffer/regs.h>

#define SYS_EP      16 /* the handler's endpoint: the handler receives, the guest sends */
#define GUEST_BADGE 7  /* the guest's capability to it carries this badge */

#define NR_ADD            1000 /* rax = rdi + rsi */
#define NR_REGS           1001 /* check every register against regs_pattern(), answer with each changed */
#define NR_WHERE          1002 /* rdi, rsi: the rsp and rip NR_REGS had: does the handler agree? */
#define NR_BADREPLY       1003 /* rdi 0..4: the handler answers with registers no thread may take */
#define NR_BADREPLY_KINDS 5
#define NR_DONE           1004 /* the tests are over: the handler ends */
#define NR_PRIO           1005 /* rdi: the handler's priority from now on */
#define NR_NOUTCB         1006 /* the handler takes the next call without a UTCB, and stops it */
#define NR_VIA            1007 /* rdi 1: the handler answers with ipc_reply_recv from now on */
#define NR_TLS                                                                                     \
    1008 /* rdi: the fs base the caller set (1: answer with a bad one); rsi: the
                                * fs base it is to go on with */
#define NR_STOP           1099     /* the handler stops the caller */
#define LABEL_HOLD        0x401    /* an ordinary call the handler keeps unanswered (FOREIGN-086) */
#define NR_UNKNOWN_ANSWER 0xbadull /* rax for a number the handler does not emulate */
#define COFFER_ANSWER     0x5555ull /* rax for a Coffer number delivered in L4_FOREIGN_ALL */
#define REGS_ANSWER       0x600dull
#define DELTA             0x1111ull /* NR_REGS adds it to every register it may change */

/* What NR_REGS puts in register i (word i of struct l4_regs). */
static inline l4_word_t regs_pattern(unsigned i)
{
    return 0x0101010101010101ull * (i + 1) ^ 0xa5;
}

/* The words of struct l4_regs that NR_REGS chooses itself (the others the CPU or the
 * call set: rcx, r11, rsp, rip, rflags, fs and gs base). */
static inline bool regs_chosen(unsigned i)
{
    const struct l4_regs r = {0};
    unsigned rcx = (unsigned)(&r.rcx - &r.rax), r11 = (unsigned)(&r.r11 - &r.rax);
    unsigned rsp = (unsigned)(&r.rsp - &r.rax), r15 = (unsigned)(&r.r15 - &r.rax);

    return i <= r15 && i != rcx && i != r11 && i != rsp;
}

void foreign_call(struct l4_regs *in, struct l4_regs *out); // call.S

/* The handler's side (handler.c): a delivered call's registers (words 0..3 came in m, 4..19
 * in our UTCB), and the reply to it with label and len words of r. */
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
