/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's x87/SSE/AVX register state, as XSAVE (or FXSAVE) lays it out in memory. */
#ifndef ARCH_FPU_H
#define ARCH_FPU_H

#include <stdint.h>

/*
 * The standard (non-compacted) XSAVE layout, the only one the kernel uses:
 *
 *   0    legacy region (FXSAVE's 512 bytes): FCW, FSW, ..., MXCSR at 24, ST0-7, XMM0-15
 *   512  XSAVE header: XSTATE_BV (which components hold a non-initial value), then
 *        XCOMP_BV and 48 reserved bytes that must stay zero or XRSTOR faults
 *   576  AVX: the upper halves of YMM0-15 (256 bytes)
 *
 * Components past AVX (AVX-512's 1.8 KiB, AMX's 8 KiB) are not enabled: every thread block
 * carries this area, so its size is fixed here and counted by the system-file checker
 * (SYSDESC_BYTES_THREAD). arch_fpu_init() checks at boot, from CPUID leaf 0xD, that what it
 * enables fits.
 */
#define ARCH_FPU_BYTES 832
#define ARCH_FPU_ALIGN 64 /* XSAVE's requirement (FXSAVE needs 16) */

struct arch_fpu {
    uint8_t area[ARCH_FPU_BYTES];
} __attribute__((aligned(ARCH_FPU_ALIGN)));

_Static_assert(sizeof(struct arch_fpu) == ARCH_FPU_BYTES, "one XSAVE area, no padding");

#endif
