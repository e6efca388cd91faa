/* SPDX-License-Identifier: BSD-2-Clause */
/* Address space object: a page-table root and the frames the space owns. */
#include "space.h"

#include "arch.h"
#include "pmm.h"
#include "string.h"

static struct space spaces[MAX_SPACES];

struct space *space_create(void)
{
    for (unsigned i = 0; i < MAX_SPACES; i++) {
        struct space *s = &spaces[i];
        if (s->root)
            continue;
        s->root = arch_pt_create();
        if (!s->root)
            return NULL;
        s->threads = 0;
        s->id = i + 1; // 0 names no space
        return s;
    }
    return NULL;
}

struct space *space_lookup(uint32_t id)
{
    if (id == 0 || id > MAX_SPACES || !spaces[id - 1].root)
        return NULL;
    return &spaces[id - 1];
}

l4_err_t space_alloc_range(struct space *s, vaddr_t va, uint64_t len, unsigned perms)
{
    for (vaddr_t p = ALIGN_DOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
        paddr_t pa = pmm_alloc(&kernel_pmm);
        if (!pa)
            return L4_ENOMEM;
        memset(phys_to_virt(pa), 0, PAGE_SIZE);
        l4_err_t err = arch_pt_map(s->root, p, pa, perms);
        if (err) {
            pmm_free(&kernel_pmm, pa);
            return err;
        }
    }
    return L4_OK;
}

void *space_kaddr(struct space *s, vaddr_t va, unsigned perms)
{
    paddr_t pa;

    if (!arch_pt_lookup(s->root, va, perms, &pa))
        return NULL;
    return (char *)phys_to_virt(pa) + (va & (PAGE_SIZE - 1));
}

void space_bind(struct space *s)
{
    s->threads++;
}

static void free_frame(paddr_t pa)
{
    pmm_free(&kernel_pmm, pa);
}

void space_unbind(struct space *s)
{
    if (--s->threads)
        return;
    arch_pt_destroy(s->root, free_frame);
    s->root = 0;
}

/*
 * Copies go page by page through the direct map, so they work whichever
 * space is active and never fault in the kernel: each page is looked up
 * (with the needed permission) before a byte moves.
 */
static l4_err_t copy_user(struct space *s, vaddr_t uva, void *kbuf, size_t len, bool to_user)
{
    char *k = kbuf;

    if (uva + len < uva)
        return L4_EFAULT;
    while (len) {
        size_t chunk = PAGE_SIZE - (uva & (PAGE_SIZE - 1));
        if (chunk > len)
            chunk = len;
        char *u = space_kaddr(s, uva, to_user ? MAP_WRITE : MAP_READ);
        if (!u)
            return L4_EFAULT;
        if (to_user)
            memcpy(u, k, chunk);
        else
            memcpy(k, u, chunk);
        uva += chunk;
        k += chunk;
        len -= chunk;
    }
    return L4_OK;
}

l4_err_t copy_from_user(struct space *s, void *dst, vaddr_t src, size_t len)
{
    return copy_user(s, src, dst, len, false);
}

l4_err_t copy_to_user(struct space *s, vaddr_t dst, const void *src, size_t len)
{
    return copy_user(s, dst, (void *)src, len, true);
}
