/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical frame allocator: one bit per 4 KiB frame below the top of usable RAM. */
#ifndef KERNEL_PMM_H
#define KERNEL_PMM_H

#include "types.h"

#define PMM_FRAME_SIZE 4096u

/*
 * The allocator knows nothing about hardware: boot code feeds it the usable
 * ranges of the firmware memory map and then reserves what is already in use
 * (the kernel image, boot modules, firmware data). A set bit means "in use",
 * so a frame nobody described stays unusable. Frame 0 is never handed out,
 * which lets 0 mean "no frame".
 */
struct pmm {
    uint64_t *bitmap;
    size_t nframes; /* frames covered by the bitmap */
    size_t nfree;
    size_t hint; /* word index where the next search starts */
};

/* bitmap must hold nframes bits (rounded up to 64); everything starts in use. */
void pmm_init(struct pmm *p, uint64_t *bitmap, size_t nframes);
/* Mark [base, base+len) free; partial frames at either end are left alone. */
void pmm_add_free(struct pmm *p, paddr_t base, uint64_t len);
/* Mark every frame touching [base, base+len) in use. */
void pmm_reserve(struct pmm *p, paddr_t base, uint64_t len);
/* One frame, or 0 when none is left. */
paddr_t pmm_alloc(struct pmm *p);
/* n physically contiguous frames, or 0. */
paddr_t pmm_alloc_contig(struct pmm *p, size_t n);
/* Returns false (and changes nothing) for a frame that is already free or out of range. */
bool pmm_free(struct pmm *p, paddr_t pa);
bool pmm_free_contig(struct pmm *p, paddr_t pa, size_t n);
size_t pmm_free_count(const struct pmm *p);
bool pmm_is_free(const struct pmm *p, paddr_t pa);

/* The kernel's one allocator instance. */
extern struct pmm kernel_pmm;

#endif
