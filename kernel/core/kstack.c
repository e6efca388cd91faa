/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel stacks in the kernel's stack area (KSTACK_AREA), each above an unmapped guard page. */
#include "printk.h"
#include "pt_walk.h"

/* One stack's place in the area: a guard page, then KSTACK_SIZE bytes. */
#define KSTACK_SLOT (PAGE_SIZE + KSTACK_SIZE)

vaddr_t arch_kstacks_reserve(uint32_t n)
{
    static vaddr_t next = KSTACK_AREA;
    vaddr_t area = next;

    /* every table the n stacks' pages need, made now: mapping one later allocates nothing */
    for (vaddr_t va = area; va < area + (uint64_t)n * KSTACK_SLOT; va += PAGE_SIZE) {
        if (!pt_kernel_entry(va, true))
            return 0;
    }
    next = area + (uint64_t)n * KSTACK_SLOT;
    return area;
}

void *arch_kstack_map(vaddr_t area, uint32_t i, paddr_t ram)
{
    vaddr_t base = area + (uint64_t)i * KSTACK_SLOT + PAGE_SIZE; // its guard stays unmapped

    for (uint64_t off = 0; off < KSTACK_SIZE; off += PAGE_SIZE) {
        uint64_t *e = pt_kernel_entry(base + off, false);
        ASSERT(e && !*e); // made by arch_kstacks_reserve; a block's stack is mapped once
        /* not zeroed: only the kernel reads a kernel stack, after it wrote it (the user
         * frame and the first context are built on it) */
        *e = pte_kernel_page(ram + off);
    }
    pte_published();
    return (void *)base;
}

void arch_kstack_unmap(void *kstack)
{
    for (uint64_t off = 0; off < KSTACK_SIZE; off += PAGE_SIZE) {
        vaddr_t va = (vaddr_t)kstack + off;
        uint64_t *e = pt_kernel_entry(va, false);
        ASSERT(e && pte_present(*e));
        *e = 0;
        pte_flush_kernel_page(va);
    }
}
