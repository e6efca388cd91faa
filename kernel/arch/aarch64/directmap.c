/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The kernel's own tree (TTBR1) once the firmware's memory map is known: RAM at
 * DIRECT_MAP_BASE + pa, Normal memory, never executable at EL1 but for the kernel image; the
 * devices the kernel drives (the UART, the GIC) as Device pages; nothing else. The boot tables
 * (boot.S) mapped the first 4 GiB whole, devices and holes too, and every byte of it
 * executable: they are left for good.
 *
 * The new tree is a new root, switched to from the identity map (ttbr1_switch.S): the old
 * and the new map the running kernel with blocks of other sizes, which the architecture
 * allows to meet in a TLB only through break-before-make, so nothing of TTBR1 is used between
 * the switch and the TLB's invalidation.
 */
#include "arch.h"
#include "arch_cpu.h"
#include "boot.h"
#include "dtboot.h"
#include "memmap.h"
#include "pmm.h"
#include "printk.h"
#include "pt_walk.h"
#include "string.h"

#define GIB_PAGE  (1ull << 30)
#define MIB2_PAGE (1ull << 21)
/* leaves: RAM (EL1 read-write, inner shareable, global, never executed), the kernel image's
 * pages (executable at EL1), a device's registers */
#define BLOCK     (PTE_VALID | PTE_AF | PTE_NORMAL | PTE_UXN)
#define LEAF_RAM  (BLOCK | PTE_PXN)
#define LEAF_DEV  (PTE_VALID | PTE_AF | PTE_DEVICE | PTE_PXN)

extern char _kernel_start[], _kernel_end[]; // kernel.ld
void ttbr1_switch(paddr_t root);            // ttbr1_switch.S, run at its physical address

struct direct_map_build {
    paddr_t root, l1;
    unsigned pages[3]; /* 1 GiB, 2 MiB, 4 KiB */
    unsigned tables;
};

static paddr_t new_table(struct direct_map_build *b)
{
    return pt_direct_map_table(&b->tables);
}

/* The table entry e points to, made if missing (ranges are disjoint: never a block there). */
static uint64_t *next_table(struct direct_map_build *b, uint64_t *e)
{
    if (!pte_present(*e))
        *e = new_table(b) | PTE_TABLE_KERNEL;
    ASSERT(pte_is_table(*e));
    return pt_table(pte_addr(*e));
}

/* One leaf for [pa, pa + size), at the level its size makes: 3 (1 GiB), 2 (2 MiB), 1. */
static void map_leaf(struct direct_map_build *b, paddr_t pa, uint64_t size, uint64_t bits)
{
    int level = size == GIB_PAGE ? 3 : size == MIB2_PAGE ? 2 : 1;
    uint64_t *e = &pt_table(b->l1)[pt_index(pa, 3)]; // below 512 GiB: va and pa share these

    ASSERT(pa + size <= DIRECT_MAP_SIZE && IS_ALIGNED(pa, size));
    for (int l = 3; l > level; l--)
        e = &next_table(b, e)[pt_index(pa, l - 1)];
    ASSERT(!pte_present(*e)); // each frame once
    /* bits 1:0 are 0b01 for a block, 0b11 for a level-1 (last level) page */
    *e = pa | bits | (level == 1 ? PTE_TABLE : 0);
    b->pages[3 - level]++;
}

static void map_ram(void *ctx, paddr_t pa, uint64_t size)
{
    map_leaf(ctx, pa, size, LEAF_RAM);
}

static void map_image(void *ctx, paddr_t pa, uint64_t size)
{
    map_leaf(ctx, pa, size, BLOCK);
}

/*
 * RAM [a, b) in the largest blocks its alignment allows (no 1 GiB blocks with "directmap=2m",
 * as on x86_64: HIMEM-002 maps RAM so); the image's pages apart.
 */
static void map_range(struct direct_map_build *b, paddr_t a, paddr_t end)
{
    static const uint64_t all[] = {GIB_PAGE, MIB2_PAGE, PAGE_SIZE};
    const uint64_t *sizes = cmdline_has("directmap=2m") ? all + 1 : all;
    unsigned n = (unsigned)(all + 3 - sizes);
    paddr_t img = virt_to_phys(_kernel_start), img_end = virt_to_phys(_kernel_end);

    if (img < end && img_end > a) { // the image's pages, executable, and the RAM around them
        if (a < img)
            memmap_pages(a, img, sizes, n, map_ram, b);
        memmap_pages(img > a ? img : a, img_end < end ? img_end : end, all + 2, 1, map_image, b);
        if (img_end < end)
            memmap_pages(img_end, end, sizes, n, map_ram, b);
        return;
    }
    memmap_pages(a, end, sizes, n, map_ram, b);
}

/* The page(s) of a device the kernel drives, if the tree names it. */
static void map_device(struct direct_map_build *b, const struct fdt_range *r)
{
    for (paddr_t pa = ALIGN_DOWN(r->base, PAGE_SIZE); pa < r->base + r->size; pa += PAGE_SIZE)
        map_leaf(b, pa, PAGE_SIZE, LEAF_DEV);
}

void arch_direct_map(const struct boot_range *ram, unsigned n)
{
    struct direct_map_build b = {0};
    const struct fdt_machine *m = &dt_machine;
    uint64_t bytes = 0;

    b.root = new_table(&b);
    b.l1 = new_table(&b);
    /* what the boot root holds besides the direct map (nothing yet but the kernel stacks'
     * entry, should it be there) carries over */
    memcpy(pt_table(b.root), pt_table(read_sysreg(ttbr1_el1) & PTE_ADDR), PAGE_SIZE);
    pt_table(b.root)[pt_index(DIRECT_MAP_BASE, 4)] = b.l1 | PTE_TABLE_KERNEL;
    for (unsigned i = 0; i < n; i++) {
        map_range(&b, ram[i].base, ram[i].base + ram[i].len);
        bytes += ram[i].len;
    }
    if (m->uart.present)
        map_device(&b, &m->uart.reg);
    if (m->gic.version == 2) {
        map_device(&b, &m->gic.dist);
        map_device(&b, &m->gic.cpu);
    }
    /* tables written with the MMU on, through cacheable memory the walks read coherently */
    __asm__ volatile("dsb ishst" : : : "memory");
    ((void (*)(paddr_t))virt_to_phys(ttbr1_switch))(b.root);
    kprintf("direct map: %lu KiB of RAM in %u ranges: %u 1 GiB, %u 2 MiB and %u 4 KiB pages, "
            "%u page-table frames\n",
            bytes / 1024, n, b.pages[0], b.pages[1], b.pages[2], b.tables);
}
