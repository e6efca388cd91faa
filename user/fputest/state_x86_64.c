/* SPDX-License-Identifier: BSD-2-Clause */
/* fputest: register-level probes of the x86_64 FPU state, in asm so that no compiler code
 * intervenes, and its exceptions (FPU-005, FPU-006). Built for x86_64 only. */
#ifdef __x86_64__
#include "l4.h"
#include "state.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/syscall_nr.h>
#include <coffer/thread.h>

#define FAULT_EP 16 /* where the faulting threads' exceptions go */
#define WORKER   17 /* the spawned thread of the moment */

bool cpu_has_avx(void)
{
    uint32_t a, b, c, d, lo, hi;

    __asm__ volatile("cpuid" : "=a"(a), "=b"(b), "=c"(c), "=d"(d) : "a"(1), "c"(0));
    if (!(c & (1u << 28)) || !(c & (1u << 27))) // AVX, OSXSAVE
        return false;
    __asm__ volatile("xgetbv" : "=a"(lo), "=d"(hi) : "c"(0));
    return (lo & 6) == 6; // SSE and AVX state enabled by the kernel
}

#define XMM_STORE(n) "movdqu %%xmm" #n ", " #n "*16(%[x])\n"
#define YMM_STORE(n) "vextractf128 $1, %%ymm" #n ", " #n "*16(%[y])\n"
#define XMM_LOAD(n)  "movdqu " #n "*16(%[x]), %%xmm" #n "\n"
#define YMM_LOAD(n)  "vinsertf128 $1, " #n "*16(%[y]), %%ymm" #n ", %%ymm" #n "\n"
#define ALL16(m)                                                                                   \
    m(0) m(1) m(2) m(3) m(4) m(5) m(6) m(7) m(8) m(9) m(10) m(11) m(12) m(13) m(14) m(15)

void fpu_read(struct fpu_view *v)
{
    uint16_t env[14];
    bool avx = cpu_has_avx();

    __asm__ volatile("fnstenv %[env]\n"
                     "fldcw %[env]\n" // fnstenv masked every exception: put the word back
                     "stmxcsr %[mx]\n" ALL16(XMM_STORE)
                     : [env] "=m"(env), [mx] "=m"(v->mxcsr)
                     : [x] "r"(v->xmm)
                     : "memory");
    if (avx)
        __asm__ volatile(ALL16(YMM_STORE) : : [y] "r"(v->ymm_hi) : "memory");
    else
        __builtin_memset(v->ymm_hi, 0, sizeof(v->ymm_hi));
    v->fcw = env[0];
    v->fsw = env[2];
    v->ftw = env[4];
}

void fpu_pattern(struct fpu_view *v, uint8_t seed)
{
    bool avx = cpu_has_avx();

    v->fcw = FCW_DIRTY;
    v->mxcsr = MXCSR_DIRTY;
    for (unsigned r = 0; r < 16; r++) {
        for (unsigned i = 0; i < 16; i++) {
            v->xmm[r][i] = (uint8_t)(seed + r * 16 + i);
            v->ymm_hi[r][i] = avx ? (uint8_t)(seed ^ (r * 16 + i)) ^ 0x5a : 0;
        }
    }
}

/* the yield is in the same asm as the loads: no compiled code may touch the registers first */
#define DIRTY_TAIL     "fninit\n fldcw %[cw]\n ldmxcsr %[mx]\n fld1\n syscall"
#define DIRTY_CLOBBERS "rcx", "r11", "rdi", "rsi", "rdx", "r10", "r8", "r9", "memory"

void fpu_dirty_and_yield(uint8_t seed)
{
    static struct fpu_view p;
    uint16_t fcw = FCW_DIRTY;
    uint32_t mxcsr = MXCSR_DIRTY;
    l4_word_t nr = L4_SYS_THREAD_YIELD;

    fpu_pattern(&p, seed);
    if (cpu_has_avx())
        __asm__ volatile(ALL16(XMM_LOAD) ALL16(YMM_LOAD) DIRTY_TAIL
                         : "+a"(nr)
                         : [x] "r"(p.xmm), [y] "r"(p.ymm_hi), [cw] "m"(fcw), [mx] "m"(mxcsr)
                         : DIRTY_CLOBBERS);
    else
        __asm__ volatile(ALL16(XMM_LOAD) DIRTY_TAIL
                         : "+a"(nr)
                         : [x] "r"(p.xmm), [cw] "m"(fcw), [mx] "m"(mxcsr)
                         : DIRTY_CLOBBERS);
}

bool fpu_is_clean(const struct fpu_view *v)
{
    bool zero = true;

    for (unsigned r = 0; r < 16; r++) {
        for (unsigned i = 0; i < 16; i++)
            zero = zero && !v->xmm[r][i] && !v->ymm_hi[r][i];
    }
    return zero && v->fcw == FCW_CLEAN && v->fsw == 0 && v->ftw == FTW_EMPTY &&
           v->mxcsr == MXCSR_CLEAN;
}

bool fpu_same(const struct fpu_view *a, const struct fpu_view *b)
{
    return a->fcw == b->fcw && a->mxcsr == b->mxcsr &&
           __builtin_memcmp(a->xmm, b->xmm, sizeof(a->xmm)) == 0 &&
           __builtin_memcmp(a->ymm_hi, b->ymm_hi, sizeof(a->ymm_hi)) == 0;
}

void fpu_report(const char *id, bool ok, const char *what, const struct fpu_view *v)
{
    test_report(id, ok, "%s fcw %x fsw %x ftw %x mxcsr %x", what, v->fcw, v->fsw, v->ftw, v->mxcsr);
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

void fpu_arch_tests(void)
{
    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), FAULT_EP, NULL);
    exception_to_fault_ep("FPU-005", x87_divide_by_zero, 16);
    exception_to_fault_ep("FPU-006", sse_divide_by_zero, 19);
}
#endif
