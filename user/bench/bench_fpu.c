/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench: the one place the benchmark touches the FPU (bench.c never does). */
#include "bench_fpu.h"

/* One SSE instruction marks the calling thread as using the FPU, for good: from now on the
 * kernel saves and loads its FPU state on every switch. */
void bench_use_fpu(void)
{
    __asm__ volatile("pxor %%xmm0, %%xmm0" : : : "xmm0");
}
