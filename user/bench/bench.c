/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench: kernel path lengths in guest counter ticks (tsc(): rdtsc on x86_64, the PMU
 * cycle counter on AArch64; instructions under -icount shift=0). */
/*
 * Nothing here touches the FPU, not even the compiler's SSE copies: the threads of these rows
 * must never use it, so that they measure switches that save no FPU state (bench_fpu.c has
 * the row for threads that did).
 */
#pragma GCC target("general-regs-only")
#include "bench_fpu.h"
#include "bench_time.h"
#include "l4.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/regs.h>
#include <coffer/syscall_raw.h>
#include <coffer/thread.h>

#define SERVER_EP  16 /* client: send; server: receive (its own endpoint) */
#define SERVER     17 /* client: the server container, receive */
#define CLIENT_SP  20 /* server: the client's space (granted) */
#define N1         21 /* client: notifications for the ping-pong */
#define N2         22
#define PONG       23
#define OWN_EP     24
#define RUNS       200
#define PROBE_VA   0x50000000ull
#define LABEL_MAP  3    /* server: map a page for the client's fault */
#define FOREIGN_NR 1000 /* client: a system call number that is not Coffer's */
#define LABEL_FPU  4    /* server: use the FPU, so that its state is saved from now on */

/* Print min and median of the samples, less the cost of reading the counter. */
static void report(const char *what, l4_word_t *v, l4_word_t overhead)
{
    bench_line(what, v, RUNS, overhead);
}

static void null_syscall(l4_word_t ovh)
{
    l4_word_t v[RUNS], x;

    for (int i = 0; i < RUNS; i++) {
        l4_word_t t0 = tsc();
        l4_thread_id(&x, &x, &x);
        v[i] = tsc() - t0;
    }
    report("null system call (thread_id)", v, ovh);
}

static void ipc_round_trip(l4_word_t ovh, const char *what)
{
    l4_word_t v[RUNS], x;

    for (int i = 0; i < RUNS; i++) {
        l4_word_t t0 = tsc();
        l4_ipc_call(SERVER_EP, L4_TAG(1, 2, 0), i, 0, 0, 0, &x, &x, &x, &x, &x, &x);
        v[i] = tsc() - t0;
    }
    report(what, v, ovh);
}

static long ponger(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    for (;;) {
        l4_notify_wait(N1, &bits);
        l4_notify_signal(N2);
    }
    return 0;
}

static void notification_round_trip(l4_word_t ovh)
{
    l4_word_t v[RUNS], id, bits;

    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), N1, &id);
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), N2, &id);
    l4_thread_spawn(ponger, 0, 100, PONG);
    l4_thread_yield(); // it waits on N1
    for (int i = 0; i < RUNS; i++) {
        l4_word_t t0 = tsc();
        l4_notify_signal(N1);
        l4_notify_wait(N2, &bits);
        v[i] = tsc() - t0;
    }
    report("notification signal+wait round trip (2 threads)", v, ovh);
    l4_thread_destroy(PONG);
}

static void map_unmap(l4_word_t ovh)
{
    l4_word_t v[RUNS];

    l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, PROBE_VA, L4_MAP_READ); // tables exist now
    l4_mem_unmap(L4_SLOT_SPACE, PROBE_VA);
    for (int i = 0; i < RUNS; i++) {
        l4_word_t t0 = tsc();
        l4_mem_map(L4_SLOT_MEMORY, 0, L4_SLOT_SPACE, PROBE_VA, L4_MAP_READ);
        l4_mem_unmap(L4_SLOT_SPACE, PROBE_VA);
        v[i] = tsc() - t0;
    }
    report("map + unmap of a page", v, ovh);
}

/* Our faults go to the server, which maps its page at the address and resumes us. */
static void page_fault(l4_word_t ovh)
{
    l4_word_t v[RUNS];

    l4_cap_replicate(L4_SLOT_SPACE, 30);
    l4_cap_grant(30, SERVER, CLIENT_SP);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FAULT_EP, SERVER_EP);
    for (int i = 0; i < RUNS; i++) {
        l4_word_t t0 = tsc();
        (void)*(volatile l4_word_t *)PROBE_VA; // fault, mapped by the server, retried
        v[i] = tsc() - t0;
        l4_mem_unmap(L4_SLOT_SPACE, PROBE_VA);
    }
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FAULT_EP, 0);
    report("page fault round trip (handler maps, resumes)", v, ovh);
}

