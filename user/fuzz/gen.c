/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Argument values for the fuzzer. Most are chosen to sit on a boundary the
 * kernel checks (a slot just past the table, a length one past the limit, a
 * pointer one page into the kernel); the rest are plain random words.
 *
 * Some choices keep the fuzzer's own harness alive rather than spare the
 * kernel: the done notification is never named; the debug console, the first
 * space and the victim's endpoint are never destroyed, narrowed, split or
 * given away (copies of them are), so the fuzzer can always report; and the
 * pool roots and the parts it spends from, the memory root and the I/O ports
 * are split and revoked (what they lend comes back) but never destroyed,
 * narrowed or given away, nor are the container and interrupt capabilities:
 * at a hundred thousand calls a second, anything allowed at all happens
 * within milliseconds, and a run without a thread pool would fuzz little. Pointers the kernel may write
 * through are scratch memory or bad, never our live data.
 */
#include "gen.h"

static l4_cap_t recent[NRECENT];
static unsigned recent_next;
static uint8_t shadow[FUZZ_NSLOTS]; /* the type in each slot when last looked */

uint64_t seed_mix(uint64_t seed, uint64_t n)
{
    struct fz f = {.rng = seed ^ (n * 0xd1b54a32d192ed03ull)};

    return rnd(&f);
}

/* Only slots no guard protects: a scenario may do anything to them. */
void recent_add(l4_cap_t slot)
{
    if ((slot > L4_SLOT_MEMORY && slot < L4_SLOT_FIRST_FREE) ||
        (slot >= FUZZ_FREE && slot < FUZZ_NSLOTS))
        recent[recent_next++ % NRECENT] = slot;
}

l4_cap_t recent_pick(struct fz *f)
{
    return recent[below(f, NRECENT)];
}

static const l4_word_t huge[] = {FUZZ_NSLOTS,
                                 FUZZ_NSLOTS + 1,
                                 127,
                                 128,
                                 1u << 16,
                                 0xffffffffull,
                                 1ull << 32,
                                 0x8000000000000000ull,
                                 ~0ull,
                                 ~0ull - 1,
                                 0xffffffff80000000ull,
                                 USER_TOP};

#define PICK(f, table) ((table)[below((f), sizeof(table) / sizeof((table)[0]))])

static bool precious(l4_cap_t s)
{
    return s == L4_SLOT_CONTAINER || (s >= L4_SLOT_POOL_BASE && s <= L4_SLOT_MEMORY) ||
           s == FUZZ_SINK || (s >= FUZZ_PART && s < FUZZ_FREE);
}

static l4_cap_t guard(struct fz *f, l4_cap_t s, enum use use)
{
    if (s == FUZZ_DONE)
        return FUZZ_NSLOTS + s; // out of range: the call fails as for any such slot
    if (use != USE_MUT && use != USE_TAKE)
        return s;
    bool units = (s >= L4_SLOT_POOL_BASE && s <= L4_SLOT_MEMORY) ||
                 (s >= FUZZ_PART && s < FUZZ_PART + L4_POOL_KIND_COUNT) || s == FUZZ_IO;
    if (s == L4_SLOT_SPACE || s == L4_SLOT_DEBUG || s == FUZZ_SVC ||
        (precious(s) && (use == USE_MUT || !units)))
        return FUZZ_FREE + below(f, FUZZ_NSLOTS - FUZZ_FREE);
    return s;
}

/* A slot that was not empty when last looked. */
static l4_cap_t occupied(struct fz *f)
{
    l4_cap_t start = below(f, FUZZ_NSLOTS);

    for (l4_cap_t i = 0; i < FUZZ_NSLOTS; i++) {
        if (shadow[(start + i) % FUZZ_NSLOTS] != L4_CAP_NULL)
            return (start + i) % FUZZ_NSLOTS;
    }
    return start;
}

/* A slot that was empty when last looked (outside the reserved ones). */
static l4_cap_t empty(struct fz *f)
{
    l4_cap_t start = below(f, FUZZ_NSLOTS);

    for (l4_cap_t i = 0; i < FUZZ_NSLOTS; i++) {
        l4_cap_t s = (start + i) % FUZZ_NSLOTS;
        if (shadow[s] == L4_CAP_NULL && s >= FUZZ_FREE)
            return s;
    }
    return start;
}

l4_cap_t gen_slot(struct fz *f, enum use use)
{
    if (use == USE_DEST && chance(f, 60))
        return guard(f, empty(f), use);
    unsigned k = (unsigned)below(f, 100);
    l4_cap_t s;

    if (k < 15)
        s = below(f, FUZZ_NSLOTS);
    else if (k < 50)
        s = occupied(f);
    else if (k < 70)
        s = recent_pick(f);
    else if (k < 82)
        s = below(f, L4_SLOT_FIRST_FREE);
    else if (k < 90)
        s = FUZZ_NSLOTS - 2 + below(f, 4);
    else
        s = chance(f, 70) ? PICK(f, huge) : rnd(f);
    if (use == USE_DEST && s < L4_SLOT_FIRST_FREE && chance(f, 80))
        s = L4_SLOT_FIRST_FREE + below(f, FUZZ_NSLOTS - L4_SLOT_FIRST_FREE);
    return guard(f, s, use);
}

