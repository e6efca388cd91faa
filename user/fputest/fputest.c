/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FPU-xxx: per-thread FPU state (docs/architecture.md "FPU state"): x86_64's x87/SSE/AVX,
 * AArch64's FP/SIMD. Two containers run this program ("a" and "b"): each computes with scalar
 * and vector code while the timer switches between them, and checks its results are exact;
 * "a" also checks that new threads and other containers see a clean state, and on x86_64 that
 * FPU exceptions reach a fault endpoint (state_x86_64.c).
 */
#include "l4.h"
#include "state.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

#define WORKER    17 /* a: the spawned thread of the moment */
#define LOW_PRIO  50 /* below main's: a spawned thread runs when main blocks */
#define SPIN      20000000ul
#define MIN_TICKS 20 /* so that both containers were switched many times in between */

typedef double v2df __attribute__((vector_size(16)));

static volatile unsigned long n_terms = 200000; // volatile: no constant folding
static struct fpu_view seen;

/* Series with exact answers in each unit: x87 (long double) or double, scalar and vector.
 * Not inlined: its constants must not be held across fpu_dirty_and_yield, which on AArch64
 * does not keep d8..d15 for its caller (state_aarch64.c). */
static __attribute__((noinline)) bool series(unsigned scale)
{
    unsigned long n = n_terms;
    fp_wide wide = 0;
    double sd = 0;
    float sf = 0;
    v2df v = {0, 0};

    for (unsigned long i = 1; i <= n; i++) {
        wide += (fp_wide)i * scale;
        sd += (double)i * 0.25 * scale;
        sf += 1.0f;
        v += (v2df){(double)i, (double)(2 * i)};
    }
    double want = (double)n * (double)(n + 1) / 2;
    return wide == (fp_wide)want * scale && sd == want * 0.25 * scale && sf == (float)n &&
           v[0] == want && v[1] == 2 * want;
}

/* FPU-001/002: the same registers hold the same values across many timer switches. */
static void interleaved(const char *id, uint8_t seed, unsigned scale)
{
    struct fpu_view want, got;
    l4_word_t t0 = test_ticks();
    bool exact = true;

    fpu_pattern(&want, seed);
    for (unsigned round = 0; round < 4; round++) {
        exact = exact && series(scale + round);
        fpu_dirty_and_yield(seed);
        fpu_read(&got);
        exact = exact && fpu_same(&got, &want);
        for (volatile unsigned long i = 0; i < SPIN / 4; i++) // preempted here, state live
            ;
    }
    l4_word_t ticks = test_ticks() - t0;
    test_report(id, exact && ticks >= MIN_TICKS, "results %s over %lu ticks",
                exact ? "exact" : "WRONG", ticks);
}

static long read_state(l4_word_t arg)
{
    (void)arg;
    fpu_read(&seen);
    return 0;
}

/* FPU-003: a new thread starts with a clean state, though its creator's was dirty. */
static void new_thread_clean(void)
{
    struct fpu_view mine, want;

    __builtin_memset(&seen, 0xee, sizeof(seen));
    l4_thread_spawn(read_state, 0, 100, WORKER); // equal priority: runs when we yield
    fpu_dirty_and_yield(0x33);
    fpu_read(&mine);
    fpu_pattern(&want, 0x33);
    fpu_report("FPU-003", fpu_is_clean(&seen), "a new thread saw", &seen);
    /* FPU-004: and the creator got its own state back */
    fpu_report("FPU-004", fpu_same(&mine, &want), "after the switch", &mine);
}

int main(const char *arg)
{
    if (strcmp(arg, "b") == 0) {
        /* FPU-007: our first look at the FPU, just after "a" dirtied it and yielded */
        fpu_read(&seen);
        fpu_report("FPU-007", fpu_is_clean(&seen), "its first look", &seen);
        interleaved("FPU-002", 0xb0, 3);
        return 0;
    }
    fpu_dirty_and_yield(0xa0); // "b" runs next and reads its state first
    interleaved("FPU-001", 0xa0, 5);
    new_thread_clean();
    fpu_arch_tests();
    return 0;
}
