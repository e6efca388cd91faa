/* SPDX-License-Identifier: BSD-2-Clause */
/* The guest: makes Coffer and foreign system calls in each L4_THREAD_FOREIGN mode. */
#include "foreign.h"
#include "test.h"
#include "tp.h"

#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/syscall_nr.h>
#include <coffer/thread.h>
#include <coffer/tls.h>

#define T_READONLY 20 /* our first thread, L4_THR_READ only */
#define HELPER     21 /* a spawned thread, for the modes the main thread cannot leave */
#define MIDDLE     22 /* a thread between the handler and us (FOREIGN-062) */
#define HOLDER     23 /* an ordinary caller the handler leaves unanswered (FOREIGN-086) */
#define PRIO       100

static volatile bool go, went_on, held_done;
static volatile l4_err_t held_result;
static volatile l4_err_t helper_result;

/* A system call with arguments A0 and A1; returns what comes back in NR (arch.h). */
static l4_word_t call2(l4_word_t nr, l4_word_t a0, l4_word_t a1)
{
    l4_word_t r[6] = {a0, a1, 0, 0, 0, 0};

    return (l4_word_t)l4_syscall(nr, r);
}

static void config_errors(void)
{
    EXPECT_ERR("FOREIGN-001", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FOREIGN, 3), L4_ERANGE);
    l4_cap_replicate(L4_SLOT_THREAD, T_READONLY);
    l4_cap_deduce(T_READONLY, L4_RIGHTS_CAP | L4_THR_READ, 0, 0);
    EXPECT_ERR("FOREIGN-002", l4_thread_configure(T_READONLY, L4_THREAD_FOREIGN, 1), L4_ERIGHTS);
    EXPECT_ERR("FOREIGN-003", l4_thread_configure(SYS_EP, L4_THREAD_FOREIGN, 1), L4_ECAP);
}

/* NR_REGS: the handler sees our registers exactly, and we see its answer exactly. */
static void every_register(const char *id_exact, const char *id_where)
{
    struct l4_regs in, out;
    l4_word_t *w = (l4_word_t *)&in, *o = (l4_word_t *)&out;
    unsigned first_wrong = L4_REGS_WORDS;

    for (unsigned i = 0; i < L4_REGS_WORDS; i++)
        w[i] = regs_pattern(i);
    REG(&in, W_NR) = NR_REGS;
    foreign_call(&in, &out);
    for (unsigned i = L4_REGS_WORDS; i-- > 0;)
        if (i != W_NR && regs_chosen(i) && o[i] != w[i] + DELTA)
            first_wrong = i;
    test_report(id_exact,
                first_wrong == L4_REGS_WORDS && REG(&out, W_NR) == REGS_ANSWER &&
                    L4_REGS_SP(&out) == L4_REGS_SP(&in) && regs_answer_ok(&in, &out),
                "answer %lx; register word %u not the handler's; sp %lx/%lx", REG(&out, W_NR),
                first_wrong, L4_REGS_SP(&out), L4_REGS_SP(&in));
    test_report(id_where, call2(NR_WHERE, L4_REGS_SP(&in), L4_REGS_IP(&in)) == 1,
                "the handler saw another sp or ip");
}

static void mode_unknown(void)
{
    l4_word_t id, x, r[6] = {40, 2, 0, 0, 0, 0};
    l4_err_t err;

    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FAULT_EP, SYS_EP);
    EXPECT_ERR("FOREIGN-017",
               l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FOREIGN, L4_FOREIGN_UNKNOWN), L4_OK);
    err = l4_thread_id(&id, &x, &x);
    test_report("FOREIGN-008", err == L4_OK && id != 0, "thread_id: %s, id %lx", l4_strerror(err),
                id);
    l4_word_t sum = (l4_word_t)l4_syscall(NR_ADD, r);
    test_report("FOREIGN-009", sum == 42 && r[0] == 40 && r[1] == 2,
                "answer %lu, arguments %lu %lu", sum, r[0], r[1]);
    every_register("FOREIGN-010", "FOREIGN-011");
}

