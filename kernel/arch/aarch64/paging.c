/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 paging: a space's root in TTBR0 with an ASID of its own; the kernel's tree in
 * TTBR1, shared by every space. The walks are generic (pt_walk.h, kernel/core/pt_*.c). */
#include "paging.h"

#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"
#include "printk.h"
#include "pt_walk.h"

/*
 * ASIDs: one a space for as long as it lives, so that switching spaces writes TTBR0 and
 * flushes nothing. ASID 0 is no space's: the empty root's, which TTBR0 holds while no space
 * is current (it maps nothing, so nothing is ever cached under ASID 0). A space's destroy
 * invalidates its ASID's entries (pte_root_leave) before the ASID is given back
 * (pte_root_free), so the next space to get it finds none. The CPU has 16-bit ASIDs or 8-bit
 * ones (ID_AA64MMFR0_EL1.ASIDBits; boot.S sets TCR_EL1.AS to match): with 8 bits at most 255
 * spaces live at once, and arch_pt_create refuses the 256th as it refuses one with no memory.
 */
#define ASIDS_MAX 65536
static uint64_t asid_used[ASIDS_MAX / 64];
static unsigned asid_count; /* 256 or 65536: set by paging_init */
static unsigned asid_next = 1;

paddr_t pte_kernel_top;
static uint64_t empty_root[PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static paddr_t empty_ttbr0; /* the empty root, ASID 0 */

static unsigned asid_alloc(void)
{
    for (unsigned n = 1; n < asid_count; n++) {
        unsigned a = asid_next;
        asid_next = a + 1 < asid_count ? a + 1 : 1;
        if (!(asid_used[a / 64] & (1ull << (a % 64)))) {
            asid_used[a / 64] |= 1ull << (a % 64);
            return a;
        }
    }
    return 0;
}

paddr_t pte_root_make(paddr_t top)
{
    unsigned asid = asid_alloc();

    DEBUG_ASSERT(asid_count); // paging_init came first
    return asid ? top | (paddr_t)asid << ROOT_ASID_SHIFT : 0;
}

void arch_pt_activate(paddr_t root)
{
    if (!root)
        root = empty_ttbr0;
    if (percpu()->ttbr0 != root) {
        write_sysreg(ttbr0_el1, root);
        isb();
        percpu()->ttbr0 = root;
    }
}

void pte_root_leave(paddr_t root)
{
    uint64_t op = root & ROOT_ASID_MASK;

    ASSERT(op && pte_root_table(root) != pte_root_table(empty_ttbr0));
    if (percpu()->ttbr0 == root)
        arch_pt_activate(0);
    /* no walk uses the ASID from here on: its entries, leaves and tables, go for good */
    __asm__ volatile("dsb ishst; tlbi aside1is, %0; dsb ish; isb" : : "r"(op) : "memory");
}

void pte_root_free(paddr_t root)
{
    unsigned a = (unsigned)(root >> ROOT_ASID_SHIFT);

    ASSERT(a && a < asid_count && (asid_used[a / 64] & (1ull << (a % 64))));
    asid_used[a / 64] &= ~(1ull << (a % 64));
}

/*
 * After the MMU is on (boot.S) and before any space is made: the kernel's tree is TTBR1's,
 * and TTBR0 drops the boot identity map for the empty root. The identity map's blocks are
 * global, so every CPU's TLB forgets them.
 */
void paging_init(void)
{
    uint64_t mmfr0 = read_sysreg(id_aa64mmfr0_el1);

    asid_count = ((mmfr0 >> 4) & 0xf) == 2 ? 65536 : 256;
    pte_kernel_top = read_sysreg(ttbr1_el1) & PTE_ADDR;
    empty_ttbr0 = virt_to_phys(empty_root);
    write_sysreg(ttbr0_el1, empty_ttbr0);
    isb();
    percpu()->ttbr0 = empty_ttbr0;
    __asm__ volatile("dsb ishst; tlbi vmalle1is; dsb ish; isb" : : : "memory");
    kprintf("paging: %u ASIDs\n", asid_count - 1);
}
