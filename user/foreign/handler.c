/* SPDX-License-Identifier: BSD-2-Clause */
/* The handler: emulates the tiny foreign ABI of foreign.h for the guest's delivered calls. */
#include "foreign.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/mem.h>
#include <coffer/syscall_nr.h>
#include <coffer/thread.h>
#include <coffer/tls.h>

static struct l4_utcb *const utcb = (struct l4_utcb *)L4_UTCB_MAIN;
static struct l4_regs regs_seen; /* by NR_REGS, for NR_WHERE */
/*
 * NR_VIA: answers go by ipc_reply_recv, which takes the kernel's fastpath (the guest's
 * calls take it either way when we wait in a receive), and brings the next message.
 */
static bool via_reply_recv, have_next, no_utcb;
/* NR_SWAPUTCB 4: our UTCB is read-only from the answer's reply_recv until the next call */
static bool ro_utcb;
static l4_word_t next_tag, next_m[4], next_badge;

/* The test ID for what we check: one for answers by ipc_reply, one for ipc_reply_recv. */
static const char *id(const char *plain, const char *via)
{
    return via_reply_recv ? via : plain;
}

void regs_in(const l4_word_t m[4], struct l4_regs *r)
{
    l4_word_t *w = (l4_word_t *)r;

    for (unsigned i = 0; i < L4_REGS_WORDS; i++)
        w[i] = i < L4_MSG_REGS ? m[i] : utcb->mr[i];
}

/* r's words from L4_MSG_REGS on into our UTCB, where an answer's go */
static void regs_out(const struct l4_regs *r)
{
    const l4_word_t *w = (const l4_word_t *)r;

    for (unsigned i = L4_MSG_REGS; i < L4_REGS_WORDS; i++)
        utcb->mr[i] = w[i];
}

l4_err_t reply(l4_word_t label, const struct l4_regs *r, l4_word_t len)
{
    const l4_word_t *w = (const l4_word_t *)r;

    regs_out(r);
    if (ro_utcb) {
        l4_word_t changed = 0;
        l4_mem_protect(L4_SLOT_MEMORY, L4_SLOT_SPACE, L4_UTCB_MAIN, 1, L4_MAP_READ, &changed);
    }
    if (!via_reply_recv)
        return l4_ipc_reply(L4_TAG(label, len, 0), w[0], w[1], w[2], w[3]);
    l4_err_t err =
        l4_ipc_reply_recv(SYS_EP, L4_TAG(label, len, 0), w[0], w[1], w[2], w[3], &next_tag,
                          &next_m[0], &next_m[1], &next_m[2], &next_m[3], &next_badge);
    have_next = err == L4_OK;
    return err;
}

l4_err_t resume(const struct l4_regs *r)
{
    return reply(L4_SYSCALL_RESUME, r, L4_REGS_WORDS);
}

/* No TLS base set: the guest has not set one yet */
static bool no_tls(const struct l4_regs *r)
{
    for (unsigned i = 0; i < L4_TLS_COUNT; i++) {
        if (L4_REGS_TLS(r)[i])
            return false;
    }
    return true;
}

/* NR_REGS: the guest's registers, exactly as it set them; then each chosen one changed. */
static void check_regs(struct l4_regs *r)
{
    l4_word_t *w = (l4_word_t *)r;
    unsigned first_wrong = L4_REGS_WORDS;

    for (unsigned i = L4_REGS_WORDS; i-- > 0;)
        if (i != W_NR && regs_chosen(i) && w[i] != regs_pattern(i))
            first_wrong = i;
    test_report(id("FOREIGN-005", "FOREIGN-055"),
                REG(r, W_NR) == NR_REGS && first_wrong == L4_REGS_WORDS,
                "number %lx; register word %u differs from the pattern", REG(r, W_NR), first_wrong);
    test_report(id("FOREIGN-006", "FOREIGN-056"),
                regs_delivered_ok(r) && L4_REGS_SP(r) < L4_USER_TOP && no_tls(r),
                "ip %lx sp %lx, TLS base %lx", L4_REGS_IP(r), L4_REGS_SP(r), L4_REGS_TLS(r)[0]);
    regs_seen = *r;
    for (unsigned i = 0; i < L4_REGS_WORDS; i++)
        if (regs_answered(i))
            w[i] += DELTA;
    REG(r, W_NR) = REGS_ANSWER;
    regs_answer_flags(r);
}

