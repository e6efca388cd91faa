/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The ram fs mounted at /tmp: files whose pages come from the server's heap, directories as
 * lists of entries, symlinks. Everything it allocates (nodes, entries, pages, page tables,
 * link targets) counts against one quota, LX_RAM_QUOTA, so that a process filling /tmp or
 * making empty files without end runs into ENOSPC, not into the server's memory.
 */
#include "fs_impl.h"

#define PAGE 4096u

uint64_t lx_ram_used;
static uint64_t next_ino = 1;

static bool charge(uint64_t bytes)
{
    if (bytes > LX_RAM_QUOTA - lx_ram_used)
        return false;
    lx_ram_used += bytes;
    return true;
}

static void uncharge(uint64_t bytes)
{
    lx_ram_used = bytes > lx_ram_used ? 0 : lx_ram_used - bytes;
}

static struct lx_node *node_alloc(uint32_t mode)
{
    if (!charge(sizeof(struct lx_node)))
        return NULL;
    struct lx_node *n = lx_zalloc(sizeof *n);
    if (!n) {
        uncharge(sizeof *n);
        return NULL;
    }
    n->fs = LX_FS_RAM;
    n->mode = mode;
    n->ino = next_ino++;
    n->mtime = n->ctime = lx_fs_now();
    n->ram.next_cookie = 2; /* 0 and 1 are . and .. */
    return n;
}

struct lx_node *lx_ram_mount(void)
{
    struct lx_node *root = node_alloc(LX_S_IFDIR | 01777);
    if (root) {
        root->links = 1; /* never freed */
        root->parent = root;
    }
    return root;
}

static int add_entry(struct lx_node *dir, const char *name, size_t len, struct lx_node *n)
{
    if (!charge(sizeof(struct lx_dirent) + len))
        return -LX_ENOSPC;
    struct lx_dirent *e = lx_alloc(sizeof *e + len);
    if (!e) {
        uncharge(sizeof *e + len);
        return -LX_ENOMEM;
    }
    e->next = NULL;
    e->node = n;
    e->cookie = dir->ram.next_cookie++;
    e->len = (uint8_t)len;
    memcpy(e->name, name, len);
    if (dir->ram.last)
        dir->ram.last->next = e;
    else
        dir->ram.first = e;
    dir->ram.last = e;
    n->links++;
    if (LX_S_ISDIR(n->mode)) {
        n->parent = dir;
        dir->subdirs++;
    }
    dir->mtime = dir->ctime = lx_fs_now();
    return 0;
}

struct lx_node *lx_ram_new(struct lx_node *dir, const char *name, size_t len, uint32_t mode,
                           const char *target, size_t tlen, int *err)
{
    struct lx_node *n = node_alloc(mode);
    if (!n) {
        *err = -LX_ENOSPC;
        return NULL;
    }
    if (target) {
        *err = charge(tlen) ? 0 : -LX_ENOSPC;
        if (!*err && !(n->ram.target = lx_alloc(tlen))) {
            uncharge(tlen);
            *err = -LX_ENOMEM;
        }
        if (*err) {
            lx_ram_free(n);
            return NULL;
        }
        memcpy(n->ram.target, target, tlen);
        n->size = tlen;
    }
    *err = add_entry(dir, name, len, n);
    if (*err) {
        lx_ram_free(n);
        return NULL;
    }
    n->refs = 1; /* the caller's */
    return n;
}

int lx_ram_link(struct lx_node *dir, const char *name, size_t len, struct lx_node *n)
{
    int err = add_entry(dir, name, len, n);
    if (!err)
        n->ctime = lx_fs_now();
    return err;
}

void lx_ram_unlink(struct lx_node *dir, const char *name, size_t len, struct lx_node *n)
{
    struct lx_dirent **pp = &dir->ram.first, *prev = NULL;
    while (*pp && ((*pp)->node != n || (*pp)->len != len || memcmp((*pp)->name, name, len))) {
        prev = *pp;
        pp = &(*pp)->next;
    }
    struct lx_dirent *e = *pp;
    if (!e)
        return;
    *pp = e->next;
    if (dir->ram.last == e)
        dir->ram.last = prev;
    uncharge(sizeof *e + e->len);
    lx_free(e);
    dir->mtime = dir->ctime = n->ctime = lx_fs_now();
    n->links--;
    if (LX_S_ISDIR(n->mode)) {
        dir->subdirs--;
        if (n->links == 0)
            n->parent = NULL; /* removed: ".." leads nowhere (and dir may go) */
    }
    if (n->links == 0 && n->refs == 0)
        lx_ram_free(n);
}

