/* SPDX-License-Identifier: BSD-2-Clause */
/* A space's page tables, page by page: map, unmap, look up, change rights (pt_walk.h). */
#include "pt_walk.h"

#include "pmm.h"
#include "printk.h"
#include "string.h"

/* A zeroed table frame: the owner's pool pays, or the kernel's allocator for its own tables. */
static paddr_t new_table(void *owner)
{
    paddr_t pa = owner ? pt_frame_alloc(owner) : pmm_alloc(&kernel_pmm);

    if (pa && !owner)
        memset(pt_table(pa), 0, PAGE_SIZE);
    return pa;
}

__attribute__((noinline)) uint64_t *pt_walk_make(paddr_t top, vaddr_t va, void *owner,
                                                 uint64_t table_bits)
{
    uint64_t *t = pt_table(top);

    for (int level = 4; level > 1; level--) {
        uint64_t *e = &t[pt_index(va, level)];
        if (!pte_present(*e)) {
            paddr_t pa = new_table(owner);
            if (!pa)
                return NULL;
            *e = pa | table_bits;
        }
        if (!pte_is_table(*e))
            return NULL; // large pages are never made in a user half
        t = pt_table(pte_addr(*e));
    }
    return &t[pt_index(va, 1)];
}

uint64_t *pt_kernel_entry(vaddr_t va, bool create)
{
    uint64_t *e;

    if (pt_walk_present(pte_kernel_top, va, &e))
        return e;
    return create ? pt_walk_make(pte_kernel_top, va, NULL, PTE_TABLE_KERNEL) : NULL;
}

paddr_t arch_pt_create(void *owner)
{
    paddr_t top = new_table(owner);
    paddr_t root = top ? pte_root_make(top) : 0;

    if (top && !root)
        pt_frame_free(owner, top); // no ASID left (AArch64)
    return root;
}

/* The walk and the write of arch_pt_map, out of line: what is left of arch_pt_map is small
 * enough for LTO to inline into its callers, where its checks fold into theirs. */
static __attribute__((noinline)) l4_err_t pt_set(paddr_t root, void *owner, vaddr_t va,
                                                 uint64_t pte)
{
    paddr_t top = pte_root_table(root);
    uint64_t *e;

    /* the walk's common case, inlined: no call */
    if (unlikely(!pt_walk_present(top, va, &e)) &&
        !(e = pt_walk_make(top, va, owner, PTE_TABLE_USER)))
        return L4_ENOMEM;
    if (pte_present(*e))
        return L4_EBUSY;
    *e = pte;
    pte_published();
    return L4_OK;
}

l4_err_t arch_pt_map(paddr_t root, void *owner, vaddr_t va, paddr_t pa, unsigned perms)
{
    if (va >= USER_MAP_TOP || !IS_ALIGNED(va, PAGE_SIZE) || !IS_ALIGNED(pa, PAGE_SIZE))
        return L4_EINVAL; // the top page never: see USER_MAP_TOP
    DEBUG_ASSERT(!(perms & MAP_DEVICE) || !(perms & (MAP_EXEC | MAP_OWNED)));
    if (perms & MAP_EXEC)
        pte_exec_sync(pa);
    return pt_set(root, owner, va, pte_leaf(pa, perms));
}

/* Clear the entry at va and flush it: what it held, or 0 if nothing was mapped there. */
static inline uint64_t pt_clear(paddr_t root, vaddr_t va)
{
    uint64_t *e;

    if (va >= USER_TOP || !pt_walk_present(pte_root_table(root), va, &e) || !pte_present(*e))
        return 0;
    uint64_t old = *e;
    *e = 0;
    pte_flush_page(root, va);
    return old;
}

/* mem_unmap's alone: with a second caller it would no longer be inlined into it (LTO) */
paddr_t arch_pt_unmap(paddr_t root, vaddr_t va, bool *owned)
{
    uint64_t old = pt_clear(root, va);

    *owned = pte_owned(old);
    DEBUG_ASSERT(!*owned || !pte_device(old)); // a device frame is nobody's to free
    return pte_addr(old);
}

void arch_pt_clear(paddr_t root, vaddr_t va)
{
    uint64_t old = pt_clear(root, va);

    DEBUG_ASSERT(!pte_owned(old)); // its frame would be lost
}

bool arch_pt_lookup(paddr_t root, vaddr_t va, unsigned perms, paddr_t *pa)
{
    uint64_t *e;

    /* the walk's common case, inlined: every copy from or to user memory and the foreign
     * fastpath's UTCB come here */
    if (va >= USER_TOP || !pt_walk_present(pte_root_table(root), va, &e))
        return false;
    if (!pte_allows(*e, perms))
        return false;
    if (pa)
        *pa = pte_addr(*e);
    return true;
}

/* arch_pt_entry's answer from the entry e points to (NULL: no table there). */
static inline bool entry_of(const uint64_t *e, paddr_t *pa, unsigned *perms)
{
    if (!e || !pte_user_leaf(*e))
        return false;
    *pa = pte_addr(*e);
    *perms = pte_perms(*e);
    return true;
}

bool arch_pt_entry(paddr_t root, vaddr_t va, paddr_t *pa, unsigned *perms)
{
    uint64_t *e;

    if (va >= USER_TOP || !pt_walk_present(pte_root_table(root), va, &e))
        return false;
    return entry_of(e, pa, perms);
}

void arch_pt_near_init(struct pt_near *n, paddr_t root)
{
    *n = (struct pt_near){.root = root, .base = 1, .leaves = NULL};
}

/* The level-1 entry for va through n, walking only when va is in another table's span. */
static uint64_t *near_leaf(struct pt_near *n, vaddr_t va)
{
    if (va >= USER_TOP)
        return NULL;
    if (ALIGN_DOWN(va, PT_TABLE_SPAN) != n->base) {
        n->base = ALIGN_DOWN(va, PT_TABLE_SPAN);
        if (!pt_walk_present(pte_root_table(n->root), n->base, &n->leaves))
            n->leaves = NULL;
    }
    return n->leaves ? &n->leaves[pt_index(va, 1)] : NULL;
}

bool arch_pt_entry_near(struct pt_near *n, vaddr_t va, paddr_t *pa, unsigned *perms)
{
    return entry_of(near_leaf(n, va), pa, perms);
}

void arch_pt_protect_near(struct pt_near *n, vaddr_t va, unsigned perms)
{
    uint64_t *e = near_leaf(n, va);

    ASSERT(e && pte_present(*e) && !pte_owned(*e));
    if (perms & MAP_EXEC)
        pte_exec_sync(pte_addr(*e));
    *e = pte_protected(*e, perms);
    pte_flush_page(n->root, va); // lowering rights must reach the TLB at once
}

paddr_t pt_direct_map_table(unsigned *tables)
{
    paddr_t pa = pmm_alloc(&kernel_pmm);

    if (!pa)
        panic("boot: no memory for the direct map's page tables");
    ASSERT(pa < BOOT_MAP_SIZE); // written through the boot tables' map until the switch
    memset(pt_table(pa), 0, PAGE_SIZE);
    (*tables)++;
    return pa;
}
