/* SPDX-License-Identifier: BSD-2-Clause */
/* fputest: register-level probes of the AArch64 FP/SIMD state (V0-V31, FPCR, FPSR), in asm so
 * that no compiler code intervenes. Built for AArch64 only. */
#ifdef __aarch64__
#include "l4.h"
#include "state.h"
#include "test.h"

#include <coffer/syscall_nr.h>

/* A clean state is all zero: FPCR 0 is round to nearest, no flush to zero, no default NaN */
#define FPCR_DIRTY 0x03c00000u /* round toward zero, flush to zero, default NaN */
#define FPSR_DIRTY 0x0800009fu /* every cumulative flag: QC IDC IXC UFC OFC DZC IOC */

#define PAIRS(m)                                                                                   \
    m(0, 1) m(2, 3) m(4, 5) m(6, 7) m(8, 9) m(10, 11) m(12, 13) m(14, 15) m(16, 17) m(18, 19)      \
        m(20, 21) m(22, 23) m(24, 25) m(26, 27) m(28, 29) m(30, 31)
#define STORE(a, b) "stp q" #a ", q" #b ", [%[v], #" #a "*16]\n"
#define LOAD(a, b)  "ldp q" #a ", q" #b ", [%[v], #" #a "*16]\n"
/*
 * Not v8..v15: AAPCS64 has a function keep d8..d15 for its caller, so naming them would have
 * the compiler put the caller's back on return, over the pattern. fpu_dirty_and_yield breaks
 * that promise on purpose; its callers (fputest.c) hold no FP value across it.
 */
#define VREGS                                                                                      \
    "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v16", "v17", "v18", "v19", "v20", "v21",      \
        "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31"

void fpu_read(struct fpu_view *v)
{
    l4_word_t fpcr, fpsr;

    __asm__ volatile("mrs %[cr], fpcr\n"
                     "mrs %[sr], fpsr\n" PAIRS(STORE)
                     : [cr] "=&r"(fpcr), [sr] "=&r"(fpsr)
                     : [v] "r"(v->v)
                     : "memory");
    v->fpcr = (uint32_t)fpcr;
    v->fpsr = (uint32_t)fpsr;
}

void fpu_pattern(struct fpu_view *v, uint8_t seed)
{
    v->fpcr = FPCR_DIRTY;
    v->fpsr = FPSR_DIRTY;
    for (unsigned r = 0; r < 32; r++) {
        for (unsigned i = 0; i < 16; i++)
            v->v[r][i] = (uint8_t)(seed + r * 16 + i) ^ (r >= 16 ? 0x5a : 0);
    }
}

/* the yield is in the same asm as the loads: no compiled code may touch the registers first */
void fpu_dirty_and_yield(uint8_t seed)
{
    static struct fpu_view p;
    register l4_word_t x0 __asm__("x0") = FPCR_DIRTY;
    register l4_word_t x1 __asm__("x1") = FPSR_DIRTY;
    register l4_word_t x8 __asm__("x8") = L4_SYS_THREAD_YIELD;

    fpu_pattern(&p, seed);
    __asm__ volatile(PAIRS(LOAD) "msr fpcr, x0\n"
                                 "msr fpsr, x1\n"
                                 "svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x8)
                     : [v] "r"(p.v)
                     : "x2", "x3", "x4", "x5", "memory", VREGS);
}

bool fpu_is_clean(const struct fpu_view *v)
{
    bool zero = true;

    for (unsigned r = 0; r < 32; r++) {
        for (unsigned i = 0; i < 16; i++)
            zero = zero && !v->v[r][i];
    }
    return zero && v->fpcr == 0 && v->fpsr == 0;
}

bool fpu_same(const struct fpu_view *a, const struct fpu_view *b)
{
    return a->fpcr == b->fpcr && a->fpsr == b->fpsr &&
           __builtin_memcmp(a->v, b->v, sizeof(a->v)) == 0;
}

void fpu_report(const char *id, bool ok, const char *what, const struct fpu_view *v)
{
    test_report(id, ok, "%s fpcr %x fpsr %x v0 %02x.. v31 %02x..", what, v->fpcr, v->fpsr,
                v->v[0][0], v->v[31][0]);
}

/* An FP exception is no fault on AArch64 here: FPCR's trap enables are optional, and QEMU's
 * cortex-a57 has none (they read as zero), so there is nothing of x86_64's FPU-005/006. */
void fpu_arch_tests(void)
{
}
#endif
