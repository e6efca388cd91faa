/* SPDX-License-Identifier: BSD-2-Clause */
/* x86_64 page-table entries: the encoding and TLB maintenance the generic walks use (pt_walk.h). */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"

/*
 * Entries 0..255 of a root (the user half) belong to the space; 256..511 are copied from
 * the boot root when the space is made (pte_root_make), so every space sees the same
 * kernel. Intermediate user entries are present|writable|user and the leaf alone decides
 * the permissions.
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
#define PTE_ADDR         0x000ffffffffff000ull
/*
 * Device memory is mapped uncached with PCD|PWT: PAT entry 3, which is UC at power-on and
 * the kernel never reprograms the PAT, so no MSR is involved, and UC in the page table
 * overrides whatever the MTRRs say of the range. A user mapping with PCD is a device's:
 * pte_allows reads it back to refuse the page.
 */
#define PTE_DEVICE       (PTE_PCD | PTE_PWT)
/* a table's entry in a user half, and in the kernel's */
#define PTE_TABLE_USER   (PTE_P | PTE_W | PTE_U)
#define PTE_TABLE_KERNEL (PTE_P | PTE_W)

/* paging.c, made at boot (arch_direct_map) before any space maps a page */
extern uint64_t pte_nx;        /* PTE_NX if EFER.NXE is on, else 0 */
extern paddr_t pte_kernel_top; /* the boot root: the kernel's tree */
/* A user leaf's flag bits for each combination of MAP_READ..MAP_DEVICE (NX depends on EFER):
 * one load in place of a test and a branch for each permission on every map. */
#define LEAF_PERMS (MAP_READ | MAP_WRITE | MAP_EXEC | MAP_OWNED | MAP_DEVICE)
_Static_assert((LEAF_PERMS & (LEAF_PERMS + 1)) == 0 && LEAF_PERMS < MAP_MAPPER(1),
               "the permission bits are the low bits, below the mapper");
extern uint64_t pte_leaf_bits[LEAF_PERMS + 1];

static inline bool pte_present(uint64_t e)
{
    return e & PTE_P;
}

/* Does e lead to a next-level table? Present and no large page (never made in a user half):
 * e - 1 has bit 0 clear only if e has it set, and then its PS bit is e's; one test where a
 * mask needs a copy. */
static inline bool pte_is_table(uint64_t e)
{
    return !((e - 1) & (PTE_P | PTE_PS));
}

static inline paddr_t pte_addr(uint64_t e)
{
    return e & PTE_ADDR;
}

/* A user leaf mapping pa with perms (MAP_*, MAP_MAPPER included). */
static inline uint64_t pte_leaf(paddr_t pa, unsigned perms)
{
    return pa | pte_leaf_bits[perms & LEAF_PERMS] | PTE_MAPPER_OF(perms);
}

/* A kernel data page (a kernel stack's): writable, never executed. */
static inline uint64_t pte_kernel_page(paddr_t pa)
{
    return pa | PTE_P | PTE_W | pte_nx;
}

/* A user mapping (what arch_pt_entry reports)? */
static inline bool pte_user_leaf(uint64_t e)
{
    return (e & PTE_P) && (e & PTE_U);
}

static inline bool pte_owned(uint64_t e)
{
    return e & PTE_OWN;
}

static inline bool pte_device(uint64_t e)
{
    return e & PTE_PCD;
}

static inline unsigned pte_mapper(uint64_t e)
{
    return PTE_MAPPER(e);
}

/* A user leaf's MAP_* bits, MAP_OWNED, MAP_DEVICE and MAP_MAPPER included. */
static inline unsigned pte_perms(uint64_t e)
{
    return MAP_READ | (e & PTE_W ? MAP_WRITE : 0) | (e & pte_nx ? 0 : MAP_EXEC) |
           (e & PTE_OWN ? MAP_OWNED : 0) | (e & PTE_PCD ? MAP_DEVICE : 0) |
           MAP_MAPPER(PTE_MAPPER(e));
}

/* Is e a user mapping of RAM with at least perms (arch_pt_lookup)? */
static inline bool pte_allows(uint64_t e, unsigned perms)
{
    /* the bits the entry must have, and those it must not: a device page (PCD) is no RAM
     * (the direct map does not reach it, or maps it cacheable) */
    uint64_t want = PTE_P | PTE_U | (perms & MAP_WRITE ? PTE_W : 0);
    uint64_t not = PTE_PCD | (perms & MAP_EXEC ? pte_nx : 0);
    return (e & (want | not )) == want;
}

/*
 * The rights a foreign mapping stands on: READ, WRITE if writable, EXEC if executable.
 * Without NX (EFER.NXE off) every page can be fetched from whatever the entry says: EXEC
 * is then no right a mapping holds, so none is needed to keep it.
 */
static inline unsigned pte_rights(uint64_t e)
{
    return MAP_READ | (e & PTE_W ? MAP_WRITE : 0) | (pte_nx && !(e & pte_nx) ? MAP_EXEC : 0);
}

/* e with the permissions and mapper of perms: the frame, ownership and whatever else the
 * entry holds (cache bits) stay. */
static inline uint64_t pte_protected(uint64_t e, unsigned perms)
{
    const uint64_t bits = PTE_W | PTE_NX | (PTE_MAPPER_MASK << PTE_MAPPER_SHIFT);

    return (e & ~bits) | ((perms & MAP_WRITE) ? PTE_W : 0) | ((perms & MAP_EXEC) ? 0 : pte_nx) |
           PTE_MAPPER_OF(perms);
}

/* The root table of a space's root: CR3 holds the table itself (no PCID). */
static inline paddr_t pte_root_table(paddr_t root)
{
    return root;
}

/* A new root from its zeroed table: the kernel half copied in (paging.c). */
paddr_t pte_root_make(paddr_t top);
/* Before a root's tables go (each step of a destroy): no CPU may walk them any more. */
void pte_root_leave(paddr_t root);

/* The root's tables are gone: nothing is kept for a root on x86_64. */
static inline void pte_root_free(paddr_t root)
{
    (void)root;
}

/* A live entry of root at va changed: lowering rights must reach the TLB at once; another
 * space's entries go with the CR3 write that makes it current. */
static inline void pte_flush_page(paddr_t root, vaddr_t va)
{
    if (percpu_cr3() == root)
        invlpg(va);
}

/* A kernel entry changed: the kernel half is in every space's root, so one flush reaches
 * them all. */
static inline void pte_flush_kernel_page(vaddr_t va)
{
    invlpg(va);
}

/* A new entry is in place: x86 walks see stores in order, nothing to wait for. */
static inline void pte_published(void)
{
}

/* The frame at pa is about to be mapped executable: x86 instruction fetch sees data writes
 * by itself (arch_cache_maintain), nothing to do. */
static inline void pte_exec_sync(paddr_t pa)
{
    (void)pa;
}

#endif
