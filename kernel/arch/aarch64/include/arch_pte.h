/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 stage-1 descriptors (4 KiB granule) and TLB maintenance for the generic walks
 * (pt_walk.h). */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include "arch.h"

/*
 * A descriptor, as the walks use them (Arm ARM D8.3; levels 4..1 here are its levels 0..3):
 *
 *   63    56 55  54  53  52  51  50 48 47     12 11  10  9 8  7   6   5  4  3  2  1 0
 *  +--------+---+---+---+---+---+-----+---------+---+---+----+---+---+---+-----+---+---+
 *  |mapper  |own|UXN|PXN| 0 |map|  0  | frame   |nG |AF | SH |AP2|AP1| 0 |map  |dev| 11|
 *  |bits 7:0|   |   |   |   |10 |     |         |   |   |    |   |   |   |9:8  |   |   |
 *  +--------+---+---+---+---+---+-----+---------+---+---+----+---+---+---+-----+---+---+
 *
 * Bits 1:0 are 0b11 for a table (levels 4..2) and for a page (level 1); 0 is no entry. A
 * user page: AF set (no access-flag faults), nG (tagged with its space's ASID), AP[1] (EL0
 * may reach it), AP[2] unless MAP_WRITE, UXN unless MAP_EXEC, PXN always (the kernel never
 * runs user memory), and AttrIndx 0 (Normal write-back, inner shareable) or, for
 * MAP_DEVICE, 1 (Device-nGnRE, never executable).
 *
 * The software's bits: MAP_OWNED in 55 and the mapper's id (11 bits, as on x86_64) in the
 * rest: 56..63 (55..58 are reserved for software, 59..62 ignored while TCR_EL1.HWU0nn stay 0,
 * 63 ignored), AttrIndx[2:1] (MAIR_EL1 repeats its two attributes, so that only AttrIndx[0]
 * means anything: arch_layout.h) and 51 (DBM: ignored while TCR_EL1.HD stays 0; where
 * FEAT_HAFDBS is missing it is RES0, and Linux keeps a software bit there all the same).
 *
 * A live entry only ever goes away (unmap) or changes its permissions and software bits
 * (protect): never its frame, memory type or shareability, so no change needs the
 * break-before-make sequence, only a TLB invalidation of its page once it is written.
 */
#define PTE_VALID            (1ull << 0)
#define PTE_TABLE            (1ull << 1) /* levels 4..2: a table; level 1: a page */
#define PTE_ATTR_DEV         (1ull << 2) /* AttrIndx[0]: Device-nGnRE (MAIR_IDX_DEVICE) */
#define PTE_AP_EL0           (1ull << 6) /* AP[1]: EL0 may access it */
#define PTE_AP_RO            (1ull << 7) /* AP[2]: read-only */
#define PTE_SH_INNER         (3ull << 8)
#define PTE_AF               (1ull << 10)
#define PTE_NG               (1ull << 11)
#define PTE_PXN              (1ull << 53)
#define PTE_UXN              (1ull << 54)
#define PTE_OWN              (1ull << 55) /* software: the space owns the frame (MAP_OWNED) */
/* the mapper's id, in three pieces */
#define PTE_MAPPER_LO_SHIFT  56 /* id bits 7:0 */
#define PTE_MAPPER_MID_SHIFT 3  /* id bits 9:8, in AttrIndx[2:1] */
#define PTE_MAPPER_HI_SHIFT  51 /* id bit 10 */
#define PTE_MAPPER_BITS                                                                            \
    (0xffull << PTE_MAPPER_LO_SHIFT | 3ull << PTE_MAPPER_MID_SHIFT | 1ull << PTE_MAPPER_HI_SHIFT)
_Static_assert(ARCH_MAPPER_MAX == 0x7ff, "the mapper field holds every id");
_Static_assert(MAIR_IDX_NORMAL == 0 && MAIR_IDX_DEVICE == 1, "AttrIndx[0] alone is the type");

static inline uint64_t pte_mapper_bits(unsigned perms)
{
    uint64_t id = perms >> 8 & ARCH_MAPPER_MAX;

    return (id & 0xff) << PTE_MAPPER_LO_SHIFT | (id >> 8 & 3) << PTE_MAPPER_MID_SHIFT |
           (id >> 10) << PTE_MAPPER_HI_SHIFT;
}

#define PTE_ADDR         0x0000fffffffff000ull /* bits 47:12: 48-bit physical addresses */
#define PTE_PXN_TABLE    (1ull << 59)          /* no table below runs at EL1 */
/* a table's entry in a user half (nothing below it runs in the kernel), and in the kernel's */
#define PTE_TABLE_USER   (PTE_VALID | PTE_TABLE | PTE_PXN_TABLE)
#define PTE_TABLE_KERNEL (PTE_VALID | PTE_TABLE)
#define PTE_NORMAL       PTE_SH_INNER /* AttrIndx 0 */
#define PTE_DEVICE       (PTE_ATTR_DEV | PTE_UXN)
/* A root is what TTBR0_EL1 holds: its ASID in bits 63:48, the table below */
#define ROOT_ASID_SHIFT  48
#define ROOT_ASID_MASK   (0xffffull << ROOT_ASID_SHIFT)
#define TLBI_VA_MASK     ((1ull << 44) - 1) /* a TLBI operand holds VA[55:12] in bits 43:0 */

extern paddr_t pte_kernel_top; /* paging.c: TTBR1's table, the kernel's tree */

static inline bool pte_present(uint64_t e)
{
    return e & PTE_VALID;
}

