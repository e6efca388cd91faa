/* SPDX-License-Identifier: BSD-2-Clause */
/* The fault fastpath: an exception's call to a waiting handler, and its resume, without the
 * run queue or the faulted thread's kernel call chain. */
#include "fault_fast.h"

#include "arch.h"
#include "endpoint.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"
#include "trace.h"

#include <coffer/ipc.h>

/*
 * Both halves do what the general path does (fault.c: call_fault_handler, endpoint_send,
 * ipc_reply, then thread_fault's return), in the order the IPC fastpath does it: the
 * message goes straight into the handler's saved registers, the handler becomes current
 * and leaves through SYSRET; the faulted thread's chain is dropped (chain_dropped), so it
 * comes back either here, from the handler's reply_recv with a resume, straight through
 * IRETQ from its exception frame, or, woken by the general path, in fault_fast_resume. Any
 * condition not met changes nothing and leaves the work to the general path.
 */

/* May t run in place of the running thread self, now (the scheduler's rule: no lower
 * priority, not stopped)? */
static inline bool may_run_instead(const struct tcb *self, const struct tcb *t)
{
    return t->prio >= self->prio && !t->stopped;
}

bool fault_fastpath(unsigned vector, uint64_t error, uint64_t addr, uint64_t ip)
{
    struct tcb *t = sched_current();
    struct endpoint *ep = t->fault_ep;

    DEBUG_ASSERT(!fast_gate.closed); // the caller tests it: the general path then pays little
    if (unlikely(!ep || list_empty(&ep->receivers)))
        return false; // no handler, or nobody waiting
    struct tcb *h = container_of(ep->receivers.next, struct tcb, ipc_link);
    struct trap_frame *hf = arch_frame_of(h->kstack);
    if (unlikely(!may_run_instead(t, h) || h->caller || !arch_frame_sysret_ok(hf)))
        return false; // the scheduler decides, or the general path gives up its reply right
    /* a receiver waits in a system call of its own (endpoint_recv), never in a kernel call */
    DEBUG_ASSERT(!h->kernel_call && h->state == THREAD_BLOCKED && h->ipc_wait == IPC_RECV);
    DEBUG_ASSERT(!t->kernel_call && !t->callee && !t->ext_from);

    /* committed: t calls h, as endpoint_send and link_reply do, and waits for the reply */
    l4_word_t r[6] = {L4_TAG(L4_LABEL_FAULT, 4, 0), vector, addr, ip, error, t->fault_badge};
    list_remove(&h->ipc_link);
    t->in_fault = true; // its frame is an exception's: the answer goes back through IRETQ
    t->fault_addr = addr;
    t->state = THREAD_BLOCKED;
    t->blocked_on = NULL;
    t->ipc_wait = IPC_REPLY;
    t->callee = h;
    h->caller = t;
    TRACE_IPC(TRACE_CALL, t, ep->id, h, TRACE_FAST);
    /* not h's ipc_result: it returns from its frame, and whoever wakes it next sets one */
    h->blocked_on = NULL;
    h->ipc_wait = IPC_NONE;
    h->state = THREAD_READY;
    h->chain_dropped = false; // it returns from its frame
    arch_syscall_results(hf, L4_OK, r);
    t->chain_dropped = true; // whoever wakes us leaves the answer in our TCB
    sched_become(h);
    arch_return_from_sysret(hf);
}

struct trap_frame *fault_reply_fastpath(struct endpoint *ep, struct tcb *client,
                                        const l4_word_t a[6])
{
    struct tcb *self = sched_current();
    struct trap_frame *f = arch_frame_of(client->kstack);
    unsigned vector;
    uint64_t error;

    /* what fast_reply_recv (entry.S's, or fastpath.c's) checked before it came here */
    DEBUG_ASSERT(!fast_gate.closed && client == self->caller && client->ipc_wait == IPC_REPLY);
    DEBUG_ASSERT(list_empty(&ep->senders) && !(a[1] & L4_TAG_FLAGS_MASK));
    DEBUG_ASSERT(L4_TAG_LEN(a[1]) <= L4_MSG_REGS && client->callee == self);
    if (unlikely(!client->in_fault || client->in_foreign || client->ext_faulting ||
                 !client->chain_dropped))
        return NULL; // not an exception's call, or its chain waits for the answer (fault.c)
    if (unlikely(L4_TAG_LABEL(a[1]) != L4_FAULT_RESUME))
        return NULL; // the general path stops it (fault_fast_resume)
    if (unlikely(!may_run_instead(self, client)))
        return NULL; // the scheduler decides who runs
    if (unlikely(!arch_frame_fault_ok(f, &vector, &error)))
        return NULL; // never (thread_regs and thread_exregs, the only writers of a frame,
                     // refuse a kernel or non-canonical rip and keep cs and ss): IRETQ
                     // would fault in the kernel on a kernel cs or a non-canonical rip
    (void)vector;
    (void)error;

    /* committed: the reply right is used up, we wait on ep, the client resumes */
    self->caller = NULL;
    client->callee = NULL;
    list_push_back(&ep->receivers, &self->ipc_link);
    self->state = THREAD_BLOCKED;
    self->blocked_on = ep;
    self->ipc_wait = IPC_RECV;
    TRACE_IPC(TRACE_REPLY, self, 0, client, TRACE_FAST);
    client->msg = (struct ipc_msg){a[1], {a[2], a[3], a[4], a[5]}, 0}; // as ipc_reply leaves it
    client->ipc_result = L4_OK;
    client->ipc_wait = IPC_NONE;
    client->state = THREAD_READY;
    client->in_fault = false; // its call is over
    client->chain_dropped = false;
    self->chain_dropped = true; // whoever wakes us leaves our results in our TCB
    sched_become(client);
    return f;
}

void fault_fast_resume(struct tcb *t)
{
    struct trap_frame *f = arch_frame_of(t->kstack);
    unsigned vector;
    uint64_t error;
    bool ok = arch_frame_fault_ok(f, &vector, &error);

    /* thread_regs drops the fault with the chain (thread_regs.c); thread_exregs keeps it but
     * writes only a user rip, rsp and rdi: the frame stays a user exception's (FFAST-013) */
    DEBUG_ASSERT(ok && t->in_fault && t == sched_current());
    (void)ok;
    t->in_fault = false;
    if (t->ipc_result != L4_OK || L4_TAG_LABEL(t->msg.tag) != L4_FAULT_RESUME)
        thread_stop_unhandled(f, vector, error, t->fault_addr); // as thread_fault does
    sched_preempt_point(); // as trap_dispatch does after an exception
    arch_return_from(f);
}
