/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The server's heap: power-of-two blocks up to 2 KiB carved from pages, larger ones as runs of
 * whole pages. Pages are frames of the server's region (shared with the Linux processes'
 * memory: mem.c), mapped at HEAP_BASE as the heap grows. Every block has a 16-byte header
 * saying what it is, so lx_free needs no size and can tell a bad pointer.
 */
#include "linux.h"
#include "server.h"

#define HEAP_BASE  0x100000000ull /* 4 GiB; the frame window is at mem.c's WIN, far above */
#define HEAP_LIMIT 0x180000000ull
#define PAGE       4096ull
#define MIN_SHIFT  4
#define MAX_SHIFT  11                    /* 2 KiB */
#define MAGIC      0x6c78686561700000ull /* "lxheap" and the kind in the low bits */

struct header {
    uint64_t magic; /* MAGIC | shift (small) or MAGIC | 0xff (a run) */
    uint64_t pages; /* a run: its pages */
};
struct free_block {
    struct free_block *next;
};
struct free_run {
    struct free_run *next;
    uint64_t pages;
};

static struct free_block *free_small[MAX_SHIFT + 1];
static struct free_run *free_runs;
static uint64_t heap_top = HEAP_BASE;

/* n fresh pages at the top of the heap, mapped; 0 when out of frames or address space. */
static uint64_t grow(uint64_t n)
{
    if (n > (HEAP_LIMIT - heap_top) / PAGE)
        return 0;
    uint64_t va = heap_top;
    for (uint64_t i = 0; i < n; i++) {
        if (lx_frame_map_at(va + i * PAGE)) {
            /* what was mapped stays: it becomes the start of the next growth */
            heap_top = va + i * PAGE;
            return 0;
        }
    }
    heap_top += n * PAGE;
    return va;
}

static void *alloc_run(uint64_t pages)
{
    for (struct free_run **p = &free_runs; *p; p = &(*p)->next) {
        struct free_run *r = *p;
        if (r->pages < pages)
            continue;
        if (r->pages == pages) {
            *p = r->next;
        } else { /* keep the front on the list, take the back */
            r->pages -= pages;
            r = (struct free_run *)((char *)r + r->pages * PAGE);
        }
        return r;
    }
    return (void *)grow(pages);
}

void *lx_alloc(size_t size)
{
    if (size > (1ull << 30))
        return NULL;
    uint64_t need = size + sizeof(struct header);
    if (need <= (1u << MAX_SHIFT)) {
        unsigned shift = MIN_SHIFT;
        while ((1ull << shift) < need)
            shift++;
        if (!free_small[shift]) {
            char *page = alloc_run(1);
            if (!page)
                return NULL;
            for (uint64_t off = 0; off < PAGE; off += 1ull << shift) {
                struct free_block *b = (struct free_block *)(page + off);
                b->next = free_small[shift];
                free_small[shift] = b;
            }
        }
        struct free_block *b = free_small[shift];
        free_small[shift] = b->next;
        struct header *h = (struct header *)b;
        h->magic = MAGIC | shift;
        h->pages = 0;
        return h + 1;
    }
    uint64_t pages = (need + PAGE - 1) / PAGE;
    struct header *h = alloc_run(pages);
    if (!h)
        return NULL;
    h->magic = MAGIC | 0xff;
    h->pages = pages;
    return h + 1;
}

void *lx_zalloc(size_t size)
{
    void *p = lx_alloc(size);

    if (p)
        memset(p, 0, size);
    return p;
}

void lx_free(void *p)
{
    if (!p)
        return;
    struct header *h = (struct header *)p - 1;
    uint64_t kind = h->magic & 0xff;
    if ((h->magic & ~0xffull) != MAGIC || (uint64_t)h < HEAP_BASE || (uint64_t)h >= heap_top ||
        (kind != 0xff && (kind < MIN_SHIFT || kind > MAX_SHIFT))) {
        printf("linux: lx_free of %p, not a heap block\n", p);
        return;
    }
    h->magic = 0;
    if (kind != 0xff) {
        struct free_block *b = (struct free_block *)h;
        b->next = free_small[kind];
        free_small[kind] = b;
        return;
    }
    struct free_run *r = (struct free_run *)h;
    r->pages = h->pages;
    r->next = free_runs;
    free_runs = r;
}
