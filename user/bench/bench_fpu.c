/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench: the one place the benchmark touches the FPU (bench.c never does). */
#include "bench_fpu.h"

/* One SSE (AArch64: SIMD) instruction marks the calling thread as using the FPU, for good:
 * from now on the kernel saves and loads its FPU state on every switch. */
void bench_use_fpu(void)
{
#if defined(__aarch64__)
    __asm__ volatile("movi v0.16b, #0" : : : "v0");
#else
    __asm__ volatile("pxor %%xmm0, %%xmm0" : : : "xmm0");
#endif
}
