/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the physical frame allocator. */
// uses: kernel/core/pmm.c
#include "check.h"
#include "pmm.h"

#define NFRAMES 1000 /* deliberately not a multiple of 64 */
#define F(n)    ((paddr_t)(n)*PMM_FRAME_SIZE)

static uint64_t bitmap[(NFRAMES + 63) / 64];
static struct pmm p;

static void setup(void)
{
    pmm_init(&p, bitmap, NFRAMES);
}

static void starts_empty(void)
{
    setup();
    CHECK_EQ(pmm_free_count(&p), 0);
    CHECK_EQ(pmm_alloc(&p), 0);
}

static void add_free_trims_partial_frames(void)
{
    setup();
    pmm_add_free(&p, F(10) + 1, F(5)); // frames 11..14 whole, 10 and 15 partial
    CHECK_EQ(pmm_free_count(&p), 4);
    CHECK(!pmm_is_free(&p, F(10)));
    CHECK(pmm_is_free(&p, F(11)));
    CHECK(pmm_is_free(&p, F(14)));
    CHECK(!pmm_is_free(&p, F(15)));
}

static void frame_zero_never_free(void)
{
    setup();
    pmm_add_free(&p, 0, F(4));
    CHECK_EQ(pmm_free_count(&p), 3);
    CHECK(!pmm_is_free(&p, 0));
    CHECK(!pmm_free(&p, 0));
}

static void range_beyond_bitmap_ignored(void)
{
    setup();
    pmm_add_free(&p, F(NFRAMES - 2), F(100));
    CHECK_EQ(pmm_free_count(&p), 2);
    pmm_add_free(&p, ~0ull - 10, 100); // wraps: must not loop or crash
    CHECK_EQ(pmm_free_count(&p), 2);
}

static void reserve_covers_touched_frames(void)
{
    setup();
    pmm_add_free(&p, F(1), F(99));
    pmm_reserve(&p, F(20) + 100, 10); // inside frame 20 only
    CHECK(!pmm_is_free(&p, F(20)));
    CHECK(pmm_is_free(&p, F(21)));
    pmm_reserve(&p, F(29) + 4095, 2); // straddles 29 and 30
    CHECK(!pmm_is_free(&p, F(29)));
    CHECK(!pmm_is_free(&p, F(30)));
    CHECK_EQ(pmm_free_count(&p), 99 - 3);
    pmm_reserve(&p, F(20), F(1)); // reserving twice does not double count
    CHECK_EQ(pmm_free_count(&p), 99 - 3);
}

static void alloc_all_then_exhausted(void)
{
    setup();
    pmm_add_free(&p, F(1), F(NFRAMES - 1));
    size_t n = 0;
    paddr_t last = 0;
    for (paddr_t pa; (pa = pmm_alloc(&p)); n++) {
        CHECK(pa % PMM_FRAME_SIZE == 0);
        CHECK(pa != last);
        last = pa;
    }
    CHECK_EQ(n, NFRAMES - 1);
    CHECK_EQ(pmm_free_count(&p), 0);
    CHECK(pmm_free(&p, F(500)));
    CHECK_EQ(pmm_alloc(&p), F(500));
}

static void double_free_refused(void)
{
    setup();
    pmm_add_free(&p, F(1), F(10));
    paddr_t a = pmm_alloc(&p);
    CHECK(pmm_free(&p, a));
    CHECK(!pmm_free(&p, a));
    CHECK_EQ(pmm_free_count(&p), 10);
    CHECK(!pmm_free(&p, a + 1));          // unaligned
    CHECK(!pmm_free(&p, F(NFRAMES + 5))); // out of range
}

static void contiguous_runs(void)
{
    setup();
    pmm_add_free(&p, F(1), F(3));  // 1..3
    pmm_add_free(&p, F(10), F(8)); // 10..17
    CHECK_EQ(pmm_alloc_contig(&p, 4), F(10));
    CHECK_EQ(pmm_alloc_contig(&p, 4), F(14));
    CHECK_EQ(pmm_alloc_contig(&p, 4), 0);
    CHECK_EQ(pmm_alloc_contig(&p, 3), F(1));
    CHECK_EQ(pmm_alloc_contig(&p, 0), 0);
    CHECK(pmm_free_contig(&p, F(10), 4));
    CHECK(!pmm_free_contig(&p, F(9), 2)); // 10 is free again: refused as a whole
    CHECK_EQ(pmm_free_count(&p), 4);
    CHECK(!pmm_free_contig(&p, F(12), 4)); // 12, 13 already free: refused as a whole
    CHECK_EQ(pmm_free_count(&p), 4);
}

