/* SPDX-License-Identifier: BSD-2-Clause */
/* The page-table walk every architecture shares: four levels of 512 eight-byte entries. */
#ifndef KERNEL_PT_WALK_H
#define KERNEL_PT_WALK_H

#include "arch.h"

/*
 * What an entry holds is the architecture's: <arch_pte.h> (kernel/arch/$(ARCH)/include,
 * found on the include path as arch.h finds arch_mm.h) gives its encoding as static inline
 * functions, and its TLB maintenance. The walks here (kernel/core/pt_*.c, kstack.c) are
 * written once, for x86_64 and AArch64 (4 KiB granule, 48-bit addresses) alike. It gives:
 *   entries   pte_present, pte_is_table (leads to a next-level table), pte_addr (its frame),
 *             PTE_TABLE_USER / PTE_TABLE_KERNEL (the bits of a table's entry);
 *   leaves    pte_leaf(pa, perms), pte_kernel_page(pa) (a kernel stack's), and of a user
 *             leaf: pte_user_leaf, pte_owned, pte_device, pte_mapper, pte_perms (MAP_* back),
 *             pte_allows(e, perms) (arch_pt_lookup's test), pte_rights (what a foreign
 *             mapping stands on), pte_protected(e, perms) (new rights, frame kept);
 *   roots     pte_root_table(root) (a root is what the CPU loads: the table, and on AArch64
 *             its ASID), pte_root_make(table) (0: refused), pte_root_leave (before tables
 *             go), pte_root_free (after the root went), pte_kernel_top (the kernel's tree);
 *   TLB       pte_flush_page(root, va) after a live user entry changed or went,
 *             pte_flush_kernel_page(va), pte_published() after a new entry was written.
 */
#include <arch_pte.h>

/*
 * A 48-bit virtual address selects one entry per level; the root is level 4 (x86_64: PML4,
 * PDPT, PD, PT; AArch64 calls them levels 0 to 3):
 *
 *   47    39 38    30 29    21 20    12 11         0
 *  +--------+--------+--------+--------+------------+
 *  | level 4| level 3| level 2| level 1| offset     |
 *  +--------+--------+--------+--------+------------+
 *
 * A space's root maps its user half, [0, USER_TOP): its first PT_ROOT_USER entries. Table
 * entries of the user half let the leaf alone decide the permissions, and no large page is
 * ever made there: a walk of it reaches a level-1 entry or nothing.
 */
#define PT_ENTRIES            512
#define PT_LEVEL_SHIFT(level) (PAGE_SHIFT + 9 * ((level)-1))
#define PT_ROOT_USER          (USER_TOP >> PT_LEVEL_SHIFT(4))
_Static_assert(PT_ROOT_USER >= 1 && PT_ROOT_USER <= PT_ENTRIES, "the user half is root entries");
#define PT_TABLE_SPAN (1ull << PT_LEVEL_SHIFT(2)) /* what one level-1 table maps: 2 MiB */

static inline uint64_t *pt_table(paddr_t pa)
{
    return phys_to_virt(pa);
}

static inline unsigned pt_index(vaddr_t va, int level)
{
    return (va >> PT_LEVEL_SHIFT(level)) & (PT_ENTRIES - 1);
}

/* The level-1 entry for va (in *leaf) if every table above it is there: the common case of
 * a walk, a loop with no call in it, so that it needs no frame (mem_map, mem_unmap and every
 * page a fault handler maps pass here). A flag and an out parameter, not a pointer or NULL:
 * the callers that inline it then test no pointer the walk cannot make NULL. top is the
 * root table (pte_root_table). */
static inline __attribute__((always_inline)) bool pt_walk_present(paddr_t top, vaddr_t va,
                                                                  uint64_t **leaf)
{
    uint64_t *t = pt_table(top);

#pragma GCC unroll 3 // constant shifts, no loop counter: a third fewer instructions a walk
    for (int level = 4; level > 1; level--) {
        uint64_t e = t[pt_index(va, level)];
        if (!pte_is_table(e))
            return false;
        t = pt_table(pte_addr(e));
    }
    *leaf = &t[pt_index(va, 1)];
    return true;
}

/* A walk's rare case: a table is missing, and is made (paid by owner; NULL: the kernel's own
 * allocator), its entry table_bits (PTE_TABLE_USER or PTE_TABLE_KERNEL). NULL: no memory. */
uint64_t *pt_walk_make(paddr_t top, vaddr_t va, void *owner, uint64_t table_bits);
/* The level-1 entry for va in the kernel's tree (the half every space shares), making
 * missing tables from the kernel's allocator when create is set; NULL if there is none. */
uint64_t *pt_kernel_entry(vaddr_t va, bool create);

/* A zeroed frame for a table of the kernel's direct map, from kernel_pmm below BOOT_MAP_SIZE
 * (it is written through the boot tables' map until the switch), counted in *tables; the boot
 * stops if there is none. */
paddr_t pt_direct_map_table(unsigned *tables);

#endif
