/* SPDX-License-Identifier: BSD-2-Clause */
/* x86_64 paging: the kernel's own tables (direct map, kernel window, devices), the leaf bits
 * and a root's kernel half; the walks are generic (pt_walk.h, kernel/core/pt_*.c). */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"
#include "boot.h"
#include "devmem.h"
#include "memmap.h"
#include "pmm.h"
#include "printk.h"
#include "pt_walk.h"
#include "string.h"
#include "x86.h"

extern uint64_t boot_pml4[]; // boot.S, linked (and loaded) at its physical address

paddr_t pte_kernel_top;
uint64_t pte_nx;
uint64_t pte_leaf_bits[LEAF_PERMS + 1];

static void leaf_bits_init(void)
{
    for (unsigned p = 0; p <= LEAF_PERMS; p++)
        pte_leaf_bits[p] = PTE_P | PTE_U | (p & MAP_WRITE ? PTE_W : 0) |
                           (p & MAP_EXEC ? 0 : pte_nx) | (p & MAP_OWNED ? PTE_OWN : 0) |
                           (p & MAP_DEVICE ? PTE_DEVICE : 0);
}

/*
 * The direct map: every usable RAM range at DIRECT_MAP_BASE plus its physical address, in a
 * PDPT of its own under PML4 entry 256, which every space shares. It is no-execute: it holds
 * data users influence (message buffers, capability tables), which must never run as kernel
 * code. It is write-back cached, so it must cover RAM and nothing else: a large page over a
 * hole would make device registers or firmware tables cacheable RAM to the CPU, and its
 * speculative loads could reach them. So each range is cut (memmap_pages) into the largest
 * pages that lie wholly inside it: 4 KiB ones at ends that are not 2 MiB aligned (below
 * 640 KiB, say), 2 MiB ones, and 1 GiB ones where the CPU has them (CPUID pdpe1gb) and the
 * kernel command line does not say directmap=2m. Until it is in place the boot tables' first
 * GiB stands in for it, so its page tables must come from frames below BOOT_MAP_SIZE.
 */
struct direct_map_build {
    paddr_t pdpt;
    unsigned pages[3]; /* 1 GiB, 2 MiB, 4 KiB */
    unsigned tables;   /* frames of page tables, the PDPT included */
};

#define GIB_PAGE  (1ull << 30)
#define MIB2_PAGE (1ull << 21)

static paddr_t direct_map_table(struct direct_map_build *b)
{
    return pt_direct_map_table(&b->tables);
}

/* The table entry e points to, made if missing; never a large page (ranges are disjoint). */
static uint64_t *direct_map_next(struct direct_map_build *b, uint64_t *e)
{
    if (!(*e & PTE_P))
        *e = direct_map_table(b) | PTE_P | PTE_W;
    ASSERT(!(*e & PTE_PS));
    return pt_table(*e & PTE_ADDR);
}

static void direct_map_page(void *ctx, paddr_t pa, uint64_t size)
{
    struct direct_map_build *b = ctx;
    uint64_t leaf = pa | PTE_P | PTE_W | pte_nx;
    uint64_t *e = &pt_table(b->pdpt)[pt_index(pa, 3)]; // below 512 GiB: va and pa share these bits
    int level = size == GIB_PAGE ? 3 : size == MIB2_PAGE ? 2 : 1;

    ASSERT(pa + size <= DIRECT_MAP_SIZE && IS_ALIGNED(pa, size));
    for (int l = 3; l > level; l--)
        e = &direct_map_next(b, e)[pt_index(pa, l - 1)];
    ASSERT(!(*e & PTE_P)); // each frame once: a second mapping would be a range counted twice
    *e = leaf | (level > 1 ? PTE_PS : 0);
    b->pages[3 - level]++;
}

static bool cpu_has_1g_pages(void)
{
    uint32_t a, bx, c, d;

    cpuid(0x80000001, &a, &bx, &c, &d);
    return d & (1u << 26); // pdpe1gb
}

