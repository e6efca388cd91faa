/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * FPU-xxx: per-thread FPU/SSE/AVX state (docs/architecture.md "FPU state"). Two containers
 * run this program ("a" and "b"): each computes with x87, SSE and vector code while the timer
 * switches between them, and checks its results are exact; "a" also checks that new threads
 * and other containers see a clean state and that FPU exceptions reach a fault endpoint.
 */
#include "l4.h"
#include "state.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

#define FAULT_EP  16 /* a: where the faulting threads' exceptions go */
#define WORKER    17 /* a: the spawned thread of the moment */
#define LOW_PRIO  50 /* below main's: a spawned thread runs when main blocks */
#define SPIN      20000000ul
#define MIN_TICKS 20 /* so that both containers were switched many times in between */

typedef double v2df __attribute__((vector_size(16)));

static volatile unsigned long n_terms = 200000; // volatile: no constant folding
static struct fpu_view seen;

/* Series with exact answers in each unit: x87 (long double), SSE scalar and vector. */
static bool series(unsigned scale)
{
    unsigned long n = n_terms;
    long double x87 = 0;
    double sd = 0;
    float sf = 0;
    v2df v = {0, 0};

    for (unsigned long i = 1; i <= n; i++) {
        x87 += (long double)i * scale;
        sd += (double)i * 0.25 * scale;
        sf += 1.0f;
        v += (v2df){(double)i, (double)(2 * i)};
    }
    double want = (double)n * (double)(n + 1) / 2;
    return x87 == (long double)want * scale && sd == want * 0.25 * scale && sf == (float)n &&
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
        exact = exact && got.fcw == want.fcw && got.mxcsr == want.mxcsr &&
                __builtin_memcmp(got.xmm, want.xmm, sizeof(got.xmm)) == 0 &&
                __builtin_memcmp(got.ymm_hi, want.ymm_hi, sizeof(got.ymm_hi)) == 0;
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
    test_report("FPU-003", fpu_is_clean(&seen), "new thread saw fcw %x fsw %x ftw %x mxcsr %x",
                seen.fcw, seen.fsw, seen.ftw, seen.mxcsr);
    /* FPU-004: and the creator got its own state back */
    test_report("FPU-004",
                mine.fcw == want.fcw && mine.mxcsr == want.mxcsr &&
                    __builtin_memcmp(mine.xmm, want.xmm, sizeof(mine.xmm)) == 0 &&
                    __builtin_memcmp(mine.ymm_hi, want.ymm_hi, sizeof(mine.ymm_hi)) == 0,
                "fcw %x mxcsr %x after the switch", mine.fcw, mine.mxcsr);
}

static long sse_divide_by_zero(l4_word_t arg)
{
    uint32_t mxcsr = MXCSR_CLEAN & ~(1u << 9); // ZM clear: divide by zero unmasked
    double x = 1.0, zero = (double)arg;

    __asm__ volatile("ldmxcsr %1\n divsd %2, %0" : "+x"(x) : "m"(mxcsr), "x"(zero));
    return (long)x;
}

static long x87_divide_by_zero(l4_word_t arg)
{
    uint16_t fcw = FCW_CLEAN & ~(1u << 2); // ZM clear
    (void)arg;
    __asm__ volatile("fldcw %0\n fld1\n fldz\n fdivrp\n fwait" : : "m"(fcw)); // #MF at fwait
    return 0;
}

/*
 * FPU-005/006: an unmasked FPU exception is a fault sent to the thread's fault endpoint.
 * The worker runs beside us (same priority) and we poll, so that a CPU that sets the flag
 * without trapping ends the worker instead of leaving us waiting.
 */
static void exception_to_fault_ep(const char *id, long (*fn)(l4_word_t), l4_word_t vector)
{
    l4_word_t tag = 0, m[4] = {0}, badge;
    l4_err_t err = L4_ETIMEOUT;

    /* its fault endpoint before it runs: a timeslice ending between a spawn and the configure
     * would let it fault first, with nobody to tell */
    l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, fn, 0, 100, WORKER);
    l4_thread_configure(WORKER, L4_THREAD_FAULT_EP, FAULT_EP);
    l4_thread_start(WORKER);
    for (unsigned i = 0; i < 100 && err == L4_ETIMEOUT && !slot_empty(WORKER); i++) {
        l4_thread_yield();
        err = l4_ipc_recv(FAULT_EP, L4_IPC_NONBLOCK, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
    }
    bool faulted = err == L4_OK && L4_TAG_LABEL(tag) == L4_LABEL_FAULT;
    if (!faulted && err == L4_ETIMEOUT && vector == 19) // QEMU's TCG sets the flag only
        printf("TEST %s SKIP: this CPU raises no #XM (the worker ended untrapped)\n", id);
    else
        test_report(id, faulted && m[0] == vector, "%s, label %lx, vector %lu", l4_strerror(err),
                    L4_TAG_LABEL(tag), m[0]);
    if (err == L4_OK)
        l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); // not a resume: the thread stops
    yield_n(3);                                    // and its fault report is printed
    if (!slot_empty(WORKER))
        l4_thread_destroy(WORKER);
}

int main(const char *arg)
{
    if (strcmp(arg, "b") == 0) {
        /* FPU-007: our first look at the FPU, just after "a" dirtied it and yielded */
        fpu_read(&seen);
        test_report("FPU-007", fpu_is_clean(&seen), "fcw %x fsw %x ftw %x mxcsr %x", seen.fcw,
                    seen.fsw, seen.ftw, seen.mxcsr);
        interleaved("FPU-002", 0xb0, 3);
        return 0;
    }
    fpu_dirty_and_yield(0xa0); // "b" runs next and reads its state first
    interleaved("FPU-001", 0xa0, 5);
    new_thread_clean();
    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), FAULT_EP, NULL);
    exception_to_fault_ep("FPU-005", x87_divide_by_zero, 16);
    exception_to_fault_ep("FPU-006", sse_divide_by_zero, 19);
    return 0;
}