void lx_ram_free(struct lx_node *n)
{
    for (size_t i = 0; i < n->ram.npages; i++)
        if (n->ram.pages[i]) {
            lx_free(n->ram.pages[i]);
            uncharge(PAGE);
        }
    if (n->ram.pages) {
        lx_free(n->ram.pages);
        uncharge(n->ram.npages * sizeof(uint8_t *));
    }
    if (n->ram.target) {
        lx_free(n->ram.target);
        uncharge(n->size);
    }
    lx_free(n);
    uncharge(sizeof *n);
}

long lx_ram_read(struct lx_node *n, void *buf, size_t len, uint64_t off)
{
    if (off >= n->size)
        return 0;
    if (len > n->size - off)
        len = n->size - off;
    uint8_t *out = buf;
    for (size_t done = 0; done < len;) {
        uint64_t at = off + done;
        size_t in_page = at % PAGE, step = PAGE - in_page;
        if (step > len - done)
            step = len - done;
        uint8_t *page = n->ram.pages[at / PAGE]; /* size <= npages * PAGE */
        if (page)
            memcpy(out + done, page + in_page, step);
        else
            memset(out + done, 0, step);
        done += step;
    }
    return (long)len;
}

/* Make the page table hold at least want pages. */
static int grow(struct lx_node *n, size_t want)
{
    if (want <= n->ram.npages)
        return 0;
    size_t cap = n->ram.npages * 2 > want ? n->ram.npages * 2 : want;
    if (cap > LX_RAM_FILE_MAX / PAGE)
        cap = LX_RAM_FILE_MAX / PAGE;
    size_t more = (cap - n->ram.npages) * sizeof(uint8_t *);
    if (!charge(more))
        return -LX_ENOSPC;
    uint8_t **pages = lx_zalloc(cap * sizeof *pages);
    if (!pages) {
        uncharge(more);
        return -LX_ENOMEM;
    }
    if (n->ram.pages) {
        memcpy(pages, n->ram.pages, n->ram.npages * sizeof *pages);
        lx_free(n->ram.pages);
    }
    n->ram.pages = pages;
    n->ram.npages = cap;
    return 0;
}

long lx_ram_write(struct lx_node *n, const void *buf, size_t len, uint64_t off)
{
    if (off >= LX_RAM_FILE_MAX)
        return -LX_EFBIG;
    if (len > LX_RAM_FILE_MAX - off)
        len = LX_RAM_FILE_MAX - off;
    if (len == 0)
        return 0;
    int err = grow(n, (off + len + PAGE - 1) / PAGE);
    if (err)
        return err;
    const uint8_t *in = buf;
    size_t done = 0;
    while (done < len) {
        uint64_t at = off + done;
        size_t in_page = at % PAGE, step = PAGE - in_page;
        if (step > len - done)
            step = len - done;
        uint8_t **page = &n->ram.pages[at / PAGE];
        if (!*page) {
            if (!charge(PAGE)) {
                err = -LX_ENOSPC;
                break;
            }
            if (!(*page = lx_zalloc(PAGE))) {
                uncharge(PAGE);
                err = -LX_ENOMEM;
                break;
            }
        }
        memcpy(*page + in_page, in + done, step);
        done += step;
    }
    if (done == 0)
        return err;
    if (off + done > n->size)
        n->size = off + done;
    n->mtime = n->ctime = lx_fs_now();
    return (long)done;
}

int lx_ram_truncate(struct lx_node *n, uint64_t size)
{
    if (size > LX_RAM_FILE_MAX)
        return -LX_EFBIG;
    if (size > n->size) {
        int err = grow(n, (size + PAGE - 1) / PAGE);
        if (err)
            return err;
    }
    /* pages wholly past the end go; the rest of the last one is zeroed, so that growing the
     * file again shows zeros there */
    for (size_t i = (size + PAGE - 1) / PAGE; i < n->ram.npages; i++)
        if (n->ram.pages[i]) {
            lx_free(n->ram.pages[i]);
            n->ram.pages[i] = NULL;
            uncharge(PAGE);
        }
    if (size % PAGE && n->ram.pages[size / PAGE])
        memset(n->ram.pages[size / PAGE] + size % PAGE, 0, PAGE - size % PAGE);
    n->size = size;
    n->mtime = n->ctime = lx_fs_now();
    return 0;
}