void shadow_refresh(void)
{
    for (l4_cap_t s = 0; s < FUZZ_NSLOTS; s++) {
        l4_word_t type = L4_CAP_NULL;
        l4_cap_read(s, &type, NULL, NULL, NULL, NULL, NULL);
        shadow[s] = (uint8_t)type;
    }
}

l4_cap_t gen_typed(struct fz *f, enum use use, unsigned type)
{
    if (chance(f, 65)) {
        l4_cap_t start = below(f, FUZZ_NSLOTS);
        for (l4_cap_t i = 0; i < FUZZ_NSLOTS; i++) {
            l4_cap_t s = (start + i) % FUZZ_NSLOTS;
            if (shadow[s] == type)
                return guard(f, s, use);
        }
    }
    return gen_slot(f, use);
}

l4_cap_t gen_pool(struct fz *f, unsigned kind)
{
    unsigned k = (unsigned)below(f, 100);

    if (k < 60)
        return FUZZ_PART + kind;
    if (k < 75)
        return L4_SLOT_POOL(kind);
    return gen_typed(f, USE_READ, L4_CAP_POOL);
}

static l4_word_t small_len(struct fz *f, l4_word_t max)
{
    l4_word_t n = chance(f, 70) ? below(f, 65) : below(f, max + 1);

    return n > max ? max : n;
}

l4_word_t gen_buf(struct fz *f, bool kernel_writes, l4_word_t *len, enum ptr_class *cls)
{
    unsigned k = (unsigned)below(f, 100);
    l4_word_t p, n = chance(f, 80) ? below(f, 256) : gen_word(f);

    if (k < 40) {
        l4_word_t off = below(f, sizeof(scratch));
        *cls = P_GOOD;
        n = small_len(f, sizeof(scratch) - off);
        p = (l4_word_t)scratch + off;
    } else if (k < 50) {
        l4_word_t room = 1 + below(f, 64); // bytes left before the unmapped page
        *cls = P_EDGE;
        p = EDGE_VA + 4096 - room;
        n = chance(f, 50) ? below(f, room + 1) : room + 1 + below(f, 4096);
    } else if (k < 58) {
        *cls = P_RO; // our code: readable, never writable
        p = (l4_word_t)fz_code_start + below(f, 64);
        if (!kernel_writes)
            n = below(f, 64);
    } else if (k < 68) {
        *cls = P_NULL;
        p = below(f, 4096);
    } else if (k < 82) {
        *cls = P_UNMAPPED;
        p = chance(f, 50) ? 0x10000000ull + below(f, 1u << 24) : 0x600000000000ull + below(f, 4096);
    } else if (k < 92) {
        *cls = P_KERNEL;
        p = PICK(f, fz_kernel_ptrs) - (chance(f, 30) ? below(f, 16) : 0);
    } else {
        *cls = P_NONCANON;
        p = PICK(f, fz_between_ptrs);
    }
    *len = n;
    return p;
}

l4_word_t gen_word(struct fz *f)
{
    static const l4_word_t words[] = {0,
                                      1,
                                      2,
                                      5,
                                      7,
                                      8,
                                      15,
                                      16,
                                      31,
                                      32,
                                      63,
                                      64,
                                      65,
                                      255,
                                      256,
                                      1000,
                                      1001,
                                      4095,
                                      4096,
                                      4097,
                                      0x10000,
                                      0x7fffffff,
                                      0x80000000,
                                      0xffffffff,
                                      1ull << 32,
                                      USER_TOP - 4096,
                                      USER_TOP - 1,
                                      USER_TOP,
                                      0x8000000000000000ull,
                                      0xffff800000000000ull,
                                      0xffffffff80000000ull,
                                      ~0ull - 1,
                                      ~0ull};

    return chance(f, 70) ? PICK(f, words) : rnd(f);
}

l4_word_t gen_rights(struct fz *f)
{
    unsigned k = (unsigned)below(f, 100);

    if (k < 60)
        return below(f, 1u << 5); // within the widest *_RIGHTS_ALL
    if (k < 75)
        return chance(f, 50) ? 0x7f : 0xff;
    if (k < 85)
        return 0;
    return gen_word(f);
}

