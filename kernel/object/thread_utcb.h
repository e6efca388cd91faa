/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's UTCB as the kernel reaches it: its frame's address, remembered between calls. */
#ifndef OBJECT_THREAD_UTCB_H
#define OBJECT_THREAD_UTCB_H

#include "arch.h"
#include "printk.h"
#include "thread.h"

/*
 * The kernel's address of t's UTCB page (t->utcb), if its space maps it now with perms
 * (MAP_READ, MAP_WRITE or both), or NULL: what space_kaddr(t->space, t->utcb, perms) says,
 * without the walk when the page's entry has not changed since the last one.
 *
 * Why that is exact: the walk leaves t the address of the level-1 entry that maps the page
 * and the entry's value. A space's tables are freed only once no thread is in it
 * (space.c), so while t lives that address is its space's entry for the page, and an entry
 * that still holds the same value maps the same frame with the same rights: any unmap,
 * remap or change of rights writes the entry, and the next call walks again. Only entries
 * that allow both reading and writing are remembered; t's UTCB address and its space change
 * only through thread_set_utcb, which forgets it (thread_configure's space calls it too).
 * t is a live thread (not DEAD or FREE: its space is there).
 */
/* thread_utcb's walk, which remembers what it found */
void *thread_utcb_walk(struct tcb *t, unsigned perms);

static inline void *thread_utcb(struct tcb *t, unsigned perms)
{
    DEBUG_ASSERT(!(perms & ~(MAP_READ | MAP_WRITE))); // what a remembered entry allows
    if (likely(t->utcb_pte && *t->utcb_pte == t->utcb_seen))
        return t->utcb_kaddr; // it allows both (above)
    return thread_utcb_walk(t, perms);
}

/* Set t's UTCB address (0: none); the caller checked it (thread_configure, the loader). */
void thread_set_utcb(struct tcb *t, vaddr_t va);

#endif
