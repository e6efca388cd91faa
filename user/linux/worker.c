/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The workers: each takes a system call or a fault of some Linux thread off the endpoint,
 * serves it under lx_lock and answers. The badge a message comes with says which Linux
 * thread sent it (the kernel adds it; a thread cannot choose it), so a process can only ever
 * act as itself.
 */
#include "mm.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

/* The exception vectors a Linux thread may take, in the kernel's one numbering (x86's: AArch64's
 * faults arrive as the same numbers, docs/aarch64.md), and the signal each becomes */
#define VEC_DE 0
#define VEC_BP 3
#define VEC_UD 6
#define VEC_GP 13
#define VEC_PF 14
#define VEC_MF 16
#define VEC_AC 17
#define VEC_XM 19

/* --- capability slots ---------------------------------------------------------------------- */

static uint8_t slot_used[LX_SLOT_DYN_COUNT / 8];

l4_cap_t lx_slot_alloc(void)
{
    for (unsigned i = 0; i < LX_SLOT_DYN_COUNT; i++) {
        if (!(slot_used[i / 8] & (1u << (i % 8)))) {
            slot_used[i / 8] |= (uint8_t)(1u << (i % 8));
            return LX_SLOT_DYN + i;
        }
    }
    return 0;
}

void lx_slot_free(l4_cap_t slot)
{
    unsigned i = (unsigned)(slot - LX_SLOT_DYN);

    LX_ASSERT(slot >= LX_SLOT_DYN && i < LX_SLOT_DYN_COUNT);
    LX_ASSERT(slot_used[i / 8] & (1u << (i % 8)));
    slot_used[i / 8] &= (uint8_t) ~(1u << (i % 8));
}

int lx_endpoint_init(void)
{
    l4_word_t id;
    l4_err_t err = l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), LX_SLOT_EP, &id);

    if (err)
        printf("linux: cannot make our endpoint: %s\n", l4_strerror(err));
    return err ? -1 : 0;
}

_Noreturn void lx_assert_failed(const char *what, const char *file, int line)
{
    printf("linux: BUG: %s (%s:%d)\n", what, file, line);
    l4_exit(99);
}

/* --- system calls ------------------------------------------------------------------------- */

static uint8_t logged[LX_NR_MAX / 8 + 1];

static long unimplemented(struct lx_task *t, uint64_t nr)
{
    if (nr >= LX_NR_MAX) {
        if (!(logged[LX_NR_MAX / 8] & 1))
            printf("linux: %s: system call %lu is not Linux's (ENOSYS)\n", t->proc->comm, nr);
        logged[LX_NR_MAX / 8] |= 1;
    } else if (!(logged[nr / 8] & (1u << (nr % 8)))) {
        logged[nr / 8] |= (uint8_t)(1u << (nr % 8));
        printf("linux: %s: %s (%lu) is not implemented (ENOSYS)\n", t->proc->comm,
               lx_syscall_names[nr] ? lx_syscall_names[nr] : "?", nr);
    }
    return -LX_ENOSYS;
}

/* Serve t's call in t->regs; true when t is to be resumed with t->regs. */
static bool syscall(struct lx_task *t)
{
    struct l4_regs *r = &t->regs;
    uint64_t a[6], nr = lx_call_nr(r);
    lx_syscall_fn fn = nr < LX_NR_MAX ? lx_syscalls[nr] : NULL;

    lx_call_args(r, a);
    t->nr = (long)nr;
    t->arg0 = a[0];
    long res = fn ? fn(t, a) : unimplemented(t, nr);
    if (res == LX_NO_REPLY || t->dying)
        return false;
    if (res != LX_REGS_SET)
        lx_call_set_result(r, (uint64_t)res);
    return lx_signal_deliver(t);
}

/* --- faults -------------------------------------------------------------------------------- */

/* A fault the process cannot go on from: its registers, then the signal. The thread goes on
 * in its handler (its registers written, its fault message dropped) or its process ends. */
static void fault_signal(struct lx_task *t, int sig, int code, uint64_t addr)
{
    if (l4_thread_regs(t->cap, L4_REGS_GET, NULL, &t->regs)) {
        lx_proc_exit(t->proc, sig);
        return;
    }
    lx_signal_fault(t, sig, code, addr);
    if (t->dying)
        return;
    /* a handler runs: the thread goes on from the registers, its fault message dropped */
    if (l4_thread_regs(t->cap, L4_REGS_SET, &t->regs, NULL))
        lx_proc_exit(t->proc, sig);
}

/* True: answer the fault with a resume. */
static bool fault(struct lx_task *t, const l4_word_t m[4])
{
    l4_word_t vector = m[0], addr = m[1], error = m[3];

    switch (vector) {
    case VEC_PF: {
        int err = lx_mm_fault(t->proc->mm, addr, error);
        if (!err)
            return true;
        if (err == -LX_ENOMEM) { /* what Linux's OOM killer would do, to this process only */
            printf("linux: %s (pid %d): no memory left for a page at %lx: killed\n", t->proc->comm,
                   t->proc->pid, addr);
            lx_proc_exit(t->proc, 9);
            return false;
        }
        /* SEGV_ACCERR where there is a mapping, SEGV_MAPERR where there is none */
        fault_signal(t, 11, lx_vma_find(t->proc->mm, addr) ? 2 : 1, addr);
        return false;
    }
    case VEC_DE:
    case VEC_MF:
    case VEC_XM:
        fault_signal(t, 8, 0, m[2]);
        return false;
    case VEC_UD:
        fault_signal(t, 4, 2, m[2]);
        return false;
    case VEC_BP:
        fault_signal(t, 5, 0, m[2]);
        return false;
    case VEC_AC:
        fault_signal(t, 7, 1, addr);
        return false;
    default: /* #GP and the rest: what Linux reports as SIGSEGV with no address */
        fault_signal(t, 11, 0x80, 0);
        return false;
    }
}

