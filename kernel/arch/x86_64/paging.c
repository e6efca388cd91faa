/* SPDX-License-Identifier: BSD-2-Clause */
/* x86_64 four-level page tables for user spaces; the kernel half is shared. */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"
#include "boot.h"
#include "devmem.h"
#include "memmap.h"
#include "pmm.h"
#include "printk.h"
#include "string.h"
#include "x86.h"

/*
 * A 48-bit virtual address selects one entry per level:
 *
 *   47    39 38    30 29    21 20    12 11         0
 *  +--------+--------+--------+--------+------------+
 *  | PML4   | PDPT   | PD     | PT     | offset     |
 *  +--------+--------+--------+--------+------------+
 *
 * Entries 0..255 of a root (the user half) belong to the space; 256..511 are
 * copied from the boot root when the space is made, so every space sees the
 * same kernel. Intermediate user entries are present|writable|user and the
 * leaf alone decides the permissions.
 */
#define PTE_P                (1ull << 0)
#define PTE_W                (1ull << 1)
#define PTE_U                (1ull << 2)
#define PTE_PWT              (1ull << 3)
#define PTE_PCD              (1ull << 4)
#define PTE_PS               (1ull << 7)
#define PTE_OWN              (1ull << 9) /* software bit: the space owns the frame (MAP_OWNED) */
#define PTE_NX               (1ull << 63)
/* software bits 52..62 (the CPU ignores them: protection keys, CR4.PKE, stay off): who mapped
 * a foreign frame */
#define PTE_MAPPER_SHIFT     52
#define PTE_MAPPER_MASK      0x7ffull
#define PTE_MAPPER(e)        ((unsigned)(((e) >> PTE_MAPPER_SHIFT) & PTE_MAPPER_MASK))
#define PTE_MAPPER_OF(perms) (((uint64_t)(perms) >> 8 & PTE_MAPPER_MASK) << PTE_MAPPER_SHIFT)
_Static_assert(ARCH_MAPPER_MAX == PTE_MAPPER_MASK, "the mapper field holds every id");
#define PTE_ADDR 0x000ffffffffff000ull

extern uint64_t boot_pml4[]; // boot.S, linked (and loaded) at its physical address

static paddr_t kernel_root;
static uint64_t nx_bit; /* PTE_NX if EFER.NXE is on, else 0 */

/* A user leaf's flag bits for each combination of MAP_READ..MAP_DEVICE (NX depends on EFER,
 * so they are made at boot, by leaf_bits_init): one load in place of a test and a branch
 * for each permission on every map. */
#define LEAF_PERMS (MAP_READ | MAP_WRITE | MAP_EXEC | MAP_OWNED | MAP_DEVICE)
_Static_assert((LEAF_PERMS & (LEAF_PERMS + 1)) == 0 && LEAF_PERMS < MAP_MAPPER(1),
               "the permission bits are the low bits, below the mapper");
static uint64_t leaf_bits[LEAF_PERMS + 1];

static void leaf_bits_init(void);

static uint64_t *table(paddr_t pa)
{
    return phys_to_virt(pa);
}

