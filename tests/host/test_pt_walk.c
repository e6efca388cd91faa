/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the generic page-table walks over a made-up entry encoding (tests/host/pt). */
// uses: -Itests/host/pt kernel/core/pt_walk.c kernel/core/pt_teardown.c kernel/core/kstack.c
#include "check.h"
#include "pmm.h"
#include "pt_walk.h"

#include <stdarg.h>
#include <string.h>

/* the walks assert; a broken assertion fails the run */
_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("FAIL host/pt_walk/panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(1);
}

struct fake_hooks fake;
paddr_t pte_kernel_top;
struct pmm kernel_pmm;

/*
 * Table frames come from an arena; a frame's "physical address" is what the kernel's
 * virt_to_phys makes of its host address, so that the walks' phys_to_virt finds it again.
 */
#define FRAMES 64
static uint64_t arena[FRAMES][PT_ENTRIES] __attribute__((aligned(PAGE_SIZE)));
static bool in_use[FRAMES];
static unsigned frames_used;

/* A space's page-table pool: at most limit frames. */
struct pool {
    unsigned limit, used;
};

static paddr_t frame_take(void)
{
    for (unsigned i = 0; i < FRAMES; i++) {
        if (!in_use[i]) {
            in_use[i] = true;
            frames_used++;
            memset(arena[i], 0, PAGE_SIZE);
            return virt_to_phys(arena[i]);
        }
    }
    return 0;
}

static unsigned frame_index(paddr_t pa)
{
    uint64_t *t = phys_to_virt(pa);

    return (unsigned)((t - &arena[0][0]) / PT_ENTRIES);
}

paddr_t pt_frame_alloc(void *owner)
{
    struct pool *p = owner;

    if (p->used == p->limit)
        return 0;
    paddr_t pa = frame_take();
    p->used += pa != 0;
    return pa;
}

void pt_frame_free(void *owner, paddr_t pa)
{
    struct pool *p = owner;
    unsigned i = frame_index(pa);

    CHECK(i < FRAMES && in_use[i]); // a table frame, freed once
    if (i < FRAMES && in_use[i]) {
        in_use[i] = false;
        memset(arena[i], 0xa5, PAGE_SIZE); // a walk through a freed table would see junk
        frames_used--;
        p->used--;
    }
}

static unsigned kernel_frames_left;

paddr_t pmm_alloc(struct pmm *p)
{
    CHECK(p == &kernel_pmm);
    if (!kernel_frames_left)
        return 0;
    kernel_frames_left--;
    paddr_t pa = frame_take();
    if (pa)
        memset(phys_to_virt(pa), 0xa5, PAGE_SIZE); // pmm_alloc does not zero: the walk must
    return pa;
}

/* The tables reachable from t (at level), t included: every one must be a frame in use. */
static unsigned tables_below(paddr_t t, int level)
{
    uint64_t *e = pt_table(t);
    unsigned n = 1, end = level == 4 ? PT_ROOT_USER : PT_ENTRIES;

    CHECK(in_use[frame_index(t)]);
    for (unsigned i = 0; level > 1 && i < end; i++) {
        if (pte_present(e[i]))
            n += tables_below(pte_addr(e[i]), level - 1);
    }
    return n;
}

#define TAG     0x0a00000000000000ull /* a root's tag (an ASID's place) */
#define VA(n)   (0x400000ull + (uint64_t)(n)*PAGE_SIZE)
#define FAR     0x00007f0000000000ull /* another level-4 entry */
#define FRAME_A 0x12345000ull
#define FRAME_B 0x22000000ull

static struct pool pool;

static paddr_t setup(unsigned limit)
{
    memset(&fake, 0, sizeof(fake));
    memset(in_use, 0, sizeof(in_use));
    frames_used = 0;
    pool = (struct pool){.limit = limit};
    fake.root_tag = TAG;
    return arch_pt_create(&pool);
}

