/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The notification fastpath: notify_signal and notify_wait in their common cases, x86_64's
 * notify_fast.S for AArch64 (that file says each case, what it takes for granted rather than
 * tests, and why). vectors.S comes to entry_notify_signal and entry_notify_wait by the call's
 * entry kind (svc_by_kind) with only SAVE_FIRST's part of the frame saved (x0..x5, x8..x11),
 * sp at the frame, the caller in x10, its number below its syscall_limit; every register but
 * x9..x11 is still the caller's.
 *
 * - signal, when the first waiter (if any) does not outrank the caller: the waiter goes on
 *   the run queue (unless it is suspended or held) and the caller goes on, as a light call
 *   does (el0_light): no more of the frame, back by ERET with ELR, SPSR and SP_EL0 as they
 *   came (interrupts stay masked and nothing else runs meanwhile).
 * - wait with bits pending: it takes them and goes on, the same way.
 * - wait that blocks while a thread is ready: the frame is made whole (the caller waits in
 *   it), and the run queue's best runs at once: from its frame with its results from its TCB
 *   if its own wait was blocked by a fastpath (ntf_resume), else where it stopped
 *   (notify_wait_jump, in C).
 *
 * Anything else goes, with nothing changed, to the general path (el0_svc_full, or
 * el0_svc_saved once the frame is whole): a reschedule pending, "ipc=slow" or a dead thread to
 * settle (fast_gate's word), a slot out of range, not a notification or without the right, a
 * waiter that outranks the caller, a run queue whose top level is empty. Every register this
 * file moves before then is one the frame holds (x0..x5, x9..x11), and the number stays in
 * x8. Under CONFIG_TRACE, vectors.S does not come here: the general path records the events.
 */
#include "arch_entry.h"
#include "asm_offsets.h"
#include "kconfig.h"

#include <coffer/syscall_nr.h>

#ifndef CONFIG_TRACE

.if L4_OK_VALUE != 0 || TCB_IPC_RESULT != TCB_IPC_WAIT + 4 || IPC_NONE_VALUE != 0
.error "the signal clears ipc_wait and ipc_result with one store"
.endif
.if TCB_NTF_RESUME != TCB_CHAIN_DROPPED + 1 || (TCB_CHAIN_DROPPED & 1) != 0
.error "the wait stores chain_dropped and ntf_resume as one aligned halfword"
.endif
.if LIST_SIZE != 16 || LIST_NEXT != 0 || LIST_PREV != 8 || TCB_RQ_LINK != 0
.error "notify_fast.S is out of step with struct tcb or struct list_node"
.endif
.if FAST_GATE_WORD_SIZE != 4 || TCB_STOPPED_SIZE != 2 || TCB_PRIO_SIZE != 1
.error "notify_fast.S is out of step with union fast_gate or struct tcb"
.endif

/* The caller's (x10) capability in its slot x0: a notification's, with right \right, to x9.
 * x11 is used. Anything else: to \fail. */
.macro NTF_CAP right, fail
        adrp    x9, fast_gate
        ldr     w9, [x9, :lo12:fast_gate] /* resched, slow, reap (sched.h) */
        cbnz    w9, \fail
        ldr     x11, [x10, #TCB_CSPACE]
        ldr     w9, [x11, #CT_NSLOTS]
        cmp     x0, x9
        b.hs    \fail
        ldr     x11, [x11, #CT_SLOTS]
        mov     x9, #CAP_SIZE
        madd    x9, x0, x9, x11
        ldrb    w11, [x9, #CAP_TYPE]
        cmp     w11, #L4_CAP_NOTIFICATION_VALUE
        b.ne    \fail
        ldr     w11, [x9, #CAP_RIGHTS]
        tst     w11, #\right
        b.eq    \fail
.endm

/* Level \prio's bit in the run queue's (\rq) bitmap set (\op orr) or cleared (bic): the word
 * prio / 64, the bit prio modulo 64 (the shift takes it so). \t0..\t2 are used. */
.macro RQ_MARK op, rq, prio, t0, t1, t2
        lsr     \t0, \prio, #6
        add     \t0, \rq, \t0, lsl #3      /* its word, less RQ_BITMAP */
        ldr     \t1, [\t0, #RQ_BITMAP]
        mov     \t2, #1
        lsl     \t2, \t2, \prio
        \op     \t1, \t1, \t2
        str     \t1, [\t0, #RQ_BITMAP]
.endm

/* Back to the caller with L4_OK: x9..x11 from the frame, then ERET (ELR, SPSR and SP_EL0 are
 * as the SVC left them); the caller restores what else it moved first. */
.macro NTF_LIGHT_EXIT
        ldr     x9, [sp, #72]
        ldp     x10, x11, [sp, #80]
        mov     x8, #L4_OK_VALUE
        add     sp, sp, #FRAME_SIZE
        eret
.endm

        .text
        .globl  entry_notify_signal
        .globl  entry_notify_wait
entry_notify_signal:
        NTF_CAP L4_NTF_SIGNAL_VALUE, el0_svc_full
        ldr     x1, [x9, #CAP_A]
        cmp     x1, #0
        csinc   x1, x1, xzr, ne         /* the bits: the badge, or bit 0 for a badge of 0 */
        ldr     x2, [x9, #CAP_OBJ]      /* never NULL in a notification's capability */
        add     x3, x2, #NTF_WAITERS
        ldr     x4, [x3, #LIST_NEXT]
        cmp     x4, x3
        b.eq    ntf_signal_nobody
        ldrb    w5, [x10, #TCB_PRIO]    /* x4: the first waiter's ipc_link */
        ldrb    w9, [x4, #TCB_PRIO - TCB_IPC_LINK]
        cmp     w9, w5
        b.hi    el0_svc_full            /* it outranks us: the preemption point switches */
        /* committed: it takes every pending bit and leaves the queue, ready (ipc_wake); its
         * ipc_link keeps what it held, as nothing reads it before it is linked again */
        ldr     x5, [x2, #NTF_WORD]
        orr     x1, x1, x5
        str     x1, [x4, #TCB_MSG_W0 - TCB_IPC_LINK]
        str     xzr, [x2, #NTF_WORD]
        ldp     x5, x9, [x4]            /* its next and prev */
        str     x5, [x9, #LIST_NEXT]
        str     x9, [x5, #LIST_PREV]
        sub     x4, x4, #TCB_IPC_LINK   /* the waiter */
        str     xzr, [x4, #TCB_BLOCKED_ON]
        str     xzr, [x4, #TCB_IPC_WAIT] /* IPC_NONE, and ipc_result L4_OK */
        mov     w5, #THREAD_READY_VALUE
        str     w5, [x4, #TCB_STATE]
        ldrh    w5, [x4, #TCB_STOPPED]
        cbnz    w5, ntf_signal_done     /* suspended or held: ready, not runnable */
        /* on the back of its level's queue (rq_push_back), its rq_link at 0 */
        ldrb    w5, [x4, #TCB_PRIO]
        adrp    x2, sched_rq
        add     x2, x2, :lo12:sched_rq
        add     x3, x2, #RQ_QUEUE
        add     x3, x3, x5, lsl #4      /* its level's queue */
        ldr     x9, [x3, #LIST_PREV]
        stp     x3, x9, [x4]
        str     x4, [x9, #LIST_NEXT]
        str     x4, [x3, #LIST_PREV]
        RQ_MARK orr, x2, x5, x9, x11, x1
        ldr     x9, [x2, #RQ_TOP]
        cmp     x9, x3
        b.hs    ntf_signal_done
        str     x3, [x2, #RQ_TOP]
ntf_signal_done:
        ldp     x0, x1, [sp, #0]
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        NTF_LIGHT_EXIT
ntf_signal_nobody:
        ldr     x5, [x2, #NTF_WORD]
        orr     x5, x5, x1
        str     x5, [x2, #NTF_WORD]
        b       ntf_signal_done

entry_notify_wait:
        NTF_CAP L4_NTF_WAIT_VALUE, el0_svc_full
        ldr     x1, [x9, #CAP_OBJ]
        ldr     x0, [x1, #NTF_WORD]     /* the bits, its result */
        cbz     x0, ntf_wait_block
        str     xzr, [x1, #NTF_WORD]
        ldr     x1, [sp, #8]
        NTF_LIGHT_EXIT

/* It blocks. The frame made whole, as the general path's would be: we wait in it, and
 * whoever reads our registers meanwhile (thread_regs) sees what they are. x1 the notification,
 * x10 self. */
ntf_wait_block:
        SAVE_SVC_REST
        /* the run queue's best (rq_peek): the first of the top level */
        adrp    x2, sched_rq
        add     x2, x2, :lo12:sched_rq
        ldr     x3, [x2, #RQ_TOP]
        ldr     x23, [x3, #LIST_NEXT]   /* next (its rq_link is at 0) */
        cmp     x23, x3
        b.eq    el0_svc_saved           /* nothing there: the general path looks further down */
        ldrb    w9, [x23, #TCB_NTF_RESUME]
        cbz     w9, ntf_wait_jump       /* it resumes a kernel context of its own: in C */
        /* committed: next leaves the run queue (rq_remove; top stays) */
        ldr     x4, [x23, #LIST_NEXT]
        str     x4, [x3, #LIST_NEXT]
        str     x3, [x4, #LIST_PREV]
        stp     xzr, xzr, [x23]
        cmp     x4, x3
        b.ne    1f                      /* its level has others */
        ldrb    w5, [x23, #TCB_PRIO]
        RQ_MARK bic, x2, x5, x9, x11, x4
        /* we wait on the notification (notification_wait), our call chain dropped */
1:      BLOCK_ON x10, x1, NTF_WAITERS, IPC_NOTIFY_VALUE, x2, x3, x4
        mov     w9, #0x0101
        strh    w9, [x10, #TCB_CHAIN_DROPPED] /* and ntf_resume */
        strh    wzr, [x23, #TCB_CHAIN_DROPPED] /* it returns from its frame */
        /* next runs (sched_become), its results from its TCB into its frame */
        mrs     x19, tpidr_el1
        mov     x20, x10
        BECOME_NEXT                     /* x9 its frame */
        ldr     x0, [x23, #TCB_MSG_W0]
        ldrsw   x1, [x23, #TCB_IPC_RESULT]
        str     x0, [x9, #0]
        str     x1, [x9, #F_X8]
        mov     sp, x9                  /* its stack, now the current thread's */
        b       arch_return_to_user

ntf_wait_jump:
        mov     x0, x1
        bl      notify_wait_jump        /* never returns */

#endif /* !CONFIG_TRACE */

        .section .note.GNU-stack, "", @progbits
