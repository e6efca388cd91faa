/* SPDX-License-Identifier: BSD-2-Clause */
/* The firmware's usable RAM ranges put in order, and cut into the pages that map them. */
#include "memmap.h"

static paddr_t range_end(const struct boot_range *r)
{
    return r->base + r->len;
}

/* Whole frames only: [base, end) shrinks to frame boundaries, end saturating at the top. */
static bool trim(struct boot_range *r)
{
    uint64_t end = r->base + r->len < r->base ? UINT64_MAX : r->base + r->len;
    uint64_t first = r->base / MEMMAP_FRAME + (r->base % MEMMAP_FRAME != 0); // ALIGN_UP wraps
    uint64_t last = end / MEMMAP_FRAME;

    if (last <= first)
        return false;
    r->base = first * MEMMAP_FRAME;
    r->len = (last - first) * MEMMAP_FRAME;
    return true;
}

/* Sort by base: an insertion sort, as a map has at most BOOT_MAX_RANGES entries. */
static void sort(struct boot_range *r, unsigned n)
{
    for (unsigned i = 1; i < n; i++) {
        struct boot_range x = r[i];
        unsigned j = i;
        for (; j > 0 && r[j - 1].base > x.base; j--)
            r[j] = r[j - 1];
        r[j] = x;
    }
}

unsigned memmap_normalize(struct boot_range *r, unsigned n, uint64_t limit, uint64_t *ignored)
{
    unsigned kept = 0, out = 0;

    for (unsigned i = 0; i < n; i++) {
        struct boot_range x = r[i];
        if (trim(&x))
            r[kept++] = x;
    }
    sort(r, kept);
    *ignored = 0;
    for (unsigned i = 0; i < kept; i++) {
        if (out && r[i].base <= range_end(&r[out - 1])) { // overlaps or touches: one range
            paddr_t end = range_end(&r[i]);
            if (end > range_end(&r[out - 1]))
                r[out - 1].len = end - r[out - 1].base;
            continue;
        }
        r[out++] = r[i];
    }
    for (unsigned i = 0; i < out; i++) {
        if (range_end(&r[i]) <= limit)
            continue;
        *ignored += range_end(&r[i]) - (r[i].base > limit ? r[i].base : limit);
        if (r[i].base >= limit) {
            out = i; // sorted: this and every later range lie above the limit
            break;
        }
        r[i].len = limit - r[i].base;
    }
    return out;
}

paddr_t memmap_top(const struct boot_range *r, unsigned n)
{
    return n ? range_end(&r[n - 1]) : 0;
}

paddr_t memmap_find(const struct boot_range *r, unsigned n, paddr_t from, paddr_t below,
                    uint64_t bytes)
{
    paddr_t start = ALIGN_UP(from, MEMMAP_FRAME);

    for (unsigned i = 0; i < n; i++) {
        paddr_t a = r[i].base > start ? r[i].base : start;
        paddr_t end = range_end(&r[i]) < below ? range_end(&r[i]) : below;
        if (a < end && bytes <= end - a)
            return a;
    }
    return 0;
}

void memmap_pages(paddr_t base, paddr_t end, const uint64_t *sizes, unsigned nsizes,
                  void (*emit)(void *ctx, paddr_t pa, uint64_t size), void *ctx)
{
    for (paddr_t pa = base; pa < end;) {
        unsigned k = 0;
        while (k + 1 < nsizes && (!IS_ALIGNED(pa, sizes[k]) || sizes[k] > end - pa))
            k++;
        emit(ctx, pa, sizes[k]);
        pa += sizes[k];
    }
}
