/* SPDX-License-Identifier: BSD-2-Clause */
/* Address space object: a page-table root and the frames the space owns. */
#ifndef OBJECT_SPACE_H
#define OBJECT_SPACE_H

#include "types.h"

#define MAX_SPACES 64

struct space {
    paddr_t root;     /* page-table root, 0 when the slot is free */
    unsigned threads; /* threads bound to this space; it dies with the last */
    uint32_t id;
};

struct space *space_create(void);
struct space *space_lookup(uint32_t id);
/* Back [va, va+len) with fresh zeroed frames mapped with perms (MAP_*). */
l4_err_t space_alloc_range(struct space *s, vaddr_t va, uint64_t len, unsigned perms);
/* Kernel pointer to the byte at user address va, if mapped with perms. */
void *space_kaddr(struct space *s, vaddr_t va, unsigned perms);
void space_bind(struct space *s);
void space_unbind(struct space *s); /* frees the space when no thread is left */

/* Copy between the caller's space and the kernel; L4_EFAULT if any byte is unmapped. */
l4_err_t copy_from_user(struct space *s, void *dst, vaddr_t src, size_t len);
l4_err_t copy_to_user(struct space *s, vaddr_t dst, const void *src, size_t len);

#endif
