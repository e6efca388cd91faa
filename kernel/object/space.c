/* SPDX-License-Identifier: BSD-2-Clause */
/* Address space object: a page-table root and the frames the space owns. */
#include "space.h"

#include "arch.h"
#include "container.h"
#include "printk.h"
#include "string.h"
#include "thread.h"

/* Page-table frames: each paid by the space's page-table pool capability (owner is the space). */
paddr_t pt_frame_alloc(void *owner)
{
    struct space *s = owner;

    return pool_frame_alloc(s->ptpayer);
}

void pt_frame_free(void *owner, paddr_t pa)
{
    struct space *s = owner;

    pool_frame_free(s->ptpayer, pa);
}

l4_err_t space_create(struct container *c, struct cap *payer, struct cap *ptpayer,
                      struct space **out)
{
    struct space *s = POOL_ALLOC(payer, c, struct space, paid);

    if (!s)
        return L4_ENOMEM;
    s->container = c;
    s->ptpayer = ptpayer;
    s->threads = s->caps = 0;
    s->dying = s->loaded = s->retired = false;
    list_init(&s->futex_waiters);
    s->id = s->paid.store->first_id + store_index(s->paid.store, s) + 1;
    s->root = arch_pt_create(s);
    if (!s->root) {
        pool_free(&s->paid);
        return L4_ENOMEM;
    }
    c->objects[L4_POOL_SPACES]++;
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
        /* The one way out of c->memory, and the one zeroing on it: a frame there holds the
         * list's kernel link, what RAM held at boot (carve_memory does not zero it) or what
         * this container's spaces left in it (before a restart, or a destroyed space's).
         * Never map one unzeroed. */
        memset(frame, 0, PAGE_SIZE);
        l4_err_t err = arch_pt_map(s->root, s, p, virt_to_phys(frame), perms | MAP_OWNED);
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

bool space_device_page(struct space *s, vaddr_t va)
{
    paddr_t pa;
    unsigned perms;

    return arch_pt_entry(s->root, va, &pa, &perms) && (perms & MAP_DEVICE);
}

void space_free_frame(struct space *s, paddr_t pa)
{
    blocklist_push(&s->container->memory, phys_to_virt(pa));
}

static void free_frame(void *owner, paddr_t pa)
{
    struct space *s = owner;

    blocklist_push(&s->container->memory, phys_to_virt(pa));
}

/* Its page tables are gone: the space goes too. */
static void forget(struct space *s)
{
    s->root = 0;
    s->container->objects[L4_POOL_SPACES]--;
    if (s->retired) { // its restart's steps find it gone
        DEBUG_ASSERT(s->container->retire.space == s);
        s->container->retire.space = NULL;
    }
    pool_free(&s->paid);
}

static void release(struct space *s)
{
    DEBUG_ASSERT(list_empty(&s->futex_waiters)); // its waiters were its threads, all gone
    arch_pt_destroy(s->root, s, free_frame);
    forget(s);
}

/* A retired space is freed by the steps of its restart (or a space_destroy), never here. */
static void release_if_unused(struct space *s)
{
    if (!s->threads && !s->caps && !s->dying && !s->retired)
        release(s);
}

void space_retire(struct space *s)
{
    DEBUG_ASSERT(!s->dying && !s->retired);
    s->retired = true;
    threads_kill_in_space(s);
}

bool space_retire_tables(struct space *s, unsigned budget)
{
    /* nothing reaches it: no capability names it (the caller's pass), no thread is in it */
    ASSERT(s->retired && !s->caps && !s->threads && !s->dying);
    if (arch_pt_destroy_some(s->root, s, free_frame, budget))
        return true;
    forget(s);
    return false;
}

l4_err_t space_bindable(const struct space *s, const char *call)
{
    if (!s->retired)
        return L4_OK;
    user_error("%s: space %u is being destroyed\n", call, s->id);
    return L4_ESTATE;
}

void space_destroy(struct space *s)
{
    if (s->dying)
        return; // already being taken apart further up the call chain
    s->dying = true;
    containers_purge_object(s);
    threads_kill_in_space(s);
    ASSERT(!s->caps && !s->threads);
    release(s);
}

void space_bind(struct space *s)
{
    s->threads++;
}

void space_unbind(struct space *s)
{
    ASSERT(s->threads > 0);
    s->threads--;
    release_if_unused(s);
}

void space_drop(struct space *s)
{
    DEBUG_ASSERT(!s->caps && !s->threads);
    release_if_unused(s);
}

void space_cap_ref(struct space *s, bool added)
{
    if (added) {
        s->caps++;
        return;
    }
    ASSERT(s->caps > 0);
    s->caps--;
    release_if_unused(s);
}

void spaces_unmap_uncovered(paddr_t base, uint64_t size,
                            bool (*covered)(unsigned, paddr_t, unsigned))
{
    POOL_FOR_EACH(L4_POOL_SPACES, p)
    arch_pt_unmap_foreign(container_of(p, struct space, paid)->root, base, size, covered);
}

uint32_t space_map_rights(unsigned perms)
{
    return L4_MEM_READ | (perms & MAP_WRITE ? L4_MEM_WRITE : 0) |
           (perms & MAP_EXEC ? L4_MEM_EXEC : 0);
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
