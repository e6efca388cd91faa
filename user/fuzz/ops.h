/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's moves: one random system call, or a short sequence of them. */
#ifndef FUZZ_OPS_H
#define FUZZ_OPS_H

#include "gen.h"

/* Make a system call by number with raw registers, and count its result. */
l4_err_t fz_call(struct fz *f, l4_word_t nr, l4_word_t a0, l4_word_t a1, l4_word_t a2, l4_word_t a3,
                 l4_word_t a4, l4_word_t a5);
/* As fz_call, and the registers that came back (the call's results). */
l4_err_t fz_call_out(struct fz *f, l4_word_t nr, l4_word_t r[6]);

/* Remember a page just mapped: unmaps pick from the last few. */
void mapped_add(l4_cap_t space, l4_word_t va);

/* Run one randomly chosen move. */
void fz_step(struct fz *f);

/* regs.c: whole register sets and TLS bases */
void op_thread_regs(struct fz *f);
void op_thread_tls(struct fz *f);

/* scen.c: sequences a single random call rarely reaches */
void sc_thread(struct fz *f);
void sc_exhaust(struct fz *f);
void sc_remote(struct fz *f);
void sc_caps(struct fz *f);
void sc_sink(struct fz *f);

#endif
