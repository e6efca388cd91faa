/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The structure offsets and constants both architectures' assembly IPC fastpath reads
 * (x86_64's entry.S, AArch64's ipc_fast.S): each gen/asm_offsets.c defines OFFSET and MEMBER,
 * includes this, and runs IPC_FASTPATH_OFFSETS() in its asm_offsets().
 */
#ifndef KERNEL_ASM_OFFSETS_IPC_H
#define KERNEL_ASM_OFFSETS_IPC_H

#include "arch.h"
#include "cap.h"
#include "endpoint.h"
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

#endif
