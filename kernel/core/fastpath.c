/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC fastpath: a straight line of checks, then a direct switch; anything unusual falls back. */
#include "fastpath.h"

#include "arch.h"
#include "container.h"
#include "endpoint.h"
#include "fault_fast.h"
#include "foreign.h"
#include "ipc_copy.h"
#include "notify_fast.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "thread.h"
#include "thread_regs.h"
#include "thread_utcb.h"
#include "trace.h"

#include <coffer/cap.h>
#include <coffer/ipc.h>
#include <coffer/regs.h>
#include <coffer/syscall_nr.h>

/*
 * Both directions hand the CPU straight to the partner and let it return to
 * user space with its results written into its saved registers, skipping the
 * kernel call chain it blocked in (nothing is held there). The caller's own
 * chain is abandoned too: whoever wakes it, fastpath or general path, leaves
 * its results where they come back from (its saved registers, or its TCB and
 * then ipc_fast_resume()).
 */

/* The endpoint behind slot, if the capability is an endpoint with right. */
static struct endpoint *endpoint_of(struct tcb *self, l4_word_t slot, uint32_t right,
                                    l4_word_t *badge)
{
    struct captable *t = self->cspace;

    if (unlikely(slot >= t->nslots))
        return NULL;
    struct cap *k = &t->slots[slot];
    if (unlikely(k->type != L4_CAP_ENDPOINT || !(k->rights & right)))
        return NULL;
    *badge = k->a;
    return k->obj;
}

/* May partner run in place of self, now, without breaking the scheduling rules? */
static inline __attribute__((always_inline)) bool may_run_instead(const struct tcb *self,
                                                                  const struct tcb *partner)
{
    return partner->prio >= self->prio && !partner->stopped;
}

/* ... and return to user space through SYSRET, its frame being a SYSCALL's? */
static inline __attribute__((always_inline)) bool can_take_over(const struct tcb *self,
                                                                const struct tcb *partner)
{
    return may_run_instead(self, partner) && arch_frame_sysret_ok(arch_frame_of(partner->kstack));
}

/*
 * The same for call and reply_recv from the entry stub, without building a kernel context
 * for the partner only to unwind it: the message goes from self's arguments a[] straight
 * into the partner's saved registers, the partner becomes current, and the stub returns to
 * user space from the partner's frame (SYSRET: can_take_over checked it is a SYSCALL's).
 */
/* The partner stops waiting and returns from its frame, which the caller has written; self
 * waits, its kernel call chain (if any) dropped: whoever wakes it leaves its results in its
 * TCB, from which ipc_fast_resume() returns them. */
static inline __attribute__((always_inline)) void switch_to(struct tcb *self, struct tcb *partner)
{
    /* not its ipc_result: it returns from its frame, and whoever wakes it next sets one */
    partner->blocked_on = NULL;
    partner->ipc_wait = IPC_NONE;
    partner->state = THREAD_READY;
    partner->chain_dropped = false; // whatever it blocked in, it now returns from its frame
    self->chain_dropped = true;
    sched_become(partner);
}

static struct trap_frame *pass_to(struct tcb *self, struct tcb *partner, const l4_word_t a[6],
                                  l4_word_t badge)
{
    struct trap_frame *f = arch_frame_of(partner->kstack);

    arch_ipc_deliver(f, a, badge);
    switch_to(self, partner);
    return f;
}

/* A thread the fastpath left is running again: its results are in its TCB. */
void ipc_fast_resume(void);
void ipc_fast_resume(void)
{
    struct tcb *self = sched_current();
    const struct ipc_msg *m = &self->msg;

    if (unlikely(self->ntf_resume)) {
        notify_fast_resume(self); // a notification wait's: the bits in rdi, the rest as it came
        sched_preempt_point();
        return;
    }
    if (unlikely(self->ext_from))
        ipc_copy_finish(self); // a message came whose extended buffer it copies itself
    if (unlikely(self->in_fault))
        fault_fast_resume(self); // the answer to an exception: IRETQ from its frame, or stop
    l4_word_t r[6] = {m->tag, m->w[0], m->w[1], m->w[2], m->w[3], m->badge};

    if (unlikely(self->in_foreign))
        foreign_resume(self); // every register is the handler's: it leaves through IRETQ
    arch_syscall_results(arch_frame_of(self->kstack), self->ipc_result, r);
    sched_preempt_point(); // as at the end of any system call
}

