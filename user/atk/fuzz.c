/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ATK-060..062: random capability and object operations by two containers that lend each
 * other pools, spaces and endpoints, while a supervisor restarts them at random. Nothing
 * is checked here but the kernel itself: its self-check runs after every capability
 * operation and every restart and panics on a broken invariant (pool units, payers,
 * stores, tree links). Threads here never exit by themselves (see ATK-001/002).
 */
#include "atk.h"

#include <coffer/syscall_nr.h>

#define OTHER  16 /* the other fuzzer's container: receive (system file) */
#define SELF   17 /* our own container: receive (system file) */
#define FSUP_A 16 /* fsup: control over fuzz_a and fuzz_b (system file) */
#define FSUP_B 17
#define FIRST  20
#define NSLOTS 64
#define STEPS  1000

static uint64_t rng;
static bool used[NSLOTS]; /* which slots hold a capability (cap_next: no reject messages) */

static void scan(void)
{
    l4_word_t s = 0;

    for (unsigned i = 0; i < NSLOTS; i++)
        used[i] = false;
    while (l4_cap_next(s, &s) == L4_OK && s < NSLOTS)
        used[s++] = true;
}

static uint64_t rnd(uint64_t n)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return n ? rng % n : 0;
}

static l4_cap_t any_slot(void)
{
    return rnd(4) == 0 ? L4_SLOT_POOL_BASE + rnd(6) : FIRST + rnd(NSLOTS - FIRST);
}

static l4_cap_t free_slot(void)
{
    for (unsigned i = 0; i < 8; i++) {
        l4_cap_t s = FIRST + rnd(NSLOTS - FIRST);
        if (!used[s])
            return s;
    }
    return FIRST;
}

/* A slot holding a capability of type (and pool kind, if a pool), or 0. */
static l4_cap_t find(l4_word_t type, l4_word_t kind)
{
    l4_cap_t start = FIRST + rnd(NSLOTS - FIRST);

    if (type == L4_CAP_POOL && rnd(2))
        return L4_SLOT_POOL_BASE + kind; // the root, often
    for (unsigned i = 0; i < NSLOTS - FIRST; i++) {
        l4_cap_t s = FIRST + (start - FIRST + i) % (NSLOTS - FIRST);
        if (!used[s])
            continue;
        struct cap_info k = cap_info(s);
        if (k.type == type && (type != L4_CAP_POOL || k.a == kind))
            return s;
    }
    return type == L4_CAP_SPACE ? SPACE : 0;
}

static long loop(l4_word_t arg)
{
    for (;;)
        l4_thread_yield();
    return (long)arg;
}

/* A receiver: takes messages (and the capabilities they carry) on an endpoint for ever. */
static long receiver(l4_word_t utcb_va)
{
    struct l4_utcb *u = (struct l4_utcb *)utcb_va;
    l4_word_t ep = u->mr[0];

    for (unsigned n = 0;; n++) {
        u->cap_recv = FIRST + (n * 7 + ep) % (NSLOTS - FIRST);
        if (l4_ipc_recv(ep, 0, NULL, NULL, NULL, NULL, NULL, NULL) == L4_ECAP)
            l4_thread_yield(); // its endpoint is gone: spin politely until destroyed
    }
    return 0;
}

static void start_receiver(l4_cap_t pool, l4_cap_t ep, l4_cap_t d)
{
    char *page = malloc(2 * 4096);

    if (!page)
        return;
    struct l4_utcb *u = (struct l4_utcb *)(((l4_word_t)page + 4095) & ~4095ull);
    u->mr[0] = ep;
    if (!spawn(pool, SPACE, receiver, (l4_word_t)u, 100, d, false) &&
        !l4_thread_configure(d, L4_THREAD_UTCB, (l4_word_t)u))
        l4_thread_start(d);
}

