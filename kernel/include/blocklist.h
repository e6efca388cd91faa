/* SPDX-License-Identifier: BSD-2-Clause */
/* A LIFO of free memory blocks threaded through the blocks themselves. */
#ifndef KERNEL_BLOCKLIST_H
#define KERNEL_BLOCKLIST_H

#include <stddef.h>

/*
 * Reserves carved from RAM at boot (kernel stacks, page-table frames, a
 * container's own memory) are kept as blocklists: taking and returning a
 * block is O(1) and needs no memory besides the blocks.
 */
struct blocklist {
    void *head;
    size_t count;
};

static inline void blocklist_push(struct blocklist *l, void *block)
{
    *(void **)block = l->head;
    l->head = block;
    l->count++;
}

static inline void *blocklist_pop(struct blocklist *l)
{
    void *b = l->head;

    if (b) {
        l->head = *(void **)b;
        l->count--;
    }
    return b;
}

#endif
