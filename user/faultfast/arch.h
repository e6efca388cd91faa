/* SPDX-License-Identifier: BSD-2-Clause */
/* user/faultfast's architecture parts: arch_x86_64.c, arch_aarch64.c (each builds for its own). */
#ifndef FAULTFAST_ARCH_H
#define FAULTFAST_ARCH_H

#include "l4.h"

/*
 * FFAST-001: set every general register the thread may set to a pattern, read the word at va
 * (the read at ffast_fault_ip faults; the handler maps the page and resumes), then store every
 * register into ffast_regs[0 .. ffast_nregs). Word i must be ffast_want(i, va) afterwards.
 */
void ffast_pattern_read(l4_word_t va);
extern const char ffast_fault_ip[];
extern l4_word_t ffast_regs[];
extern const unsigned ffast_nregs;
l4_word_t ffast_want(unsigned i, l4_word_t va);
/* the name of register word i, for a failure's message */
const char *ffast_reg_name(unsigned i);

/* FFAST-012: one FP/SIMD register no C code here uses (x86_64 xmm15, AArch64 v31) */
void ffast_fp_set(l4_word_t x);
l4_word_t ffast_fp_get(void);
/* set that register to x, read the word at va (which faults), return the register as it is after */
l4_word_t ffast_fp_fault_read(l4_word_t x, l4_word_t va);

#endif
