/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's whole user register set: its trap frame and its TLS bases, read and written. */
#include "thread_regs.h"

#include "arch.h"
#include "cspace.h"
#include "endpoint.h"
#include "ipc_copy.h"
#include "printk.h"
#include "sched.h"

#include <coffer/ipc.h>
#include <coffer/thread.h>

_Static_assert(L4_TLS_COUNT == sizeof(((struct tcb *)0)->tls) / sizeof(l4_word_t),
               "one TCB word per TLS base");

void thread_get_regs(const struct tcb *t, struct l4_regs *r)
{
    bool running = t == sched_current();

    arch_frame_get_regs(arch_frame_of(t->kstack), r);
    /* user code may have changed the running thread's bases itself (x86_64: zeroed one with a
     * selector load; AArch64: written TPIDR_EL0) */
    for (unsigned i = 0; i < L4_TLS_COUNT; i++)
        L4_REGS_TLS(r)[i] = running ? arch_tls_get(i) : t->tls[i];
}

/* Are all the L4_TLS_COUNT TLS bases at tls user addresses? */
static inline bool tls_ok(const l4_word_t *tls)
{
    for (unsigned i = 0; i < L4_TLS_COUNT; i++) {
        if (tls[i] >= USER_TOP)
            return false;
    }
    return true;
}

/* Is a TLS base not 0? (switches then load the bases) */
static bool tls_used(const l4_word_t tls[L4_TLS_COUNT])
{
    l4_word_t any = 0;

    for (unsigned i = 0; i < L4_TLS_COUNT; i++)
        any |= tls[i];
    return any != 0;
}

/* Inlined into every caller (LTO): a call here once had the compiler spill half of the
 * foreign resume's register copy to the stack (+17 a round trip); the fast resume now checks
 * in foreign_resume_split, the general one (foreign.c) still here */
__attribute__((always_inline)) inline l4_err_t thread_regs_check(const struct l4_regs *r)
{
    if (!tls_ok(L4_REGS_TLS(r)))
        return L4_ERANGE; // loading a non-canonical base would fault in the kernel
    return arch_regs_check(r);
}

void thread_set_tls(struct tcb *t, unsigned which, l4_word_t base)
{
    DEBUG_ASSERT(which < L4_TLS_COUNT && base < USER_TOP);
    t->tls[which] = base;
    t->tls_used = tls_used(t->tls);
    if (t == sched_current())
        arch_tls_set(which, base);
}

/* thread_set_tls's work for a thread not running, every base at once and without its calls
 * (every foreign call resumes through here): they are loaded when it is switched to */
static inline __attribute__((always_inline)) void set_tls_of_other(struct tcb *t,
                                                                   const l4_word_t *tls)
{
    DEBUG_ASSERT(t != sched_current());
    for (unsigned i = 0; i < L4_TLS_COUNT; i++)
        t->tls[i] = tls[i];
    t->tls_used = tls_used(t->tls);
}

/* Inlined, as thread_regs_check is: a call here cost the foreign call's fast resume about 25
 * instructions of saves, spills and restores. */
static inline __attribute__((always_inline)) void set_regs_of_other(struct tcb *t,
                                                                    const struct l4_regs *r)
{
    /* (arch_frame_set_regs asserts what arch_regs_check checks) */
    DEBUG_ASSERT(tls_ok(L4_REGS_TLS(r)));
    arch_frame_set_regs(arch_frame_of(t->kstack), r);
    set_tls_of_other(t, L4_REGS_TLS(r));
}

void foreign_resume_regs(struct tcb *t, const struct l4_regs *r)
{
    set_regs_of_other(t, r);
}

__attribute__((always_inline)) inline l4_err_t
foreign_resume_split(struct tcb *t, const l4_word_t *head, const l4_word_t *tail)
{
    l4_word_t tls[L4_TLS_COUNT];

    for (unsigned i = 0; i < L4_TLS_COUNT; i++) // tail may be a UTCB: the bases checked are kept
        tls[i] = LOAD_ONCE(&tail[REGS_TAIL_TLS + i]);
    if (!tls_ok(tls))
        return L4_ERANGE; // loading a non-canonical base would fault in the kernel
    l4_err_t err = arch_frame_set_regs_split(arch_frame_of(t->kstack), head, tail);
    if (err)
        return err;
    set_tls_of_other(t, tls);
    return L4_OK;
}

void thread_set_regs(struct tcb *t, const struct l4_regs *r)
{
    DEBUG_ASSERT(t->state != THREAD_FREE && t->state != THREAD_DEAD);
    set_regs_of_other(t, r);
    /*
     * Its kernel call chain (a wait, a system call's end, a fault being handled) is
     * dropped, as the IPC fastpath drops one: nothing is held there, and what it would
     * have written into the frame on the way out (a system call's results) must not
     * overwrite r. It resumes in the full exception return, which keeps rcx and r11.
     */
    if (t->state == THREAD_BLOCKED) {
        ipc_abort(t);
        sched_make_ready(t);
    } else {
        ipc_copy_drop(t, L4_ESTATE); // woken to finish an extended copy, which is dropped
    }
    arch_context_init(&t->saved_sp, t->kstack);
    t->chain_dropped = false;
    t->ntf_resume = false;
    /* the kernel call it was in (a foreign system call, a fault, a page of an extended copy)
     * ended with the chain, which would have cleared its mark: left set, every later extended
     * message of the thread would be cut unasked, and answers would go the general way */
    t->kernel_call = 0;
    thread_forget_call(t);
}

void thread_forget_call(struct tcb *t)
{
    t->carry_nr = 0;
    t->range.nr = 0;
    cspaces_orphan(t);    // the kernel clears the tables its call would have
    unmap_debt_settle(t); // and its unmaps, at once: no mapping outlives its call's end
}