/* In L4_FOREIGN_ALL even thread_id goes to the handler (or, with none, gets ENOSYS). */
static long all_helper(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    while (!go)
        ;
    helper_result = l4_thread_id(&x, &x, &x);
    went_on = true;
    for (;;) // no system call of ours reaches the kernel: the main thread destroys us
        ;
    __builtin_unreachable();
}

/* The stopped thread never gets past its call. */
static long stop_helper(l4_word_t arg)
{
    while (!go)
        ;
    call2(arg >> 8, arg & 0xff, 0);
    went_on = true;
    return 0;
}

/* Spawn fn in mode (its fault endpoint ep), let it make its call, wait until done says. */
static void run_helper(long (*fn)(l4_word_t), l4_word_t arg, l4_word_t mode, l4_cap_t ep,
                       volatile bool *done)
{
    go = went_on = false;
    l4_thread_spawn(fn, arg, PRIO, HELPER);
    l4_thread_configure(HELPER, L4_THREAD_FAULT_EP, ep);
    l4_thread_configure(HELPER, L4_THREAD_FOREIGN, mode);
    go = true;
    for (unsigned i = 0; i < 1000 && !*done; i++)
        l4_thread_yield();
}

static void mode_all(void)
{
    helper_result = L4_OK;
    run_helper(all_helper, 0, L4_FOREIGN_ALL, SYS_EP, &went_on);
    test_report("FOREIGN-012", went_on && helper_result == (l4_err_t)COFFER_ANSWER,
                "thread_id gave %lx", (l4_word_t)helper_result);
    l4_thread_destroy(HELPER);
    run_helper(all_helper, 0, L4_FOREIGN_ALL, 0, &went_on);
    test_report("FOREIGN-015", went_on && helper_result == L4_ENOSYS, "thread_id gave %s",
                l4_strerror(helper_result));
    l4_thread_destroy(HELPER);
}

/* FOREIGN-083: in L4_FOREIGN_ALL, ipc_call too goes to the handler, even with a receiver
 * waiting on the endpoint it names (the assembly fastpath's syscall_limit test). */
static long all_ipc_helper(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    while (!go)
        ;
    helper_result = l4_ipc_call(SYS_EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    went_on = true;
    for (;;)
        ;
    __builtin_unreachable();
}

static void mode_all_ipc(void)
{
    helper_result = L4_OK;
    run_helper(all_ipc_helper, 0, L4_FOREIGN_ALL, SYS_EP, &went_on);
    test_report("FOREIGN-083", went_on && helper_result == (l4_err_t)NR_UNKNOWN_ANSWER,
                "ipc_call in L4_FOREIGN_ALL gave %lx", (l4_word_t)helper_result);
    l4_thread_destroy(HELPER);
}

/* FOREIGN-085: in L4_FOREIGN_ALL, notify_signal and notify_wait go to the handler too, though
 * the notification they name has bits pending (the notification fastpath never sees them:
 * the stub's syscall_limit test sends them the C way first). */
#define NTF 23
static volatile l4_err_t signal_result, wait_result;

static long all_ntf_helper(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    while (!go)
        ;
    signal_result = l4_notify_signal(NTF);
    wait_result = l4_notify_wait(NTF, &bits);
    went_on = true;
    for (;;)
        ;
    __builtin_unreachable();
}

static void mode_all_notify(void)
{
    l4_word_t id, bits = 0;

    l4_err_t made = l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF, &id);
    l4_notify_signal(NTF); // bit 0 pending: a wait the kernel took would return it at once
    signal_result = wait_result = L4_OK;
    run_helper(all_ntf_helper, 0, L4_FOREIGN_ALL, SYS_EP, &went_on);
    l4_err_t polled = l4_notify_poll(NTF, &bits); // still pending: nobody took it
    test_report("FOREIGN-085",
                made == L4_OK && went_on && signal_result == (l4_err_t)NR_UNKNOWN_ANSWER &&
                    wait_result == (l4_err_t)NR_UNKNOWN_ANSWER && polled == L4_OK && bits == 1,
                "signal gave %lx, wait %lx; then the bits %lx (%s)", (l4_word_t)signal_result,
                (l4_word_t)wait_result, bits, l4_strerror(polled));
    l4_thread_destroy(HELPER);
    l4_cap_destroy(NTF);
}