/* NR_BADREPLY, A0 = which: a resume no thread may take stops the thread, and the reply
 * succeeds all the same. */
static void bad_reply(struct l4_regs *r)
{
    static const char *const ids[] = {"FOREIGN-040", "FOREIGN-041", "FOREIGN-042", "FOREIGN-043",
                                      "FOREIGN-044"};
    static const char *const via_ids[] = {"FOREIGN-070", "FOREIGN-071", "FOREIGN-072",
                                          "FOREIGN-073", "FOREIGN-074"};
    l4_word_t which = REG(r, W_A0), len = L4_REGS_WORDS;

    if (which == 0) { // with it, registers the thread must not end up with (stopped_by)
        for (unsigned i = 0; i < L4_REGS_WORDS; i++)
            if (regs_answered(i))
                REG(r, i) += DELTA;
        L4_REGS_TLS(r)[0] = BAD_TLS;
    }
    if (which < NR_BADREPLY_KINDS - 1)
        regs_make_bad((unsigned)which, r);
    else
        len = L4_MSG_REGS;
    EXPECT_ERR(id(ids[which % 5], via_ids[which % 5]), reply(L4_SYSCALL_RESUME, r, len), L4_OK);
}

/*
 * NR_SWAPUTCB: the kernel remembers where it last found our UTCB; a new frame under the same
 * address must be where the next call's registers go and the next answer's come from. Region
 * pages 1 and 2 take turns under the UTCB, each also seen at ALIAS(k). The one that leaves
 * gets a stale answer: this answer's registers with its argument registers set to STALE + i,
 * which the kernel would take (so a fastpath that read it would not fall back to the general
 * path) and the guest would see; and NR_UTCBKEPT checks that no call's registers were
 * written over it.
 */
#define ALIAS(k) (0x60000000ull + (k)*0x1000ull)
static unsigned utcb_page;             /* the region page under our UTCB; 0: the loader's */
static l4_word_t stale[L4_REGS_WORDS]; /* what the old page holds since */

static l4_word_t *alias_words(unsigned k)
{
    return ((struct l4_utcb *)ALIAS(k))->mr;
}

/* NR_UTCBKEPT: 0 if the old page still holds the stale answer */
static l4_word_t utcb_kept(void)
{
    const l4_word_t *w = alias_words(3 - utcb_page);

    if (utcb_page != 1 && utcb_page != 2)
        return 2;
    for (unsigned i = L4_MSG_REGS; i < L4_REGS_WORDS; i++)
        if (w[i] != stale[i])
            return 1;
    return 0;
}

static l4_word_t swap_utcb(unsigned k, const struct l4_regs *r)
{
    l4_err_t err = L4_OK;

    if (k == 4 && utcb_page) { // read-only once this answer is written (reply)
        ro_utcb = true;
        return 0;
    }
    if (k != 1 && k != 2)
        return 2;
    if (!utcb_page) {
        for (unsigned p = 1; p <= 2 && !err; p++)
            err = l4_mem_map(L4_SLOT_MEMORY, p * 0x1000, L4_SLOT_SPACE, ALIAS(p),
                             L4_MAP_READ | L4_MAP_WRITE);
    }
    err = err ? err : l4_mem_unmap(L4_SLOT_SPACE, L4_UTCB_MAIN);
    err = err ? err
              : l4_mem_map(L4_SLOT_MEMORY, k * 0x1000, L4_SLOT_SPACE, L4_UTCB_MAIN,
                           L4_MAP_READ | L4_MAP_WRITE);
    if (err)
        return 10 + (l4_word_t)err;
    if (utcb_page) {
        l4_word_t *w = alias_words(utcb_page);
        for (unsigned i = 0; i < L4_REGS_WORDS; i++)
            stale[i] = ((const l4_word_t *)r)[i];
        REG(stale, W_NR) = 0; // what this answer gives (serve)
        for (unsigned i = 0; i < 6; i++)
            REG(stale, W_ARGS[i]) = STALE + i; // x86_64: rdi, rsi, ...; AArch64: x4, x5 too
        for (unsigned i = 0; i < L4_REGS_WORDS; i++)
            w[i] = stale[i];
    }
    utcb_page = k;
    return 0;
}

