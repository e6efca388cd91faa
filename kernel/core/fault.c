/* SPDX-License-Identifier: BSD-2-Clause */
/* Unhandled user exceptions: report the thread and its registers, stop it, carry on. */
#include "container.h"
#include "endpoint.h"
#include "fault_fast.h"
#include "fault_report.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "thread.h"
#include "thread_wait.h"
#include "trace.h"

#include <coffer/ipc.h>

/*
 * A thread with a fault endpoint calls it, as if by ipc_call, with a fault
 * message; a reply labelled L4_FAULT_RESUME lets it retry the instruction
 * (its handler has mapped the page, say). Returns true if it may.
 */
static bool call_fault_handler(struct tcb *t, unsigned vector, uint64_t error, uint64_t addr,
                               uint64_t ip)
{
    struct ipc_msg m = {L4_TAG(L4_LABEL_FAULT, 4, 0), {vector, addr, ip, error}, t->fault_badge};

    if (!t->fault_ep)
        return false;
    l4_err_t err = endpoint_send(t->fault_ep, &m, true, false);
    return err == L4_OK && L4_TAG_LABEL(t->msg.tag) == L4_FAULT_RESUME;
}

bool thread_page_fault_ipc(struct tcb *t, vaddr_t addr, bool write)
{
    struct user_regs r;
    bool present = space_kaddr(t->space, addr, MAP_READ) != NULL;

    /* only ipc_copy's, which marks it (ext_faulting): the answer goes the general way. The
     * copy may be of an answer to an exception's call, so in_fault may be set here too. */
    DEBUG_ASSERT(t == sched_current() && addr < USER_TOP && t->ext_faulting);
    /* no answer could make a device page one the kernel copies to or from (ipc_copy.c) */
    DEBUG_ASSERT(!space_device_page(t->space, addr));
    arch_frame_read(arch_frame_of(t->kstack), &r); // where it would resume
    TRACE(TRACE_FAULT, t, VEC_PAGE_FAULT | (uint64_t)PF_ERROR_USER(write, present) << 8, addr);
    return call_fault_handler(t, VEC_PAGE_FAULT, PF_ERROR_USER(write, present), addr, r.ip);
}

/*
 * With no fault handler, or one that will not resume it, the thread is
 * stopped, not destroyed: its container's supervisor can inspect the fault
 * record and restart the container. Other threads are not affected.
 */
void thread_stop_unhandled(struct trap_frame *f, unsigned vector, uint64_t error, uint64_t addr)
{
    struct tcb *t = sched_current();
    struct user_regs r;

    arch_frame_read(f, &r);
    fault_report(t, f, vector, error, addr);
    kprintf("thread %s (%lx) stopped\n", t->name, t->id);
    container_note_fault(t->container, r.ip, addr);
    t->faulted = true;
    sched_remove(t);
    thread_faulted(t); // its waiters and supervisor stop waiting for an end that will not come
    schedule();        // returns only if somebody makes the thread runnable again
}

void thread_fault(struct trap_frame *f, unsigned vector, uint64_t error, uint64_t addr)
{
    struct tcb *t = sched_current();
    struct user_regs r;

    arch_frame_read(f, &r);
    TRACE(TRACE_FAULT, t, vector | error << 8, addr);
    /*
     * The answer resumes its exception's frame (IRETQ), so the IPC fastpath leaves it to the
     * general way or to the fault fastpath, which takes the call first if it can. Marked
     * here, not in call_fault_handler: while it waits, the thread may itself ask its pager
     * for a page of the answer's extended message (ipc_copy_finish), a call within this one.
     */
    DEBUG_ASSERT(!t->kernel_call); // it came from user mode: no kernel call of its own is on
    if (!fast_gate.closed && fault_fastpath(vector, error, addr, r.ip)) // gate: sched.h
        __builtin_unreachable(); // the handler runs; the answer resumes us (fault_fast.c)
    t->in_fault = true;
    bool resumed = call_fault_handler(t, vector, error, addr, r.ip);
    t->in_fault = false;
    if (resumed)
        return;
    thread_stop_unhandled(f, vector, error, addr);
}