static void map_then_lookup_and_entry(void)
{
    paddr_t root = setup(8), pa = 0;
    unsigned perms = 0;

    CHECK(root && (root & TAG) == TAG);
    CHECK_EQ(arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ | MAP_WRITE | MAP_MAPPER(0x7ff)),
             L4_OK);
    CHECK_EQ(pool.used, 4); // the root and three tables
    CHECK(fake.published >= 1);
    CHECK(arch_pt_lookup(root, VA(0), MAP_READ | MAP_WRITE, &pa));
    CHECK_EQ(pa, FRAME_A);
    CHECK(!arch_pt_lookup(root, VA(0), MAP_EXEC, NULL));
    CHECK(!arch_pt_lookup(root, VA(1), MAP_READ, NULL)); // same table, no entry
    CHECK(!arch_pt_lookup(root, FAR, MAP_READ, NULL));   // no table
    CHECK(!arch_pt_lookup(root, USER_TOP, MAP_READ, NULL));
    CHECK(arch_pt_entry(root, VA(0), &pa, &perms));
    CHECK_EQ(perms, MAP_READ | MAP_WRITE | MAP_MAPPER(0x7ff));
    CHECK(!arch_pt_entry(root, VA(1), &pa, &perms));
    CHECK(!arch_pt_entry(root, USER_TOP + VA(0), &pa, &perms));
    /* a second page of the same table costs no frame */
    CHECK_EQ(arch_pt_map(root, &pool, VA(1), FRAME_B, MAP_READ | MAP_EXEC | MAP_OWNED), L4_OK);
    CHECK_EQ(pool.used, 4);
    CHECK(arch_pt_entry(root, VA(1), &pa, &perms));
    CHECK_EQ(perms, MAP_READ | MAP_EXEC | MAP_OWNED);
    CHECK(arch_pt_lookup(root, VA(1), MAP_EXEC, NULL));
    CHECK(!arch_pt_lookup(root, VA(1), MAP_WRITE, NULL));
    arch_pt_destroy(root, &pool, NULL);
    CHECK_EQ(frames_used, 0);
}

static void map_refusals(void)
{
    paddr_t root = setup(8);

    CHECK_EQ(arch_pt_map(root, &pool, VA(0) + 1, FRAME_A, MAP_READ), L4_EINVAL);
    CHECK_EQ(arch_pt_map(root, &pool, VA(0), FRAME_A + 8, MAP_READ), L4_EINVAL);
    CHECK_EQ(arch_pt_map(root, &pool, USER_MAP_TOP, FRAME_A, MAP_READ), L4_EINVAL);
    CHECK_EQ(arch_pt_map(root, &pool, USER_TOP, FRAME_A, MAP_READ), L4_EINVAL);
    CHECK_EQ(pool.used, 1); // nothing was walked
    CHECK_EQ(arch_pt_map(root, &pool, USER_MAP_TOP - PAGE_SIZE, FRAME_A, MAP_READ), L4_OK);
    CHECK_EQ(arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ), L4_OK);
    CHECK_EQ(arch_pt_map(root, &pool, VA(0), FRAME_B, MAP_READ | MAP_WRITE), L4_EBUSY);
    paddr_t pa;
    CHECK(arch_pt_lookup(root, VA(0), MAP_READ, &pa) && pa == FRAME_A); // the first stays
    arch_pt_destroy(root, &pool, NULL);
    CHECK_EQ(frames_used, 0);
}

/* A device page is no RAM: lookup refuses it whatever it asks; entry tells it. */
static void device_pages(void)
{
    paddr_t root = setup(8), pa;
    unsigned perms;

    CHECK_EQ(arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ | MAP_WRITE | MAP_DEVICE), L4_OK);
    CHECK(!arch_pt_lookup(root, VA(0), MAP_READ, NULL));
    CHECK(arch_pt_entry(root, VA(0), &pa, &perms));
    CHECK_EQ(perms, MAP_READ | MAP_WRITE | MAP_DEVICE);
    arch_pt_destroy(root, &pool, NULL);
}

