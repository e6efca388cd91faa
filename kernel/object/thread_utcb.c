/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's UTCB as the kernel reaches it (thread_utcb.h says why the shortcut is exact). */
#include "thread_utcb.h"

#include "pt_walk.h"
#include "space.h"

void *thread_utcb_walk(struct tcb *t, unsigned perms)
{
    uint64_t *e;

    DEBUG_ASSERT(t->state != THREAD_FREE && t->state != THREAD_DEAD && t->space);
    t->utcb_pte = NULL;
    if (!t->utcb || !pt_walk_present(pte_root_table(t->space->root), t->utcb, &e))
        return NULL;
    uint64_t v = *e;
    if (!pte_allows(v, perms))
        return NULL;
    void *k = phys_to_virt(pte_addr(v));
    DEBUG_ASSERT(k == space_kaddr(t->space, t->utcb, perms)); // the walk space_kaddr takes
    if (pte_allows(v, MAP_READ | MAP_WRITE)) {
        t->utcb_pte = e;
        t->utcb_seen = v;
        t->utcb_kaddr = k;
    }
    return k;
}

void thread_set_utcb(struct tcb *t, vaddr_t va)
{
    DEBUG_ASSERT(va % PAGE_SIZE == 0 && va < USER_TOP);
    t->utcb = va;
    t->utcb_pte = NULL; // another page, or another space's tables: walk again
}
