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
 * At delivery: copy words 4.. and the extended buffer from sender's UTCB to
 * the receiver's, and move the capability. What the receiver cannot take is
 * dropped and L4_IPC_TRUNC set in m->tag; the sender has already succeeded.
 */
void ipc_copy(struct tcb *from, struct tcb *to, struct ipc_msg *m);
/*
 * After ipc_copy, once both threads' IPC state is whole (woken, blocked, reply linked):
 * undo what the moved capability took from the sender's container. That may kill a
 * thread of this very IPC, which must not happen halfway through it.
 */
void ipc_copy_settle(void);

#endif