/* The server (handler) takes self's call m at once: self waits for the reply, whose one-shot
 * right goes to the server, and the CPU goes to the server. */
static inline __attribute__((always_inline)) void call_taken(struct tcb *self, struct tcb *server,
                                                             const struct endpoint *ep)
{
    list_remove(&server->ipc_link);
    self->state = THREAD_BLOCKED;
    self->ipc_wait = IPC_REPLY;
    self->callee = server;
    server->caller = self;
    TRACE_IPC(TRACE_CALL, self, ep->id, server, TRACE_FAST);
}

static struct trap_frame *fast_call(struct tcb *self, const l4_word_t a[6])
{
    l4_word_t badge;
    struct endpoint *ep = endpoint_of(self, a[0], L4_EP_SEND, &badge);

    if (unlikely(!ep || list_empty(&ep->receivers)))
        return NULL; // no such endpoint, or nobody waiting: the general path queues us
    struct tcb *server = container_of(ep->receivers.next, struct tcb, ipc_link);
    if (unlikely(!can_take_over(self, server) || server->caller))
        return NULL; // the general path deals with a reply right it still holds
    call_taken(self, server, ep);
    return pass_to(self, server, a, badge);
}

/* The reply half of a reply_recv: the one-shot reply right is used up, and self waits on ep
 * for the next message (what it says back to client is the caller's to hand over). */
static inline __attribute__((always_inline)) void
reply_and_wait(struct tcb *self, struct tcb *client, struct endpoint *ep)
{
    self->caller = NULL;
    client->callee = NULL;
    list_push_back(&ep->receivers, &self->ipc_link); // we wait for the next message
    self->state = THREAD_BLOCKED;
    self->blocked_on = ep;
    self->ipc_wait = IPC_RECV;
}

static struct trap_frame *fast_reply_recv(struct tcb *self, const l4_word_t a[6])
{
    l4_word_t badge;
    struct endpoint *ep = endpoint_of(self, a[0], L4_EP_RECV, &badge);
    struct tcb *client = self->caller;

    if (unlikely(!ep || !client || !list_empty(&ep->senders) || client->ipc_wait != IPC_REPLY))
        return NULL; // nobody to answer, or a message already waits for us
    if (unlikely(client->kernel_call))
        return fault_reply_fastpath(ep, client, a); // an exception's answer (fault_fast.c), or
            // the general path: a foreign system call's answer goes into all its registers,
            // and one for a page of an extended buffer back into the kernel (ipc_copy.c)
    if (unlikely(!can_take_over(self, client)))
        return NULL;
    reply_and_wait(self, client, ep);
    TRACE_IPC(TRACE_REPLY, self, 0, client, TRACE_FAST);
    return pass_to(self, client, a, 0);
}

/*
 * Foreign system calls (kernel/core/foreign.c): words 0..3 travel as above, 4..19 go
 * straight between the thread's frame and the handler's UTCB, never through a buffer. A
 * UTCB the kernel cannot reach here (none, unmapped, read-only) is the general path's.
 */

/* The kernel's address of t's UTCB mr[4..19], if all of it is mapped with perms. */
static l4_word_t *utcb_words(struct tcb *t, unsigned perms)
{
    _Static_assert(__builtin_offsetof(struct l4_utcb, mr[L4_REGS_WORDS]) <= PAGE_SIZE,
                   "a UTCB is page aligned: the words lie in its first page");
    char *u = thread_utcb(t, perms);

    return u ? (l4_word_t *)(u + __builtin_offsetof(struct l4_utcb, mr[L4_MSG_REGS])) : NULL;
}