/* Answer one delivered call. */
static void serve(struct l4_regs *r)
{
    l4_word_t *nr = &REG(r, W_NR), a0 = REG(r, W_A0), a1 = REG(r, W_A1);

    switch (*nr) {
    case NR_ADD:
        *nr = a0 + a1;
        break;
    case NR_REGS:
        check_regs(r);
        break;
    case NR_TLS:       // the thread's TLS bases travel with its registers, both ways
        if (a0 == 1) { // a base no thread may take: the kernel stops this one
            L4_REGS_TLS(r)[L4_TLS_TP] = L4_USER_TOP;
            break;
        }
        if (a0) // 0: the guest has no base yet (FOREIGN-084)
            test_report("FOREIGN-080", L4_REGS_TLS(r)[L4_TLS_TP] == a0,
                        "the handler saw TLS base %lx, the guest set %lx",
                        L4_REGS_TLS(r)[L4_TLS_TP], a0);
        L4_REGS_TLS(r)[L4_TLS_TP] = a1;
        *nr = 0;
        break;
    case NR_WHERE:
        *nr = a0 == L4_REGS_SP(&regs_seen) && a1 == L4_REGS_IP(&regs_seen);
        test_report(id("FOREIGN-007", "FOREIGN-057"), *nr, "sp %lx ip %lx, the guest had %lx %lx",
                    L4_REGS_SP(&regs_seen), L4_REGS_IP(&regs_seen), a0, a1);
        break;
    case NR_BADREPLY:
        bad_reply(r);
        return;
    case NR_ODDREPLY: // the general path stops the caller (FOREIGN-098/099): so must the fastpath
        if (a0 ? reply(L4_SYSCALL_RESUME + (1ull << 16), r, L4_REGS_WORDS)
               : reply(L4_SYSCALL_RESUME, r, L4_REGS_WORDS + 1))
            printf("foreign handler: an odd resume refused\n");
        return;
    case NR_STOP:
        EXPECT_ERR(id("FOREIGN-030", "FOREIGN-075"), reply(L4_SYSCALL_STOP, r, L4_REGS_WORDS),
                   L4_OK);
        return;
    case NR_PRIO:
        *nr = (l4_word_t)l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, a0);
        break;
    case NR_NOUTCB:
        no_utcb = true;
        *nr = 0;
        break;
    case NR_FLAGGED: { // a flag the reply may not have: refused, by the fastpath's way too
        const l4_word_t *w = (const l4_word_t *)r;
        l4_word_t tag, m[4], badge;
        *nr = a0 + a1;
        regs_out(r);
        l4_err_t err =
            l4_ipc_reply_recv(SYS_EP, L4_TAG(L4_SYSCALL_RESUME, L4_REGS_WORDS, L4_IPC_CAP), w[0],
                              w[1], w[2], w[3], &tag, &m[0], &m[1], &m[2], &m[3], &badge);
        l4_err_t top =
            l4_ipc_reply_recv(SYS_EP, L4_TAG(L4_SYSCALL_RESUME, L4_REGS_WORDS, 1u << 15), w[0],
                              w[1], w[2], w[3], &tag, &m[0], &m[1], &m[2], &m[3], &badge);
        test_report("FOREIGN-093", err == L4_EINVAL && top == L4_EINVAL,
                    "a resume with L4_IPC_CAP: %s; with flag bit 15: %s", l4_strerror(err),
                    l4_strerror(top));
        break;
    }
    case NR_SWAPUTCB:
        *nr = swap_utcb((unsigned)a0, r);
        break;
    case NR_UTCBKEPT:
        *nr = utcb_kept();
        break;
    case NR_VIA:
        *nr = 0;
        via_reply_recv = a0 == 1; // this answer goes the new way already
        break;
    case L4_SYS_THREAD_ID:
        *nr = COFFER_ANSWER;
        break;
    default:
        *nr = NR_UNKNOWN_ANSWER;
        break;
    }
    l4_err_t err = resume(r);
    if (err)
        printf("foreign handler: resume refused: %s\n", l4_strerror(err));
}

