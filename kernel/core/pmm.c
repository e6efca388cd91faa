/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical frame allocator: one bit per frame, next-fit search by 64-bit words. */
#include "pmm.h"

struct pmm kernel_pmm;

/* Set bits of a word: the kernel links no libgcc, and not every x86_64 has POPCNT. */
static size_t ones(uint64_t w)
{
    w -= (w >> 1) & 0x5555555555555555ull;
    w = (w & 0x3333333333333333ull) + ((w >> 2) & 0x3333333333333333ull);
    w = (w + (w >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (size_t)((w * 0x0101010101010101ull) >> 56);
}

static bool test_bit(const struct pmm *p, size_t f)
{
    return p->bitmap[f / 64] >> (f % 64) & 1;
}

static void set_bit(struct pmm *p, size_t f)
{
    p->bitmap[f / 64] |= 1ull << (f % 64);
}

static void clear_bit(struct pmm *p, size_t f)
{
    p->bitmap[f / 64] &= ~(1ull << (f % 64));
}

void pmm_init(struct pmm *p, uint64_t *bitmap, size_t nframes)
{
    size_t words = (nframes + 63) / 64;

    p->bitmap = bitmap;
    p->nframes = nframes;
    p->nfree = 0;
    p->hint = 0;
    for (size_t i = 0; i < words; i++)
        bitmap[i] = ~0ull;
}

void pmm_add_free(struct pmm *p, paddr_t base, uint64_t len)
{
    uint64_t end = (base + len < base ? UINT64_MAX : base + len) / PMM_FRAME_SIZE;
    uint64_t first = base / PMM_FRAME_SIZE + (base % PMM_FRAME_SIZE != 0); // no ALIGN_UP: it wraps

    if (first == 0)
        first = 1; // frame 0 means "none"
    if (end > p->nframes)
        end = p->nframes;
    for (uint64_t f = first; f < end;) {
        if (f % 64 == 0 && end - f >= 64) { // a whole word at once: RAM comes in GiBs now
            p->nfree += ones(p->bitmap[f / 64]);
            p->bitmap[f / 64] = 0;
            f += 64;
            continue;
        }
        if (test_bit(p, f)) {
            clear_bit(p, f);
            p->nfree++;
        }
        f++;
    }
}

void pmm_reserve(struct pmm *p, paddr_t base, uint64_t len)
{
    if (len == 0)
        return;
    uint64_t first = base / PMM_FRAME_SIZE;
    uint64_t last = (base + len - 1 < base ? UINT64_MAX : base + len - 1) / PMM_FRAME_SIZE;

    if (last >= p->nframes)
        last = p->nframes - 1;
    for (uint64_t f = first; f <= last && f < p->nframes;) {
        if (f % 64 == 0 && last - f >= 63) {
            p->nfree -= 64 - ones(p->bitmap[f / 64]);
            p->bitmap[f / 64] = ~0ull;
            f += 64;
            continue;
        }
        if (!test_bit(p, f)) {
            set_bit(p, f);
            p->nfree--;
        }
        f++;
    }
}

paddr_t pmm_alloc(struct pmm *p)
{
    size_t words = (p->nframes + 63) / 64;

    for (size_t n = 0; n < words; n++) {
        size_t w = (p->hint + n) % words;
        if (p->bitmap[w] == ~0ull)
            continue;
        size_t f = w * 64 + (size_t)__builtin_ctzll(~p->bitmap[w]);
        if (f >= p->nframes)
            continue; // padding bits past the end are never cleared, but be sure
        set_bit(p, f);
        p->nfree--;
        p->hint = w;
        return (paddr_t)f * PMM_FRAME_SIZE;
    }
    return 0;
}

/*
 * The first frame at or after f that is in use (used) or free (!used), looked for a word at
 * a time up to limit: one at or past limit means there is none before it. The bits past
 * nframes in the last word stay set (pmm_init sets them and nothing clears them), so a free
 * frame is never found there, and a used one at nframes at the latest.
 */
static size_t next_frame(const struct pmm *p, size_t f, size_t limit, bool used)
{
    for (; f < limit; f = f / 64 * 64 + 64) {
        uint64_t w = used ? p->bitmap[f / 64] : ~p->bitmap[f / 64];
        w &= ~0ull << (f % 64); // only bits at or above f
        if (w)
            return f / 64 * 64 + (size_t)__builtin_ctzll(w);
    }
    return f;
}

/* Mark frames [first, first + n) in use, whole words at once where they can be. */
static void set_range(struct pmm *p, size_t first, size_t n)
{
    for (size_t f = first; f < first + n;) {
        if (f % 64 == 0 && first + n - f >= 64) {
            p->bitmap[f / 64] = ~0ull;
            f += 64;
            continue;
        }
        set_bit(p, f++);
    }
}

/* First fit: the lowest run of n free frames, found run by run (a carve of a GiB at boot
 * and a container's pools both come from here: a bit at a time cost 2 % of the boot). */
paddr_t pmm_alloc_contig(struct pmm *p, size_t n)
{
    if (n == 0)
        return 0;
    for (size_t f = next_frame(p, 1, p->nframes, false); f < p->nframes;) {
        /* the run need not be followed to its end: n frames of it will do */
        size_t end = next_frame(p, f, n < p->nframes - f ? f + n : p->nframes, true);
        if (end - f >= n) {
            set_range(p, f, n);
            p->nfree -= n;
            return (paddr_t)f * PMM_FRAME_SIZE;
        }
        f = next_frame(p, end, p->nframes, false);
    }
    return 0;
}

bool pmm_free_contig(struct pmm *p, paddr_t pa, size_t n)
{
    size_t first = pa / PMM_FRAME_SIZE;

    if (!IS_ALIGNED(pa, PMM_FRAME_SIZE) || first == 0 || n == 0 || first >= p->nframes ||
        n > p->nframes - first)
        return false;
    for (size_t i = first; i < first + n; i++) {
        if (!test_bit(p, i))
            return false; // double free: refuse before changing anything
    }
    for (size_t i = first; i < first + n; i++)
        clear_bit(p, i);
    p->nfree += n;
    return true;
}

bool pmm_free(struct pmm *p, paddr_t pa)
{
    return pmm_free_contig(p, pa, 1);
}

size_t pmm_free_count(const struct pmm *p)
{
    return p->nfree;
}

bool pmm_is_free(const struct pmm *p, paddr_t pa)
{
    size_t f = pa / PMM_FRAME_SIZE;

    return f < p->nframes && !test_bit(p, f);
}
