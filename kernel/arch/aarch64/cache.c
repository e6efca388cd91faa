/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Cache maintenance by virtual address (ARM ARM D7.5): the line sizes come from CTR_EL0.
 * CACHE_SYNC_INSN cleans the data cache to the point of unification, where instruction fetch
 * reads, then invalidates the instruction cache over the range (IC IVAU), with the barriers
 * between and after that make the new code visible to this CPU's next fetch; CACHE_CLEAN
 * cleans to the point of coherency (DC CVAC: RAM, as devices see it), CACHE_FLUSH cleans and
 * invalidates there (DC CIVAC). The kernel's direct map of RAM is Normal write-back memory,
 * as user mappings of RAM are, so maintenance by its addresses reaches the same lines.
 */
#include "arch.h"
#include "arch_cpu.h"

/* The smallest line of the data (or instruction) caches, in bytes */
static uintptr_t line(bool data)
{
    uint64_t ctr = read_sysreg(ctr_el0);

    return 4ul << (data ? (ctr >> 16) & 0xf : ctr & 0xf);
}

void arch_cache_maintain(void *kva, size_t len, unsigned op)
{
    uintptr_t d = line(true), start = (uintptr_t)kva, end = start + len;

    for (uintptr_t a = start & ~(d - 1); a < end; a += d) {
        if (op == CACHE_SYNC_INSN)
            __asm__ volatile("dc cvau, %0" : : "r"(a) : "memory");
        else if (op == CACHE_CLEAN)
            __asm__ volatile("dc cvac, %0" : : "r"(a) : "memory");
        else
            __asm__ volatile("dc civac, %0" : : "r"(a) : "memory");
    }
    __asm__ volatile("dsb ish" : : : "memory");
    if (op != CACHE_SYNC_INSN)
        return;
    uintptr_t i = line(false);
    for (uintptr_t a = start & ~(i - 1); a < end; a += i)
        __asm__ volatile("ic ivau, %0" : : "r"(a) : "memory");
    __asm__ volatile("dsb ish; isb" : : : "memory");
}
