/* SPDX-License-Identifier: BSD-2-Clause */
/* thread_regs conformance: REG-001.. (every documented error; every register written and
 * found by the thread itself, inactive, suspended or blocked in a system call). */
#include "regtest.h"

#include <coffer/syscall_nr.h>
#include <string.h>

void regs_seen_entry(void); // seen.S: stores what it finds in regs_seen, calls regs_seen_check
extern struct l4_regs regs_seen;
void regs_seen_check(void);

static struct l4_regs want; /* what the thread sent to regs_seen_entry must find */
static const char *want_id; /* the test it reports */
static volatile int seen_done;
static l4_word_t tls_target[L4_TLS_COUNT]; /* what the bases point at: tls_target[i] = ~i */
static volatile l4_word_t spins;

/* Distinct values in every register, a stack, and every user flag that keeps C sane. */
static struct l4_regs pattern(void)
{
    static l4_word_t fake_stack[8] __attribute__((aligned(16)));
    struct l4_regs r;
    l4_word_t *w = (l4_word_t *)&r;

    for (unsigned i = 0; i < L4_REGS_WORDS; i++)
        w[i] = 0x0102030405060708ull * (i + 1) ^ 0x8000000000000000ull;
    L4_REGS_SP(&r) = (l4_word_t)&fake_stack[4];
    L4_REGS_IP(&r) = (l4_word_t)regs_seen_entry;
    pattern_flags(&r);
    for (unsigned i = 0; i < L4_TLS_COUNT; i++) {
        tls_target[i] = ~(l4_word_t)i;
        L4_REGS_TLS(&r)[i] = (l4_word_t)&tls_target[i];
    }
    return r;
}

/* The registers as thread_regs gives them back. */
static struct l4_regs as_read(struct l4_regs r)
{
    flags_as_read(&r);
    return r;
}

/* Index of the first word where a and b differ, or L4_REGS_WORDS. */
static unsigned first_diff(const struct l4_regs *a, const struct l4_regs *b)
{
    const l4_word_t *x = (const l4_word_t *)a, *y = (const l4_word_t *)b;
    unsigned i = 0;

    while (i < L4_REGS_WORDS && x[i] == y[i])
        i++;
    return i;
}

void regs_seen_check(void)
{
    struct l4_regs w = as_read(want);
    for (unsigned i = 0; i < L4_TLS_COUNT; i++)
        L4_REGS_TLS(&w)[i] = tls_target[i]; // seen_<arch>.S stores the words at the bases
    unsigned i = first_diff(&w, &regs_seen);
    test_report(want_id, i == L4_REGS_WORDS, "word %u is %lx, expected %lx", i,
                ((l4_word_t *)&regs_seen)[i % L4_REGS_WORDS], ((l4_word_t *)&w)[i % L4_REGS_WORDS]);
    seen_done = 1;
    l4_exit(0);
}

/* Send thread slot to regs_seen_entry with the pattern; id is the test it then reports. */
static l4_err_t send_to_seen(l4_cap_t slot, const char *id)
{
    want = pattern();
    want_id = id;
    seen_done = 0;
    return l4_thread_regs(slot, L4_REGS_SET, &want, NULL);
}

static void wait_seen(const char *id)
{
    for (unsigned n = 0; !seen_done && n < 1000; n++)
        l4_thread_yield();
    if (!seen_done)
        test_report(id, false, "the thread never reached regs_seen_entry");
}

/* thread_regs of r refused with want, and the thread unchanged (REG-0xx pairs). */
static void refused(const char *id, struct l4_regs r, l4_err_t err)
{
    struct l4_regs before, after;

    l4_thread_regs(T, L4_REGS_GET, NULL, &before);
    EXPECT_ERR(id, l4_thread_regs(T, L4_REGS_SET, &r, NULL), err);
    l4_thread_regs(T, L4_REGS_GET, NULL, &after);
    if (first_diff(&before, &after) != L4_REGS_WORDS)
        test_report(id, false, "a refused write changed word %u", first_diff(&before, &after));
}

