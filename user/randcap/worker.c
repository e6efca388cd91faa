/* SPDX-License-Identifier: BSD-2-Clause */
/* RND-xxx, a worker: random capability operations on its own table, grants to its peers. */
#include "randcap.h"

static uint64_t seed;

static unsigned pick(unsigned n)
{
    return (unsigned)(next_random(&seed) % n);
}

/* A slot to act on: a well-known one now and then, mostly the working slots. */
static l4_cap_t any_slot(void)
{
    return pick(4) == 0 ? 1 + pick(10) : WORK + pick(NSLOTS - WORK);
}

static l4_cap_t work_slot(void)
{
    return WORK + pick(NSLOTS - WORK);
}

/* A slot of ours holding a pool of kind, or a random slot. */
static l4_cap_t pool_slot(unsigned kind)
{
    for (unsigned tries = 0; tries < 8; tries++) {
        l4_cap_t s = pick(2) ? L4_SLOT_POOL(kind) : work_slot();
        l4_word_t type = 0, k = ~0ul;
        l4_cap_read(s, &type, NULL, &k, NULL, NULL, NULL);
        if (type == L4_CAP_POOL && k == kind)
            return s;
    }
    return any_slot();
}

/* Split amounts that are often valid: a few units, a page offset, a right. */
static l4_word_t amount_for(l4_cap_t s)
{
    l4_word_t type = 0, rights = 0, b = 0;

    l4_cap_read(s, &type, &rights, NULL, &b, NULL, NULL);
    if (type == L4_CAP_POOL)
        return b > 1 ? 1 + pick((unsigned)(b - 1)) : 1;
    if (type == L4_CAP_MEMORY)
        return (l4_word_t)(1 + pick(b / 4096 > 1 ? (unsigned)(b / 4096 - 1) : 1)) * 4096;
    return rights & ~(l4_word_t)L4_RIGHTS_CAP & (1ul << (2 + pick(4)));
}

/* A deduce that usually keeps the capability usable: a right less, or a unit less. */
static l4_err_t deduce(l4_cap_t s)
{
    l4_word_t type = 0, rights = 0, a = 0, b = 0;

    l4_cap_read(s, &type, &rights, &a, &b, NULL, NULL);
    rights &= ~(1ul << pick(6));
    if (type == L4_CAP_POOL && b > 1 && pick(2))
        b--;
    return l4_cap_deduce(s, rights, a, b);
}

static void one_operation(void)
{
    l4_cap_t s = any_slot(), d = work_slot(), peer = pick(2) ? PEER_A : PEER_B;

    switch (pick(16)) {
    case 0:
    case 1:
        l4_cap_split(s, d, amount_for(s));
        break;
    case 2:
    case 3:
        l4_cap_grant(s, peer, d);
        break;
    case 4:
        l4_cap_destroy(work_slot());
        break;
    case 5:
        l4_cap_revoke(s);
        break;
    case 6:
        deduce(s);
        break;
    case 7:
        pick(2) ? l4_cap_replicate(s, d) : l4_cap_share(s, d);
        break;
    case 8:
    case 9:
        l4_thread_create(pool_slot(L4_POOL_THREADS), L4_SLOT_SPACE, 10, d, NULL);
        break;
    case 10:
        l4_endpoint_create(pool_slot(L4_POOL_ENDPOINTS), d, NULL);
        break;
    case 11:
        l4_notification_create(pool_slot(L4_POOL_NOTIFICATIONS), d, NULL);
        break;
    case 12:
        l4_space_create(pool_slot(L4_POOL_SPACES), pool_slot(L4_POOL_PAGETABLES), d, NULL);
        break;
    case 13:
        l4_thread_destroy(work_slot());
        break;
    case 14:
        l4_mem_map(s, 0, L4_SLOT_SPACE, VA_WORK + pick(NWINDOW) * 4096, L4_MAP_READ);
        break;
    default:
        l4_mem_unmap(L4_SLOT_SPACE, VA_WORK + pick(NWINDOW) * 4096);
        break;
    }
}

/* What a holder can see must hold after every operation: no pool pays for more than it has. */
static bool pools_sound(l4_cap_t *bad)
{
    l4_word_t s = 0;

    for (; l4_cap_next(s, &s) == L4_OK; s++) {
        l4_word_t type = 0, b = 0, used = 0;
        l4_cap_read(s, &type, NULL, NULL, &b, &used, NULL);
        if (type == L4_CAP_POOL && (b == 0 || used > b)) {
            *bad = s;
            return false;
        }
    }
    return true;
}

/* Every run starts as at boot: whole pools and memory, nothing but what the file gives. */
static void check_start(bool last)
{
    static const l4_word_t units[] = {UNITS_THREADS, UNITS_SPACES, UNITS_EPS, UNITS_NTFS, 0,
                                      UNITS_PT};
    bool whole = true;
    l4_word_t slot = 0, b = 0, used = 0, x, threads = 0, spaces = 0;

    for (unsigned k = 0; k < L4_POOL_KIND_COUNT; k++) {
        if (!units[k])
            continue;
        l4_cap_read(L4_SLOT_POOL(k), NULL, NULL, NULL, &b, &used, NULL);
        whole = whole && b == units[k] && (!last || used == (k < 2 ? 1 : k == 5 ? used : 0));
    }
    l4_cap_read(L4_SLOT_MEMORY, NULL, NULL, NULL, &b, NULL, NULL);
    whole = whole && b == REGION_BYTES;
    test_report("RND-001", whole, "a run starts with pools not whole");
    if (!last)
        return; // the others may have granted it something already: they still run
    /* nobody runs but this one now: nothing from before the restart may be left */
    bool clean = l4_cap_next(PEER_B + 1, &slot) == L4_ERANGE;
    test_report("RND-005", clean, "the last run finds slot %lu filled", slot);
    l4_container_inspect(L4_SLOT_CONTAINER, &x, &threads, &spaces, &x, &x, &x);
    test_report("RND-002", threads == 1 && spaces == 1,
                "the last run starts with %lu threads "
                "and %lu spaces",
                threads, spaces);
}

int worker(const char *arg)
{
    l4_word_t x, restarts = 0, n = 0;
    volatile const l4_word_t *flag = (const l4_word_t *)VA_FLAG;
    l4_cap_t bad;

    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &x, &restarts, &x);
    l4_mem_map(FLAG, 0, L4_SLOT_SPACE, VA_FLAG, L4_MAP_READ);
    check_start(*flag != 0);
    if (*flag)
        return 0; // the supervisor is done: restarted for the last time
    seed = 0x9e3779b97f4a7c15ull ^ ((uint64_t)(arg[0] - '0') << 32) ^ (restarts + 1);
    for (;;) {
        one_operation();
        if (!pools_sound(&bad))
            test_report("RND-003", false,
                        "after %lu operations, pool in slot %lu pays for more "
                        "than it holds",
                        n, bad);
        if (++n % 1000 == 0)
            printf("randcap: worker %s, run %lu: %lu operations\n", arg, restarts, n);
    }
}