/* The lowest run that fits, wherever the runs start and end against the bitmap's words. */
static void contiguous_runs_across_words(void)
{
    setup();
    pmm_add_free(&p, F(60), F(8));    // 60..67: across the first word boundary
    pmm_add_free(&p, F(100), F(200)); // 100..299: whole words inside
    pmm_add_free(&p, F(990), F(10));  // 990..999: the last frames, in the last (partial) word
    CHECK_EQ(pmm_alloc_contig(&p, 9), F(100)); // 60..67 is one short
    CHECK_EQ(pmm_alloc_contig(&p, 8), F(60));
    CHECK(!pmm_is_free(&p, F(63)) && !pmm_is_free(&p, F(64)));
    CHECK_EQ(pmm_alloc_contig(&p, 191), F(109)); // exactly the rest of 100..299
    CHECK(pmm_is_free(&p, F(990)));
    CHECK_EQ(pmm_alloc_contig(&p, 11), 0); // nothing runs past the end of the bitmap
    CHECK_EQ(pmm_alloc_contig(&p, 10), F(990));
    CHECK_EQ(pmm_free_count(&p), 0);
    CHECK(pmm_free_contig(&p, F(128), 128)); // two whole words back, then taken again
    CHECK_EQ(pmm_alloc_contig(&p, 128), F(128));
    CHECK_EQ(pmm_alloc(&p), 0);
}

/* pmm_alloc_contig against a frame-by-frame search on a random bitmap: the same answer,
 * and exactly those frames taken. */
static void contiguous_against_shadow(void)
{
    static bool used[NFRAMES];

    srand(99);
    for (int round = 0; round < 300; round++) {
        setup();
        pmm_add_free(&p, F(1), F(NFRAMES - 1));
        int density = rand() % 8 + 1; // from mostly used to mostly free
        for (size_t f = 1; f < NFRAMES; f++) {
            used[f] = rand() % 8 < density;
            if (used[f])
                pmm_reserve(&p, F(f), F(1));
        }
        size_t n = (size_t)rand() % (rand() % 2 ? 8 : 200) + 1, want = 0;
        for (size_t f = 1, run = 0; f < NFRAMES && !want; f++) {
            run = used[f] ? 0 : run + 1;
            want = run == n ? f + 1 - n : 0;
        }
        size_t before = pmm_free_count(&p);
        CHECK_EQ(pmm_alloc_contig(&p, n), F(want));
        CHECK_EQ(pmm_free_count(&p), before - (want ? n : 0));
        for (size_t f = 1; f < NFRAMES; f++) {
            bool taken = want && f >= want && f < want + n;
            if (pmm_is_free(&p, F(f)) != (!used[f] && !taken)) {
                CHECK(!"a frame's bit disagrees with the shadow");
                break;
            }
        }
    }
}

/* Random alloc/free against a shadow set: the counts and bits always agree. */
static void random_against_shadow(void)
{
    static bool shadow[NFRAMES];
    paddr_t held[NFRAMES];
    size_t nheld = 0;

    setup();
    pmm_add_free(&p, F(1), F(NFRAMES - 1));
    srand(1234);
    for (int i = 0; i < 20000; i++) {
        if (nheld && rand() % 2) {
            size_t k = (size_t)rand() % nheld;
            CHECK(pmm_free(&p, held[k]));
            shadow[held[k] / PMM_FRAME_SIZE] = false;
            held[k] = held[--nheld];
        } else {
            paddr_t pa = pmm_alloc(&p);
            if (!pa) {
                CHECK_EQ(nheld, NFRAMES - 1);
                continue;
            }
            CHECK(!shadow[pa / PMM_FRAME_SIZE]);
            shadow[pa / PMM_FRAME_SIZE] = true;
            held[nheld++] = pa;
        }
        CHECK_EQ(pmm_free_count(&p), NFRAMES - 1 - nheld);
    }
}

/*
 * A machine like QEMU's microvm with -m 4G: RAM below 640 KiB, from 1 MiB to 3 GiB, and the
 * last GiB relocated to 4..5 GiB past the hole for devices. The allocator covers all of it;
 * the hole and the legacy area stay in use, frame by frame and word by word.
 */
#define GIB         (1ull << 30)
#define HIGH_FRAMES (5 * GIB / PMM_FRAME_SIZE)
static uint64_t high_bitmap[HIGH_FRAMES / 64];

