/* SPDX-License-Identifier: BSD-2-Clause */
/* COW-1xx: every error of mem_protect and mem_share, the TLB, and what a caller may not reach. */
#include "cow.h"

#include <coffer/layout.h>

/* Slots of these tests */
#define S1     40 /* a spare space: the source */
#define S2     41 /* another: the destination */
#define SMALL  42 /* a space whose page-table pool part has 4 units */
#define PTPART 43
#define WEAK   44
#define PART   45 /* the last pages of MEM, split off and granted away at the end */
#define OSPACE 46 /* the space of the container other, which it grants us */
#define HELPER 47
#define HEP    48
#define RO     L4_MAP_READ
#define RW     (L4_MAP_READ | L4_MAP_WRITE)
#define VA     0x50000000ull
#define VA_W   0x51000000ull
#define EDGE   0x40200000ull /* a 2 MiB boundary */
#define OVA    0x20000000ull /* where other maps its page */
#define TOP    L4_USER_TOP   /* the top of user space */
#define P(n)   ((n)*PAGE)

static l4_word_t tail; /* the offset of the 16 frames of MEM the pager leaves to these tests */

static void weaker(l4_cap_t src, l4_cap_t dest, l4_word_t rights, l4_word_t a, l4_word_t b)
{
    struct cap_info i = cap_info(src);

    l4_cap_replicate(src, dest);
    l4_cap_deduce(dest, rights, b ? a : i.a, b ? b : i.b);
}

static l4_word_t other_call(l4_word_t label, l4_word_t word)
{
    l4_word_t x, answer = 0;

    l4_ipc_call(OTHER_EP, L4_TAG(label, 1, 0), word, 0, 0, 0, &x, &answer, &x, &x, &x, &x);
    return answer;
}

static void protect_errors(void)
{
    l4_word_t n = 0;

    EXPECT_ERR("COW-101", l4_mem_protect(L4_SLOT_SPACE, S1, VA, 1, RO, &n), L4_ECAP);
    EXPECT_ERR("COW-102", l4_mem_protect(MEM, MEM, VA, 1, RO, &n), L4_ECAP);
    weaker(MEM, WEAK, L4_RIGHTS_CAP | L4_MEM_READ, 0, 0);
    EXPECT_ERR("COW-103", l4_mem_protect(WEAK, S1, VA, 1, RW, &n), L4_ERIGHTS);
    /* a read-only capability over the frame may still take writing away */
    EXPECT_ERR("COW-104", l4_mem_protect(WEAK, S1, VA, 1, RO, &n), L4_OK);
    l4_cap_destroy(WEAK);
    weaker(MEM, WEAK, L4_RIGHTS_CAP | L4_MEM_READ | L4_MEM_WRITE, 0, 0);
    EXPECT_ERR("COW-105", l4_mem_protect(WEAK, S1, VA, 1, RO | L4_MAP_EXEC, &n), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    weaker(S1, WEAK, L4_RIGHTS_CAP | L4_SPACE_BIND, 0, 0);
    EXPECT_ERR("COW-106", l4_mem_protect(MEM, WEAK, VA, 1, RO, &n), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("COW-107", l4_mem_protect(MEM, S1, VA, 1, L4_MAP_WRITE, &n), L4_EINVAL);
    EXPECT_ERR("COW-108", l4_mem_protect(MEM, S1, VA, 1, RO | 8, &n), L4_EINVAL);
    EXPECT_ERR("COW-109", l4_mem_protect(MEM, S1, VA + 8, 1, RO, &n), L4_EINVAL);
    EXPECT_ERR("COW-110", l4_mem_protect(MEM, S1, VA, 0, RO, &n), L4_EINVAL);
    EXPECT_ERR("COW-111", l4_mem_protect(MEM, S1, 0, 1, RO, &n), L4_ERANGE);
    EXPECT_ERR("COW-112", l4_mem_protect(MEM, S1, TOP, 1, RO, &n), L4_ERANGE);
    EXPECT_ERR("COW-113", l4_mem_protect(MEM, S1, VA, L4_MEM_RANGE_MAX + 1, RO, &n), L4_ERANGE);
    /* a range that reaches the last page, which is never mapped (docs/user-library.md) */
    EXPECT_ERR("COW-114", l4_mem_protect(MEM, S1, TOP - 2 * PAGE, 2, RO, &n), L4_ERANGE);
    EXPECT_ERR("COW-115", l4_mem_protect(MEM, S1, VA + P(16), 4, RO, &n), L4_ESTATE);
    /* our own program is the kernel's frames, not MEM's: it cannot be made writable */
    EXPECT_ERR("COW-116", l4_mem_protect(MEM, L4_SLOT_SPACE, 0x400000, 8, RW | L4_MAP_EXEC, &n),
               L4_ESTATE);
    /* a capability over other frames (MEM's first page only) changes nothing of these */
    weaker(MEM, WEAK, L4_MEM_RIGHTS_ALL, cap_info(MEM).a, PAGE);
    EXPECT_ERR("COW-117", l4_mem_protect(WEAK, S1, VA, 4, RW, &n), L4_ESTATE);
    l4_cap_destroy(WEAK);
    /* holes are skipped: two of four pages are mapped */
    n = 0;
    l4_err_t err = l4_mem_protect(MEM, S1, VA, 4, RW, &n);
    test_report("COW-118", err == L4_OK && n == 2, "%s, %lu pages changed", l4_strerror(err), n);
}

static long helper_write(l4_word_t va)
{
    l4_word_t x;

    *(volatile l4_word_t *)va = 0x600d;
    l4_ipc_call(HEP, L4_TAG(7, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x); // no fault came
    return 0;
}

/*
 * The TLB forgets: a page of our own space, just written (its writable translation cached),
 * made read-only; another thread of the same space (no CR3 write between us) writes it
 * and must fault; made writable again, its write goes through.
 */
static void tlb(void)
{
    l4_word_t f = cow_frame(), n = 0, id, tag = 0, vec = 0, addr = 0, ip, code = 0, badge;
    volatile l4_word_t *p = cow_window(f);

    *p = 1;
    l4_err_t err = l4_mem_protect(MEM, L4_SLOT_SPACE, (l4_word_t)p, 1, RO, &n);
    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), HEP, &id);
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, helper_write, (l4_word_t)p, 90,
                      HELPER);
    l4_thread_configure(HELPER, L4_THREAD_FAULT_EP, HEP);
    l4_thread_start(HELPER);
    l4_ipc_recv(HEP, 0, &tag, &vec, &addr, &ip, &code, &badge);
    test_report("COW-119",
                err == L4_OK && n == 1 && L4_TAG_LABEL(tag) == L4_LABEL_FAULT &&
                    vec == L4_FAULT_PAGE && addr == (l4_word_t)p &&
                    (code & (L4_PF_PRESENT | L4_PF_WRITE | L4_PF_FETCH)) ==
                        (L4_PF_PRESENT | L4_PF_WRITE),
                "protect %s; then label %lx vector %lu address %lx error %lx", l4_strerror(err),
                L4_TAG_LABEL(tag), vec, addr, code);
    err = l4_mem_protect(MEM, L4_SLOT_SPACE, (l4_word_t)p, 1, RW, &n);
    if (L4_TAG_LABEL(tag) == L4_LABEL_FAULT)
        l4_ipc_reply_recv(HEP, L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0, &tag, &vec, &addr, &ip,
                          &code, &badge);
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    test_report("COW-120", err == L4_OK && *p == 0x600d, "%s, the page holds %lx", l4_strerror(err),
                *p);
    l4_thread_destroy(HELPER);
}

