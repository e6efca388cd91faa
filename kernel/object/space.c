/* SPDX-License-Identifier: BSD-2-Clause */
/* Address space object: a page-table root and the frames the space owns. */
#include "space.h"

#include "arch.h"
#include "container.h"
#include "kreserve.h"
#include "printk.h"
#include "string.h"

static struct space spaces[MAX_SPACES];

/* Page-table frames: one unit of the owner's page-table pool each, from the boot reserve. */
paddr_t pt_frame_alloc(void *owner)
{
    if (container_charge(owner, L4_POOL_PAGETABLES))
        return 0;
    paddr_t pa = kreserve_ptframe();
    if (!pa) // only after a revoke left some container over its quota (see thread_create)
        container_refund(owner, L4_POOL_PAGETABLES);
    return pa;
}

void pt_frame_free(void *owner, paddr_t pa)
{
    kreserve_ptframe_put(pa);
    container_refund(owner, L4_POOL_PAGETABLES);
}

l4_err_t space_create(struct container *c, struct space **out)
{
    struct space *s = NULL;

    for (unsigned i = 0; i < MAX_SPACES && !s; i++) {
        if (!spaces[i].root)
            s = &spaces[i];
    }
    if (!s || container_charge(c, L4_POOL_SPACES))
        return L4_ENOMEM;
    s->root = arch_pt_create(c);
    if (!s->root) {
        container_refund(c, L4_POOL_SPACES);
        return L4_ENOMEM;
    }
    s->container = c;
    s->threads = s->caps = 0;
    s->id = (uint32_t)(s - spaces) + 1;
    *out = s;
    return L4_OK;
}

l4_err_t space_alloc_range(struct space *s, vaddr_t va, uint64_t len, unsigned perms)
{
    struct blocklist *mem = &s->container->memory;

    for (vaddr_t p = ALIGN_DOWN(va, PAGE_SIZE); p < va + len; p += PAGE_SIZE) {
        void *frame = blocklist_pop(mem);
        if (!frame)
            return L4_ENOMEM;
        memset(frame, 0, PAGE_SIZE);
        l4_err_t err =
            arch_pt_map(s->root, s->container, p, virt_to_phys(frame), perms | MAP_OWNED);
        if (err) {
            blocklist_push(mem, frame);
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

void space_free_frame(struct space *s, paddr_t pa)
{
    blocklist_push(&s->container->memory, phys_to_virt(pa));
}

static void free_frame(void *owner, paddr_t pa)
{
    struct container *c = owner;

    blocklist_push(&c->memory, phys_to_virt(pa));
}

static void release_if_unused(struct space *s)
{
    if (s->threads || s->caps)
        return;
    arch_pt_destroy(s->root, s->container, free_frame);
    container_refund(s->container, L4_POOL_SPACES);
    s->root = 0;
}

void space_bind(struct space *s)
{
    s->threads++;
}

void space_unbind(struct space *s)
{
    s->threads--;
    release_if_unused(s);
}

void space_cap_ref(struct space *s, bool added)
{
    if (added) {
        s->caps++;
        return;
    }
    s->caps--;
    release_if_unused(s);
}

void spaces_unmap_uncovered(paddr_t base, uint64_t size, bool (*covered)(unsigned, paddr_t))
{
    for (unsigned i = 0; i < MAX_SPACES; i++) {
        if (spaces[i].root)
            arch_pt_unmap_foreign(spaces[i].root, base, size, covered);
    }
}

void spaces_release_all(struct container *c)
{
    for (unsigned i = 0; i < MAX_SPACES; i++) {
        if (spaces[i].root && spaces[i].container == c)
            containers_purge_object(&spaces[i]);
    }
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
