/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The IPC fastpath's common cases, ipc_call and ipc_reply_recv with a short message, in
 * assembly (kernel/core/fastpath.c says what they do and why; docs/performance.md what they
 * cost). vectors.S comes here by the call's entry kind (svc_by_kind) with the frame's first
 * part saved (SAVE_FIRST), sp at it, every argument register (x0..x5) and the number (x8)
 * still as user code passed them, and the caller in x10 (its syscall_limit checked there);
 * each entry makes the frame whole first. The checks are the C fastpath's, in its order; any
 * one not met goes, with nothing changed, to svc_c (vectors.S), whose C entry (syscall.c)
 * tries the C fastpath (which takes the rarer cases: a foreign call's resume, an exception's
 * answer) and then the general path. On success the partner is current, with its space,
 * kernel stack, TLS, timer access and FPU state (BECOME_NEXT, arch_entry.h), the message in
 * its frame, and it leaves from there.
 *
 * Registers: x19 this CPU's area, x20 self, x21 the endpoint, x22 the badge, x23 the partner,
 * x24 its kernel stack (callee-saved: they outlive the C call); x9..x12 scratch. What the
 * assembly takes for granted rather than tests is x86_64's entry.S's: a partner waiting for a
 * message or the reply to a call of its own entered by SVC, with a user pc, and is alive
 * (endpoint.c, assert_fast_partner). Under CONFIG_TRACE, vectors.S does not come here: the C
 * fastpath records its events.
 */
#include "arch_entry.h"
#include "asm_offsets.h"
#include "kconfig.h"

#include <coffer/syscall_nr.h>

#ifndef CONFIG_TRACE

.if LIST_NEXT != 0 || LIST_PREV != 8 || TCB_STOPPED_SIZE != 2 || TCB_STATE_SIZE != 4
.error "ipc_fast.S is out of step with struct list_node or struct tcb"
.endif
.if TCB_IPC_WAIT_SIZE != 4 || TCB_KERNEL_CALL_SIZE != 4 || TCB_SYSCALL_LIMIT_SIZE != 4
.error "ipc_fast.S is out of step with struct tcb"
.endif
.if TCB_PRIO_SIZE != 1 || CAP_TYPE_SIZE != 1 || CAP_RIGHTS_SIZE != 4 || CT_NSLOTS_SIZE != 4
.error "ipc_fast.S is out of step with struct tcb, struct cap or struct captable"
.endif
.if TCB_CHAIN_DROPPED_SIZE != 1
.error "ipc_fast.S stores chain_dropped as a byte"
.endif
.if FAST_GATE_CLOSED_SIZE != 2 || IPC_NONE_VALUE != 0
.error "ipc_fast.S tests fast_gate.closed as a halfword and stores IPC_NONE as 0"
.endif

.if (L4_TAG_FLAGS_VALUE | L4_TAG_LEN_VALUE) != 0xffff || L4_TAG_FLAGS_VALUE < L4_TAG_LEN_VALUE
.error "FAST_COMMON takes the tag's low 16 bits for its flags above its length"
.endif
/* Self in x20; the slot x0's capability an endpoint with right \right: the endpoint to x21,
 * the badge to x22. */
