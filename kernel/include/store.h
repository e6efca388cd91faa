/* SPDX-License-Identifier: BSD-2-Clause */
/* Object stores: the kernel memory behind one container's pool of one kind (hardware free). */
#ifndef KERNEL_STORE_H
#define KERNEL_STORE_H

#include "blocklist.h"
#include "list.h"
#include "types.h"

/*
 * At boot the kernel carves, for every pool a container is given, a store of
 * that many objects of the pool's kind from RAM: thread control blocks,
 * spaces, endpoints, notifications or page-table frames. Every pool
 * capability derived from the pool's root names the store, and an object paid
 * by such a capability is taken from it. Units are only split, moved and
 * given back, never multiplied, so the objects alive in a store never
 * outnumber its slots: no container can run another's store dry, and there is
 * no kernel-wide table left to fill.
 *
 * A store hands out fixed-size blocks from one array; a free block's first
 * word links it into the free list, so an object's first field must be one
 * that a free block need not keep. Object ids are first_id + index + 1.
 */
struct store {
    char *base;        /* capacity blocks of size bytes */
    uint32_t size;     /* bytes per block */
    uint32_t capacity; /* blocks */
    uint32_t taken;    /* blocks handed out */
    uint32_t first_id; /* ids of its objects follow this one */
    uint8_t kind;      /* enum l4_pool_kind */
    void *owner;       /* the container whose RAM it is */
    struct blocklist free;
    struct list_node live; /* the objects taken from it (kept by their kind's code) */
    struct store *next;    /* the next store of the same kind */
    /* a thread store's kernel stacks: KSTACK_SIZE bytes of RAM per block from stack_ram, set
     * aside at boot, mapped at stack_area only while the block holds a thread (thread.c) */
    paddr_t stack_ram;
    vaddr_t stack_area;
    uint64_t in_use;     /* units paying for objects, over every capability naming it */
    uint64_t held, used; /* the units of every capability naming it: pools_check's tally */
};

/* Make a store over memory (capacity blocks of size bytes, size >= a pointer). */
void store_init(struct store *s, void *memory, uint32_t size, uint32_t capacity, uint8_t kind,
                uint32_t first_id, void *owner);
/* A block (contents as it was freed, first word clobbered), or NULL if every one is taken. */
void *store_take(struct store *s);
void store_give(struct store *s, void *block);
/* Index of a block of s; the object's id is s->first_id + index + 1. */
uint32_t store_index(const struct store *s, const void *block);
bool store_holds(const struct store *s, const void *block);
void *store_block(const struct store *s, uint32_t index);

#endif
