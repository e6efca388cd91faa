/* SPDX-License-Identifier: BSD-2-Clause */
/* fputest: read, dirty and check a thread's whole FPU register state with exact instructions
 * (state_x86_64.c, state_aarch64.c: each builds for its own architecture). */
#ifndef FPUTEST_STATE_H
#define FPUTEST_STATE_H

#include <stdbool.h>
#include <stdint.h>

#if defined(__x86_64__)
/* What a thread sees of its FPU state: x87 environment, MXCSR, XMM0-15, YMM0-15's upper halves. */
struct fpu_view {
    uint16_t fcw, fsw, ftw;
    uint32_t mxcsr;
    uint8_t xmm[16][16];
    uint8_t ymm_hi[16][16]; /* zero unless the CPU has AVX and the kernel enabled it */
};

#define FCW_CLEAN   0x37f  /* FNINIT's control word */
#define FTW_EMPTY   0xffff /* every x87 register empty */
#define MXCSR_CLEAN 0x1f80
#define FCW_DIRTY   0x27f  /* 53-bit precision */
#define MXCSR_DIRTY 0x7f80 /* round toward zero */

typedef long double fp_wide; /* the x87's own: its registers in the series */
bool cpu_has_avx(void);
#elif defined(__aarch64__)
/* What a thread sees of its FP/SIMD state: FPCR, FPSR, V0-V31 whole. */
struct fpu_view {
    uint32_t fpcr, fpsr;
    uint8_t v[32][16];
};

typedef double fp_wide; /* long double is IEEE quad in software on AArch64 */
#endif

/* The running thread's state, read before anything else touches it. */
void fpu_read(struct fpu_view *v);
/* Fill every register with a pattern made from seed (x87 stack: one value pushed), then
 * give the CPU away (thread_yield), and return with the registers as the kernel left them. */
void fpu_dirty_and_yield(uint8_t seed);
/* The pattern fpu_dirty_and_yield loads: what the registers hold if nothing touched them. */
void fpu_pattern(struct fpu_view *v, uint8_t seed);
bool fpu_is_clean(const struct fpu_view *v);
/* Whether two views agree on what fpu_dirty_and_yield loads. */
bool fpu_same(const struct fpu_view *a, const struct fpu_view *b);
/* test_report(id, ok, ...) with what names v's control and status words. */
void fpu_report(const char *id, bool ok, const char *what, const struct fpu_view *v);
/* The tests only this architecture has (x86_64: FPU-005, FPU-006, x87 and SSE exceptions). */
void fpu_arch_tests(void);

#endif