static inline bool pte_is_table(uint64_t e)
{
    return (e & (PTE_VALID | PTE_TABLE)) == (PTE_VALID | PTE_TABLE);
}

static inline paddr_t pte_addr(uint64_t e)
{
    return e & PTE_ADDR;
}

static inline uint64_t pte_leaf(paddr_t pa, unsigned perms)
{
    uint64_t e = pa | PTE_VALID | PTE_TABLE | PTE_AF | PTE_NG | PTE_AP_EL0 | PTE_PXN;

    e |= perms & MAP_WRITE ? 0 : PTE_AP_RO;
    e |= perms & MAP_EXEC ? 0 : PTE_UXN;
    e |= perms & MAP_OWNED ? PTE_OWN : 0;
    e |= perms & MAP_DEVICE ? PTE_DEVICE : PTE_NORMAL;
    return e | pte_mapper_bits(perms);
}

/* A kernel data page (a kernel stack's): EL1 read-write, global, never executed. */
static inline uint64_t pte_kernel_page(paddr_t pa)
{
    return pa | PTE_VALID | PTE_TABLE | PTE_AF | PTE_NORMAL | PTE_PXN | PTE_UXN;
}

static inline bool pte_user_leaf(uint64_t e)
{
    return (e & (PTE_VALID | PTE_AP_EL0)) == (PTE_VALID | PTE_AP_EL0);
}

static inline bool pte_owned(uint64_t e)
{
    return e & PTE_OWN;
}

static inline bool pte_device(uint64_t e)
{
    return e & PTE_ATTR_DEV;
}

static inline unsigned pte_mapper(uint64_t e)
{
    return (unsigned)(e >> PTE_MAPPER_LO_SHIFT & 0xff) |
           (unsigned)(e >> PTE_MAPPER_MID_SHIFT & 3) << 8 |
           (unsigned)(e >> PTE_MAPPER_HI_SHIFT & 1) << 10;
}

/* READ, WRITE if writable, EXEC if EL0 may run it: what a foreign mapping stands on. */
static inline unsigned pte_rights(uint64_t e)
{
    return MAP_READ | (e & PTE_AP_RO ? 0 : MAP_WRITE) | (e & PTE_UXN ? 0 : MAP_EXEC);
}

static inline unsigned pte_perms(uint64_t e)
{
    return pte_rights(e) | (e & PTE_OWN ? MAP_OWNED : 0) | (pte_device(e) ? MAP_DEVICE : 0) |
           MAP_MAPPER(pte_mapper(e));
}

/* A user mapping of RAM (not Device: the direct map reaches it) with at least perms? */
static inline bool pte_allows(uint64_t e, unsigned perms)
{
    uint64_t want = PTE_VALID | PTE_AP_EL0;
    uint64_t not =
        PTE_ATTR_DEV | (perms & MAP_WRITE ? PTE_AP_RO : 0) | (perms & MAP_EXEC ? PTE_UXN : 0);
    return (e & (want | not )) == want;
}

/* e with the permissions and mapper of perms; frame, attributes and ownership stay, and a
 * device page stays execute-never whatever perms say. */
static inline uint64_t pte_protected(uint64_t e, unsigned perms)
{
    const uint64_t bits = PTE_AP_RO | PTE_UXN | PTE_MAPPER_BITS;
    bool exec = (perms & MAP_EXEC) && !pte_device(e);

    return (e & ~bits) | (perms & MAP_WRITE ? 0 : PTE_AP_RO) | (exec ? 0 : PTE_UXN) |
           pte_mapper_bits(perms);
}

static inline paddr_t pte_root_table(paddr_t root)
{
    return root & PTE_ADDR;
}

/* paging.c: a root's ASID, taken (0: none is free) and given back. */
paddr_t pte_root_make(paddr_t top);
void pte_root_leave(paddr_t root); /* off this CPU, and the ASID's TLB entries gone */
void pte_root_free(paddr_t root);  /* its ASID may serve another space */

/*
 * The TLB maintenance of one page, after its entry was written: the stores reach the table
 * walker (DSB ISHST) before the invalidation, which is complete on every CPU (DSB ISH)
 * before this one goes on (ISB). A space's entries are tagged with its ASID, so they are
 * invalidated whether or not it is the current one.
 */
static inline void pte_flush_page(paddr_t root, vaddr_t va)
{
    uint64_t op = (root & ROOT_ASID_MASK) | ((va >> PAGE_SHIFT) & TLBI_VA_MASK);

    __asm__ volatile("dsb ishst; tlbi vale1is, %0; dsb ish; isb" : : "r"(op) : "memory");
}

/* A kernel page is global: invalidated for every ASID. */
static inline void pte_flush_kernel_page(vaddr_t va)
{
    uint64_t op = (va >> PAGE_SHIFT) & TLBI_VA_MASK;

    __asm__ volatile("dsb ishst; tlbi vaale1is, %0; dsb ish; isb" : : "r"(op) : "memory");
}

/* A new entry reaches the table walker before anything uses it (no fault on the first
 * access from the kernel, or from EL0 after the exception return). */
static inline void pte_published(void)
{
    __asm__ volatile("dsb ishst; isb" : : : "memory");
}

/*
 * The RAM frame at pa is about to be mapped executable: whatever was written into it (through
 * the kernel's direct map or another mapping, by this container or the one that had the frame
 * before) reaches instruction fetch, and no instruction an earlier owner ran from it is left in
 * the instruction cache (cache.c). Device memory is never executable.
 */
static inline void pte_exec_sync(paddr_t pa)
{
    arch_cache_maintain(phys_to_virt(pa), PAGE_SIZE, CACHE_SYNC_INSN);
}

#endif