/* No memory for a table: the map fails, what was made stays in the tree and nothing leaks. */
static void no_memory_leaves_the_tree_whole(void)
{
    paddr_t root = setup(5);

    CHECK_EQ(arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ), L4_OK); // 4 frames
    CHECK_EQ(arch_pt_map(root, &pool, FAR, FRAME_B, MAP_READ), L4_ENOMEM);
    CHECK_EQ(pool.used, 5);                             // the one table it could make ...
    CHECK_EQ(tables_below(pte_root_table(root), 4), 5); // ... is linked in the tree
    CHECK(arch_pt_lookup(root, VA(0), MAP_READ, NULL)); // the old page is still there
    CHECK(!arch_pt_lookup(root, FAR, MAP_READ, NULL));
    pool.limit = 7;
    CHECK_EQ(arch_pt_map(root, &pool, FAR, FRAME_B, MAP_READ), L4_OK); // goes on from there
    CHECK_EQ(pool.used, 7);
    arch_pt_destroy(root, &pool, NULL);
    CHECK_EQ(frames_used, 0);
}

/* arch_pt_create: no frame, or the root refused (AArch64: no ASID), gives 0 and keeps nothing. */
static void create_refusals(void)
{
    CHECK_EQ(setup(0), 0);
    memset(&fake, 0, sizeof(fake));
    fake.refuse_root = true;
    pool = (struct pool){.limit = 4};
    CHECK_EQ(arch_pt_create(&pool), 0);
    CHECK_EQ(pool.used, 0);
    CHECK_EQ(frames_used, 0);
}

static void unmap_and_clear(void)
{
    paddr_t root = setup(8);
    bool owned = true;

    arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ);
    arch_pt_map(root, &pool, VA(1), FRAME_B, MAP_READ | MAP_WRITE | MAP_OWNED);
    CHECK_EQ(arch_pt_unmap(root, VA(2), &owned), 0); // nothing there: no flush
    CHECK(!owned);
    CHECK_EQ(arch_pt_unmap(root, FAR, &owned), 0); // no table there
    CHECK_EQ(fake.flushes, 0);
    CHECK_EQ(arch_pt_unmap(root, VA(1), &owned), FRAME_B);
    CHECK(owned);
    CHECK_EQ(fake.flushes, 1);
    CHECK_EQ(fake.last_root, root); // the root with its tag: an ASID's flush needs it
    CHECK_EQ(fake.last_va, VA(1));
    CHECK(!arch_pt_lookup(root, VA(1), MAP_READ, NULL));
    CHECK_EQ(arch_pt_unmap(root, VA(0), &owned), FRAME_A);
    CHECK(!owned);
    arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ);
    arch_pt_clear(root, VA(0));
    CHECK_EQ(fake.flushes, 3);
    CHECK(!arch_pt_lookup(root, VA(0), MAP_READ, NULL));
    arch_pt_clear(root, VA(0)); // twice: nothing to flush
    CHECK_EQ(fake.flushes, 3);
    CHECK_EQ(pool.used, 4); // unmapping frees no table
    arch_pt_destroy(root, &pool, NULL);
}