static void errors(void)
{
    struct l4_regs r = pattern(), got;

    EXPECT_ERR("REG-001", l4_thread_regs(T, 0, &r, &got), L4_EINVAL);
    EXPECT_ERR("REG-002", l4_thread_regs(T, L4_REGS_ALL + 1, &r, &got), L4_EINVAL);
    EXPECT_ERR("REG-003", l4_thread_regs(L4_SLOT_DEBUG, L4_REGS_GET, &r, &got), L4_ECAP);
    EXPECT_ERR("REG-004", l4_thread_regs(T_WO, L4_REGS_GET, &r, &got), L4_ERIGHTS);
    EXPECT_ERR("REG-005", l4_thread_regs(T_RO, L4_REGS_SET, &r, &got), L4_ERIGHTS);
    EXPECT_ERR("REG-006", l4_thread_regs(L4_SLOT_THREAD, L4_REGS_SET, &r, &got), L4_ESTATE);
    EXPECT_ERR("REG-007", l4_thread_regs(T, L4_REGS_SET, NULL, &got), L4_EFAULT);
    EXPECT_ERR("REG-008", l4_thread_regs(T, L4_REGS_GET, &r, (void *)kernel_addr), L4_EFAULT);
    EXPECT_ERR("REG-009", l4_thread_regs(T, L4_REGS_GET, &r, (void *)errors), L4_EFAULT);
    /* a refused SET copies nothing out either: an unwritable out fails the whole call */
    EXPECT_ERR("REG-010", l4_thread_regs(T, L4_REGS_ALL, &r, (void *)kernel_addr), L4_EFAULT);
    refused("REG-011", (L4_REGS_IP(&r) = user_top, r), L4_ERANGE);
    refused("REG-012", (L4_REGS_IP(&r) = kernel_addr, r), L4_ERANGE);
    refused("REG-013", (L4_REGS_IP(&r) = 0x8000000000000000ull, r), L4_ERANGE);
    r = pattern();
    refused("REG-014", (L4_REGS_SP(&r) = user_top, r), L4_ERANGE);
    refused("REG-015", (L4_REGS_SP(&r) = kernel_addr, r), L4_ERANGE);
    flag_refusals(refused, pattern()); // REG-016.. on x86_64
    r = pattern();
    refused("REG-020", (L4_REGS_TLS(&r)[0] = user_top, r), L4_ERANGE);
    refused("REG-021", (L4_REGS_TLS(&r)[0] = 0x8000000000000000ull, r), L4_ERANGE);
    r = pattern();
    refused("REG-022", (L4_REGS_TLS(&r)[L4_TLS_COUNT - 1] = kernel_addr, r), L4_ERANGE);
}

/* A thread never started: written, read back, started; it finds every value. */
static void inactive(void)
{
    struct l4_regs got, old, fresh;

    l4_thread_regs(T, L4_REGS_GET, NULL, &fresh);
    test_report("REG-023",
                L4_REGS_TLS(&fresh)[0] == 0 && L4_REGS_TLS(&fresh)[L4_TLS_COUNT - 1] == 0 &&
                    L4_REGS_IP(&fresh) == 0,
                "a new thread's ip %lx TLS bases %lx, %lx", L4_REGS_IP(&fresh),
                L4_REGS_TLS(&fresh)[0], L4_REGS_TLS(&fresh)[L4_TLS_COUNT - 1]);
    EXPECT_ERR("REG-024", send_to_seen(T, "REG-025"), L4_OK);
    l4_thread_regs(T, L4_REGS_GET, NULL, &got);
    struct l4_regs w = as_read(want);
    test_report("REG-026", first_diff(&w, &got) == L4_REGS_WORDS, "word %u read back differs",
                first_diff(&w, &got));
    /* both at once: out gets the registers from before the write */
    struct l4_regs next = pattern();
    L4_REGS_ARG(&next) = 0xabcdef;
    l4_thread_regs(T, L4_REGS_ALL, &next, &old);
    l4_thread_regs(T, L4_REGS_GET, NULL, &got);
    test_report("REG-027", first_diff(&w, &old) == L4_REGS_WORDS && L4_REGS_ARG(&got) == 0xabcdef,
                "old word %u, new argument register %lx", first_diff(&w, &old), L4_REGS_ARG(&got));
    want = next; // what it finds now
    l4_thread_start(T);
    wait_seen("REG-025");
}

static long spinner(l4_word_t arg)
{
    (void)arg;
    for (;;)
        spins++;
    return 0;
}

/* A thread preempted while running, then suspended: it goes on from what was written. */
static void suspended(void)
{
    l4_thread_spawn(spinner, 0, 100, W1);
    while (!spins)
        l4_thread_yield();
    l4_thread_suspend(W1);
    EXPECT_ERR("REG-028", send_to_seen(W1, "REG-029"), L4_OK);
    l4_thread_resume(W1);
    wait_seen("REG-029");
}

static volatile int returned;

