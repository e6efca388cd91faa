/* SPDX-License-Identifier: BSD-2-Clause */
/* A space's page tables as a whole: freeing them, at once or in steps, and sweeping a
 * range's foreign mappings out of them (pt_walk.h). */
#include "printk.h"
#include "pt_walk.h"

static void free_level(paddr_t t, int level, void *owner, void (*leaf)(void *, paddr_t))
{
    uint64_t *e = pt_table(t);

    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (!pte_present(e[i]))
            continue;
        if (level == 1) {
            if (leaf && pte_owned(e[i])) // frames mapped from memory capabilities stay
                leaf(owner, pte_addr(e[i]));
        } else {
            free_level(pte_addr(e[i]), level - 1, owner, leaf);
        }
    }
    pt_frame_free(owner, t);
}

void arch_pt_destroy(paddr_t root, void *owner, void (*leaf)(void *owner, paddr_t pa))
{
    paddr_t top = pte_root_table(root);
    uint64_t *e = pt_table(top);

    pte_root_leave(root);
    for (unsigned i = 0; i < PT_ROOT_USER; i++) {
        if (pte_present(e[i]))
            free_level(pte_addr(e[i]), 3, owner, leaf);
    }
    pt_frame_free(owner, top);
    pte_root_free(root);
}

/*
 * Free up to *budget tables below t (at level), lowest first, each once every table below it
 * went, clearing its entry in its parent as it goes: the tree stays whole between calls, so
 * a walk of every space (a sweep, an unmap) may pass it meanwhile. Is t empty now?
 */
static bool free_some(paddr_t t, int level, unsigned first, unsigned end, void *owner,
                      void (*leaf)(void *, paddr_t), unsigned *budget)
{
    uint64_t *e = pt_table(t);

    for (unsigned i = first; i < end; i++) {
        if (!pte_present(e[i]))
            continue;
        if (!*budget)
            return false;
        paddr_t sub = pte_addr(e[i]);
        if (level > 2 && !free_some(sub, level - 1, 0, PT_ENTRIES, owner, leaf, budget))
            return false;
        if (!*budget)
            return false; // the tables below it took the rest: it goes in the next call
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
    paddr_t top = pte_root_table(root);

    pte_root_leave(root);
    if (!free_some(top, 4, 0, PT_ROOT_USER, owner, leaf, &budget))
        return true;
    pt_frame_free(owner, top);
    pte_root_free(root);
    return false;
}

static void unmap_foreign_level(paddr_t t, int level, vaddr_t va, paddr_t root, paddr_t base,
                                uint64_t size, bool (*keep)(unsigned, paddr_t, unsigned))
{
    uint64_t *e = pt_table(t);
    uint64_t span = 1ull << PT_LEVEL_SHIFT(level);

    for (unsigned i = 0; i < PT_ENTRIES; i++) {
        if (!pte_present(e[i]))
            continue;
        if (level > 1) {
            unmap_foreign_level(pte_addr(e[i]), level - 1, va + i * span, root, base, size, keep);
            continue;
        }
        paddr_t pa = pte_addr(e[i]);
        if (pte_owned(e[i]) || pa < base || pa - base >= size ||
            keep(pte_mapper(e[i]), pa, pte_rights(e[i])))
            continue;
        e[i] = 0;
        pte_flush_page(root, va + i * span);
    }
}

void arch_pt_unmap_foreign(paddr_t root, paddr_t base, uint64_t size,
                           bool (*keep)(unsigned mapper, paddr_t pa, unsigned perms))
{
    uint64_t *e = pt_table(pte_root_table(root));

    for (unsigned i = 0; i < PT_ROOT_USER; i++) { // the user half; four levels, no deep recursion
        if (pte_present(e[i]))
            unmap_foreign_level(pte_addr(e[i]), 3, (vaddr_t)i << PT_LEVEL_SHIFT(4), root, base,
                                size, keep);
    }
}

/*
 * arch_pt_unmap_foreign in steps: where a walk stands (the next address to look at) and what
 * it may still spend, in units of about 10 instructions: a present entry costs one, a table
 * looked through UNMAP_TABLE_COST more (its 512 entries, most of them empty: an empty one
 * costs 4 instructions, too few to count one by one), a foreign leaf in the range
 * UNMAP_LEAF_COST more (the keep question and the clearing). So a step's length follows its
 * units, whatever the tables hold, and it stops only at a present entry. A step goes
 * forward only if its budget pays for a way down to a leaf (three tables and the leaf, about
 * 610 units): unmap_debt's UNMAP_BATCH is 1536.
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
    uint64_t *e = pt_table(t);
    uint64_t span = 1ull << PT_LEVEL_SHIFT(level);
    unsigned n = level == 4 ? PT_ROOT_USER : PT_ENTRIES; // a root's user half only
    long budget = w->budget;

    for (unsigned i = w->at > va ? pt_index(w->at, level) : 0; i < n; i++) {
        if (!pte_present(e[i]))
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
            if (!unmap_foreign_from(pte_addr(e[i]), level - 1, v, root, base, size, keep, w))
                return false;
            budget = w->budget;
            continue;
        }
        paddr_t pa = pte_addr(e[i]);
        if (pte_owned(e[i]) || pa < base || pa - base >= size)
            continue;
        budget -= UNMAP_LEAF_COST;
        if (keep(pte_mapper(e[i]), pa, pte_rights(e[i])))
            continue;
        e[i] = 0;
        pte_flush_page(root, v);
    }
    w->budget = budget;
    return true;
}

bool arch_pt_unmap_foreign_step(paddr_t root, paddr_t base, uint64_t size,
                                bool (*keep)(unsigned mapper, paddr_t pa, unsigned perms),
                                vaddr_t *at, long *budget)
{
    struct unmap_at w = {*at, *budget};
    bool done = unmap_foreign_from(pte_root_table(root), 4, 0, root, base, size, keep, &w);

    *at = w.at;
    *budget = w.budget;
    return done;
}