__attribute__((noinline)) struct trap_frame *foreign_fast_entry(struct trap_frame *f)
{
    struct tcb *self = sched_current();
    struct endpoint *ep = self->fault_ep;

    if (unlikely(self->foreign == L4_FOREIGN_OFF))
        return NULL; // a number the kernel does not know: the C way refuses it
    if (unlikely(!ep || fast_gate.closed || list_empty(&ep->receivers)))
        return NULL; // no handler, or none waiting: the general path; or the scheduler decides
    struct tcb *handler = container_of(ep->receivers.next, struct tcb, ipc_link);
    if (unlikely(!may_run_instead(self, handler) || handler->caller))
        return NULL; // the general path deals with a reply right it still holds
    struct trap_frame *hf = arch_frame_of(handler->kstack);
    DEBUG_ASSERT(arch_frame_sysret_ok(hf)); // it waits for a message (assert_fast_partner)
    l4_word_t *w = utcb_words(handler, MAP_WRITE);
    if (unlikely(!w))
        return NULL; // the general path delivers four words, flagged L4_IPC_TRUNC

    /* struct l4_regs's words: 0..3 in the message, the others straight into the UTCB; we
     * run, so the TLS bases (the last words) are the CPU's (user code may change them) */
    l4_word_t rw[L4_MSG_REGS];
    arch_frame_get_regs_split(f, rw, w);
#pragma GCC unroll 4
    for (unsigned i = 0; i < L4_TLS_COUNT; i++)
        w[REGS_TAIL_TLS + i] = arch_tls_get(i);
    self->in_foreign = true; // the reply writes our frame, not our results
    call_taken(self, handler, ep);
    const l4_word_t m[6] = {
        L4_TAG(L4_LABEL_SYSCALL, L4_REGS_WORDS, 0), rw[0], rw[1], rw[2], rw[3], self->fault_badge};
    arch_syscall_results(hf, L4_OK, m);
    switch_to(self, handler);
    return hf;
}

/*
 * The handler's reply_recv resumes its foreign caller: only a well-formed resume whose
 * registers thread_regs_check takes comes here; a stop, a bad register or an unreadable UTCB
 * goes the general way, which stops the thread (foreign_reply). The thread then leaves
 * through IRETQ (x86_64: fast_foreign_c, or fast_c in a kernel with the event trace): rcx
 * and r11 are the handler's to give, not SYSRET's.
 */
static __attribute__((noinline)) struct trap_frame *fast_foreign_reply_recv(struct tcb *self,
                                                                            const l4_word_t a[6])
{
    l4_word_t badge;
    struct endpoint *ep = endpoint_of(self, a[0], L4_EP_RECV, &badge);
    struct tcb *client = self->caller;

    if (unlikely(!ep || !client || !list_empty(&ep->senders)))
        return NULL; // nobody to answer, or a message already waits for us
    if (unlikely(!client->in_foreign || client->ipc_wait != IPC_REPLY ||
                 !may_run_instead(self, client)))
        return NULL; // it leaves through IRETQ: how it entered does not matter
    if (unlikely(L4_TAG_LABEL(a[1]) != L4_SYSCALL_RESUME || L4_TAG_LEN(a[1]) != L4_REGS_WORDS))
        return NULL;
    const l4_word_t *w = utcb_words(self, MAP_READ);
    if (unlikely(!w))
        return NULL;
    /* words 0..3 come in the message, 4.. from the UTCB, straight into its frame: checked
     * first, nothing written if they are refused */
    if (unlikely(foreign_resume_split(client, a + 2, w)))
        return NULL;
    reply_and_wait(self, client, ep);
    client->in_foreign = false;
    TRACE_IPC(TRACE_REPLY, self, 0, client, TRACE_FAST);
    switch_to(self, client); // its foreign_syscall, if it has one, is dropped
    return arch_frame_of(client->kstack);
}

struct trap_frame *foreign_reply_fast_entry(struct trap_frame *f)
{
    const l4_word_t *a = arch_syscall_args(f);

    DEBUG_ASSERT(arch_syscall_nr(f) == L4_SYS_IPC_REPLY_RECV);
    if (unlikely(a[1] & L4_TAG_FLAGS_MASK))
        return NULL; // the general path's
    return fast_foreign_reply_recv(sched_current(), a);
}

struct trap_frame *ipc_fastpath_entry(struct trap_frame *f)
{
    struct tcb *self = sched_current();
    l4_word_t nr = arch_syscall_nr(f);
    const l4_word_t *a = arch_syscall_args(f);

    /* no flags; short messages, but for a foreign system call's resume; not a thread whose
     * calls all go to its foreign handler (its syscall_limit is 0) */
    if (unlikely(fast_gate.closed || (a[1] & L4_TAG_FLAGS_MASK) || nr >= self->syscall_limit))
        return NULL; // fastpath off, or somebody better waits for the CPU: the scheduler decides
    if (unlikely(L4_TAG_LEN(a[1]) > L4_MSG_REGS)) {
        if (nr == L4_SYS_IPC_REPLY_RECV)
            return fast_foreign_reply_recv(self, a);
        return NULL;
    }
    return nr == L4_SYS_IPC_CALL ? fast_call(self, a) : fast_reply_recv(self, a);
}
