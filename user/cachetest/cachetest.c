/* SPDX-License-Identifier: BSD-2-Clause */
/* cache_control: CACHE-xxx, code written and run after L4_CACHE_SYNC_INSN, the count of pages
 * maintained, and one test per documented error. */
#include "test.h"

#include <coffer/cap.h>
#include <coffer/mem.h>

#define MEM   L4_SLOT_MEMORY
#define SPACE L4_SLOT_SPACE
#define WEAK  20 /* our space, without L4_SPACE_MAP */
#define VA    0x20000000ull

/* A function returning 42, in the machine code of this architecture */
#ifdef __aarch64__
static const uint32_t code[] = {0x52800540, 0xd65f03c0}; // mov w0, #42; ret
#else
static const unsigned char code[] = {0xb8, 0x2a, 0x00, 0x00, 0x00, 0xc3}; // mov $42, %eax; ret
#endif

/* Write the code into a page, make it executable, sync, run it. */
static void sync_and_run(void)
{
    l4_word_t done = 0;

    l4_mem_map(MEM, 0, SPACE, VA, L4_MAP_READ | L4_MAP_WRITE);
    memcpy((void *)VA, code, sizeof code);
    l4_err_t err = l4_mem_protect(MEM, SPACE, VA, 1, L4_MAP_READ | L4_MAP_EXEC, &done);
    if (!err)
        err = l4_cache_control(SPACE, VA, 1, L4_CACHE_SYNC_INSN, &done);
    test_report("CACHE-001", !err && done == 1, "sync of one written page: %s, %lu done",
                l4_strerror(err), done);
    int (*fn)(void) = (int (*)(void))VA;
    int r = err ? 0 : fn();
    test_report("CACHE-002", r == 42, "the code written and synced returned %d", r);
    l4_mem_unmap(SPACE, VA);
}

/* Only mapped pages count: 3 of a 5-page range, for clean and flush alike. */
static void counts(void)
{
    l4_word_t clean = 0, flush = 0;

    l4_mem_map(MEM, 0, SPACE, VA, L4_MAP_READ | L4_MAP_WRITE);
    l4_mem_map(MEM, 4096, SPACE, VA + 2 * 4096, L4_MAP_READ | L4_MAP_WRITE);
    l4_mem_map(MEM, 8192, SPACE, VA + 4 * 4096, L4_MAP_READ);
    *(volatile l4_word_t *)VA = 7;
    l4_err_t e1 = l4_cache_control(SPACE, VA, 5, L4_CACHE_CLEAN, &clean);
    l4_err_t e2 = l4_cache_control(SPACE, VA, 5, L4_CACHE_FLUSH, &flush);
    test_report("CACHE-003", !e1 && !e2 && clean == 3 && flush == 3,
                "clean %s %lu, flush %s %lu (3 of 5 pages mapped)", l4_strerror(e1), clean,
                l4_strerror(e2), flush);
    test_report("CACHE-004", *(volatile l4_word_t *)VA == 7, "a flush lost a write");
    l4_word_t none = 9;
    l4_err_t e3 = l4_cache_control(SPACE, VA + 16 * 4096, 4, L4_CACHE_FLUSH, &none);
    test_report("CACHE-005", !e3 && none == 0, "a range with nothing mapped: %s, %lu done",
                l4_strerror(e3), none);
    for (unsigned i = 0; i < 5; i += 2)
        l4_mem_unmap(SPACE, VA + i * 4096);
}

static void errors(void)
{
    l4_word_t d;
    struct l4_cap_info i = {0};

    EXPECT_ERR("CACHE-006", l4_cache_control(MEM, VA, 1, L4_CACHE_CLEAN, &d), L4_ECAP);
    l4_cap_read(SPACE, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth);
    l4_cap_replicate(SPACE, WEAK);
    l4_cap_deduce(WEAK, i.rights & ~(l4_word_t)L4_SPACE_MAP, i.a, i.b);
    EXPECT_ERR("CACHE-007", l4_cache_control(WEAK, VA, 1, L4_CACHE_CLEAN, &d), L4_ERIGHTS);
    EXPECT_ERR("CACHE-008", l4_cache_control(SPACE, VA, 1, 0, &d), L4_EINVAL);
    EXPECT_ERR("CACHE-009", l4_cache_control(SPACE, VA, 1, 4, &d), L4_EINVAL);
    EXPECT_ERR("CACHE-010", l4_cache_control(SPACE, VA + 8, 1, L4_CACHE_CLEAN, &d), L4_EINVAL);
    EXPECT_ERR("CACHE-011", l4_cache_control(SPACE, VA, 0, L4_CACHE_CLEAN, &d), L4_EINVAL);
    EXPECT_ERR("CACHE-012", l4_cache_control(SPACE, 0, 1, L4_CACHE_CLEAN, &d), L4_ERANGE);
    EXPECT_ERR("CACHE-013", l4_cache_control(SPACE, VA, L4_MEM_RANGE_MAX + 1, L4_CACHE_CLEAN, &d),
               L4_ERANGE);
    EXPECT_ERR("CACHE-014", l4_cache_control(SPACE, -4096ull, 1, L4_CACHE_CLEAN, &d), L4_ERANGE);
}

int main(const char *arg)
{
    (void)arg;
    sync_and_run();
    counts();
    errors();
    printf("cachetest: done\n");
    return 0;
}
