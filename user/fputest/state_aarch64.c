/* SPDX-License-Identifier: BSD-2-Clause */
/* fputest: register-level probes of the AArch64 FP/SIMD state (V0-V31, FPCR, FPSR), in asm so
 * that no compiler code intervenes. Built for AArch64 only. */
#ifdef __aarch64__
#include "l4.h"
#include "state.h"
#include "test.h"

#include <coffer/cap.h>
#include <coffer/syscall_nr.h>

/* A clean state is all zero: FPCR 0 is round to nearest, no flush to zero, no default NaN */
#define FPCR_DIRTY 0x03c00000u /* round toward zero, flush to zero, default NaN */
#define FPSR_DIRTY 0x0800009fu /* every cumulative flag: QC IDC IXC UFC OFC DZC IOC */

#define PAIRS(m)                                                                                   \
    m(0, 1) m(2, 3) m(4, 5) m(6, 7) m(8, 9) m(10, 11) m(12, 13) m(14, 15) m(16, 17) m(18, 19)      \
        m(20, 21) m(22, 23) m(24, 25) m(26, 27) m(28, 29) m(30, 31)
#define STORE(a, b) "stp q" #a ", q" #b ", [%[v], #" #a "*16]\n"
#define LOAD(a, b)  "ldp q" #a ", q" #b ", [%[v], #" #a "*16]\n"
/*
 * Not v8..v15: AAPCS64 has a function keep d8..d15 for its caller, so naming them would have
 * the compiler put the caller's back on return, over the pattern. fpu_dirty_and_yield breaks
 * that promise on purpose; its callers (fputest.c) hold no FP value across it.
 */
#define VREGS                                                                                      \
    "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v16", "v17", "v18", "v19", "v20", "v21",      \
        "v22", "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30", "v31"

void fpu_read(struct fpu_view *v)
{
    l4_word_t fpcr, fpsr;

    __asm__ volatile("mrs %[cr], fpcr\n"
                     "mrs %[sr], fpsr\n" PAIRS(STORE)
                     : [cr] "=&r"(fpcr), [sr] "=&r"(fpsr)
                     : [v] "r"(v->v)
                     : "memory");
    v->fpcr = (uint32_t)fpcr;
    v->fpsr = (uint32_t)fpsr;
}

void fpu_pattern(struct fpu_view *v, uint8_t seed)
{
    v->fpcr = FPCR_DIRTY;
    v->fpsr = FPSR_DIRTY;
    for (unsigned r = 0; r < 32; r++) {
        for (unsigned i = 0; i < 16; i++)
            v->v[r][i] = (uint8_t)(seed + r * 16 + i) ^ (r >= 16 ? 0x5a : 0);
    }
}

bool fpu_is_clean(const struct fpu_view *v)
{
    bool zero = true;

    for (unsigned r = 0; r < 32; r++) {
        for (unsigned i = 0; i < 16; i++)
            zero = zero && !v->v[r][i];
    }
    return zero && v->fpcr == 0 && v->fpsr == 0;
}

bool fpu_same(const struct fpu_view *a, const struct fpu_view *b)
{
    return a->fpcr == b->fpcr && a->fpsr == b->fpsr &&
           __builtin_memcmp(a->v, b->v, sizeof(a->v)) == 0;
}

void fpu_report(const char *id, bool ok, const char *what, const struct fpu_view *v)
{
    test_report(id, ok, "%s fpcr %x fpsr %x v0 %02x.. v31 %02x..", what, v->fpcr, v->fpsr,
                v->v[0][0], v->v[31][0]);
}

/* Load seed's pattern and make system call nr with x0 (an IPC call's endpoint, with an empty
 * message) in one asm: no compiled code touches the registers between the loads and the SVC */
static void fpu_dirty_and_call(uint8_t seed, l4_word_t nr, l4_word_t ep)
{
    struct fpu_view p; // the caller's own: another thread fills its own meanwhile
    register l4_word_t x0 __asm__("x0") = ep;
    register l4_word_t x1 __asm__("x1") = 0; // the tag: label 0, no words
    register l4_word_t x2 __asm__("x2") = 0, x3 __asm__("x3") = 0, x4 __asm__("x4") = 0;
    register l4_word_t x5 __asm__("x5") = 0;
    register l4_word_t x8 __asm__("x8") = nr;
    register l4_word_t x9 __asm__("x9") = FPCR_DIRTY;
    register l4_word_t x10 __asm__("x10") = FPSR_DIRTY;

    fpu_pattern(&p, seed);
    __asm__ volatile(PAIRS(LOAD) "msr fpcr, x9\n"
                                 "msr fpsr, x10\n"
                                 "svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x8)
                     : [v] "r"(p.v), "r"(x9), "r"(x10)
                     : "memory", VREGS);
}

void fpu_dirty_and_yield(uint8_t seed)
{
    fpu_dirty_and_call(seed, L4_SYS_THREAD_YIELD, 0);
}

#define FP_EP          20 /* the endpoint of FPU-008/009 */
#define FP_SERVER      21 /* its server thread */
#define FP_ROUNDS      200
#define FP_CLIENT_SEED 0x41
#define FP_SERVER_SEED 0x77

static struct fpu_view server_first;
static volatile bool server_kept = true;
static volatile unsigned server_rounds;

/* Waits (the general path), then answers each call with its own pattern loaded: the IPC
 * fastpath hands the CPU between the two threads each way */
static long fp_server(l4_word_t arg)
{
    struct fpu_view got, want;
    l4_word_t x;

    (void)arg;
    l4_ipc_recv(FP_EP, 0, &x, &x, &x, &x, &x, &x);
    fpu_read(&server_first); // its first FP instruction: the client's state must not show
    fpu_pattern(&want, FP_SERVER_SEED);
    for (;;) {
        fpu_dirty_and_call(FP_SERVER_SEED, L4_SYS_IPC_REPLY_RECV, FP_EP);
        fpu_read(&got);
        server_kept = server_kept && fpu_same(&got, &want);
        server_rounds++;
    }
    return 0;
}

/*
 * FPU-008/009: the FPU state across the IPC fastpath's switch (call and reply_recv, which
 * hand the CPU straight to the partner): a server that never used the FPU sees a clean state
 * after a dirty client's call, and two threads that both use it each keep their own.
 */
static void fpu_across_ipc(void)
{
    struct fpu_view got, want;
    bool kept = true;
    l4_word_t id;

    if (l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), FP_EP, &id) != L4_OK ||
        l4_thread_spawn(fp_server, 0, 100, FP_SERVER) != L4_OK) {
        test_report("FPU-008", false, "no endpoint or thread");
        return;
    }
    l4_thread_yield(); // it blocks in receive
    fpu_pattern(&want, FP_CLIENT_SEED);
    for (unsigned i = 0; i < FP_ROUNDS; i++) {
        fpu_dirty_and_call(FP_CLIENT_SEED, L4_SYS_IPC_CALL, FP_EP);
        fpu_read(&got);
        kept = kept && fpu_same(&got, &want);
    }
    fpu_report("FPU-008", fpu_is_clean(&server_first), "the server's first look", &server_first);
    test_report("FPU-009", kept && server_kept && server_rounds == FP_ROUNDS - 1,
                "client kept %d, server kept %d over %u rounds", kept, server_kept, server_rounds);
    l4_thread_destroy(FP_SERVER);
}

/* An FP exception is no fault on AArch64 here: FPCR's trap enables are optional, and QEMU's
 * cortex-a57 has none (they read as zero), so there is nothing of x86_64's FPU-005/006. */
void fpu_arch_tests(void)
{
    fpu_across_ipc();
}
#endif
