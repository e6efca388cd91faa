/* SPDX-License-Identifier: BSD-2-Clause */
/* What the files of user/regtest share: slots, address constants, and the TLS tests. */
#ifndef REGTEST_H
#define REGTEST_H

#include "test.h"

#include <coffer/ipc.h>
#include <coffer/regs.h>
#include <coffer/thread.h>

#define T        20 /* a thread the tests write, all rights */
#define T_RO     21 /* the same, L4_THR_READ only */
#define T_WO     22 /* the same, L4_THR_WRITE only */
#define EP       23 /* an endpoint the blocking tests wait on */
#define W1       24 /* helper threads */
#define W2       25
#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)

/* The architecture's part (arch_x86_64.c, arch_aarch64.c; seen_<arch>.S) */
extern const l4_word_t user_top;    /* the first address above user space */
extern const l4_word_t kernel_addr; /* an address of the kernel's */
/* The word at the calling thread's TLS base number i (< L4_TLS_COUNT): %fs:0, [TPIDR_EL0]. */
l4_word_t tls_word(unsigned i);
/* The system call number's register in a set: rax, x8. */
l4_word_t regs_nr(const struct l4_regs *r);
/* Flags a test pattern sets (r's pc, sp and TLS bases are set), and as thread_regs reads them. */
void pattern_flags(struct l4_regs *r);
void flags_as_read(struct l4_regs *r);
/* The refusals of flags no user thread may have; f checks one, with its id. */
void flag_refusals(void (*f)(const char *id, struct l4_regs r, l4_err_t err), struct l4_regs r);
/* System call nr with r[0] = arg, every other register a pattern: the bits of those that came
 * back changed; kept_result[i] is the bit of the call's result register i. */
l4_word_t regs_kept_across(l4_word_t nr, l4_word_t arg);
extern const l4_word_t kept_result[6];
/* The same with the FP/SIMD registers holding pattern + i: bit i, register i changed. */
l4_word_t fp_kept_across(l4_word_t nr, l4_word_t arg, l4_word_t pattern);
/* ipc_send(ep, tag) by hand: its error, and what came back in its first argument register. */
l4_word_t raw_send(l4_word_t ep, l4_word_t tag, l4_word_t *arg_after);
/* The tests only this architecture has (entry_tests runs them last). */
void arch_tests(void);

/* tls.c: REG-040.. */
void tls_tests(void);
/* entry.c: REG-060.. */
void entry_tests(void);
/* The container "peer": its bases stay 0 while regtest's threads use theirs (REG-050). */
void peer_main(void);

#endif