/* When set, stopped_by also checks that its stopped helper's ip is still a user address
 * (the ID of that check): a refused answer writes nothing into the thread. */
static const char *stopped_ip_id;

/* A helper in L4_FOREIGN_UNKNOWN makes call nr (A0 = arg): its handler stops it. */
static void stopped_by(const char *id, l4_word_t nr, l4_word_t arg)
{
    l4_word_t before = container_info(L4_SLOT_CONTAINER).faults;

    go = went_on = false;
    l4_thread_spawn(stop_helper, nr << 8 | arg, PRIO, HELPER);
    l4_thread_configure(HELPER, L4_THREAD_FAULT_EP, SYS_EP);
    l4_thread_configure(HELPER, L4_THREAD_FOREIGN, L4_FOREIGN_UNKNOWN);
    go = true;
    for (unsigned i = 0; i < 1000 && container_info(L4_SLOT_CONTAINER).faults == before; i++)
        l4_thread_yield();
    yield_n(10);
    l4_word_t after = container_info(L4_SLOT_CONTAINER).faults;
    test_report(id, after == before + 1 && !went_on, "faults %lu (before %lu), went on: %d", after,
                before, went_on);
    if (stopped_ip_id) { // a refused answer left the stopped thread's registers as they were
        struct l4_regs r;
        l4_err_t err = l4_thread_regs(HELPER, L4_REGS_GET, NULL, &r);
        test_report(stopped_ip_id,
                    err == L4_OK && L4_REGS_IP(&r) < L4_USER_TOP && REG(&r, W_NR) == nr &&
                        REG(&r, W_A0) == arg && REG(&r, W_A1) == 0 && L4_REGS_TLS(&r)[0] != BAD_TLS,
                    "%s: the stopped thread's ip %lx, number %lx, arguments %lx %lx, TLS %lx",
                    l4_strerror(err), L4_REGS_IP(&r), REG(&r, W_NR), REG(&r, W_A0), REG(&r, W_A1),
                    L4_REGS_TLS(&r)[0]);
        stopped_ip_id = NULL;
    }
    l4_thread_destroy(HELPER);
}

/* Replies that stop the thread: asked to, or with registers no thread may take. ids: the
 * stop, each bad reply, the handler still answering afterwards, and the stopped thread's ip
 * left as it was by the first bad reply. */
static void stop_replies(const char *const ids[NR_BADREPLY_KINDS + 3])
{
    l4_word_t r[6] = {40, 2, 0, 0, 0, 0};

    stopped_by(ids[0], NR_STOP, 0);
    for (unsigned i = 0; i < NR_BADREPLY_KINDS; i++) {
        if (i == 0) // an ip in the kernel image: refused, the thread's ip is left as it was
            stopped_ip_id = ids[NR_BADREPLY_KINDS + 2];
        stopped_by(ids[i + 1], NR_BADREPLY, i);
    }
    test_report(ids[NR_BADREPLY_KINDS + 1], l4_syscall(NR_ADD, r) == 42,
                "the handler no longer answers");
}

static long note_middle(l4_word_t arg)
{
    (void)arg;
    went_on = true;
    return 0;
}

