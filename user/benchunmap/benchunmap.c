/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench's unmap rows (systems/benchunmap.toml): what the kernel's large unmaps cost, and
 * how long an interrupt waits for a high-priority thread while another container runs them. */
/*
 * The unmapper (this program; the latency thread is benchrevoke's "lat", which owns the PIT
 * and measures how late its interrupt wakes it between our start and stop signals):
 *   - maps PAGES pages of a part of its region (split off its memory capability) and narrows
 *     the part to read-only (cap_deduce): every one of its writable mappings loses the right
 *     it stands on and goes, in every space, in that one call;
 *   - maps PAGES pages into a space of its own and destroys the space;
 *   - changes RANGE pages' permissions with one mem_protect, and shares them with mem_share.
 * It prints each one's path length (lat parked: nothing else runs meanwhile), then does them
 * again ROUNDS times while lat measures.
 */
#pragma GCC target("general-regs-only")
#include "bench_time.h"
#include "l4.h"

#include <coffer/mem.h>

#define MEM       L4_SLOT_MEMORY /* our region: the part comes from it */
#define SPACE     L4_SLOT_SPACE
#define LAT_START 17          /* lat's notification, signal, badge 2: lat starts measuring */
#define LAT_STOP  18          /* the same, badge 4: lat stops and prints its row */
#define PART      20          /* the part of our region we map and narrow */
#define SPARE     21          /* a space of our own, made and destroyed */
#define KEEP      0x100000ull /* what our memory capability keeps: the part starts there */
#define PAGES     4096        /* pages of the part: systems/benchunmap.toml's region less KEEP */
#define RANGE     L4_MEM_RANGE_MAX
#define VA        0x40000000ull
#define VA2       0x80000000ull
#define RW        (L4_MAP_READ | L4_MAP_WRITE)
#define RUNS      3
#define ROUNDS    4

static void check(l4_err_t err, const char *what, l4_word_t i)
{
    if (err) {
        printf("benchunmap: %s %lu: %s\n", what, i, l4_strerror(err));
        l4_exit(1);
    }
}

static void map_part(l4_cap_t space, l4_word_t va)
{
    for (l4_word_t i = 0; i < PAGES; i++)
        check(l4_mem_map(PART, i * 4096, space, va + i * 4096, RW), "mem_map", i);
}

/* Split the part off, map it all writable, narrow it to read-only: the timed call. */
static l4_word_t narrow(void)
{
    l4_word_t type, rights, a, b, obj, depth;

    check(l4_cap_split(MEM, PART, KEEP), "cap_split", 0);
    check(l4_cap_read(PART, &type, &rights, &a, &b, &obj, &depth), "cap_read", 0);
    check(b == PAGES * 4096 ? L4_OK : L4_ERANGE, "part size", b);
    map_part(SPACE, VA);
    l4_word_t t0 = tsc();
    check(l4_cap_deduce(PART, L4_RIGHTS_CAP | L4_MEM_READ, a, b), "cap_deduce", 0);
    l4_word_t t = tsc() - t0;
    /* every writable mapping went (and nothing is left to map read-only: none was) */
    check(l4_mem_unmap(SPACE, VA) == L4_ESTATE ? L4_OK : L4_EINVAL, "still mapped", VA);
    check(l4_mem_unmap(SPACE, VA + (PAGES - 1) * 4096) == L4_ESTATE ? L4_OK : L4_EINVAL,
          "still mapped", PAGES - 1);
    check(l4_cap_destroy(PART), "cap_destroy", 0);
    return t;
}

/* A space of our own with the part mapped in it, destroyed: the timed call. */
static l4_word_t destroy_space(void)
{
    l4_word_t id;

    check(l4_cap_split(MEM, PART, KEEP), "cap_split", 1);
    check(
        l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), SPARE, &id),
        "space_create", 0);
    map_part(SPARE, VA2);
    l4_word_t t0 = tsc();
    check(l4_cap_destroy(SPARE), "cap_destroy", 1);
    l4_word_t t = tsc() - t0;
    check(l4_cap_destroy(PART), "cap_destroy", 2);
    return t;
}

/* mem_protect then mem_share of RANGE mapped pages: the time of both together. */
static l4_word_t range_calls(void)
{
    l4_word_t id, n, t0, t;

    check(l4_cap_split(MEM, PART, KEEP), "cap_split", 2);
    check(
        l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), SPARE, &id),
        "space_create", 1);
    for (l4_word_t i = 0; i < RANGE; i++)
        check(l4_mem_map(PART, i * 4096, SPACE, VA + i * 4096, RW), "mem_map", i);
    t0 = tsc();
    check(l4_mem_protect(PART, SPACE, VA, RANGE, L4_MAP_READ, &n), "mem_protect", 0);
    check(l4_mem_share(PART, SPACE, SPARE, VA, RANGE, L4_MAP_READ, &n), "mem_share", 0);
    t = tsc() - t0;
    check(l4_cap_destroy(SPARE), "cap_destroy", 3);
    for (l4_word_t i = 0; i < RANGE; i++)
        check(l4_mem_unmap(SPACE, VA + i * 4096), "mem_unmap", i);
    check(l4_cap_destroy(PART), "cap_destroy", 4);
    return t;
}

static void row(const char *what, l4_word_t (*timed)(void))
{
    l4_word_t v[RUNS];

    for (unsigned i = 0; i < RUNS; i++)
        v[i] = timed();
    bench_line(what, v, RUNS, 0);
}

int main(const char *arg)
{
    (void)arg;
    row("unmap of 4,096 pages (cap_deduce)", narrow);
    row("destroy of a space with 4,096 pages", destroy_space);
    row("mem_protect + mem_share of 512 pages", range_calls);
    check(l4_notify_signal(LAT_START), "signal", 2);
    for (unsigned i = 0; i < ROUNDS; i++) {
        narrow();
        destroy_space();
        range_calls();
    }
    check(l4_notify_signal(LAT_STOP), "signal", 4);
    return 0;
}