/* The range view walks once a table; protect changes rights and mapper, keeps the frame. */
static void near_entry_and_protect(void)
{
    paddr_t root = setup(12), pa;
    unsigned perms;
    struct pt_near n;

    vaddr_t other = VA(0) + PT_TABLE_SPAN; // the next level-1 table
    arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ | MAP_WRITE | MAP_EXEC | MAP_MAPPER(3));
    arch_pt_map(root, &pool, other, FRAME_B, MAP_READ);
    arch_pt_near_init(&n, root);
    CHECK(arch_pt_entry_near(&n, VA(0), &pa, &perms));
    CHECK_EQ(pa, FRAME_A);
    CHECK_EQ(perms, MAP_READ | MAP_WRITE | MAP_EXEC | MAP_MAPPER(3));
    CHECK(!arch_pt_entry_near(&n, VA(5), &pa, &perms));
    CHECK(arch_pt_entry_near(&n, other, &pa, &perms));
    CHECK_EQ(pa, FRAME_B);
    CHECK(!arch_pt_entry_near(&n, FAR, &pa, &perms));
    CHECK(!arch_pt_entry_near(&n, USER_TOP, &pa, &perms));
    arch_pt_protect_near(&n, VA(0), MAP_READ | MAP_MAPPER(9));
    CHECK_EQ(fake.flushes, 1);
    CHECK_EQ(fake.last_va, VA(0));
    CHECK(arch_pt_entry(root, VA(0), &pa, &perms));
    CHECK_EQ(pa, FRAME_A);
    CHECK_EQ(perms, MAP_READ | MAP_MAPPER(9));
    CHECK(!arch_pt_lookup(root, VA(0), MAP_WRITE, NULL));
    arch_pt_protect_near(&n, VA(0), MAP_READ | MAP_WRITE);
    CHECK(arch_pt_lookup(root, VA(0), MAP_WRITE, NULL));
    arch_pt_destroy(root, &pool, NULL);
}

static paddr_t given_back[16];
static unsigned n_given;

static void take_leaf(void *owner, paddr_t pa)
{
    CHECK(owner == &pool);
    if (n_given < 16)
        given_back[n_given] = pa;
    n_given++;
}

/* Owned frames go to leaf() once each, foreign ones never; every table goes. */
static void destroy_hands_back_owned_frames(void)
{
    paddr_t root = setup(16);

    n_given = 0;
    arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ | MAP_OWNED);
    arch_pt_map(root, &pool, VA(1), FRAME_B, MAP_READ); // foreign: stays its owner's
    arch_pt_map(root, &pool, FAR, FRAME_B + PAGE_SIZE, MAP_READ | MAP_OWNED);
    CHECK_EQ(pool.used, 7);
    arch_pt_destroy(root, &pool, take_leaf);
    CHECK_EQ(n_given, 2);
    CHECK(given_back[0] == FRAME_A || given_back[1] == FRAME_A);
    CHECK(given_back[0] == FRAME_B + PAGE_SIZE || given_back[1] == FRAME_B + PAGE_SIZE);
    CHECK_EQ(pool.used, 0);
    CHECK_EQ(fake.leaves, 1);
    CHECK_EQ(fake.frees, 1);
}

/* In steps of one table: the tree stays whole between them, a step frees no more than its
 * budget (a table whose tables went in this step goes in the next), the last frees the root. */
static void destroy_some_in_steps(void)
{
    paddr_t root = setup(16);
    unsigned calls = 0;

    n_given = 0;
    arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ | MAP_OWNED);
    arch_pt_map(root, &pool, VA(0) + PT_TABLE_SPAN, FRAME_B, MAP_READ | MAP_OWNED);
    arch_pt_map(root, &pool, FAR, FRAME_B + PAGE_SIZE, MAP_READ);
    CHECK_EQ(pool.used, 8);
    unsigned before = pool.used;
    while (arch_pt_destroy_some(root, &pool, take_leaf, 1)) {
        calls++;
        CHECK_EQ(pool.used, before - 1); // one table a call: the budget bounds a step
        before = pool.used;
        CHECK_EQ(tables_below(pte_root_table(root), 4), pool.used);
        CHECK_EQ(fake.frees, 0);
        if (calls > 20)
            break;
    }
    CHECK_EQ(calls, 6); // seven tables, one a call: the last call frees the root with the 7th
    CHECK_EQ(n_given, 2);
    CHECK_EQ(pool.used, 0);
    CHECK_EQ(fake.frees, 1);
    CHECK_EQ(fake.leaves, 7); // every step leaves the root first
    /* a budget large enough does it all at once */
    root = setup(16);
    arch_pt_map(root, &pool, VA(0), FRAME_A, MAP_READ);
    CHECK(!arch_pt_destroy_some(root, &pool, NULL, 100));
    CHECK_EQ(frames_used, 0);
}

