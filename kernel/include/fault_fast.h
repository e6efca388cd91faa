/* SPDX-License-Identifier: BSD-2-Clause */
/* The fault fastpath (kernel/core/fault_fast.c): an exception's call and its resume. */
#ifndef KERNEL_FAULT_FAST_H
#define KERNEL_FAULT_FAST_H

#include "arch.h"
#include "types.h"

struct endpoint;
struct tcb;
struct trap_frame;

/*
 * The running thread took exception vector (error, addr; at ip) from user mode: if the
 * handler on its fault endpoint waits for a message and may run in its place, the handler
 * gets the fault message in its registers and runs, leaving through SYSRET, and this does
 * not return. Only while fast_gate is open (the caller tests it). Otherwise false, having changed nothing: the general path (fault.c) calls.
 */
#if ARCH_FASTPATHS
bool fault_fastpath(unsigned vector, uint64_t error, uint64_t addr, uint64_t ip);
#else
static inline bool fault_fastpath(unsigned vector, uint64_t error, uint64_t addr, uint64_t ip)
{
    (void)vector, (void)error, (void)addr, (void)ip;
    return false; // not ported to this architecture: the general path
}
#endif
/*
 * The handler's ipc_reply_recv on ep, with a short message a[1..5], answers client, which
 * waits for the answer to an exception's call (fast_reply_recv, entry.S's or fastpath.c's, checked the rest of
 * what the IPC fastpath checks): a resume from a handler that may let it run makes client
 * current, and returns its exception frame to leave from through IRETQ. NULL, having
 * changed nothing: the general path answers.
 */
struct trap_frame *fault_reply_fastpath(struct endpoint *ep, struct tcb *client,
                                        const l4_word_t a[6]);
/* A thread the fault fastpath left, woken by the general path's answer (ipc_fast_resume):
 * it resumes through IRETQ, or stops, as thread_fault would have it. Does not return. */
_Noreturn void fault_fast_resume(struct tcb *t);

#endif