void arch_direct_map(const struct boot_range *ram, unsigned n)
{
    static const uint64_t sizes[] = {GIB_PAGE, MIB2_PAGE, PAGE_SIZE};
    bool huge = cpu_has_1g_pages() && !cmdline_has("directmap=2m");
    struct direct_map_build b = {0};
    uint64_t bytes = 0;

    pte_kernel_top = (paddr_t)boot_pml4;
    pte_nx = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
    leaf_bits_init();
    b.pdpt = direct_map_table(&b);
    for (unsigned i = 0; i < n; i++) {
        memmap_pages(ram[i].base, ram[i].base + ram[i].len, huge ? sizes : sizes + 1, huge ? 3 : 2,
                     direct_map_page, &b);
        bytes += ram[i].len;
    }
    pt_table(pte_kernel_top)[pt_index(DIRECT_MAP_BASE, 4)] = b.pdpt | PTE_P | PTE_W;
    percpu_write_cr3(pte_kernel_top); // the boot tables' direct-map entries leave the TLB
    kprintf("direct map: %lu KiB of RAM in %u ranges: %u 1 GiB, %u 2 MiB and %u 4 KiB pages, "
            "%u page-table frames\n",
            bytes / 1024, n, b.pages[0], b.pages[1], b.pages[2], b.tables);
}

/*
 * The kernel window needs only the kernel image: the rest of the boot directory's GiB would
 * be a second, executable, map of RAM (or of no RAM at all).
 */
static void kernel_window_trim(void)
{
    extern char _kernel_phys_end[]; // kernel.ld
    uint64_t *pdpt = pt_table(pt_table(pte_kernel_top)[pt_index(KERNEL_VMA, 4)] & PTE_ADDR);
    uint64_t *pd = pt_table(pdpt[pt_index(KERNEL_VMA, 3)] & PTE_ADDR);

    for (unsigned i = ALIGN_UP((paddr_t)_kernel_phys_end, MIB2_PAGE) / MIB2_PAGE; i < 512; i++)
        pd[i] = 0;
}

/* The stack area's top-level table exists before any space copies the kernel half (the
 * stacks' own tables come later: arch_kstacks_reserve, kernel/core/kstack.c). */
static void kstack_area_init(void)
{
    uint64_t *e = &pt_table(pte_kernel_top)[pt_index(KSTACK_AREA, 4)];
    paddr_t pdpt = pmm_alloc(&kernel_pmm);

    if (!pdpt)
        panic("boot: no memory for the kernel stack area");
    memset(pt_table(pdpt), 0, PAGE_SIZE);
    *e = pdpt | PTE_TABLE_KERNEL;
}

void paging_init(void)
{
    ASSERT(pte_kernel_top); // arch_direct_map came first (memory_init)
    kstack_area_init();
    /* the identity map was only needed to switch to the higher half */
    pt_table(pte_kernel_top)[0] = 0;
    kernel_window_trim();
    percpu_write_cr3(pte_kernel_top);
}

void *arch_map_device(paddr_t pa, const char *what)
{
    /* devices live above the direct map: give them the top 1 GiB of the address space */
    static vaddr_t next = 0xffffffffc0000000;
    uint64_t *e = pt_kernel_entry(next, true);

    ASSERT(e);
    devmem_kernel_uses(ALIGN_DOWN(pa, PAGE_SIZE), PAGE_SIZE, what);
    *e = ALIGN_DOWN(pa, PAGE_SIZE) | PTE_P | PTE_W | PTE_DEVICE | pte_nx;
    invlpg(next);
    next += PAGE_SIZE;
    return (void *)(next - PAGE_SIZE + (pa & (PAGE_SIZE - 1)));
}

/* Entries 0..255 of a root (the user half) belong to the space; 256..511 are copied from
 * the boot root, so every space sees the same kernel. */
paddr_t pte_root_make(paddr_t top)
{
    DEBUG_ASSERT(pte_leaf_bits[0] & PTE_P); // made (arch_direct_map) before any space maps
    memcpy(pt_table(top) + 256, pt_table(pte_kernel_top) + 256, 256 * sizeof(uint64_t));
    return top;
}

void pte_root_leave(paddr_t root)
{
    ASSERT(root != pte_kernel_top);
    if (percpu_cr3() == root)
        percpu_write_cr3(pte_kernel_top);
}

void arch_pt_activate(paddr_t root)
{
    if (!root)
        root = pte_kernel_top;
    if (percpu_cr3() != root)
        percpu_write_cr3(root);
}
