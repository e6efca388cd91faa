/* SPDX-License-Identifier: BSD-2-Clause */
/* A made-up page-table entry encoding for the host test of the generic walks (test_pt_walk.c):
 * bits neither architecture puts there, so that a walk that knew one of them would fail. */
#ifndef ARCH_PTE_H
#define ARCH_PTE_H

#include "arch.h"

/*
 *   63      52 51          12 11   7  6     5     4    3     2     1     0
 *  +----------+--------------+------+-----+-----+----+-----+-----+-----+-------+
 *  | mapper   | frame        | 0    | dev | own | X  | W   | U   |table|present|
 *  +----------+--------------+------+-----+-----+----+-----+-----+-----+-------+
 */
#define FAKE_P            (1ull << 0)
#define FAKE_TABLE        (1ull << 1)
#define FAKE_U            (1ull << 2)
#define FAKE_W            (1ull << 3)
#define FAKE_X            (1ull << 4)
#define FAKE_OWN          (1ull << 5)
#define FAKE_DEV          (1ull << 6)
#define FAKE_KERNEL       (1ull << 7) /* a kernel page's */
#define FAKE_MAPPER_SHIFT 52
#define FAKE_ADDR         0x000ffffffffff000ull
_Static_assert(ARCH_MAPPER_MAX < (1u << (64 - FAKE_MAPPER_SHIFT)),
               "the mapper field holds every id");

#define PTE_TABLE_USER   (FAKE_P | FAKE_TABLE | FAKE_U)
#define PTE_TABLE_KERNEL (FAKE_P | FAKE_TABLE)

/* test_pt_walk.c: the kernel's tree, and what the hooks were asked */
extern paddr_t pte_kernel_top;
struct fake_hooks {
    unsigned flushes, kernel_flushes, published, leaves, frees;
    paddr_t last_root; /* of the last pte_flush_page */
    vaddr_t last_va;
    bool refuse_root; /* pte_root_make says no (AArch64: no ASID left) */
    paddr_t root_tag; /* what pte_root_make puts in a root's top bits */
};
extern struct fake_hooks fake;

static inline bool pte_present(uint64_t e)
{
    return e & FAKE_P;
}

static inline bool pte_is_table(uint64_t e)
{
    return (e & (FAKE_P | FAKE_TABLE)) == (FAKE_P | FAKE_TABLE);
}

static inline paddr_t pte_addr(uint64_t e)
{
    return e & FAKE_ADDR;
}

static inline uint64_t pte_leaf(paddr_t pa, unsigned perms)
{
    return pa | FAKE_P | FAKE_U | (perms & MAP_WRITE ? FAKE_W : 0) |
           (perms & MAP_EXEC ? FAKE_X : 0) | (perms & MAP_OWNED ? FAKE_OWN : 0) |
           (perms & MAP_DEVICE ? FAKE_DEV : 0) |
           (uint64_t)(perms >> 8 & ARCH_MAPPER_MAX) << FAKE_MAPPER_SHIFT;
}

static inline uint64_t pte_kernel_page(paddr_t pa)
{
    return pa | FAKE_P | FAKE_W | FAKE_KERNEL;
}

static inline bool pte_user_leaf(uint64_t e)
{
    return (e & (FAKE_P | FAKE_U)) == (FAKE_P | FAKE_U);
}

static inline bool pte_owned(uint64_t e)
{
    return e & FAKE_OWN;
}

static inline bool pte_device(uint64_t e)
{
    return e & FAKE_DEV;
}

static inline unsigned pte_mapper(uint64_t e)
{
    return (unsigned)(e >> FAKE_MAPPER_SHIFT);
}

static inline unsigned pte_rights(uint64_t e)
{
    return MAP_READ | (e & FAKE_W ? MAP_WRITE : 0) | (e & FAKE_X ? MAP_EXEC : 0);
}

static inline unsigned pte_perms(uint64_t e)
{
    return pte_rights(e) | (e & FAKE_OWN ? MAP_OWNED : 0) | (e & FAKE_DEV ? MAP_DEVICE : 0) |
           MAP_MAPPER(pte_mapper(e));
}

static inline bool pte_allows(uint64_t e, unsigned perms)
{
    return pte_user_leaf(e) && !pte_device(e) && (pte_rights(e) & perms) == (perms & 7);
}

static inline uint64_t pte_protected(uint64_t e, unsigned perms)
{
    uint64_t keep = e & (FAKE_ADDR | FAKE_P | FAKE_U | FAKE_OWN | FAKE_DEV);

    return keep | pte_leaf(0, perms & (MAP_WRITE | MAP_EXEC | ~0xffu));
}

/* A root carries a tag above the frame, as an AArch64 root carries its ASID. */
static inline paddr_t pte_root_table(paddr_t root)
{
    return root & FAKE_ADDR;
}

static inline paddr_t pte_root_make(paddr_t top)
{
    return fake.refuse_root ? 0 : top | fake.root_tag;
}

static inline void pte_root_leave(paddr_t root)
{
    (void)root;
    fake.leaves++;
}

static inline void pte_root_free(paddr_t root)
{
    (void)root;
    fake.frees++;
}

static inline void pte_flush_page(paddr_t root, vaddr_t va)
{
    fake.flushes++;
    fake.last_root = root;
    fake.last_va = va;
}

static inline void pte_flush_kernel_page(vaddr_t va)
{
    fake.kernel_flushes++;
    fake.last_va = va;
}

static inline void pte_published(void)
{
    fake.published++;
}

static inline void pte_exec_sync(paddr_t pa)
{
    (void)pa;
}

#endif