/* --- the loop ------------------------------------------------------------------------------ */

static void regs_from(struct l4_regs *r, const l4_word_t m[4], const struct l4_utcb *u)
{
    l4_word_t *w = (l4_word_t *)r;

    for (unsigned i = 0; i < L4_REGS_WORDS; i++)
        w[i] = i < L4_MSG_REGS ? m[i] : u->mr[i];
}

long lx_worker_main(l4_word_t index)
{
    struct l4_utcb *u = lx_utcb();
    l4_word_t tag = 0, m[4] = {0}, badge = 0, rtag = 0, w[4] = {0};
    bool answer = false;

    (void)index;
    for (;;) {
        l4_err_t err = answer
                           ? l4_ipc_reply_recv(LX_SLOT_EP, rtag, w[0], w[1], w[2], w[3], &tag,
                                               &m[0], &m[1], &m[2], &m[3], &badge)
                           : l4_ipc_recv(LX_SLOT_EP, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
        answer = false;
        if (err)
            continue; /* the caller went away while we answered: nothing to do */
        l4_mutex_lock(&lx_lock);
        struct lx_task *t = lx_task_by_badge(badge);
        if (!t || t->dying || t->in_call) {
            l4_mutex_unlock(&lx_lock);
            continue;
        }
        t->in_call = true;
        bool resume = false, regs = false;
        if (L4_TAG_LABEL(tag) == L4_LABEL_SYSCALL && L4_TAG_LEN(tag) == L4_REGS_WORDS) {
            regs_from(&t->regs, m, u);
            resume = regs = syscall(t);
        } else if (L4_TAG_LABEL(tag) == L4_LABEL_FAULT) {
            resume = fault(t, m);
        }
        t->in_call = false;
        if (t->dying) {
            lx_task_release(t);
            resume = false;
        }
        if (resume && regs) {
            const l4_word_t *r = (const l4_word_t *)&t->regs;
            for (unsigned i = L4_MSG_REGS; i < L4_REGS_WORDS; i++)
                u->mr[i] = r[i];
            for (unsigned i = 0; i < L4_MSG_REGS; i++)
                w[i] = r[i];
            rtag = L4_TAG(L4_SYSCALL_RESUME, L4_REGS_WORDS, 0);
        } else if (resume) {
            w[0] = w[1] = w[2] = w[3] = 0;
            rtag = L4_TAG(L4_FAULT_RESUME, 0, 0);
        }
        answer = resume;
        lx_kick_run();
        l4_mutex_unlock(&lx_lock);
    }
}

/* --- kicks --------------------------------------------------------------------------------- */

/* A thread stopped on its way into a call (lx_arch.h says how it looks): the call will come
 * and its end delivers. */
static bool entering_call(struct lx_task *t, const struct l4_regs *r)
{
    unsigned char insn[LX_CALL_INSN_LEN];
    uint64_t ip = L4_REGS_IP(r);

    return ip >= LX_CALL_INSN_LEN && !lx_copy_in(t, insn, ip - LX_CALL_INSN_LEN, sizeof(insn)) &&
           lx_call_entering(r, insn);
}

static bool kicks_pending;

void lx_task_kick(struct lx_task *t)
{
    if (t->in_call || t->dying || !t->cap)
        return; /* the end of its call delivers */
    t->kick = true;
    kicks_pending = true;
}

static void kick_now(struct lx_task *t)
{
    struct l4_regs r;

    if (t->in_call || t->dying || !t->cap || l4_thread_suspend(t->cap))
        return;
    if (l4_thread_regs(t->cap, L4_REGS_GET, NULL, &r)) {
        l4_thread_resume(t->cap);
        return;
    }
    if (entering_call(t, &r)) {
        /* its call will come and its end delivers; but SIGKILL cannot wait for a call that
         * a thread spinning just after a SYSCALL instruction never makes */
        if ((t->sigpending | t->proc->sigpending) & (1ull << (9 - 1))) {
            lx_proc_exit(t->proc, 9);
            return;
        }
        l4_thread_resume(t->cap);
        return;
    }
    t->regs = r;
    t->nr = -1; /* not in a call: nothing to restart */
    if (!lx_signal_deliver(t))
        return; /* it was ended */
    if (memcmp(&r, &t->regs, sizeof(r)))
        l4_thread_regs(t->cap, L4_REGS_SET, &t->regs, NULL);
    l4_thread_resume(t->cap);
}

void lx_kick_run(void)
{
    /* by index, reading the table afresh each time: a kick may end any process */
    while (kicks_pending) {
        kicks_pending = false;
        for (int i = 0; i < LX_MAX_TASKS; i++) {
            struct lx_task *t = lx_task_at(i);
            if (t && t->kick) {
                t->kick = false;
                kick_now(t);
            }
        }
    }
}