static long receiver(l4_word_t arg)
{
    l4_word_t tag;

    (void)arg;
    l4_ipc_recv(EP, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    returned = 1; // never: its receive ends when its registers are written
    return 0;
}

static long caller_fn(l4_word_t arg)
{
    (void)arg;
    l4_ipc_call(EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, NULL, NULL, NULL, NULL, NULL, NULL);
    returned = 1;
    return 0;
}

/* Wait until the thread in slot is in the kernel in call nr; its registers then. */
static struct l4_regs wait_in_call(l4_cap_t slot, l4_word_t nr)
{
    struct l4_regs r = {0};

    for (unsigned n = 0; n < 100 && regs_nr(&r) != nr; n++) {
        l4_thread_yield();
        l4_thread_regs(slot, L4_REGS_GET, NULL, &r);
    }
    return r;
}

/* Threads blocked in a system call: the call ends, never returns, the thread goes on. */
static void blocked(void)
{
    l4_word_t tag;

    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), EP, NULL);
    l4_thread_spawn(receiver, 0, 100, W2);
    struct l4_regs r = wait_in_call(W2, L4_SYS_IPC_RECV);
    test_report("REG-030", regs_nr(&r) == L4_SYS_IPC_RECV, "number %lx of a thread in ipc_recv",
                regs_nr(&r));
    EXPECT_ERR("REG-031", send_to_seen(W2, "REG-032"), L4_OK);
    /* it no longer waits on the endpoint, though it has not run since */
    EXPECT_ERR("REG-033", l4_ipc_send(EP, L4_TAG(1, 0, L4_IPC_NONBLOCK), 0, 0, 0, 0), L4_ETIMEOUT);
    wait_seen("REG-032");
    /* a caller waiting for our reply: it goes on, and the reply finds nobody */
    l4_thread_spawn(caller_fn, 0, 100, W2);
    l4_ipc_recv(EP, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    EXPECT_ERR("REG-034", send_to_seen(W2, "REG-035"), L4_OK);
    EXPECT_ERR("REG-036", l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0), L4_ESTATE);
    wait_seen("REG-035");
    test_report("REG-037", !returned, "a system call returned after its registers were written");
}

/*
 * REG-065..068: a thread whose notification wait the notification fastpath blocked (it
 * dropped its kernel call chain: kernel/core/notify_fast.c) reads back as it entered, and
 * once written goes on from what was written, though the next switch to it is that
 * fastpath's own (our wait hands it the CPU) and that switch must not deliver it the
 * wait's results. W1, below us, wakes us when nothing else can run.
 */
#define NTF_A 26
#define NTF_B 27

static long ntf_waiter(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_wait(NTF_A, &bits);
    returned = 1; // never: its wait ends when its registers are written
    return 0;
}

static long wake_main(l4_word_t arg)
{
    (void)arg;
    return l4_notify_signal(NTF_B);
}

static void blocked_in_notify_wait(void)
{
    l4_word_t bits = 0;

    returned = 0;
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_A, NULL);
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_B, NULL);
    l4_thread_spawn(wake_main, 0, 50, W1); // first: its spawn would let W2 run
    l4_thread_spawn(ntf_waiter, 0, 100, W2);
    struct l4_regs r = wait_in_call(W2, L4_SYS_NOTIFY_WAIT);
    test_report("REG-065", regs_nr(&r) == L4_SYS_NOTIFY_WAIT && L4_REGS_ARG(&r) == NTF_A,
                "number %lx argument %lx of a thread in notify_wait", regs_nr(&r), L4_REGS_ARG(&r));
    EXPECT_ERR("REG-066", send_to_seen(W2, "REG-067"), L4_OK);
    l4_err_t err = l4_notify_wait(NTF_B, &bits); // W2 runs and ends; then W1 wakes us
    if (!seen_done)
        test_report("REG-067", false, "the thread never reached regs_seen_entry");
    test_report("REG-068", err == L4_OK && !returned && bits == 1,
                "our wait: %s, bits %lx; its wait returned: %d", l4_strerror(err), bits, returned);
    l4_thread_destroy(W1);
    l4_thread_destroy(W2);
}

static long ends_at_once(l4_word_t arg)
{
    return (long)arg;
}

/* A thread that has ended keeps its capability for its exit code, not its registers. */
static void ended(void)
{
    const l4_cap_t slot = W2 + 10;
    struct l4_regs r = pattern(), got;
    l4_word_t code = 0;

    l4_thread_spawn(ends_at_once, 7, 100, slot);
    l4_thread_wait(slot, 0, &code);
    EXPECT_ERR("REG-053", l4_thread_regs(slot, L4_REGS_GET, NULL, &got), L4_ESTATE);
    EXPECT_ERR("REG-054", l4_thread_regs(slot, L4_REGS_SET, &r, NULL), L4_ESTATE);
    l4_thread_destroy(slot);
}

int main(const char *arg)
{
    if (!strcmp(arg, "peer")) {
        peer_main();
        return 0;
    }
    l4_thread_create(POOL_THR, L4_SLOT_SPACE, 100, T, NULL);
    l4_cap_replicate(T, T_RO);
    l4_cap_deduce(T_RO, L4_RIGHTS_CAP | L4_THR_READ, 0, 0);
    l4_cap_replicate(T, T_WO);
    l4_cap_deduce(T_WO, L4_RIGHTS_CAP | L4_THR_WRITE, 0, 0);
    errors();
    inactive();
    suspended();
    blocked();
    blocked_in_notify_wait();
    ended();
    tls_tests();
    entry_tests();
    printf("regtest: done\n");
    return 0;
}