l4_word_t gen_prio(struct fz *f)
{
    static const l4_word_t bad[] = {101, 200, 255, 256, 1000, ~0ull};
    unsigned k = (unsigned)below(f, 100);

    if (k < 50)
        return 100; // the container's priority and ceiling
    if (k < 80)
        return below(f, 101);
    return chance(f, 80) ? PICK(f, bad) : rnd(f);
}

l4_word_t gen_vaddr(struct fz *f)
{
    static const l4_word_t odd[] = {0,
                                    4096,
                                    0x400000,
                                    EDGE_VA,
                                    EDGE_VA + 4096,
                                    L4_UTCB_MAIN,
                                    USER_TOP - 4096,
                                    USER_TOP,
                                    0xffffffff80000000ull,
                                    0x8000000000000000ull,
                                    ~0ull & ~0xfffull};
    unsigned k = (unsigned)below(f, 100);

    if (k < 45) // a small area, so that maps collide and unmaps find something
        return 0x10000000ull + below(f, 64) * 4096;
    if (k < 70)
        return PICK(f, odd);
    if (k < 80)
        return 0x10000000ull + below(f, 1u << 20); // mostly not page aligned
    return (rnd(f) % USER_TOP) & ~0xfffull;
}

l4_word_t gen_tag(struct fz *f, bool nonblock)
{
    l4_word_t label = chance(f, 80) ? below(f, 4) : rnd(f) >> 16;
    l4_word_t len = chance(f, 60) ? below(f, 5) : below(f, 64), flags = 0;

    if (nonblock || chance(f, 50))
        flags |= L4_IPC_NONBLOCK;
    if (chance(f, 15))
        flags |= L4_IPC_CAP;
    if (chance(f, 20))
        flags |= L4_IPC_EXT;
    if (chance(f, 4))
        flags |= L4_IPC_TRUNC;
    if (chance(f, 4))
        flags |= (1ull << (10 + below(f, 6))); // bits the kernel does not know
    return L4_TAG(label, len, flags);
}

void scramble_utcb(struct fz *f)
{
    struct l4_utcb *u = f->utcb;
    enum ptr_class c;
    l4_word_t n;

    if (chance(f, 30)) {
        for (unsigned i = L4_MSG_REGS; i < L4_MSG_MAX; i++)
            u->mr[i] = rnd(f);
    }
    u->cap_send = gen_slot(f, USE_MUT) | (chance(f, 30) ? L4_GRANT_IMMUTABLE : 0);
    u->cap_recv = gen_slot(f, USE_DEST);
    u->cap_received = rnd(f);
    u->ext_send = gen_buf(f, false, &n, &c);
    f->ext_send_bad = c >= P_NULL;
    u->ext_send_len = chance(f, 90) ? n : gen_word(f);
    u->ext_recv = gen_buf(f, true, &n, &c);
    u->ext_recv_len = n; // a longer one could reach past scratch into live data
    u->ext_received = rnd(f);
}

l4_word_t gen_ip(struct fz *f, bool *bad)
{
    static char *const stubs[] = {fz_spin, fz_exit, fz_yield, fz_serve, fz_serve,
                                  fz_ud2,  fz_null, fz_kread, fz_int3,  fz_hlt};
    const l4_word_t faulting[] = {0,
                                  1,
                                  0x1000,
                                  0x10000000,
                                  EDGE_VA,
                                  0x600000000000ull,
                                  USER_TOP - 1,
                                  USER_TOP,
                                  fz_kernel_text,
                                  0x8000000000000000ull,
                                  ~0ull};

    *bad = false;
    if (chance(f, 45))
        return (l4_word_t)PICK(f, stubs);
    l4_word_t ip = chance(f, 80) ? PICK(f, faulting) : rnd(f);
    *bad = ip >= USER_TOP;
    return ip;
}

l4_word_t gen_arg(struct fz *f, l4_word_t ip)
{
    if (ip == (l4_word_t)fz_serve && chance(f, 90))
        return gen_typed(f, USE_READ, L4_CAP_ENDPOINT);
    return chance(f, 50) ? gen_word(f) : rnd(f);
}

l4_word_t gen_sp(struct fz *f)
{
    return chance(f, 30) ? (l4_word_t)scratch + below(f, sizeof(scratch)) : gen_word(f);
}

l4_word_t gen_utcb(struct fz *f)
{
    static const l4_word_t bad[] = {0,
                                    8,
                                    0x400000,
                                    0x10000000,
                                    EDGE_VA + 8,
                                    USER_TOP - 4096,
                                    USER_TOP,
                                    0xffffffff80000000ull,
                                    0x8000000000000000ull};
    unsigned k = (unsigned)below(f, 100);

    if (k < 25)
        return (l4_word_t)scratch + 4096 * below(f, 2);
    if (k < 35)
        return chance(f, 50) ? L4_UTCB_MAIN : EDGE_VA;
    return chance(f, 80) ? PICK(f, bad) : rnd(f);
}