/*
 * Our system call 1000 (not a Coffer number) goes to the server as a foreign system call: it
 * answers the sum of the first two arguments in the result register (x86_64: rax = rdi + rsi;
 * AArch64: x0 = x0 + x1) and every other register as it came, and we resume.
 */
static void foreign_syscall(l4_word_t ovh)
{
    l4_word_t v[RUNS];

    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FAULT_EP, SERVER_EP);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FOREIGN, L4_FOREIGN_UNKNOWN);
    for (int i = 0; i < RUNS; i++) {
        l4_word_t r[6] = {(l4_word_t)i, 1, 0, 0, 0, 0};
        l4_word_t t0 = tsc();
        l4_syscall(FOREIGN_NR, r);
        v[i] = tsc() - t0;
    }
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FOREIGN, L4_FOREIGN_OFF);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FAULT_EP, 0);
    report("foreign syscall round trip (handler resumes)", v, ovh);
}

static int client(const char *mode)
{
    l4_word_t ovh = bench_overhead(), x;

    printf("BENCH timer overhead (%s)       %lu ticks (subtracted)\n", TSC_READ, ovh);
    null_syscall(ovh);
    (void)mode;
    ipc_round_trip(ovh, "IPC call+reply round trip, 2 containers");
    notification_round_trip(ovh);
    map_unmap(ovh);
    page_fault(ovh);
    foreign_syscall(ovh);
    /* last: once a thread used the FPU, every switch of it saves and loads its state */
    l4_ipc_call(SERVER_EP, L4_TAG(LABEL_FPU, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    bench_use_fpu();
    ipc_round_trip(ovh, "IPC call+reply round trip, both threads used the FPU");
    l4_ipc_call(SERVER_EP, L4_TAG(2, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    printf("BENCH done\n");
    return 0;
}

/*
 * A fault message: map a page at its address. A foreign system call: answer the sum of its
 * first two arguments (foreign_syscall) and every other register as it came (words 4 and up
 * stay in our UTCB from the message to the reply). Returns the reply's tag.
 */
static l4_word_t kernel_message(l4_word_t tag, l4_word_t *m0, l4_word_t m1)
{
    const struct l4_utcb *utcb = (const struct l4_utcb *)L4_UTCB_MAIN;

    if (L4_TAG_LABEL(tag) == L4_LABEL_FAULT)
        l4_mem_map(L4_SLOT_MEMORY, 0, CLIENT_SP, m1 & ~0xfffull, L4_MAP_READ);
    if (L4_TAG_LABEL(tag) == LABEL_FPU)
        bench_use_fpu();
    if (L4_TAG_LABEL(tag) != L4_LABEL_SYSCALL)
        return L4_TAG(0, 1, 0);
#if defined(__aarch64__)
    *m0 += m1; // x0 + x1: struct l4_regs's words 0 and 1, which come in registers
    (void)utcb;
#else
    *m0 = utcb->mr[5] + utcb->mr[4]; // rdi + rsi
#endif
    return L4_TAG(L4_SYSCALL_RESUME, L4_REGS_WORDS, 0);
}

/* Echo calls, answer the kernel's messages (the labels above 2); quit on label 2. */
static int server(void)
{
    l4_word_t tag, m0, m1, m2, m3, badge;
    l4_err_t err = l4_ipc_recv(SERVER_EP, 0, &tag, &m0, &m1, &m2, &m3, &badge);

    while (!err && L4_TAG_LABEL(tag) != 2) {
        if (L4_TAG_LABEL(tag) > 2) { // as cheap as the echo's own test: its time is measured
            tag = kernel_message(tag, &m0, m1);
            err =
                l4_ipc_reply_recv(SERVER_EP, tag, m0, m1, m2, m3, &tag, &m0, &m1, &m2, &m3, &badge);
            continue;
        }
        err = l4_ipc_reply_recv(SERVER_EP, L4_TAG(0, 1, 0), m0, 0, 0, 0, &tag, &m0, &m1, &m2, &m3,
                                &badge);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return 0;
}

int main(const char *arg)
{
    return strcmp(arg, "server") == 0 ? server() : client(arg);
}