static unsigned index_at(vaddr_t va, int level)
{
    return (va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* A zeroed table frame: the owner's pool pays, or the kernel's allocator for its own tables. */
static paddr_t new_table(void *owner)
{
    paddr_t pa = owner ? pt_frame_alloc(owner) : pmm_alloc(&kernel_pmm);

    if (pa && !owner)
        memset(table(pa), 0, PAGE_SIZE);
    return pa;
}

/* The level-1 entry for va (in *leaf) if every table above it is there: the common case of
 * walk, a loop with no call in it, so that it needs no frame (mem_map, mem_unmap and every
 * page a fault handler maps pass here). A flag and an out parameter, not a pointer or NULL:
 * the callers that inline it then test no pointer the walk cannot make NULL. */
static inline __attribute__((always_inline)) bool walk_present(paddr_t root, vaddr_t va,
                                                               uint64_t **leaf)
{
    uint64_t *t = table(root);

#pragma GCC unroll 3 // constant shifts, no loop counter: a third fewer instructions a walk
    for (int level = 4; level > 1; level--) {
        uint64_t e = t[index_at(va, level)];
        /* present and no large page (never made in a user half): e - 1 has bit 0 clear only
         * if e has it set, and then its PS bit is e's; one test where a mask needs a copy */
        if ((e - 1) & (PTE_P | PTE_PS))
            return false;
        t = table(e & PTE_ADDR);
    }
    *leaf = &t[index_at(va, 1)];
    return true;
}

/* walk's rare case: a table is missing, and is made (paid by owner). */
static __attribute__((noinline)) uint64_t *walk_make(paddr_t root, vaddr_t va, void *owner,
                                                     uint64_t table_flags)
{
    uint64_t *t = table(root);

    for (int level = 4; level > 1; level--) {
        uint64_t *e = &t[index_at(va, level)];
        if (!(*e & PTE_P)) {
            paddr_t pa = new_table(owner);
            if (!pa)
                return NULL;
            *e = pa | PTE_P | PTE_W | table_flags;
        }
        if (*e & PTE_PS)
            return NULL; // large pages are never made in a user half
        t = table(*e & PTE_ADDR);
    }
    return &t[index_at(va, 1)];
}

/* The level-1 entry for va, making missing tables (paid by owner) when create is set. */
static uint64_t *walk(paddr_t root, vaddr_t va, bool create, void *owner, uint64_t table_flags)
{
    uint64_t *e;

    if (likely(walk_present(root, va, &e)))
        return e;
    return create ? walk_make(root, va, owner, table_flags) : NULL;
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
    paddr_t pa = pmm_alloc(&kernel_pmm);

    if (!pa)
        panic("boot: no memory for the direct map's page tables");
    ASSERT(pa < BOOT_MAP_SIZE); // written through the boot tables' map until the switch
    memset(table(pa), 0, PAGE_SIZE);
    b->tables++;
    return pa;
}

/* The table entry e points to, made if missing; never a large page (ranges are disjoint). */
static uint64_t *direct_map_next(struct direct_map_build *b, uint64_t *e)
{
    if (!(*e & PTE_P))
        *e = direct_map_table(b) | PTE_P | PTE_W;
    ASSERT(!(*e & PTE_PS));
    return table(*e & PTE_ADDR);
}

static void direct_map_page(void *ctx, paddr_t pa, uint64_t size)
{
    struct direct_map_build *b = ctx;
    uint64_t leaf = pa | PTE_P | PTE_W | nx_bit;
    uint64_t *e = &table(b->pdpt)[index_at(pa, 3)]; // below 512 GiB: va and pa share these bits
    int level = size == GIB_PAGE ? 3 : size == MIB2_PAGE ? 2 : 1;

    ASSERT(pa + size <= DIRECT_MAP_SIZE && IS_ALIGNED(pa, size));
    for (int l = 3; l > level; l--)
        e = &direct_map_next(b, e)[index_at(pa, l - 1)];
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

    kernel_root = (paddr_t)boot_pml4;
    nx_bit = (rdmsr(MSR_EFER) & EFER_NXE) ? PTE_NX : 0;
    leaf_bits_init();
    b.pdpt = direct_map_table(&b);
    for (unsigned i = 0; i < n; i++) {
        memmap_pages(ram[i].base, ram[i].base + ram[i].len, huge ? sizes : sizes + 1, huge ? 3 : 2,
                     direct_map_page, &b);
        bytes += ram[i].len;
    }
    table(kernel_root)[index_at(DIRECT_MAP_BASE, 4)] = b.pdpt | PTE_P | PTE_W;
    percpu_write_cr3(kernel_root); // the boot tables' direct-map entries leave the TLB
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
    uint64_t *pdpt = table(table(kernel_root)[index_at(KERNEL_VMA, 4)] & PTE_ADDR);
    uint64_t *pd = table(pdpt[index_at(KERNEL_VMA, 3)] & PTE_ADDR);

    for (unsigned i = ALIGN_UP((paddr_t)_kernel_phys_end, MIB2_PAGE) / MIB2_PAGE; i < 512; i++)
        pd[i] = 0;
}

/* The stack area's top-level table exists before any space copies the kernel half. */
static void kstack_area_init(void)
{
    uint64_t *e = &table(kernel_root)[index_at(KSTACK_AREA, 4)];
    paddr_t pdpt = new_table(NULL);

    if (!pdpt)
        panic("boot: no memory for the kernel stack area");
    *e = pdpt | PTE_P | PTE_W;
}

/* One stack's place in the area: a guard page, then KSTACK_SIZE bytes. */
#define KSTACK_SLOT (PAGE_SIZE + KSTACK_SIZE)

vaddr_t arch_kstacks_reserve(uint32_t n)
{
    static vaddr_t next = KSTACK_AREA;
    vaddr_t area = next;

    /* every table the n stacks' pages need, made now: mapping one later allocates nothing */
    for (vaddr_t va = area; va < area + (uint64_t)n * KSTACK_SLOT; va += PAGE_SIZE) {
        if (!walk(kernel_root, va, true, NULL, 0))
            return 0;
    }
    next = area + (uint64_t)n * KSTACK_SLOT;
    return area;
}

void *arch_kstack_map(vaddr_t area, uint32_t i, paddr_t ram)
{
    vaddr_t base = area + (uint64_t)i * KSTACK_SLOT + PAGE_SIZE; // its guard stays unmapped

    for (uint64_t off = 0; off < KSTACK_SIZE; off += PAGE_SIZE) {
        uint64_t *e = walk(kernel_root, base + off, false, NULL, 0);
        ASSERT(e && !*e); // made by arch_kstacks_reserve; a block's stack is mapped once
        /* not zeroed: only the kernel reads a kernel stack, after it wrote it (the user
         * frame and the first context are built on it) */
        *e = (ram + off) | PTE_P | PTE_W | nx_bit;
    }
    return (void *)base;
}

void arch_kstack_unmap(void *kstack)
{
    for (uint64_t off = 0; off < KSTACK_SIZE; off += PAGE_SIZE) {
        vaddr_t va = (vaddr_t)kstack + off;
        uint64_t *e = walk(kernel_root, va, false, NULL, 0);
        ASSERT(e && (*e & PTE_P));
        *e = 0;
        invlpg(va); // the area is in every space's kernel half: one flush reaches them all
    }
}

void paging_init(void)
{
    ASSERT(kernel_root); // arch_direct_map came first (memory_init)
    kstack_area_init();
    /* the identity map was only needed to switch to the higher half */
    table(kernel_root)[0] = 0;
    kernel_window_trim();
    percpu_write_cr3(kernel_root);
}

void *arch_map_device(paddr_t pa, const char *what)
{
    /* devices live above the direct map: give them the top 1 GiB of the address space */
    static vaddr_t next = 0xffffffffc0000000;
    uint64_t *e = walk(kernel_root, next, true, NULL, 0);

    ASSERT(e);
    devmem_kernel_uses(ALIGN_DOWN(pa, PAGE_SIZE), PAGE_SIZE, what);
    *e = ALIGN_DOWN(pa, PAGE_SIZE) | PTE_P | PTE_W | PTE_PCD | PTE_PWT | nx_bit;
    invlpg(next);
    next += PAGE_SIZE;
    return (void *)(next - PAGE_SIZE + (pa & (PAGE_SIZE - 1)));
}

paddr_t arch_pt_create(void *owner)
{
    paddr_t root = new_table(owner);

    DEBUG_ASSERT(leaf_bits[0] & PTE_P); // made (arch_direct_map) before any space maps a page
    if (root)
        memcpy(table(root) + 256, table(kernel_root) + 256, 256 * sizeof(uint64_t));
    return root;
}

/*
 * Device memory is mapped uncached with PCD|PWT: PAT entry 3, which is UC at power-on and
 * the kernel never reprograms the PAT, so no MSR is involved, and UC in the page table
 * overrides whatever the MTRRs say of the range. A user mapping with PCD is a device's:
 * arch_pt_lookup reads it back to refuse the page.
 */
#define PTE_DEVICE (PTE_PCD | PTE_PWT)

/* The walk and the write of arch_pt_map, out of line: what is left of arch_pt_map is small
 * enough for LTO to inline into its callers, where its checks fold into theirs. */
static __attribute__((noinline)) l4_err_t pt_set(paddr_t root, void *owner, vaddr_t va,
                                                 uint64_t pte)
{
    uint64_t *e;

    /* walk's common case, inlined: no call */
    if (unlikely(!walk_present(root, va, &e)) && !(e = walk_make(root, va, owner, PTE_U)))
        return L4_ENOMEM;
    if (*e & PTE_P)
        return L4_EBUSY;
    *e = pte;
    return L4_OK;
}

static void leaf_bits_init(void)
{
    for (unsigned p = 0; p <= LEAF_PERMS; p++)
        leaf_bits[p] = PTE_P | PTE_U | (p & MAP_WRITE ? PTE_W : 0) | (p & MAP_EXEC ? 0 : nx_bit) |
                       (p & MAP_OWNED ? PTE_OWN : 0) | (p & MAP_DEVICE ? PTE_DEVICE : 0);
}

l4_err_t arch_pt_map(paddr_t root, void *owner, vaddr_t va, paddr_t pa, unsigned perms)
{
    if (va >= USER_MAP_TOP || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE))
        return L4_EINVAL; // the top page never: see USER_MAP_TOP
    DEBUG_ASSERT(!(perms & MAP_DEVICE) || !(perms & (MAP_EXEC | MAP_OWNED)));
    return pt_set(root, owner, va, pa | leaf_bits[perms & LEAF_PERMS] | PTE_MAPPER_OF(perms));
}

/* Clear the entry at va and flush it: what it held, or 0 if nothing was mapped there. */
static inline uint64_t pt_clear(paddr_t root, vaddr_t va)
{
    uint64_t *e;

    if (va >= USER_TOP || !walk_present(root, va, &e) || !(*e & PTE_P))
        return 0;
    uint64_t old = *e;
    *e = 0;
    if (percpu_cr3() == root)
        invlpg(va);
    return old;
}

/* mem_unmap's alone: with a second caller it would no longer be inlined into it (LTO) */
paddr_t arch_pt_unmap(paddr_t root, vaddr_t va, bool *owned)
{
    uint64_t old = pt_clear(root, va);

    *owned = old & PTE_OWN;
    DEBUG_ASSERT(!*owned || !(old & PTE_PCD)); // a device frame is nobody's to free
    return old & PTE_ADDR;
}

void arch_pt_clear(paddr_t root, vaddr_t va)
{
    uint64_t old = pt_clear(root, va);

    DEBUG_ASSERT(!(old & PTE_OWN)); // its frame would be lost
}

bool arch_pt_lookup(paddr_t root, vaddr_t va, unsigned perms, paddr_t *pa)
{
    uint64_t *e;

    /* walk's common case, inlined: every copy from or to user memory and the foreign
     * fastpath's UTCB come here */
    if (va >= USER_TOP || !walk_present(root, va, &e))
        return false;
    /* the bits the entry must have, and those it must not: a device page (PCD) is no RAM
     * (the direct map does not reach it, or maps it cacheable) */
    uint64_t want = PTE_P | PTE_U | (perms & MAP_WRITE ? PTE_W : 0);
    uint64_t not = PTE_PCD | (perms & MAP_EXEC ? nx_bit : 0);
    if ((*e & (want | not )) != want)
        return false;
    if (pa)
        *pa = *e & PTE_ADDR;
    return true;
}

/* arch_pt_entry's answer from the entry e points to (NULL: no table there). */
static inline bool entry_of(const uint64_t *e, paddr_t *pa, unsigned *perms)
{
    if (!e || !(*e & PTE_P) || !(*e & PTE_U))
        return false;
    *pa = *e & PTE_ADDR;
    *perms = MAP_READ | (*e & PTE_W ? MAP_WRITE : 0) | (*e & nx_bit ? 0 : MAP_EXEC) |
             (*e & PTE_OWN ? MAP_OWNED : 0) | (*e & PTE_PCD ? MAP_DEVICE : 0) |
             MAP_MAPPER(PTE_MAPPER(*e));
    return true;
}

bool arch_pt_entry(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *perms)
{
    return entry_of(va < USER_TOP ? walk(root, va, false, NULL, 0) : NULL, pa, perms);
}

#define TABLE_SPAN (1ull << (PAGE_SHIFT + 9)) /* what one level-1 table maps: 2 MiB */

void arch_pt_near_init(struct pt_near *n, paddr_t root)
{
    *n = (struct pt_near){.root = root, .base = 1, .leaves = NULL};
}

/* The level-1 entry for va through n, walking only when va is in another table's span. */
static uint64_t *near_leaf(struct pt_near *n, vaddr_t va)
{
    if (va >= USER_TOP)
        return NULL;
    if (ALIGN_DOWN(va, TABLE_SPAN) != n->base) {
        n->base = ALIGN_DOWN(va, TABLE_SPAN);
        if (!walk_present(n->root, n->base, &n->leaves))
            n->leaves = NULL;
    }
    return n->leaves ? &n->leaves[index_at(va, 1)] : NULL;
}

bool arch_pt_entry_near(struct pt_near *n, vaddr_t va, paddr_t *pa, unsigned *perms)
{
    return entry_of(near_leaf(n, va), pa, perms);
}

/*
 * The rights a foreign mapping stands on: READ, WRITE if writable, EXEC if executable.
 * Without NX (EFER.NXE off) every page can be fetched from whatever the entry says: EXEC
 * is then no right a mapping holds, so none is needed to keep it.
 */
static unsigned leaf_perms(uint64_t e)
{
    return MAP_READ | (e & PTE_W ? MAP_WRITE : 0) | (nx_bit && !(e & nx_bit) ? MAP_EXEC : 0);
}

/*
 * Only the permission and mapper bits change: the frame, ownership and whatever
 * else the entry holds (cache bits) stay. Lowering rights must reach the TLB at
 * once; another space's entries go with the CR3 write that makes it current.
 */
static void protect(uint64_t *e, paddr_t root, vaddr_t va, unsigned perms)
{
    const uint64_t bits = PTE_W | PTE_NX | (PTE_MAPPER_MASK << PTE_MAPPER_SHIFT);

    ASSERT(e && (*e & PTE_P) && !(*e & PTE_OWN));
    *e = (*e & ~bits) | ((perms & MAP_WRITE) ? PTE_W : 0) | ((perms & MAP_EXEC) ? 0 : nx_bit) |
         PTE_MAPPER_OF(perms);
    if (root == percpu_cr3())
        invlpg(va);
}

void arch_pt_protect_near(struct pt_near *n, vaddr_t va, unsigned perms)
{
    protect(near_leaf(n, va), n->root, va, perms);
}

static void free_level(paddr_t t, int level, void *owner, void (*leaf)(void *, paddr_t))
{
    uint64_t *e = table(t);

    for (unsigned i = 0; i < 512; i++) {
        if (!(e[i] & PTE_P))
            continue;
        if (level == 1) {
            if (leaf && (e[i] & PTE_OWN)) // frames mapped from memory capabilities stay
                leaf(owner, e[i] & PTE_ADDR);
        } else {
            free_level(e[i] & PTE_ADDR, level - 1, owner, leaf);
        }
    }
    pt_frame_free(owner, t);
}

void arch_pt_destroy(paddr_t root, void *owner, void (*leaf)(void *owner, paddr_t pa))
{
    uint64_t *e = table(root);

    ASSERT(root != kernel_root);
    if (percpu_cr3() == root)
        percpu_write_cr3(kernel_root);
    for (unsigned i = 0; i < 256; i++) {
        if (e[i] & PTE_P)
            free_level(e[i] & PTE_ADDR, 3, owner, leaf);
    }
    pt_frame_free(owner, root);
}

/*
 * Free up to *budget tables below t (at level), lowest first, each once every table below it
 * went, clearing its entry in its parent as it goes: the tree stays whole between calls, so
 * a walk of every space (a sweep, an unmap) may pass it meanwhile. Is t empty now?
 */
static bool free_some(paddr_t t, int level, unsigned first, unsigned end, void *owner,
                      void (*leaf)(void *, paddr_t), unsigned *budget)
{
    uint64_t *e = table(t);

    for (unsigned i = first; i < end; i++) {
        if (!(e[i] & PTE_P))
            continue;
        if (!*budget)
            return false;
        paddr_t sub = e[i] & PTE_ADDR;
        if (level > 2 && !free_some(sub, level - 1, 0, 512, owner, leaf, budget))
            return false;
        if (level == 2)
            free_level(sub, 1, owner, leaf);
        else
            pt_frame_free(owner, sub);
        e[i] = 0;
        --*budget;
    }
    return true;
}

bool arch_pt_destroy_some(paddr_t root, void *owner, void (*leaf)(void *owner, paddr_t pa),
                          unsigned budget)
{
    ASSERT(root != kernel_root);
    if (percpu_cr3() == root)
        percpu_write_cr3(kernel_root);
    if (!free_some(root, 4, 0, 256, owner, leaf, &budget))
        return true;
    pt_frame_free(owner, root);
    return false;
}

static void unmap_foreign_level(paddr_t t, int level, vaddr_t va, paddr_t root, paddr_t base,
                                uint64_t size, bool (*keep)(unsigned, paddr_t, unsigned))
{
    uint64_t *e = table(t);
    uint64_t span = 1ull << (PAGE_SHIFT + 9 * (level - 1));

    for (unsigned i = 0; i < 512; i++) {
        if (!(e[i] & PTE_P))
            continue;
        if (level > 1) {
            unmap_foreign_level(e[i] & PTE_ADDR, level - 1, va + i * span, root, base, size, keep);
            continue;
        }
        paddr_t pa = e[i] & PTE_ADDR;
        if ((e[i] & PTE_OWN) || pa < base || pa - base >= size ||
            keep(PTE_MAPPER(e[i]), pa, leaf_perms(e[i])))
            continue;
        e[i] = 0;
        if (percpu_cr3() == root)
            invlpg(va + i * span);
    }
}

void arch_pt_unmap_foreign(paddr_t root, paddr_t base, uint64_t size,
                           bool (*keep)(unsigned mapper, paddr_t pa, unsigned perms))
{
    uint64_t *e = table(root);

    for (unsigned i = 0; i < 256; i++) { // the user half; four levels, so no deep recursion
        if (e[i] & PTE_P)
            unmap_foreign_level(e[i] & PTE_ADDR, 3, (vaddr_t)i << 39, root, base, size, keep);
    }
}

/*
 * arch_pt_unmap_foreign in steps: where a walk stands (the next address to look at) and what
 * it may still spend, in units of about 10 instructions: a present entry costs one, a table
 * looked through UNMAP_TABLE_COST more (its 512 entries, most of them empty: an empty one
 * costs 4 instructions, too few to count one by one), a foreign leaf in the range
 * UNMAP_LEAF_COST more (the keep question and the clearing). So a step's length follows its
 * units, whatever the tables hold, and it stops only at a present entry.
 */
#define UNMAP_TABLE_COST 200
#define UNMAP_LEAF_COST  7

/* Where a walk in steps stands: the next address to look at, and the units it may spend. */
struct unmap_at {
    vaddr_t at;
    long budget;
};

/*
 * Table t of the given level, which maps from va on; false when the budget ran out (w->at
 * then says where to go on). Entries below w->at were looked at by an earlier step. keep and
 * the range are parameters, not fields of w: its one caller passes constants, which the
 * compiler then inlines (a call and a memory load a leaf fewer).
 */
static bool unmap_foreign_from(paddr_t t, int level, vaddr_t va, paddr_t root, paddr_t base,
                               uint64_t size, bool (*keep)(unsigned, paddr_t, unsigned),
                               struct unmap_at *w)
{
    uint64_t *e = table(t);
    uint64_t span = 1ull << (PAGE_SHIFT + 9 * (level - 1));
    unsigned n = level == 4 ? 256 : 512; // a root's user half only
    long budget = w->budget;

    for (unsigned i = w->at > va ? index_at(w->at, level) : 0; i < n; i++) {
        if (!(e[i] & PTE_P))
            continue; // paid for with the table (UNMAP_TABLE_COST)
        vaddr_t v = va + i * span;
        if (budget <= 0) {
            w->at = v > w->at ? v : w->at;
            w->budget = budget;
            return false;
        }
        budget--;
        if (level > 1) {
            budget -= UNMAP_TABLE_COST;
            w->budget = budget;
            if (!unmap_foreign_from(e[i] & PTE_ADDR, level - 1, v, root, base, size, keep, w))
                return false;
            budget = w->budget;
            continue;
        }
        paddr_t pa = e[i] & PTE_ADDR;
        if ((e[i] & PTE_OWN) || pa < base || pa - base >= size)
            continue;
        budget -= UNMAP_LEAF_COST;
        if (keep(PTE_MAPPER(e[i]), pa, leaf_perms(e[i])))
            continue;
        e[i] = 0;
        if (percpu_cr3() == root)
            invlpg(v); // another space's entries go with the CR3 write that makes it current
    }
    w->budget = budget;
    return true;
}

bool arch_pt_unmap_foreign_step(paddr_t root, paddr_t base, uint64_t size,
                                bool (*keep)(unsigned mapper, paddr_t pa, unsigned perms),
                                vaddr_t *at, long *budget)
{
    struct unmap_at w = {*at, *budget};
    bool done = unmap_foreign_from(root, 4, 0, root, base, size, keep, &w);

    *at = w.at;
    *budget = w.budget;
    return done;
}

void arch_pt_activate(paddr_t root)
{
    if (!root)
        root = kernel_root;
    if (percpu_cr3() != root)
        percpu_write_cr3(root);
}