static void step(void)
{
    scan();
    l4_cap_t s = any_slot(), d = free_slot();
    l4_word_t yield_off = 4096; // page 1 of our region: a yield loop

    switch (rnd(18)) {
    case 0:
        l4_cap_split(s, d, 1 + rnd(4));
        break;
    case 1: {
        struct cap_info k = used[s] ? cap_info(s) : (struct cap_info){0};
        if (k.type == L4_CAP_POOL)
            l4_cap_deduce(s, k.rights, k.a, k.b > 1 ? k.b - 1 - rnd(2) : k.b);
        break;
    }
    case 2:
        if (s >= FIRST)
            l4_cap_destroy(s);
        break;
    case 3:
        if (rnd(4) == 0)
            l4_cap_revoke(s);
        break;
    case 4:
        l4_cap_grant(s, SELF, d);
        break;
    case 5:
        if (s >= FIRST || rnd(2))
            l4_cap_grant(s, OTHER, FIRST + rnd(NSLOTS - FIRST));
        break;
    case 6: {
        l4_cap_t pool = find(L4_CAP_POOL, L4_POOL_THREADS), sp = find(L4_CAP_SPACE, 0);
        if (pool && sp == SPACE)
            spawn(pool, SPACE, loop, 0, 100, d, rnd(2));
        else if (pool && sp)
            start_at(pool, sp, BLOB_VA, 0, 100, d);
        break;
    }
    case 7: {
        l4_cap_t sp = find(L4_CAP_POOL, L4_POOL_SPACES), pt = find(L4_CAP_POOL, L4_POOL_PAGETABLES);
        if (sp && pt && !l4_space_create(sp, pt, d, NULL))
            l4_mem_map(MEM, yield_off, d, BLOB_VA, L4_MAP_READ | L4_MAP_EXEC);
        break;
    }
    case 8: {
        l4_cap_t ep = find(L4_CAP_POOL, L4_POOL_ENDPOINTS);
        if (ep)
            l4_endpoint_create(ep, d, NULL);
        break;
    }
    case 9: {
        l4_cap_t n = find(L4_CAP_POOL, L4_POOL_NOTIFICATIONS);
        if (n)
            l4_notification_create(n, d, NULL);
        break;
    }
    case 10: {
        l4_cap_t t = find(L4_CAP_THREAD, 0);
        if (t && t != L4_SLOT_THREAD)
            l4_thread_destroy(t);
        break;
    }
    case 11: {
        l4_cap_t sp = find(L4_CAP_SPACE, 0);
        if (sp)
            l4_mem_map(MEM, rnd(16) * 4096, sp, 0x40000000ull + rnd(64) * 0x200000ull, L4_MAP_READ);
        break;
    }
    case 12:
        if (s >= FIRST)
            rnd(2) ? l4_cap_replicate(s, d) : l4_cap_share(s, d);
        break;
    case 13: {
        l4_cap_t t = find(L4_CAP_THREAD, 0), e = find(L4_CAP_ENDPOINT, 0);
        if (t && e && t != L4_SLOT_THREAD)
            l4_thread_configure(t, L4_THREAD_FAULT_EP, e);
        break;
    }
    case 14: {
        l4_cap_t e = find(L4_CAP_ENDPOINT, 0);
        struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
        u->cap_send = any_slot();
        if (e)
            l4_ipc_send(e, L4_TAG(0, 0, L4_IPC_NONBLOCK | L4_IPC_CAP), 0, 0, 0, 0);
        break;
    }
    case 15: {
        l4_cap_t pool = find(L4_CAP_POOL, L4_POOL_THREADS), e = find(L4_CAP_ENDPOINT, 0);
        if (pool && e && rnd(3) == 0)
            start_receiver(pool, e, d);
        break;
    }
    case 16: { // a blocking send with a capability, when somebody waits
        l4_cap_t e = find(L4_CAP_ENDPOINT, 0);
        struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
        u->cap_send = any_slot();
        if (e)
            l4_ipc_call(e, L4_TAG(0, 0, L4_IPC_NONBLOCK | L4_IPC_CAP), 0, 0, 0, 0, NULL, NULL, NULL,
                        NULL, NULL, NULL);
        break;
    }
    default:
        l4_thread_yield();
        break;
    }
}

int role_fuzz(const char *which)
{
    struct container_info me = container_info(L4_SLOT_CONTAINER);

    uint64_t seed = 0; // "fuzzA:SEED"
    for (const char *p = which + 1; *p; p++)
        if (*p >= '0' && *p <= '9')
            seed = seed * 10 + (uint64_t)(*p - '0');
    rng = 0x9e3779b97f4a7c15ull ^ (uint64_t)(which[0] * 7919) ^ (me.restarts * 104729ull) ^
          (seed * 0x100000001b3ull);
    blob_yield_loop(1);
    for (unsigned i = 0; i < STEPS; i++)
        step();
    printf("fuzz %s: %u steps done (restarts %lu)\n", which, STEPS, me.restarts);
    /* let every thread we made go: the system ends when nothing is left */
    l4_cap_revoke(POOL_THR);
    scan();
    for (l4_cap_t k = FIRST; k < NSLOTS; k++) {
        if (used[k] && cap_info(k).type == L4_CAP_THREAD)
            l4_thread_destroy(k);
    }
    return 0;
}

int role_fsup(void)
{
    rng = 12345;
    unsigned restarts = 0;
    for (unsigned i = 0; i < 12; i++) {
        yield_n(5 + (unsigned)rnd(150));
        l4_err_t err = l4_container_restart(rnd(2) ? FSUP_A : FSUP_B);
        restarts += err == L4_OK;
    }
    /* threads whose last capability was destroyed cannot be reached any more but by a
     * restart: end with both restarted while stopped, so that they come back held */
    l4_container_stop(FSUP_A);
    l4_container_stop(FSUP_B);
    restarts += l4_container_restart(FSUP_A) == L4_OK;
    restarts += l4_container_restart(FSUP_B) == L4_OK;
    test_report("ATK-060", restarts == 14, "%u of 14 restarts worked", restarts);
    return 0;
}