static void regions_above_4g(void)
{
    struct pmm h;

    pmm_init(&h, high_bitmap, HIGH_FRAMES);
    pmm_add_free(&h, 0, 0x9fc00);                   // 159 whole frames, frame 0 never
    pmm_add_free(&h, 0x100000, 3 * GIB - 0x100000); // 1 MiB .. 3 GiB
    pmm_add_free(&h, 4 * GIB, GIB);                 // 4 .. 5 GiB
    size_t total = 158 + (3 * GIB - 0x100000) / PMM_FRAME_SIZE + GIB / PMM_FRAME_SIZE;
    CHECK_EQ(pmm_free_count(&h), total);
    CHECK(!pmm_is_free(&h, 0x9f000));
    CHECK(!pmm_is_free(&h, 0xa0000));
    CHECK(pmm_is_free(&h, 0x100000));
    CHECK(pmm_is_free(&h, 3 * GIB - PMM_FRAME_SIZE));
    CHECK(!pmm_is_free(&h, 3 * GIB));
    CHECK(!pmm_is_free(&h, 4 * GIB - PMM_FRAME_SIZE));
    CHECK(pmm_is_free(&h, 4 * GIB));
    CHECK(pmm_is_free(&h, 5 * GIB - PMM_FRAME_SIZE));
    CHECK(!pmm_is_free(&h, 5 * GIB)); // past the bitmap

    /* the kernel and modules: everything from 0 to their end, as memory_init does */
    pmm_reserve(&h, 0, 0x354570);
    total -= 158 + (0x355000 - 0x100000) / PMM_FRAME_SIZE;
    CHECK_EQ(pmm_free_count(&h), total);
    CHECK(!pmm_is_free(&h, 0x354000));
    CHECK(pmm_is_free(&h, 0x355000));

    /* 2 GiB in one run: only the range below the hole holds it */
    paddr_t big = pmm_alloc_contig(&h, 2 * GIB / PMM_FRAME_SIZE);
    CHECK_EQ(big, 0x355000);
    /* the rest below the hole is under 1 GiB: a run of 1 GiB comes from above 4 GiB */
    CHECK_EQ(pmm_alloc_contig(&h, GIB / PMM_FRAME_SIZE), 4 * GIB);
    CHECK_EQ(pmm_alloc_contig(&h, 1), 2 * GIB + 0x355000); // never in the hole
    CHECK_EQ(pmm_free_count(&h), total - (3 * GIB) / PMM_FRAME_SIZE - 1);
    /* no run may straddle the hole: all that is left lies below it */
    size_t left = pmm_free_count(&h);
    CHECK_EQ(pmm_alloc_contig(&h, left + 1), 0);
    CHECK_EQ(pmm_alloc_contig(&h, left), 2 * GIB + 0x356000);
    CHECK_EQ(pmm_alloc(&h), 0);
    CHECK(pmm_free_contig(&h, 4 * GIB, GIB / PMM_FRAME_SIZE));
    CHECK_EQ(pmm_free_count(&h), GIB / PMM_FRAME_SIZE);
    CHECK_EQ(pmm_alloc(&h), 4 * GIB); // single frames come from above 4 GiB too
}

/* Several regions fed in any order, reserved across their edges: every count agrees with a
 * frame-by-frame shadow, whatever word boundaries the ranges fall on. */
static void many_regions_against_shadow(void)
{
    static bool shadow[NFRAMES];
    static const struct {
        uint64_t base, len;
        bool add;
    } ops[] = {
        {F(700), F(200), true},    {F(3), F(60), true},    {F(64), F(64), true},
        {F(150) + 7, F(90), true}, {F(120), F(40), false}, {F(690), F(20), false},
        {F(128), F(1), true},      {F(0), F(2), false},    {F(200), F(600), true},
        {F(255), F(130), false},   {F(900), F(200), true}, {F(63), F(2), false},
    };

    setup();
    for (size_t i = 0; i < sizeof(ops) / sizeof(ops[0]); i++) {
        if (ops[i].add)
            pmm_add_free(&p, ops[i].base, ops[i].len);
        else
            pmm_reserve(&p, ops[i].base, ops[i].len);
        uint64_t first = ops[i].add ? (ops[i].base + PMM_FRAME_SIZE - 1) / PMM_FRAME_SIZE
                                    : ops[i].base / PMM_FRAME_SIZE;
        uint64_t end = ops[i].add
                           ? (ops[i].base + ops[i].len) / PMM_FRAME_SIZE
                           : (ops[i].base + ops[i].len + PMM_FRAME_SIZE - 1) / PMM_FRAME_SIZE;
        for (uint64_t f = first ? first : !ops[i].add; f < end && f < NFRAMES; f++)
            shadow[f] = ops[i].add;
        size_t n = 0;
        for (size_t f = 0; f < NFRAMES; f++) {
            CHECK(pmm_is_free(&p, F(f)) == shadow[f]);
            n += shadow[f];
        }
        CHECK_EQ(pmm_free_count(&p), n);
    }
}

int main(void)
{
    RUN("pmm", starts_empty);
    RUN("pmm", add_free_trims_partial_frames);
    RUN("pmm", frame_zero_never_free);
    RUN("pmm", range_beyond_bitmap_ignored);
    RUN("pmm", reserve_covers_touched_frames);
    RUN("pmm", alloc_all_then_exhausted);
    RUN("pmm", double_free_refused);
    RUN("pmm", contiguous_runs);
    RUN("pmm", contiguous_runs_across_words);
    RUN("pmm", contiguous_against_shadow);
    RUN("pmm", random_against_shadow);
    RUN("pmm", regions_above_4g);
    RUN("pmm", many_regions_against_shadow);
    return CHECK_DONE();
}
