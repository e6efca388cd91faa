/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The structure offsets and constants both architectures' assembly fastpaths read (x86_64's
 * entry.S and notify_fast.S, AArch64's ipc_fast.S and notify_fast.S): each gen/asm_offsets.c
 * defines OFFSET and MEMBER, includes this, and runs IPC_FASTPATH_OFFSETS() and
 * NTF_FASTPATH_OFFSETS() in its asm_offsets().
 */
#ifndef KERNEL_ASM_OFFSETS_IPC_H
#define KERNEL_ASM_OFFSETS_IPC_H

#include "arch.h"
#include "cap.h"
#include "endpoint.h"
#include "notification.h"
#include "runqueue.h"
#include "sched.h"
#include "space.h"
#include "thread.h"

#include <coffer/cap.h>
#include <coffer/ipc.h>

#define IPC_FASTPATH_OFFSETS()                                                                     \
    do {                                                                                           \
        MEMBER(TCB_STATE, struct tcb, state);                                                      \
        MEMBER(TCB_STOPPED, struct tcb, stopped);                                                  \
        MEMBER(TCB_PRIO, struct tcb, prio);                                                        \
        MEMBER(TCB_KSTACK, struct tcb, kstack);                                                    \
        MEMBER(TCB_SPACE, struct tcb, space);                                                      \
        MEMBER(TCB_CSPACE, struct tcb, cspace);                                                    \
        MEMBER(TCB_IPC_LINK, struct tcb, ipc_link);                                                \
        MEMBER(TCB_BLOCKED_ON, struct tcb, blocked_on);                                            \
        MEMBER(TCB_IPC_WAIT, struct tcb, ipc_wait);                                                \
        MEMBER(TCB_CALLER, struct tcb, caller);                                                    \
        MEMBER(TCB_CALLEE, struct tcb, callee);                                                    \
        MEMBER(TCB_CHAIN_DROPPED, struct tcb, chain_dropped);                                      \
        MEMBER(TCB_SYSCALL_LIMIT, struct tcb, syscall_limit);                                      \
        MEMBER(TCB_KERNEL_CALL, struct tcb, kernel_call);                                          \
        MEMBER(CT_SLOTS, struct captable, slots);                                                  \
        MEMBER(CT_NSLOTS, struct captable, nslots);                                                \
        OFFSET(CAP_SIZE, sizeof(struct cap));                                                      \
        MEMBER(CAP_TYPE, struct cap, type);                                                        \
        MEMBER(CAP_RIGHTS, struct cap, rights);                                                    \
        MEMBER(CAP_OBJ, struct cap, obj);                                                          \
        MEMBER(CAP_A, struct cap, a);                                                              \
        MEMBER(EP_SENDERS, struct endpoint, senders);                                              \
        MEMBER(EP_RECEIVERS, struct endpoint, receivers);                                          \
        MEMBER(LIST_NEXT, struct list_node, next);                                                 \
        MEMBER(LIST_PREV, struct list_node, prev);                                                 \
        MEMBER(SPACE_ROOT, struct space, root);                                                    \
        OFFSET(THREAD_BLOCKED_VALUE, THREAD_BLOCKED);                                              \
        OFFSET(THREAD_READY_VALUE, THREAD_READY);                                                  \
        OFFSET(IPC_NONE_VALUE, IPC_NONE);                                                          \
        OFFSET(IPC_RECV_VALUE, IPC_RECV);                                                          \
        OFFSET(IPC_REPLY_VALUE, IPC_REPLY);                                                        \
        OFFSET(L4_CAP_ENDPOINT_VALUE, L4_CAP_ENDPOINT);                                            \
        OFFSET(L4_EP_SEND_VALUE, L4_EP_SEND);                                                      \
        OFFSET(L4_EP_RECV_VALUE, L4_EP_RECV);                                                      \
        OFFSET(L4_TAG_FLAGS_VALUE, L4_TAG_FLAGS_MASK);                                             \
        OFFSET(L4_TAG_LEN_VALUE, L4_TAG_LEN_MASK);                                                 \
        OFFSET(L4_MSG_REGS_VALUE, L4_MSG_REGS);                                                    \
        OFFSET(KSTACK_FRAME, KSTACK_SIZE - sizeof(struct trap_frame));                             \
        ;                                                                                          \
    } while (0)

/* the notification fastpath's: the notification, the run queue, a waiter's results */
#define NTF_FASTPATH_OFFSETS()                                                                     \
    do {                                                                                           \
        MEMBER(TCB_RQ_LINK, struct tcb, rq_link);                                                  \
        MEMBER(TCB_IPC_RESULT, struct tcb, ipc_result);                                            \
        MEMBER(TCB_MSG_W0, struct tcb, msg.w[0]);                                                  \
        MEMBER(TCB_NTF_RESUME, struct tcb, ntf_resume);                                            \
        MEMBER(NTF_WORD, struct notification, word);                                               \
        MEMBER(NTF_WAITERS, struct notification, waiters);                                         \
        MEMBER(RQ_BITMAP, struct runqueue, bitmap);                                                \
        MEMBER(RQ_TOP, struct runqueue, top);                                                      \
        MEMBER(FAST_GATE_REAP, union fast_gate, reap);                                             \
        MEMBER(RQ_QUEUE, struct runqueue, queue);                                                  \
        OFFSET(LIST_SIZE, sizeof(struct list_node));                                               \
        OFFSET(IPC_NOTIFY_VALUE, IPC_NOTIFY);                                                      \
        OFFSET(L4_OK_VALUE, L4_OK);                                                                \
        OFFSET(L4_CAP_NOTIFICATION_VALUE, L4_CAP_NOTIFICATION);                                    \
        OFFSET(L4_NTF_SIGNAL_VALUE, L4_NTF_SIGNAL);                                                \
        OFFSET(L4_NTF_WAIT_VALUE, L4_NTF_WAIT);                                                    \
        ;                                                                                          \
    } while (0)

#endif
