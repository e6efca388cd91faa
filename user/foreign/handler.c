/* SPDX-License-Identifier: BSD-2-Clause */
/* The handler: emulates the tiny foreign ABI of foreign.h for the guest's delivered SYSCALLs. */
#include "foreign.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/syscall_nr.h>
#include <coffer/thread.h>

static struct l4_utcb *const utcb = (struct l4_utcb *)L4_UTCB_MAIN;
static struct l4_regs regs_seen; /* by NR_REGS, for NR_WHERE */
/*
 * NR_VIA: answers go by ipc_reply_recv, which takes the kernel's fastpath (the guest's
 * calls take it either way when we wait in a receive), and brings the next message.
 */
static bool via_reply_recv, have_next, no_utcb;
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

l4_err_t reply(l4_word_t label, const struct l4_regs *r, l4_word_t len)
{
    const l4_word_t *w = (const l4_word_t *)r;

    for (unsigned i = L4_MSG_REGS; i < L4_REGS_WORDS; i++)
        utcb->mr[i] = w[i];
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

/* NR_REGS: the guest's registers, exactly as it set them; then each chosen one changed. */
static void check_regs(struct l4_regs *r)
{
    const l4_word_t *w = (const l4_word_t *)r;
    l4_word_t *out = (l4_word_t *)r;
    bool exact = r->rax == NR_REGS;

    for (unsigned i = 1; i < L4_REGS_WORDS; i++)
        exact = exact && (!regs_chosen(i) || w[i] == regs_pattern(i));
    test_report(id("FOREIGN-005", "FOREIGN-055"), exact,
                "registers differ from the pattern (rbx %lx)", r->rbx);
    test_report(id("FOREIGN-006", "FOREIGN-056"),
                r->rcx == r->rip && r->r11 == r->rflags && (r->rflags & 0x200) &&
                    r->rsp < 0x800000000000ull && r->fs_base == 0 && r->gs_base == 0,
                "rcx %lx rip %lx r11 %lx rflags %lx", r->rcx, r->rip, r->r11, r->rflags);
    regs_seen = *r;
    for (unsigned i = 0; i <= 15; i++)
        if (i != 7) // rsp: the guest finds its return address there
            out[i] += DELTA;
    r->rax = REGS_ANSWER;
    r->rflags |= 0x801; // CF and OF: user flags the thread takes
}

/* NR_BADREPLY, rdi = which: a resume no thread may take stops the thread, and the reply
 * succeeds all the same. */
static void bad_reply(struct l4_regs *r)
{
    static const char *const ids[] = {"FOREIGN-040", "FOREIGN-041", "FOREIGN-042", "FOREIGN-043",
                                      "FOREIGN-044"};
    static const char *const via_ids[] = {"FOREIGN-070", "FOREIGN-071", "FOREIGN-072",
                                          "FOREIGN-073", "FOREIGN-074"};
    l4_word_t which = r->rdi, len = L4_REGS_WORDS;

    if (which == 0)
        r->rip = 0xffffffff80100000ull; // the kernel image
    else if (which == 1)
        r->rip = 0x800000000000ull; // not canonical
    else if (which == 2)
        r->rsp = 0xffff800000001000ull;
    else if (which == 3)
        r->rflags |= 0x3000; // IOPL 3
    else
        len = L4_MSG_REGS;
    EXPECT_ERR(id(ids[which % 5], via_ids[which % 5]), reply(L4_SYSCALL_RESUME, r, len), L4_OK);
}

/* Answer one delivered call. */
static void serve(struct l4_regs *r)
{
    switch (r->rax) {
    case NR_ADD:
        r->rax = r->rdi + r->rsi;
        break;
    case NR_REGS:
        check_regs(r);
        break;
    case NR_TLS: // the thread's TLS bases travel with its registers, both ways
        if (r->rdi == 1) {
            r->fs_base = 0x800000000000ull; // no thread may take it: the kernel stops this one
            break;
        }
        if (r->rdi) // 0: the guest has no base yet (FOREIGN-084)
            test_report("FOREIGN-080", r->fs_base == r->rdi,
                        "the handler saw fs %lx, the guest set %lx", r->fs_base, r->rdi);
        r->fs_base = r->rsi;
        r->rax = 0;
        break;
    case NR_WHERE:
        r->rax = r->rdi == regs_seen.rsp && r->rsi == regs_seen.rip;
        test_report(id("FOREIGN-007", "FOREIGN-057"), r->rax,
                    "rsp %lx rip %lx, the guest had %lx %lx", regs_seen.rsp, regs_seen.rip, r->rdi,
                    r->rsi);
        break;
    case NR_BADREPLY:
        bad_reply(r);
        return;
    case NR_STOP:
        EXPECT_ERR(id("FOREIGN-030", "FOREIGN-075"), reply(L4_SYSCALL_STOP, r, L4_REGS_WORDS),
                   L4_OK);
        return;
    case NR_PRIO:
        r->rax = (l4_word_t)l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, r->rdi);
        break;
    case NR_NOUTCB:
        no_utcb = true;
        r->rax = 0;
        break;
    case NR_VIA:
        r->rax = 0;
        via_reply_recv = r->rdi == 1; // this answer goes the new way already
        break;
    case L4_SYS_THREAD_ID:
        r->rax = COFFER_ANSWER;
        break;
    default:
        r->rax = NR_UNKNOWN_ANSWER;
        break;
    }
    l4_err_t err = resume(r);
    if (err)
        printf("foreign handler: resume refused: %s\n", l4_strerror(err));
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
                    m[0] == NR_ADD && *badge == GUEST_BADGE,
                "%s: tag %lx rax %lu badge %lu", l4_strerror(err), *tag, m[0], *badge);
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
        if (L4_TAG_LABEL(tag) == LABEL_HOLD)
            continue; // its reply right stays ours until the next call takes it (FOREIGN-086)
        regs_in(m, &r);
        if (r.rax == NR_DONE) {
            r.rax = 0;
            resume(&r);
            return 0;
        }
        serve(&r);
    }
}
