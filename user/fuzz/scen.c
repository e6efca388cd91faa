/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Sequences of calls that reach states single random calls seldom do: a
 * thread through its whole life, pools run dry, code running in a space of its
 * own, chains of split, granted and revoked capabilities, a container
 * restarted while holding what the fuzzer gave it.
 */
#include "ops.h"
#include "stats.h"

#include <coffer/mem.h>
#include <coffer/thread.h>

#define CALL(f, nr, ...) fz_call((f), L4_SYS_##nr, __VA_ARGS__)
#define PART(kind)       (FUZZ_PART + (kind))
#define POOL_PT          PART(L4_POOL_PAGETABLES)
#define CODE_PAGE        4096ull /* region page 1 holds a copy of stubs.S (fuzzer.c) */
#define REMOTE_VA        0x10000000ull

static l4_cap_t empty_slot(struct fz *f)
{
    l4_cap_t s = FUZZ_FREE + below(f, FUZZ_NSLOTS - FUZZ_FREE);

    for (unsigned i = 0; i < 8 && l4_cap_read(s, NULL, NULL, NULL, NULL, NULL, NULL) == L4_OK; i++)
        s = FUZZ_FREE + below(f, FUZZ_NSLOTS - FUZZ_FREE);
    return s;
}

static void configure_some(struct fz *f, l4_cap_t t)
{
    for (unsigned n = (unsigned)below(f, 4); n; n--) {
        l4_word_t field = 1 + below(f, 5), value;
        if (field == L4_THREAD_PRIORITY)
            value = gen_prio(f);
        else if (field == L4_THREAD_TIMESLICE)
            value = chance(f, 90) ? 1 + below(f, 20) : gen_word(f);
        else if (field == L4_THREAD_UTCB)
            value = gen_utcb(f);
        else
            value = chance(f, 30) ? 0 : gen_slot(f, USE_READ);
        CALL(f, THREAD_CONFIGURE, t, field, value, 0, 0, 0);
    }
}

/* After a thread starts: leave it, or stop, resume or end it. */
static void disturb(struct fz *f, l4_cap_t t)
{
    unsigned k = (unsigned)below(f, 10);

    if (k < 2) {
        CALL(f, THREAD_SUSPEND, t, 0, 0, 0, 0, 0);
        CALL(f, THREAD_RESUME, t, 0, 0, 0, 0, 0);
    } else if (k < 5) {
        CALL(f, THREAD_DESTROY, t, 0, 0, 0, 0, 0);
    }
}

void sc_thread(struct fz *f)
{
    l4_cap_t t = empty_slot(f), space = chance(f, 60) ? L4_SLOT_SPACE : recent_pick(f);
    l4_cap_t pool = chance(f, 80) ? gen_pool(f, L4_POOL_THREADS) : recent_pick(f);
    bool bad;

    if (CALL(f, THREAD_CREATE, pool, space, chance(f, 80) ? 100 : gen_prio(f), t, 0, 0))
        return;
    recent_add(t);
    configure_some(f, t);
    l4_word_t flags = chance(f, 70) ? L4_EXREGS_ALL : L4_EXREGS_SET_IP | L4_EXREGS_SET_SP;
    l4_word_t ip = gen_ip(f, &bad);
    CALL(f, THREAD_EXREGS, t, flags, ip, gen_sp(f), gen_arg(f, ip), 0);
    CALL(f, THREAD_START, t, 0, 0, 0, 0, 0);
    disturb(f, t);
}

/* Create objects of one kind until the pool (or the table) runs out; ENOMEM must come back. */
void sc_exhaust(struct fz *f)
{
    static const unsigned kinds[] = {L4_POOL_THREADS, L4_POOL_SPACES, L4_POOL_ENDPOINTS,
                                     L4_POOL_NOTIFICATIONS};
    unsigned kind = kinds[below(f, 4)], n = 0;
    l4_cap_t made[FUZZ_NSLOTS];
    l4_err_t err = L4_OK;

    for (l4_cap_t s = FUZZ_FREE; s < FUZZ_NSLOTS && !err; s++) {
        if (l4_cap_read(s, NULL, NULL, NULL, NULL, NULL, NULL) == L4_OK)
            continue;
        if (kind == L4_POOL_THREADS)
            err = CALL(f, THREAD_CREATE, PART(kind), L4_SLOT_SPACE, 100, s, 0, 0);
        else if (kind == L4_POOL_SPACES)
            err = CALL(f, SPACE_CREATE, PART(kind), PART(L4_POOL_PAGETABLES), s, 0, 0, 0);
        else if (kind == L4_POOL_ENDPOINTS)
            err = CALL(f, ENDPOINT_CREATE, PART(kind), s, 0, 0, 0, 0);
        else
            err = CALL(f, NOTIFICATION_CREATE, PART(kind), s, 0, 0, 0, 0);
        if (!err)
            made[n++] = s;
    }
    stat_exhausted(kind, err == L4_ENOMEM);
    if (chance(f, 30))
        return; // hold on to them: other calls meet a pool that is used up
    for (unsigned i = 0; i < n; i++) {
        if (kind == L4_POOL_THREADS)
            CALL(f, THREAD_DESTROY, made[i], 0, 0, 0, 0, 0);
        else
            CALL(f, CAP_DESTROY, made[i], 0, 0, 0, 0, 0);
    }
}

