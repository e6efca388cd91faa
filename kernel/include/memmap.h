/* SPDX-License-Identifier: BSD-2-Clause */
/* The firmware's usable RAM ranges put in order, and cut into the pages that map them. */
#ifndef KERNEL_MEMMAP_H
#define KERNEL_MEMMAP_H

#include "boot.h"

#define MEMMAP_FRAME 4096u

/*
 * Make r[0..n) whole frames, sorted by base, with overlapping or touching ranges merged
 * (a firmware map may list one stretch of RAM as several entries, or twice), and cut at
 * limit: *ignored gets the bytes of RAM at or above it. Ranges of less than a frame go.
 * Returns the new count. Afterwards every range is [base, base + len) with base and len
 * multiples of MEMMAP_FRAME, len > 0, and each range ends below the next one's base.
 */
unsigned memmap_normalize(struct boot_range *r, unsigned n, uint64_t limit, uint64_t *ignored);

/* The end of the highest range (0 for none); r normalized. */
paddr_t memmap_top(const struct boot_range *r, unsigned n);

/*
 * The lowest frame-aligned address a >= from (from > 0) such that [a, a + bytes) lies in one
 * range of r and ends at or below below; 0 if there is none. r normalized.
 */
paddr_t memmap_find(const struct boot_range *r, unsigned n, paddr_t from, paddr_t below,
                    uint64_t bytes);

/*
 * Cut [base, end) (frame aligned) into pages that cover it exactly: at each address the
 * largest of sizes[] (descending powers of two, the last MEMMAP_FRAME) that is aligned there
 * and ends inside. No page covers a byte outside [base, end): a range whose ends are not
 * aligned to a large page gets small pages there. emit(ctx, pa, size) is called in
 * ascending order.
 */
void memmap_pages(paddr_t base, paddr_t end, const uint64_t *sizes, unsigned nsizes,
                  void (*emit)(void *ctx, paddr_t pa, uint64_t size), void *ctx);

#endif