static void share_errors(void)
{
    l4_word_t n = 0, id;

    EXPECT_ERR("COW-121", l4_mem_share(S1, S1, S2, VA, 1, RO, &n), L4_ECAP);
    EXPECT_ERR("COW-122", l4_mem_share(MEM, MEM, S2, VA, 1, RO, &n), L4_ECAP);
    EXPECT_ERR("COW-123", l4_mem_share(MEM, S1, MEM, VA, 1, RO, &n), L4_ECAP);
    weaker(MEM, WEAK, L4_RIGHTS_CAP | L4_MEM_READ, 0, 0);
    EXPECT_ERR("COW-124", l4_mem_share(WEAK, S1, S2, VA, 1, RW, &n), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    weaker(S1, WEAK, L4_RIGHTS_CAP | L4_SPACE_BIND, 0, 0);
    EXPECT_ERR("COW-125", l4_mem_share(MEM, WEAK, S2, VA, 1, RO, &n), L4_ERIGHTS);
    EXPECT_ERR("COW-126", l4_mem_share(MEM, S1, WEAK, VA, 1, RO, &n), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("COW-127", l4_mem_share(MEM, S1, S2, VA, 1, RO | 16, &n), L4_EINVAL);
    EXPECT_ERR("COW-128", l4_mem_share(MEM, S1, S2, VA + 1, 1, RO, &n), L4_EINVAL);
    EXPECT_ERR("COW-129", l4_mem_share(MEM, S1, S2, VA, 0, RO, &n), L4_EINVAL);
    EXPECT_ERR("COW-130", l4_mem_share(MEM, S1, S2, VA, L4_MEM_RANGE_MAX + 1, RO, &n), L4_ERANGE);
    EXPECT_ERR("COW-131", l4_mem_share(MEM, S1, S2, PAGE - PAGE, 1, RO, &n), L4_ERANGE);
    EXPECT_ERR("COW-132", l4_mem_share(MEM, S1, S2, VA + P(16), 8, RO, &n), L4_ESTATE);
    /* our program's own frames are not MEM's to share */
    EXPECT_ERR("COW-133", l4_mem_share(MEM, L4_SLOT_SPACE, S2, 0x400000, 8, RO, &n), L4_ESTATE);
    /* S2 has VA + 2 pages mapped: nothing is shared, VA neither */
    l4_mem_map(MEM, tail + P(2), S2, VA + P(2), RO);
    l4_err_t busy = l4_mem_share(MEM, S1, S2, VA, 4, RO, &n);
    test_report("COW-134", busy == L4_EBUSY && l4_mem_unmap(S2, VA) == L4_ESTATE, "share said %s",
                l4_strerror(busy));
    /* a page-table pool with 4 units: the root, and the tables for the pages below EDGE;
     * those above need one more: none is mapped after the call */
    for (l4_word_t i = 0; i < 4; i++)
        l4_mem_map(MEM, tail + P(4 + i), S1, EDGE - P(2) + P(i), RO);
    l4_cap_split(L4_SLOT_POOL(L4_POOL_PAGETABLES), PTPART, 4);
    l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), PTPART, SMALL, &id);
    l4_err_t full = l4_mem_share(MEM, S1, SMALL, EDGE - P(2), 4, RO, &n);
    test_report("COW-135", full == L4_ENOMEM && l4_mem_unmap(SMALL, EDGE - P(2)) == L4_ESTATE,
                "share said %s", l4_strerror(full));
    l4_cap_destroy(SMALL);
    /* shared into our own space: we read what S1's frame holds */
    l4_mem_map(MEM, tail, L4_SLOT_SPACE, VA_W, RW);
    *(volatile l4_word_t *)VA_W = 0xfeed;
    n = 0;
    l4_err_t err = l4_mem_share(MEM, S1, L4_SLOT_SPACE, VA, 4, RO, &n);
    test_report("COW-136", err == L4_OK && n == 2 && *(volatile l4_word_t *)VA == 0xfeed,
                "%s, %lu shared", l4_strerror(err), n);
}