/* A new space with our stubs mapped in it, and a thread running them there. */
void sc_remote(struct fz *f)
{
    l4_cap_t space = empty_slot(f), t;
    static char *const stubs[] = {fz_spin,  fz_exit, fz_yield, fz_serve,
                                  fz_serve, fz_ud2,  fz_null,  fz_kread};

    if (CALL(f, SPACE_CREATE, gen_pool(f, L4_POOL_SPACES), POOL_PT, space, 0, 0, 0))
        return;
    recent_add(space);
    l4_word_t code = REMOTE_VA + below(f, 64) * 4096, data = code + 4096 * (1 + below(f, 4));
    l4_word_t perms = L4_MAP_READ | L4_MAP_EXEC | (chance(f, 20) ? L4_MAP_WRITE : 0);
    if (!CALL(f, MEM_MAP, L4_SLOT_MEMORY, CODE_PAGE, space, code, perms, 0))
        mapped_add(space, code);
    if (!CALL(f, MEM_MAP, L4_SLOT_MEMORY, 4096 * (2 + below(f, 14)), space, data,
              L4_MAP_READ | L4_MAP_WRITE, 0))
        mapped_add(space, data);
    t = empty_slot(f);
    if (CALL(f, THREAD_CREATE, gen_pool(f, L4_POOL_THREADS), space,
             chance(f, 80) ? 100 : gen_prio(f), t, 0, 0))
        return;
    recent_add(t);
    if (chance(f, 60))
        CALL(f, THREAD_CONFIGURE, t, L4_THREAD_UTCB, data, 0, 0, 0);
    char *stub = stubs[below(f, sizeof(stubs) / sizeof(stubs[0]))];
    l4_word_t ip = code + (l4_word_t)(stub - fz_code_start);
    if (chance(f, 10))
        ip = code + below(f, 4096); // the middle of an instruction, or past the code
    CALL(f, THREAD_EXREGS, t, L4_EXREGS_ALL, ip, chance(f, 70) ? data + 4096 : gen_sp(f),
         gen_arg(f, (l4_word_t)stub), 0);
    CALL(f, THREAD_START, t, 0, 0, 0, 0, 0);
    if (chance(f, 30))
        CALL(f, CAP_DESTROY, space, 0, 0, 0, 0, 0); // the thread keeps the space alive
    else if (chance(f, 30))
        CALL(f, MEM_UNMAP, space, code, 0, 0, 0, 0); // pull the code from under it
    else if (chance(f, 30))
        CALL(f, MEM_UNMAP, space, data, 0, 0, 0, 0); // or the UTCB it receives into
    disturb(f, t);
}

/* A part split off a pool or the region, then copied, granted, narrowed, spent and revoked. */
void sc_caps(struct fz *f)
{
    bool memory = chance(f, 30);
    unsigned kind = (unsigned)below(f, L4_POOL_KIND_COUNT);
    l4_cap_t root = memory ? L4_SLOT_MEMORY : chance(f, 50) ? L4_SLOT_POOL(kind) : PART(kind);
    l4_cap_t a = empty_slot(f), b;
    l4_word_t amount = memory ? 4096 * (1 + below(f, 15)) : 1 + below(f, 3);

    if (CALL(f, CAP_SPLIT, root, a, amount, 0, 0, 0))
        return;
    recent_add(a);
    for (unsigned n = 2 + (unsigned)below(f, 5); n; n--) {
        l4_cap_t x = chance(f, 70) ? a : recent_pick(f);
        switch (below(f, 8)) {
        case 0:
            b = empty_slot(f);
            if (!CALL(f, CAP_SPLIT, x, b, memory ? 4096 : 1, 0, 0, 0))
                recent_add(b);
            break;
        case 1:
            CALL(f, CAP_GRANT, x, FUZZ_SINK, below(f, FUZZ_NSLOTS + 2), 0, 0, 0);
            break;
        case 2:
            CALL(f, CAP_DEDUCE, x, L4_RIGHTS_CAP | (chance(f, 70) ? 0x1c : 0), gen_word(f),
                 gen_word(f), 0, 0);
            break;
        case 3:
            b = empty_slot(f);
            if (memory)
                CALL(f, MEM_MAP, x, 0, recent_pick(f), REMOTE_VA + below(f, 64) * 4096,
                     L4_MAP_READ | L4_MAP_WRITE, 0);
            else if (!CALL(f, THREAD_CREATE, x, L4_SLOT_SPACE, 100, b, 0, 0) ||
                     !CALL(f, ENDPOINT_CREATE, x, b, 0, 0, 0, 0) ||
                     !CALL(f, NOTIFICATION_CREATE, x, b, 0, 0, 0, 0) ||
                     !CALL(f, SPACE_CREATE, x, POOL_PT, b, 0, 0, 0))
                recent_add(b);
            break;
        case 4:
            CALL(f, CAP_REVOKE, chance(f, 20) ? root : x, 0, 0, 0, 0, 0);
            break;
        case 5:
            CALL(f, CAP_DESTROY, x, 0, 0, 0, 0, 0);
            break;
        case 6:
            b = empty_slot(f);
            if (!CALL(f, CAP_SHARE, x, b, 0, 0, 0, 0))
                recent_add(b);
            break;
        default:
            CALL(f, CAP_READ, x, 0, 0, 0, 0, 0);
        }
    }
}

/* Give the sink something, then stop, start or restart it while it holds it. */
void sc_sink(struct fz *f)
{
    static const l4_word_t nrs[] = {L4_SYS_CONTAINER_STOP, L4_SYS_CONTAINER_START,
                                    L4_SYS_CONTAINER_RESTART, L4_SYS_CONTAINER_INSPECT};

    for (unsigned n = 1 + (unsigned)below(f, 3); n; n--)
        CALL(f, CAP_GRANT, gen_slot(f, USE_MUT), FUZZ_SINK, below(f, FUZZ_NSLOTS), 0, 0, 0);
    fz_call(f, nrs[below(f, 4)], FUZZ_SINK, 0, 0, 0, 0, 0);
}
