/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The fuzzer: a main thread and a few workers making seeded random system
 * calls until its time is up, then a summary. The seed is its argument's plus
 * its restart count, so every run after a restart differs and all replay.
 *
 * The main thread makes itself hard to kill from within: it drops the only
 * capability to itself, and the right to change mappings of its own space, so
 * no random call (nor a thread running wild) can stop, unmap or rewrite it.
 * Everything else it owns is fair game.
 */
#include "ops.h"
#include "stats.h"

#include <coffer/mem.h>
#include <coffer/thread.h>

#define MAX_WORKERS  8
#define NBLOCKS      16
#define WORKER_PRIO  100
#define CODE_VA      0x21000000ull /* where the stubs are copied into region page 1, once */
/*
 * How often the main thread looks at its table, tends its workers (and
 * reclaims), and reports, in its own calls: counting time instead would let
 * the timer, not only the scheduler, decide what the fuzzing meets.
 */
#define SHADOW_EVERY 128
#define WATCH_EVERY  4096
#define REPORT_EVERY 8192

_Alignas(4096) char scratch[2 * 4096];
char noise[L4_EXT_MAX]; /* 64-byte lines of "fuzz noise ~~~", made by prepare() */

/* A worker's UTCB, stack and state. A stack is reused only once its thread surely died. */
struct block {
    struct l4_utcb utcb __attribute__((aligned(4096)));
    _Alignas(16) char stack[12 * 1024];
    struct fz fz;
    l4_word_t tid;
    enum { FREE, USED, LOST } state;
};

struct worker {
    struct block *b;
    l4_word_t seen; /* its progress at the last watchdog round */
};

static struct block blocks[NBLOCKS];
static struct worker workers[MAX_WORKERS];
static unsigned nworkers, generation;
static struct fz main_fz;
static uint64_t run_seed;

static long work(l4_word_t arg)
{
    struct fz *f = (struct fz *)arg;

    for (;;)
        fz_step(f);
    return 0;
}

/* The slot of a capability to thread tid that may destroy it, or ~0. */
static l4_cap_t find_thread(l4_word_t tid)
{
    for (l4_cap_t s = 0; s < FUZZ_NSLOTS; s++) {
        l4_word_t type, rights, object;
        if (!l4_cap_read(s, &type, &rights, NULL, NULL, &object, NULL) && type == L4_CAP_THREAD &&
            object == tid && (rights & L4_THR_DESTROY))
            return s;
    }
    return ~0ull;
}

static bool is_worker(l4_word_t tid)
{
    for (unsigned i = 0; i < nworkers; i++) {
        if (workers[i].b && workers[i].b->tid == tid)
            return true;
    }
    return false;
}

/* Make room in a thread pool that random calls used up: end one thread that is not a worker. */
static bool free_a_thread(void)
{
    for (l4_cap_t s = FUZZ_FREE; s < FUZZ_NSLOTS; s++) {
        l4_word_t type, object;
        if (!l4_cap_read(s, &type, NULL, NULL, NULL, &object, NULL) && type == L4_CAP_THREAD &&
            !is_worker(object) && l4_thread_destroy(s) == L4_OK)
            return true;
    }
    return false;
}

static l4_cap_t free_slot(void)
{
    for (l4_cap_t s = FUZZ_NSLOTS - 1; s >= FUZZ_FREE; s--) {
        if (l4_cap_read(s, NULL, NULL, NULL, NULL, NULL, NULL) == L4_ECAP)
            return s;
    }
    return ~0ull;
}

static void spawn(struct worker *w)
{
    struct block *b = NULL;
    l4_cap_t slot = free_slot();

    for (unsigned i = 0; i < NBLOCKS && !b; i++)
        b = blocks[i].state == FREE ? &blocks[i] : NULL;
    if (!b || slot == ~0ull)
        return; // out of stacks or slots until the next restart
    b->fz = (struct fz){.rng = seed_mix(run_seed, 1000 + generation++), .utcb = &b->utcb};
    l4_word_t ip, sp = l4_thread_frame(b->stack + sizeof(b->stack), work, &ip);
    l4_err_t err =
        l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, WORKER_PRIO, slot, &b->tid);
    if (err == L4_ENOMEM && free_a_thread())
        err = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, WORKER_PRIO, slot,
                               &b->tid);
    if (!err)
        err = l4_thread_configure(slot, L4_THREAD_UTCB, (l4_word_t)&b->utcb);
    if (!err)
        err = l4_thread_exregs(slot, L4_EXREGS_ALL, ip, sp, (l4_word_t)&b->fz, NULL, NULL);
    if (!err)
        err = l4_thread_start(slot);
    if (err) {
        l4_thread_destroy(slot); // it never ran: its stack is free again
        return;
    }
    b->state = USED;
    *w = (struct worker){b, 0};
}

