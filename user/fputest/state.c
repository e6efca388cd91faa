/* SPDX-License-Identifier: BSD-2-Clause */
/* fputest: register-level probes of the FPU state, in asm so that no compiler code intervenes. */
#include "state.h"

#include "l4.h"

#include <coffer/syscall_nr.h>

bool cpu_has_avx(void)
{
    uint32_t a, b, c, d, lo, hi;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if (!(c & (1u << 28)) || !(c & (1u << 27))) // AVX, OSXSAVE
        return false;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6) == 6; // SSE and AVX state enabled by the kernel
}

#define XMM_STORE(n) "movdqu %%xmm" #n ", " #n "*16(%[x])\n"
#define YMM_STORE(n) "vextractf128 $1, %%ymm" #n ", " #n "*16(%[y])\n"
#define XMM_LOAD(n)  "movdqu " #n "*16(%[x]), %%xmm" #n "\n"
#define YMM_LOAD(n)  "vinsertf128 $1, " #n "*16(%[y]), %%ymm" #n ", %%ymm" #n "\n"
#define ALL16(m)                                                                                   \
    m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)

void fpu_read(struct fpu_view *v)
{
    uint16_t env[14];
    bool avx = cpu_has_avx();

    __asm__ volatile("fnstenv %[env]\n"
                     "fldcw %[env]\n" // fnstenv masked every exception: put the word back
                     "stmxcsr %[mx]\n" ALL16(XMM_STORE)
                     : [env] "=m"(env), [mx] "=m"(v->mxcsr)
                     : [x] "r"(v->xmm)
                     : "memory");
    if (avx)
        __asm__ volatile(ALL16(YMM_STORE) : : [y] "r"(v->ymm_hi) : "memory");
    else
        __builtin_memset(v->ymm_hi, 0, sizeof(v->ymm_hi));
    v->fcw = env[0];
    v->fsw = env[2];
    v->ftw = env[4];
}

void fpu_pattern(struct fpu_view *v, uint8_t seed)
{
    bool avx = cpu_has_avx();

    v->fcw = FCW_DIRTY;
    v->mxcsr = MXCSR_DIRTY;
    for (unsigned r = 0; r < 16; r++) {
        for (unsigned i = 0; i < 16; i++) {
            v->xmm[r][i] = (uint8_t)(seed + r * 16 + i);
            v->ymm_hi[r][i] = avx ? (uint8_t)(seed ^ (r * 16 + i)) ^ 0x5a : 0;
        }
    }
}

/* the yield is in the same asm as the loads: no compiled code may touch the registers first */
#define DIRTY_TAIL     "fninit\n fldcw %[cw]\n ldmxcsr %[mx]\n fld1\n syscall"
#define DIRTY_CLOBBERS "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9", "memory"

void fpu_dirty_and_yield(uint8_t seed)
{
    static struct fpu_view p;
    uint16_t fcw = FCW_DIRTY;
    uint32_t mxcsr = MXCSR_DIRTY;
    l4_word_t nr = L4_SYS_THREAD_YIELD;

    fpu_pattern(&p, seed);
    if (cpu_has_avx())
        __asm__ volatile(ALL16(XMM_LOAD) ALL16(YMM_LOAD) DIRTY_TAIL
                         : "+a"(nr)
                         : [x] "r"(p.xmm), [y] "r"(p.ymm_hi), [cw] "m"(fcw), [mx] "m"(mxcsr)
                         : DIRTY_CLOBBERS);
    else
        __asm__ volatile(ALL16(XMM_LOAD) DIRTY_TAIL
                         : "+a"(nr)
                         : [x] "r"(p.xmm), [cw] "m"(fcw), [mx] "m"(mxcsr)
                         : DIRTY_CLOBBERS);
}

bool fpu_is_clean(const struct fpu_view *v)
{
    bool zero = true;

    for (unsigned r = 0; r < 16; r++) {
        for (unsigned i = 0; i < 16; i++)
            zero = zero && !v->xmm[r][i] && !v->ymm_hi[r][i];
    }
    return zero && v->fcw == FCW_CLEAN && v->fsw == 0 && v->ftw == FTW_EMPTY &&
           v->mxcsr == MXCSR_CLEAN;
}