static long hold_reply(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    held_result = l4_ipc_call(SYS_EP, L4_TAG(LABEL_HOLD, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    held_done = true;
    return 0;
}

/*
 * A handler that waits on the endpoint while it still owes an ordinary caller a reply:
 * our call takes that reply right (the caller learns it with L4_ESTATE, as from any second
 * call, endpoint.c link_reply), on the fastpath as on the general path.
 */
static void handler_owes_a_reply(void)
{
    l4_word_t r[6] = {40, 2, 0, 0, 0, 0};

    held_done = false;
    l4_err_t err = l4_thread_spawn(hold_reply, 0, PRIO, HOLDER);

    l4_thread_yield(); // it runs: the handler takes its call, and waits again
    l4_word_t sum = l4_syscall(NR_ADD, r);
    for (int i = 0; i < 100 && !held_done; i++)
        l4_thread_yield();
    test_report("FOREIGN-086", !err && sum == 42 && held_done && held_result == L4_ESTATE,
                "%s; answer %lu; the unanswered caller %s (%s)", l4_strerror(err), sum,
                held_done ? "got its answer" : "still waits", l4_strerror(held_result));
}

/*
 * The kernel's fastpath hands a foreign system call straight to a handler that waits, and
 * takes a resume that ipc_reply_recv brings straight back; every other case is the general
 * path's, and the results must be the same as ipc=slow's (FOREIGN-SLOW runs this too).
 */
static void fastpath_cases(void)
{
    static const char *const via_stops[NR_BADREPLY_KINDS + 3] = {
        "FOREIGN-063", "FOREIGN-064", "FOREIGN-065", "FOREIGN-066",
        "FOREIGN-067", "FOREIGN-068", "FOREIGN-069", "FOREIGN-096"};
    l4_word_t r[6] = {40, 2, 0, 0, 0, 0};

    /* the handler drops below us as it answers: our next call finds it not yet receiving */
    call2(NR_PRIO, PRIO / 2, 0);
    test_report("FOREIGN-050", l4_syscall(NR_ADD, r) == 42 && r[0] == 40 && r[1] == 2,
                "arguments %lu %lu", r[0], r[1]);
    call2(NR_PRIO, 150, 0);
    /* it waits without a UTCB: four words and L4_IPC_TRUNC, then it stops the caller */
    call2(NR_NOUTCB, 0, 0);
    stopped_by("FOREIGN-052", NR_ADD, NOUTCB_ARG);
    /* answers by ipc_reply_recv at our priority: the resume's fastpath, and each reply it
     * leaves to the general path */
    call2(NR_VIA, 1, 0);
    call2(NR_PRIO, PRIO, 0);
    test_report("FOREIGN-053", l4_syscall(NR_ADD, r) == 42 && r[0] == 40 && r[1] == 2,
                "arguments %lu %lu", r[0], r[1]);
    every_register("FOREIGN-060", "FOREIGN-061");
    test_report("FOREIGN-094", call2(NR_FLAGGED, 40, 2) == 42,
                "the answer after a refused one with a flag");
    /* a handler below us waits, and a thread between the two is ready: that one runs first */
    call2(NR_PRIO, PRIO / 2, 0);
    went_on = false;
    l4_thread_spawn(note_middle, 0, PRIO * 3 / 4, MIDDLE); // ready, but below us
    l4_word_t sum = l4_syscall(NR_ADD, r);
    test_report("FOREIGN-062", sum == 42 && went_on, "answer %lu; the middle thread %s", sum,
                went_on ? "ran" : "did not run first");
    call2(NR_PRIO, PRIO, 0);
    stop_replies(via_stops);
    stopped_by("FOREIGN-095", NR_TLS, 1);      // a TLS base no thread may take, by reply_recv
    stopped_by("FOREIGN-098", NR_ODDREPLY, 0); // 21 words
    stopped_by("FOREIGN-099", NR_ODDREPLY, 1); // a label RESUME only in its low 16 bits
    call2(NR_PRIO, 150, 0);
    handler_owes_a_reply();
    call2(NR_VIA, 0, 0);
}

/* call2, and whether the six argument registers came back as they went (1 << 63 if not:
 * some of them are UTCB words on either architecture) */
static l4_word_t call2_kept(l4_word_t nr, l4_word_t a0, l4_word_t a1)
{
    l4_word_t r[6] = {a0, a1, 0, 0, 0, 0};
    l4_word_t answer = (l4_word_t)l4_syscall(nr, r);

    return r[0] == a0 && r[1] == a1 && !(r[2] | r[3] | r[4] | r[5]) ? answer : 1ull << 63;
}

/*
 * The handler's UTCB gets another frame at the same address (NR_SWAPUTCB) between calls the
 * kernel's fastpath delivers, and the old frame a stale answer the kernel would take: the
 * calls after go to the new frame (FOREIGN-088, FOREIGN-090: the handler finds the stale
 * answer untouched), and an answer after comes from it (FOREIGN-087, FOREIGN-089: we would
 * see the stale answer's argument registers).
 */
static void handler_utcb_moves(void)
{
    l4_word_t r[6] = {40, 2, 0, 0, 0, 0};

    l4_word_t one = call2_kept(NR_SWAPUTCB, 1, 0), sum = l4_syscall(NR_ADD, r); // to page 1
    l4_word_t two = call2_kept(NR_SWAPUTCB, 2, 0);
    test_report("FOREIGN-087", one == 0 && sum == 42 && two == 0,
                "the handler's remaps: %lx, %lx; the answer between: %lu", one, two, sum);
    test_report("FOREIGN-088", call2_kept(NR_UTCBKEPT, 0, 0) == 0,
                "a call went to the handler's old UTCB frame");
    call2(NR_VIA, 1, 0);
    call2(NR_PRIO, PRIO, 0); // its answers by ipc_reply_recv now take the fastpath too
    one = call2_kept(NR_SWAPUTCB, 1, 0);
    test_report("FOREIGN-089", one == 0 && l4_syscall(NR_ADD, r) == 42,
                "an answer after the handler's UTCB moved: %lx", one);
    test_report("FOREIGN-090", call2_kept(NR_UTCBKEPT, 0, 0) == 0,
                "a call went to the handler's old UTCB frame, by ipc_reply_recv");
    /* its UTCB read-only after its answer: the next call gets four words (L4_IPC_TRUNC,
     * FOREIGN-091, checked by the handler), which it answers by stopping the caller */
    call2(NR_SWAPUTCB, 4, 0);
    stopped_by("FOREIGN-092", NR_ADD, NOUTCB_ARG);
    call2(NR_PRIO, 150, 0);
    call2(NR_VIA, 0, 0);
}

static struct {
    l4_word_t word;
} tls_blocks[2] = {{0x7150}, {0x7151}};

/* NR_TLS: the handler sees the TLS base we set (x86_64's fs base, AArch64's TPIDR_EL0) and
 * gives us another, which we then use; a reply with a base no thread may take stops the
 * caller. */
static void tls_through_handler(void)
{
    l4_word_t old = 0, now = 0, word = 0;

    l4_thread_tls(L4_TLS_TP | L4_TLS_SET, (l4_word_t)&tls_blocks[0], &old);
    call2(NR_TLS, (l4_word_t)&tls_blocks[0], (l4_word_t)&tls_blocks[1]);
    l4_thread_tls(L4_TLS_TP, 0, &now);
    word = tp_word0();
    test_report("FOREIGN-081", now == (l4_word_t)&tls_blocks[1] && word == 0x7151,
                "TLS base %lx, its word %lx after the handler's answer", now, word);
    l4_thread_tls(L4_TLS_TP | L4_TLS_SET, 0, &old);
    /* from no TLS base at all: the one the answer gives is loaded when we run again */
    call2(NR_TLS, 0, (l4_word_t)&tls_blocks[1]);
    word = tp_word0();
    test_report("FOREIGN-084", word == 0x7151,
                "TLS word %lx after an answer gave our first TLS base", word);
    l4_thread_tls(L4_TLS_TP | L4_TLS_SET, 0, &old);
    stopped_by("FOREIGN-082", NR_TLS, 1);
}

int guest_main(void)
{
    static const char *const stops[NR_BADREPLY_KINDS + 3] = {
        "FOREIGN-013", "FOREIGN-020", "FOREIGN-021", "FOREIGN-022",
        "FOREIGN-023", "FOREIGN-024", "FOREIGN-025", "FOREIGN-097"};

    config_errors();
    mode_unknown();
    mode_all();
    mode_all_ipc();
    mode_all_notify();
    stop_replies(stops);
    fastpath_cases();
    handler_utcb_moves();
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FAULT_EP, 0);
    test_report("FOREIGN-014", call2(NR_ADD, 1, 2) == (l4_word_t)L4_ENOSYS,
                "no fault endpoint, yet the call was not refused");
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FOREIGN, L4_FOREIGN_OFF);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FAULT_EP, SYS_EP);
    test_report("FOREIGN-016", call2(NR_ADD, 1, 2) == (l4_word_t)L4_ENOSYS,
                "mode off, yet the call went somewhere");
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FOREIGN, L4_FOREIGN_UNKNOWN);
    tls_through_handler();
    call2(NR_DONE, 0, 0);
    return 0;
}