.macro FAST_COMMON right
        adrp    x9, fast_gate
        ldrh    w9, [x9, :lo12:fast_gate]      /* reschedule pending, or ipc=slow (sched.h) */
        cbnz    w9, svc_c
        and     x9, x1, #0xffff                 /* the tag's flags and length: none, at most 4 */
        cmp     x9, #L4_MSG_REGS_VALUE
        b.hi    svc_c                           /* a longer one (a foreign call's resume), or
                                                 * flags: in C */
        mrs     x19, tpidr_el1
        mov     x20, x10                        /* vectors.S checked syscall_limit */
        ldr     x9, [x20, #TCB_CSPACE]
        ldr     w10, [x9, #CT_NSLOTS]
        cmp     x0, x10
        b.hs    svc_c
        ldr     x9, [x9, #CT_SLOTS]
        mov     x10, #CAP_SIZE
        madd    x9, x0, x10, x9
        ldrb    w10, [x9, #CAP_TYPE]
        cmp     w10, #L4_CAP_ENDPOINT_VALUE
        b.ne    svc_c
        ldr     w10, [x9, #CAP_RIGHTS]
        tst     w10, #\right
        b.eq    svc_c
        ldr     x21, [x9, #CAP_OBJ]             /* never NULL in an endpoint's capability */
        ldr     x22, [x9, #CAP_A]
.endm

/* May the partner x23 run in place of self: no lower priority, neither suspended nor held? */
.macro FAST_PARTNER
        ldrb    w9, [x20, #TCB_PRIO]
        ldrb    w10, [x23, #TCB_PRIO]
        cmp     w10, w9
        b.lo    svc_c
        ldrh    w9, [x23, #TCB_STOPPED]
        cbnz    w9, svc_c
.endm

/* Committed: the partner x23 returns from its frame with the message in its registers (self's
 * x1..x5, one register down, the badge x22 in x5, x8 0: its frame's x0..x5 and x8 are left as
 * they were, as x86_64's fastpath leaves them); self waits, its kernel call chain dropped
 * (whoever wakes it leaves its results in its TCB). sched_become's work, then ERET. */
.macro FAST_SWITCH
        str     xzr, [x23, #TCB_BLOCKED_ON]     /* (not its ipc_result: whoever wakes it next) */
        str     wzr, [x23, #TCB_IPC_WAIT]
        mov     w9, #THREAD_READY_VALUE
        str     w9, [x23, #TCB_STATE]
        strb    wzr, [x23, #TCB_CHAIN_DROPPED]
        mov     w9, #1
        strb    w9, [x20, #TCB_CHAIN_DROPPED]
        BECOME_NEXT                             /* x9 the partner's frame */
        ldp     x0, x1, [sp, #8]                /* our x1..x5: the tag and the four words */
        ldp     x2, x3, [sp, #24]
        ldr     x4, [sp, #40]
        mov     x5, x22
        mov     x8, #0                          /* L4_OK */
        mov     sp, x9                          /* its stack, now the current thread's */
        b       return_with_results             /* the message in x0..x5, not in its frame */
.endm

        .text
/* vectors.S comes to these with SAVE_FIRST's part of the frame saved, the caller (current) in
 * x10, its number below its syscall_limit and of the entry kind the label names */
        .globl  ipc_fast_call
        .globl  ipc_fast_reply_recv
/* call: a receiver waits on the endpoint, and owes no reply */
ipc_fast_call:
        SAVE_SVC_REST
        FAST_COMMON L4_EP_SEND_VALUE
        ldr     x12, [x21, #EP_RECEIVERS + LIST_NEXT]
        add     x10, x21, #EP_RECEIVERS
        cmp     x12, x10
        b.eq    svc_c                           /* nobody waits: the general path queues us */
        sub     x23, x12, #TCB_IPC_LINK
        ldr     x10, [x23, #TCB_CALLER]
        cbnz    x10, svc_c                      /* it still owes a reply */
        FAST_PARTNER
        /* committed: the server leaves the queue (its ipc_link x12), we wait for its reply */
        ldp     x10, x11, [x12]                 /* its next and prev */
        str     x10, [x11, #LIST_NEXT]
        str     x11, [x10, #LIST_PREV]
        stp     xzr, xzr, [x12]
        mov     w10, #THREAD_BLOCKED_VALUE
        str     w10, [x20, #TCB_STATE]
        mov     w10, #IPC_REPLY_VALUE
        str     w10, [x20, #TCB_IPC_WAIT]
        str     x23, [x20, #TCB_CALLEE]
        str     x20, [x23, #TCB_CALLER]
        FAST_SWITCH

/* reply_recv: we owe a reply to a caller that waits for it in a system call of its own (not
 * a kernel call: an exception's answer goes to C, fault_reply_fastpath), and no sender waits
 * on the endpoint */
ipc_fast_reply_recv:
        SAVE_SVC_REST
        FAST_COMMON L4_EP_RECV_VALUE
        ldr     x23, [x20, #TCB_CALLER]
        cbz     x23, svc_c
        ldr     x9, [x21, #EP_SENDERS + LIST_NEXT]
        add     x10, x21, #EP_SENDERS
        cmp     x9, x10
        b.ne    svc_c                           /* a message waits for us */
        ldr     w9, [x23, #TCB_IPC_WAIT]
        cmp     w9, #IPC_REPLY_VALUE
        b.ne    svc_c
        ldr     w9, [x23, #TCB_KERNEL_CALL]
        cbnz    w9, fault_reply                 /* an exception's answer, or the general path */
        FAST_PARTNER
        /* committed: the reply right is used up, and we wait on the endpoint */
        str     xzr, [x20, #TCB_CALLER]
        str     xzr, [x23, #TCB_CALLEE]
        BLOCK_ON x20, x21, EP_RECEIVERS, IPC_RECV_VALUE, x9, x10, x11
        mov     x22, xzr                        /* a reply carries no badge */
        FAST_SWITCH

/* The client x23 waits for the answer to a call the kernel made for it: fault_fast.c's
 * fault_reply_fastpath resumes it from its exception frame, which it returns, or changes
 * nothing (NULL): the general path, which also answers a foreign call or an extended copy's
 * page (kernel/core/fastpath.c says why). Every check up to kernel_call is done. */
fault_reply:
        mov     x0, x21
        mov     x1, x23
        mov     x2, sp                          /* the frame's x0..x5: the arguments */
        bl      fault_reply_fastpath
        cbz     x0, svc_c
        mov     sp, x0                          /* its frame, on its stack, now current */
        b       arch_return_to_user

#endif /* !CONFIG_TRACE */

        .section .note.GNU-stack, "", @progbits