/* The first four words of a call NR_ADD with A0 = NOUTCB_ARG: those of its registers that
 * are among them (x86_64: rax, the number; AArch64: x0..x3, the arguments) */
static bool first_words_ok(const l4_word_t m[4])
{
    _Static_assert(L4_MSG_REGS == 4, "four words in registers");
    return (W_NR >= 4 || m[W_NR] == NR_ADD) && (W_A0 >= 4 || m[W_A0] == NOUTCB_ARG) &&
           (W_NR < 4 || W_A0 < 4);
}

/*
 * NR_NOUTCB: the next call comes while we have no UTCB (the kernel's fastpath must leave it
 * to the general path): four words, flagged L4_IPC_TRUNC, as ipc=slow gives. We stop it.
 */
static l4_err_t recv_without_utcb(l4_word_t *tag, l4_word_t m[4], l4_word_t *badge)
{
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_UTCB, 0);
    l4_err_t err = l4_ipc_recv(SYS_EP, 0, tag, &m[0], &m[1], &m[2], &m[3], badge);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_UTCB, L4_UTCB_MAIN);
    no_utcb = false;
    test_report("FOREIGN-051",
                err == L4_OK && *tag == L4_TAG(L4_LABEL_SYSCALL, L4_MSG_REGS, L4_IPC_TRUNC) &&
                    first_words_ok(m) && *badge == GUEST_BADGE,
                "%s: tag %lx words %lx %lx badge %lu", l4_strerror(err), *tag, m[0], m[1], *badge);
    return err ? err : l4_ipc_reply(L4_TAG(L4_SYSCALL_STOP, 0, 0), 0, 0, 0, 0);
}

/* The next delivered call: brought by our last answer, or received now. */
static l4_err_t next_call(l4_word_t *tag, l4_word_t m[4], l4_word_t *badge)
{
    if (have_next) {
        have_next = false;
        *tag = next_tag, *badge = next_badge;
        for (unsigned i = 0; i < 4; i++)
            m[i] = next_m[i];
        return L4_OK;
    }
    if (no_utcb && recv_without_utcb(tag, m, badge))
        return 1;
    return l4_ipc_recv(SYS_EP, 0, tag, &m[0], &m[1], &m[2], &m[3], badge);
}

int handler_main(void)
{
    l4_word_t tag, m[4], badge;
    struct l4_regs r;
    bool first = true;

    for (;;) {
        if (next_call(&tag, m, &badge))
            return 1;
        if (first)
            test_report("FOREIGN-004",
                        L4_TAG_LABEL(tag) == L4_LABEL_SYSCALL &&
                            tag == L4_TAG(L4_LABEL_SYSCALL, L4_REGS_WORDS, 0) &&
                            badge == GUEST_BADGE,
                        "tag %lx badge %lu", tag, badge);
        first = false;
        if (ro_utcb) { // the kernel could not write our UTCB: four words, then we stop it
            l4_word_t changed = 0;
            ro_utcb = false;
            test_report("FOREIGN-091",
                        tag == L4_TAG(L4_LABEL_SYSCALL, L4_MSG_REGS, L4_IPC_TRUNC) &&
                            first_words_ok(m) && badge == GUEST_BADGE,
                        "tag %lx words %lx %lx badge %lu", tag, m[0], m[1], badge);
            l4_mem_protect(L4_SLOT_MEMORY, L4_SLOT_SPACE, L4_UTCB_MAIN, 1,
                           L4_MAP_READ | L4_MAP_WRITE, &changed);
            l4_ipc_reply(L4_TAG(L4_SYSCALL_STOP, 0, 0), 0, 0, 0, 0);
            continue;
        }
        if (L4_TAG_LABEL(tag) == LABEL_HOLD)
            continue; // its reply right stays ours until the next call takes it (FOREIGN-086)
        regs_in(m, &r);
        if (REG(&r, W_NR) == NR_DONE) {
            REG(&r, W_NR) = 0;
            resume(&r);
            return 0;
        }
        serve(&r);
    }
}
