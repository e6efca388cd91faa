/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cache maintenance on x86_64: instruction fetch sees data writes by itself (the SDM's
 * self-modifying code rules; the return to user mode serializes), so CACHE_SYNC_INSN has
 * nothing to do; cleaning and flushing write each line back with CLFLUSH (there is no
 * clean-only instruction on every x86_64 CPU), then MFENCE orders them before the return.
 */
#include "arch.h"

#define CACHE_LINE 64 /* CLFLUSH's line on every x86_64 CPU (CPUID.1:EBX[15:8] * 8) */

void arch_cache_maintain(void *kva, size_t len, unsigned op)
{
    if (op == CACHE_SYNC_INSN)
        return;
    uintptr_t a = (uintptr_t)kva & ~(uintptr_t)(CACHE_LINE - 1), end = (uintptr_t)kva + len;

    for (; a < end; a += CACHE_LINE)
        __asm__ volatile("clflush (%0)" : : "r"(a) : "memory");
    __asm__ volatile("mfence" : : : "memory");
}
