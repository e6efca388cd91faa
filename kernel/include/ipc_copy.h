/* SPDX-License-Identifier: BSD-2-Clause */
/* Long, extended and capability-carrying messages: what goes beyond the four register words. */
#ifndef KERNEL_IPC_COPY_H
#define KERNEL_IPC_COPY_H

#include "types.h"

struct tcb;
struct ipc_msg;

/*
 * Check, before anything blocks, that the sender can send what its tag
 * says: its UTCB for long messages, its extended buffer, the capability it
 * wants to pass (and that it may: transfer is the endpoint capability's
 * L4_EP_TRANSFER right; replies carry none). Returns the error to give it.
 */
l4_err_t ipc_check_send(struct tcb *self, l4_word_t tag, bool may_transfer, bool is_reply);

/*
 * Before ipc_check_send, with nothing looked up yet (it may block): the pages of the
 * current thread's extended buffer that are not mapped for reading are asked of its pager,
 * in its own context, as page faults. EFAULT if it has none, or the pager does not resume
 * it (ipc_check_send reports every other problem).
 */
l4_err_t ipc_fault_in_send(struct tcb *self, l4_word_t tag);
/*
 * At delivery: copy words 4.. and the extended buffer from sender's UTCB to
 * the receiver's, and move the capability. What the receiver cannot take is
 * dropped and L4_IPC_TRUNC set in m->tag; the sender has already succeeded.
 * Returns true if a page of the receiver's extended buffer was not mapped and the
 * receiver's pager is to be asked for it (may_wait: the sender may wait for that): the
 * receiver finishes the copy in its own context (ipc_copy_finish) before it returns from its
 * IPC, and the sender must wait (IPC_EXT_COPY, or for a call IPC_REPLY) until then.
 */
bool ipc_copy(struct tcb *from, struct tcb *to, struct ipc_msg *m, bool may_wait);
/*
 * The current thread, before it returns from the IPC that left it a copy to finish (ext_from):
 * copy the rest, asking its pager for each page of its buffer that is not mapped; what
 * cannot be copied is cut (L4_IPC_TRUNC). Then the sender goes on. Its msg and ipc_result are
 * what they were before.
 */
void ipc_copy_finish(struct tcb *self);
/* t leaves whatever unfinished extended copy it is part of: a receiver that was to finish
 * one releases its sender with result; a sender's receiver will find nothing more to copy. */
void ipc_copy_drop(struct tcb *t, l4_err_t result);
/*
 * After ipc_copy, once both threads' IPC state is whole (woken, blocked, reply linked):
 * undo what the moved capability took from the sender's container. That may kill a
 * thread of this very IPC, which must not happen halfway through it.
 */
void ipc_copy_settle(void);

#endif