/* Which mappings the sweep keeps: its keep() decides for foreign frames in the range only. */
static unsigned keep_asked;

static bool keep_mapper_5(unsigned mapper, paddr_t pa, unsigned perms)
{
    keep_asked++;
    CHECK(perms & MAP_READ);
    (void)pa;
    return mapper == 5;
}

#define BASE 0x40000000ull /* the range: 16 frames */
#define SIZE (16ull * PAGE_SIZE)

static paddr_t sweep_setup(void)
{
    paddr_t root = setup(16);

    keep_asked = 0;
    arch_pt_map(root, &pool, VA(0), BASE, MAP_READ | MAP_MAPPER(5));             // kept
    arch_pt_map(root, &pool, VA(1), BASE + PAGE_SIZE, MAP_READ | MAP_MAPPER(6)); // goes
    arch_pt_map(root, &pool, VA(2), BASE + SIZE, MAP_READ | MAP_MAPPER(6));      // out of range
    arch_pt_map(root, &pool, VA(3), BASE, MAP_READ | MAP_OWNED);                 // owned
    arch_pt_map(root, &pool, FAR, BASE + 2 * PAGE_SIZE, MAP_READ | MAP_WRITE | MAP_MAPPER(7));
    return root;
}

static void sweep_result(paddr_t root)
{
    CHECK(arch_pt_lookup(root, VA(0), MAP_READ, NULL));
    CHECK(!arch_pt_lookup(root, VA(1), MAP_READ, NULL));
    CHECK(arch_pt_lookup(root, VA(2), MAP_READ, NULL));
    CHECK(arch_pt_lookup(root, VA(3), MAP_READ, NULL));
    CHECK(!arch_pt_lookup(root, FAR, MAP_READ, NULL));
    CHECK_EQ(keep_asked, 3);
    CHECK_EQ(fake.flushes, 2);
}

static void unmap_foreign_at_once(void)
{
    paddr_t root = sweep_setup();

    arch_pt_unmap_foreign(root, BASE, SIZE, keep_mapper_5);
    sweep_result(root);
    CHECK_EQ(fake.last_root, root);
    arch_pt_destroy(root, &pool, NULL);
}

/*
 * A step's budget must pay for one way down (three tables at 201 units each, and a leaf), or
 * it makes no progress: UNMAP_BATCH (unmap_debt.h) is 1536. STEP is just enough.
 */
#define STEP 610

/* In steps of a small budget: the same result, each step stopping where the next goes on. */
static void unmap_foreign_in_steps(void)
{
    paddr_t root = sweep_setup();
    vaddr_t at = 0, last = 0;
    unsigned steps = 0;
    bool done = false;

    while (!done && steps < 100) {
        long budget = STEP;
        done = arch_pt_unmap_foreign_step(root, BASE, SIZE, keep_mapper_5, &at, &budget);
        CHECK(done || budget <= 0); // a step stops only when its budget is spent
        CHECK(at >= last);          // and never goes back
        last = at;
        steps++;
    }
    CHECK(done);
    CHECK(steps >= 3);
    sweep_result(root);
    /* a whole walk with a budget to spare ends in one step, with the rest left */
    arch_pt_map(root, &pool, VA(1), BASE + PAGE_SIZE, MAP_READ | MAP_MAPPER(6));
    long budget = 100000;
    at = 0;
    CHECK(arch_pt_unmap_foreign_step(root, BASE, SIZE, keep_mapper_5, &at, &budget));
    CHECK(budget > 0 && budget < 100000);
    CHECK(!arch_pt_lookup(root, VA(1), MAP_READ, NULL));
    arch_pt_destroy(root, &pool, NULL);
}

/* A mapping made below where a step stopped is not looked at again: it stands on the
 * capabilities of its time. One above it is. */
