/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel memory set aside at boot for the pools: kernel stacks and page-table frames. */
#include "kreserve.h"

#include "arch.h"
#include "blocklist.h"
#include "pmm.h"
#include "printk.h"
#include "string.h"

static struct blocklist kstacks, ptframes;

void kreserve_init(uint64_t nkstacks, uint64_t nptframes)
{
    for (uint64_t i = 0; i < nkstacks; i++) {
        paddr_t pa = pmm_alloc_contig(&kernel_pmm, KSTACK_SIZE / PAGE_SIZE);
        if (!pa)
            panic("boot: RAM too small for %lu kernel stacks the pools promise", nkstacks);
        blocklist_push(&kstacks, phys_to_virt(pa));
    }
    for (uint64_t i = 0; i < nptframes; i++) {
        paddr_t pa = pmm_alloc(&kernel_pmm);
        if (!pa)
            panic("boot: RAM too small for %lu page-table pages the pools promise", nptframes);
        blocklist_push(&ptframes, phys_to_virt(pa));
    }
    kprintf("boot: reserved %lu kernel stacks and %lu page-table pages for the pools\n", nkstacks,
            nptframes);
}

void *kreserve_kstack(void)
{
    return blocklist_pop(&kstacks);
}

void kreserve_kstack_put(void *stack)
{
    blocklist_push(&kstacks, stack);
}

paddr_t kreserve_ptframe(void)
{
    void *f = blocklist_pop(&ptframes);

    if (!f)
        return 0;
    memset(f, 0, PAGE_SIZE);
    return virt_to_phys(f);
}

void kreserve_ptframe_put(paddr_t pa)
{
    blocklist_push(&ptframes, phys_to_virt(pa));
}