/* End a worker; its block is reused only if some capability could destroy it. */
static void retire(struct worker *w)
{
    l4_cap_t s = find_thread(w->b->tid);

    w->b->state = s != ~0ull && l4_thread_destroy(s) == L4_OK ? FREE : LOST;
    w->b = NULL;
}

/*
 * A thread whose last capability went lives on, holding its unit, until the
 * next restart; so does a space with such a thread in it. So the fuzzing pays
 * with parts split off the pool roots, and every round the roots are revoked:
 * everything the parts paid for ends (threads running, blocked or faulted,
 * spaces with them), the units come back, and go into new parts. The main
 * thread and the workers are paid by the roots and stay.
 */
static void reclaim(bool revoke)
{
    static const unsigned kinds[] = {L4_POOL_THREADS,       L4_POOL_SPACES,     L4_POOL_ENDPOINTS,
                                     L4_POOL_NOTIFICATIONS, L4_POOL_PAGETABLES, L4_POOL_CAPSLOTS};

    for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        l4_cap_t root = L4_SLOT_POOL(kinds[i]), part = FUZZ_PART + kinds[i];
        l4_word_t units = 0, used = 0;
        if (revoke)
            l4_cap_revoke(root);
        if (l4_cap_read(root, NULL, NULL, NULL, &units, &used, NULL) || units <= used + 1)
            continue;
        l4_cap_destroy(part);                       // whatever the fuzzing put in its place
        l4_cap_split(root, part, units - used - 1); // one stays: a root cannot give all
    }
}

/* Workers that made no call since the last round are stuck (or were made to run a stub). */
static void watchdog(void)
{
    reclaim(true);
    for (unsigned i = 0; i < nworkers; i++) {
        struct worker *w = &workers[i];
        if (w->b && w->b->fz.progress == w->seen)
            retire(w);
        if (!w->b)
            spawn(w);
        else
            w->seen = w->b->fz.progress;
    }
    reclaim(false);
}

/*
 * Copy the stubs to region page 1 for sc_remote, map page 0 as the edge of
 * the buffers gen_buf makes, then give up what would let the fuzzing reach us.
 */
static void prepare(void)
{
    for (size_t i = 0; i < sizeof(noise); i++)
        noise[i] = i % 64 == 63 ? '\n' : i % 64 < 11 ? "fuzz noise "[i % 64] : '~';
    l4_err_t err =
        l4_mem_map(L4_SLOT_MEMORY, 4096, L4_SLOT_SPACE, CODE_VA, L4_MAP_READ | L4_MAP_WRITE);

    if (!err) {
        memcpy((void *)CODE_VA, fz_code_start, (size_t)(fz_code_end - fz_code_start));
        /* code other spaces run (sc_remote): made fit for instruction fetch, which AArch64's
         * does not keep coherent with writes (x86_64's does: the call does nothing there) */
        l4_cache_control(L4_SLOT_SPACE, CODE_VA, 1, L4_CACHE_SYNC_INSN, NULL);
        l4_mem_unmap(L4_SLOT_SPACE, CODE_VA);
    }
    if (err || l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, EDGE_VA, L4_MAP_READ | L4_MAP_WRITE))
        printf("fuzz: cannot map its region (%s)\n", l4_strerror(err));
    if (l4_cap_deduce(L4_SLOT_SPACE, L4_RIGHTS_CAP | L4_SPACE_BIND, 0, 0) ||
        l4_cap_destroy(L4_SLOT_THREAD))
        printf("fuzz: cannot protect its main thread\n");
}

int fuzzer_main(const char *arg)
{
    l4_word_t hz = ticks_per_sec(), x, run = 0;
    l4_word_t deadline = arg_value(arg, "secs", 4) * hz, seed = arg_value(arg, "seed", 1);

    if (now_ticks() >= deadline)
        return 0; // the supervisor's last restart: the time is up, leave quietly
    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &x, &run, &x);
    nworkers = (unsigned)arg_value(arg, "workers", 3);
    nworkers = nworkers > MAX_WORKERS ? MAX_WORKERS : nworkers;
    run_seed = seed_mix(seed, run);
    main_fz = (struct fz){.rng = run_seed, .utcb = (struct l4_utcb *)L4_UTCB_MAIN, .main = true};
    printf("fuzz: run %lu: seed %lu, %u workers, until %lu s\n", run, seed, nworkers,
           deadline / hz);
    prepare();
    for (l4_word_t i = 0; i % 64 || now_ticks() < deadline; i++) { // the time, now and then
        if (i % SHADOW_EVERY == 0)
            shadow_refresh();
        if (i % WATCH_EVERY == 0)
            watchdog();
        if (i % REPORT_EVERY == REPORT_EVERY - 1)
            stat_print(run, false);
        fz_step(&main_fz);
    }
    for (unsigned i = 0; i < nworkers; i++) {
        if (workers[i].b)
            retire(&workers[i]);
    }
    stat_print(run, true);
    l4_notify_signal(FUZZ_DONE);
    return 0;
}