static void unmap_foreign_step_resumes_past_new_mappings(void)
{
    paddr_t root = sweep_setup();
    vaddr_t at = 0;
    long budget = 0;

    /* spend the budget inside VA(0)'s table: stop there, then map one below and one above */
    for (int i = 0; i < 100 && at < VA(2); i++) {
        budget = STEP;
        if (arch_pt_unmap_foreign_step(root, BASE, SIZE, keep_mapper_5, &at, &budget))
            break;
    }
    CHECK(at >= VA(2) && at < FAR);
    arch_pt_map(root, &pool, VA(1), BASE + PAGE_SIZE, MAP_READ | MAP_MAPPER(6)); // behind
    arch_pt_map(root, &pool, VA(4), BASE + PAGE_SIZE, MAP_READ | MAP_MAPPER(6)); // ahead
    for (int i = 0; i < 100; i++) {
        budget = STEP;
        if (arch_pt_unmap_foreign_step(root, BASE, SIZE, keep_mapper_5, &at, &budget))
            break;
    }
    CHECK(arch_pt_lookup(root, VA(1), MAP_READ, NULL));
    CHECK(!arch_pt_lookup(root, VA(4), MAP_READ, NULL));
    CHECK(!arch_pt_lookup(root, FAR, MAP_READ, NULL));
    arch_pt_destroy(root, &pool, NULL);
}

/* Kernel stacks: every table made at reserve, a guard page below each stack, nothing left
 * mapped after unmap; no memory at reserve gives 0. */
static void kernel_stacks(void)
{
    setup(0);
    kernel_frames_left = 1;
    pte_kernel_top = frame_take();        // the kernel's tree: its root
    CHECK_EQ(arch_kstacks_reserve(2), 0); // three tables needed, none to be had
    kernel_frames_left = 8;
    vaddr_t area = arch_kstacks_reserve(2);
    CHECK(area != 0);
    unsigned made = frames_used;
    uint8_t *s1 = arch_kstack_map(area, 1, FRAME_A);
    CHECK_EQ(frames_used, made); // mapping allocates nothing
    CHECK_EQ((vaddr_t)s1, area + 2 * PAGE_SIZE + KSTACK_SIZE);
    for (uint64_t off = 0; off < KSTACK_SIZE; off += PAGE_SIZE) {
        uint64_t *e = pt_kernel_entry((vaddr_t)s1 + off, false);
        CHECK(e && *e == pte_kernel_page(FRAME_A + off));
    }
    uint64_t *guard = pt_kernel_entry((vaddr_t)s1 - PAGE_SIZE, false);
    CHECK(guard && !*guard);
    CHECK(!pt_kernel_entry(FAR, false)); // no table there, and none made
    CHECK_EQ(frames_used, made);
    arch_kstack_unmap(s1);
    CHECK_EQ(fake.kernel_flushes, KSTACK_SIZE / PAGE_SIZE);
    CHECK(!*pt_kernel_entry((vaddr_t)s1, false));
    /* the next area starts where this one ends */
    CHECK_EQ(arch_kstacks_reserve(1), area + 2 * (PAGE_SIZE + KSTACK_SIZE));
}

int main(void)
{
    RUN("pt_walk", map_then_lookup_and_entry);
    RUN("pt_walk", map_refusals);
    RUN("pt_walk", device_pages);
    RUN("pt_walk", no_memory_leaves_the_tree_whole);
    RUN("pt_walk", create_refusals);
    RUN("pt_walk", unmap_and_clear);
    RUN("pt_walk", near_entry_and_protect);
    RUN("pt_walk", destroy_hands_back_owned_frames);
    RUN("pt_walk", destroy_some_in_steps);
    RUN("pt_walk", unmap_foreign_at_once);
    RUN("pt_walk", unmap_foreign_in_steps);
    RUN("pt_walk", unmap_foreign_step_resumes_past_new_mappings);
    RUN("pt_walk", kernel_stacks);
    return CHECK_DONE();
}
