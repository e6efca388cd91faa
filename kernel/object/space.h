/* SPDX-License-Identifier: BSD-2-Clause */
/* Address space object: a page-table root paid from its container's pools. */
#ifndef OBJECT_SPACE_H
#define OBJECT_SPACE_H

#include "types.h"

#define MAX_SPACES 128

struct container;

struct space {
    paddr_t root;                /* page-table root, 0 when the slot is free */
    struct container *container; /* pays for its tables; its frames come from its memory */
    unsigned threads;            /* threads bound to it */
    unsigned caps;               /* capabilities naming it; it lives while either is non-zero */
    uint32_t id;
};

l4_err_t space_create(struct container *c, struct space **out);
/* Back [va, va+len) with zeroed frames of the container's memory, mapped with perms (MAP_*). */
l4_err_t space_alloc_range(struct space *s, vaddr_t va, uint64_t len, unsigned perms);
/* Give back a frame the space owned (one from its container's memory). */
void space_free_frame(struct space *s, paddr_t pa);
/* Kernel pointer to the byte at user address va, if mapped with perms. */
void *space_kaddr(struct space *s, vaddr_t va, unsigned perms);
void space_bind(struct space *s);
void space_unbind(struct space *s);
void space_cap_ref(struct space *s, bool added);
/* Unmap, in every space, mapped frames in [base, base+size) for which covered(mapper, frame)
 * says the container that mapped them no longer holds the memory. */
void spaces_unmap_uncovered(paddr_t base, uint64_t size, bool (*covered)(unsigned, paddr_t));
/* Drop every capability to c's spaces (its threads are gone): they are freed. */
void spaces_release_all(struct container *c);

/* Copy between the caller's space and the kernel; L4_EFAULT if any byte is unmapped. */
l4_err_t copy_from_user(struct space *s, void *dst, vaddr_t src, size_t len);
l4_err_t copy_to_user(struct space *s, vaddr_t dst, const void *src, size_t len);

#endif