/* The container other granted us its space, where it mapped a page of its own region. */
static void hostile(void)
{
    l4_word_t n = 0;
    l4_err_t p = l4_mem_protect(MEM, OSPACE, OVA, 1, RO, &n);
    l4_err_t s = l4_mem_share(MEM, OSPACE, S2, OVA, 1, RO, &n);
    l4_word_t seen = other_call(1, 0xab);
    test_report("COW-140", p == L4_ESTATE && s == L4_ESTATE && seen == 0xab,
                "protect %s, share %s; other then read back %lx", l4_strerror(p), l4_strerror(s),
                seen);
    /* mappings made by mem_share are the caller's: they go when it loses the memory */
    struct cap_info m = cap_info(MEM);
    l4_cap_split(MEM, PART, m.b - P(4));
    l4_mem_map(PART, 0, S1, VA + P(32), RO);
    l4_err_t shared = l4_mem_share(PART, S1, S2, VA + P(32), 1, RO, &n);
    l4_err_t granted = l4_cap_grant(PART, OTHER, 21);
    l4_err_t u1 = l4_mem_unmap(S1, VA + P(32)), u2 = l4_mem_unmap(S2, VA + P(32));
    test_report("COW-141",
                shared == L4_OK && granted == L4_OK && u1 == L4_ESTATE && u2 == L4_ESTATE,
                "share %s, grant %s, then unmaps %s %s", l4_strerror(shared), l4_strerror(granted),
                l4_strerror(u1), l4_strerror(u2));
}

void cow_error_tests(void)
{
    l4_word_t id;

    tail = cap_info(MEM).b - P(16);
    other_call(1, 0x07e4); // other has granted us its space by now
    l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), S1, &id);
    l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), S2, &id);
    l4_mem_map(MEM, tail, S1, VA, RW);
    l4_mem_map(MEM, tail + P(1), S1, VA + P(2), RO);
    protect_errors();
    tlb();
    share_errors();
    hostile();
    other_call(2, 0);
}

/* The container other: grants its space (with the map right) to cowtest, maps a page of its
 * own region, and writes and reads it back on request (label 1) until label 2. */
int cow_other(void)
{
    l4_word_t tag, w, x, answer;
    volatile l4_word_t *p = (volatile l4_word_t *)OVA;

    l4_cap_replicate(L4_SLOT_SPACE, 20);
    l4_cap_grant(20, 17, OSPACE);
    l4_mem_map(MEM, 0, L4_SLOT_SPACE, OVA, RW);
    l4_err_t err = l4_ipc_recv(16, 0, &tag, &w, &x, &x, &x, &x);
    while (!err && L4_TAG_LABEL(tag) == 1) {
        *p = w;
        answer = *p;
        err = l4_ipc_reply_recv(16, L4_TAG(0, 1, 0), answer, 0, 0, 0, &tag, &w, &x, &x, &x, &x);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return 0;
}
