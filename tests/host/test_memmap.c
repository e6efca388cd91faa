/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the RAM map: normalizing the firmware's ranges, finding room, cutting pages. */
// uses: kernel/core/memmap.c
#include "check.h"
#include "memmap.h"

#define KIB (1ull << 10)
#define MIB (1ull << 20)
#define GIB (1ull << 30)

static struct boot_range r[BOOT_MAX_RANGES];

static void normalize_sorts_trims_and_merges(void)
{
    uint64_t ignored;
    struct boot_range in[] = {
        {4 * GIB, GIB},         // above the hole, listed first
        {MIB, 3 * GIB - MIB},   // 1 MiB .. 3 GiB
        {0, 0x9fc00},           // below 640 KiB: the last partial frame goes
        {2 * GIB, 512 * MIB},   // inside 1 MiB .. 3 GiB: merged away
        {3 * GIB, 100},         // less than a frame: dropped
        {5 * GIB, 8 * KIB + 1}, // touches 4..5 GiB: merged, its partial frame dropped
    };
    unsigned n = sizeof(in) / sizeof(in[0]);

    for (unsigned i = 0; i < n; i++)
        r[i] = in[i];
    n = memmap_normalize(r, n, 512 * GIB, &ignored);
    CHECK_EQ(n, 3);
    CHECK_EQ(ignored, 0);
    CHECK_EQ(r[0].base, 0);
    CHECK_EQ(r[0].len, 0x9f000);
    CHECK_EQ(r[1].base, MIB);
    CHECK_EQ(r[1].len, 3 * GIB - MIB);
    CHECK_EQ(r[2].base, 4 * GIB);
    CHECK_EQ(r[2].len, GIB + 8 * KIB);
    CHECK_EQ(memmap_top(r, n), 5 * GIB + 8 * KIB);
}

static void normalize_cuts_at_the_limit(void)
{
    uint64_t ignored;

    r[0] = (struct boot_range){0x1001, 0x2000};        // unaligned start: frame 0x2000 only
    r[1] = (struct boot_range){MIB, 6 * GIB};          // crosses the limit
    r[2] = (struct boot_range){8 * GIB, GIB};          // wholly above it
    r[3] = (struct boot_range){~0ull - 4096, 1 << 20}; // wraps: saturates, no whole frame
    unsigned n = memmap_normalize(r, 4, 4 * GIB, &ignored);
    CHECK_EQ(n, 2);
    CHECK_EQ(r[0].base, 0x2000);
    CHECK_EQ(r[0].len, 0x1000);
    CHECK_EQ(r[1].base, MIB);
    CHECK_EQ(r[1].len, 4 * GIB - MIB);
    CHECK_EQ(ignored, (6 * GIB + MIB - 4 * GIB) + GIB);
    CHECK_EQ(memmap_normalize(r, 0, 4 * GIB, &ignored), 0);
    CHECK_EQ(ignored, 0);
    CHECK_EQ(memmap_top(r, 0), 0);
}

static void find_lowest_room(void)
{
    r[0] = (struct boot_range){0, 0x9f000};
    r[1] = (struct boot_range){MIB, 63 * MIB};
    r[2] = (struct boot_range){4 * GIB, GIB};
    CHECK_EQ(memmap_find(r, 3, 0x5000, GIB, 16 * KIB), 0x5000);
    CHECK_EQ(memmap_find(r, 3, 0x5001, GIB, 16 * KIB), 0x6000);     // rounded up to a frame
    CHECK_EQ(memmap_find(r, 3, 0x90000, GIB, 64 * KIB), MIB);       // does not fit below 640K
    CHECK_EQ(memmap_find(r, 3, 0x354570, GIB, 16 * MIB), 0x355000); // after the kernel
    CHECK_EQ(memmap_find(r, 3, 0x355000, 20 * MIB, 16 * MIB), 0x355000);
    CHECK_EQ(memmap_find(r, 3, 0x355000, 19 * MIB, 16 * MIB), 0);       // must end below 19 MiB
    CHECK_EQ(memmap_find(r, 3, 0x355000, 8 * GIB, 100 * MIB), 4 * GIB); // past the hole
    CHECK_EQ(memmap_find(r, 3, 0x355000, 8 * GIB, 2 * GIB), 0);
    CHECK_EQ(memmap_find(r, 3, 6 * GIB, 8 * GIB, 4 * KIB), 0);
}

/* What memmap_pages emitted, checked as it comes. */
static struct {
    paddr_t next;
    unsigned count[3];
    bool bad;
} seen;

static const uint64_t sizes[] = {GIB, 2 * MIB, 4 * KIB};

static void record(void *ctx, paddr_t pa, uint64_t size)
{
    (void)ctx;
    if (pa != seen.next || pa % size) // in order, no gap, no overlap, aligned
        seen.bad = true;
    for (unsigned k = 0; k < 3; k++)
        seen.count[k] += size == sizes[k];
    seen.next = pa + size;
}

static void cut(paddr_t base, paddr_t end, unsigned nsizes)
{
    seen.next = base;
    seen.bad = false;
    seen.count[0] = seen.count[1] = seen.count[2] = 0;
    memmap_pages(base, end, sizes + 3 - nsizes, nsizes, record, NULL);
    CHECK(!seen.bad);
    CHECK_EQ(seen.next, end); // covers exactly [base, end): nothing past its end
}

static void pages_cover_exactly(void)
{
    /* 1 MiB .. 3 GiB: small pages up to 2 MiB, large ones to 1 GiB, then two huge ones */
    cut(MIB, 3 * GIB, 3);
    CHECK_EQ(seen.count[0], 2);
    CHECK_EQ(seen.count[1], 511);
    CHECK_EQ(seen.count[2], 256);
    /* without 1 GiB pages (no pdpe1gb): 2 MiB ones all the way */
    cut(MIB, 3 * GIB, 2);
    CHECK_EQ(seen.count[1], 511 + 1024);
    CHECK_EQ(seen.count[2], 256);
    /* below 640 KiB: no 2 MiB page may cover the legacy hole above it */
    cut(0, 0x9f000, 3);
    CHECK_EQ(seen.count[1], 0);
    CHECK_EQ(seen.count[2], 0x9f);
    /* unaligned at both ends, across a GiB boundary: 2 small, 1 large, 1 huge, 2 large, 3 small */
    cut(GIB - 2 * MIB - 8 * KIB, 2 * GIB + 4 * MIB + 12 * KIB, 3);
    CHECK_EQ(seen.count[0], 1);
    CHECK_EQ(seen.count[1], 3);
    CHECK_EQ(seen.count[2], 2 + 3);
    cut(5 * GIB, 5 * GIB, 3); // empty
    CHECK_EQ(seen.count[2], 0);
}

int main(void)
{
    RUN("memmap", normalize_sorts_trims_and_merges);
    RUN("memmap", normalize_cuts_at_the_limit);
    RUN("memmap", find_lowest_room);
    RUN("memmap", pages_cover_exactly);
    return CHECK_DONE();
}
