/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's FP/SIMD register state: V0-V31 (128 bits each), FPCR and FPSR. */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdint.h>

/* SVE is not enabled (CPACR_EL1.ZEN stays 0), so these are all a thread can have. */
#define ARCH_FPU_BYTES 528 /* 32 * 16 + FPCR + FPSR */
#define ARCH_FPU_ALIGN 16

struct arch_fpu {
    uint64_t v[64]; /* V0..V31, two words each */
    uint64_t fpcr, fpsr;
} __attribute__((aligned(ARCH_FPU_ALIGN)));

_Static_assert(sizeof(struct arch_fpu) == ARCH_FPU_BYTES, "fpu.S stores this layout");

#endif
