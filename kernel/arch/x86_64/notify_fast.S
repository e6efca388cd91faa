/* SPDX-License-Identifier: BSD-2-Clause */
/* The notification fastpath: notify_signal and notify_wait in their common cases. */
#include "arch_layout.h"
#include "arch_percpu.h"
#include "asm_offsets.h"
#include "arch_sysret.h"
#include "kconfig.h"

#include <coffer/syscall_nr.h>

/*
 * syscall_entry jumps to entry_notify_signal and entry_notify_wait (syscalls.toml's entry =
 * "notify_signal", "notify_wait") with only the hardware part of the frame pushed (rsp at its
 * vector slot), the number in rax, the caller's TCB in r11 and rcx free; every other register
 * is still the caller's. The common cases, each what the general path (sys_notify_signal,
 * sys_notify_wait, then the preemption point) would do:
 *
 * - signal, when the first waiter (if any) does not outrank the caller: the preemption point
 *   would not switch, so the caller goes on, and the waiter goes on the run queue (unless it
 *   is suspended or held). No frame: it returns as a light call does.
 * - wait with bits pending: it takes them and goes on, as light.
 * - wait that blocks while a thread is ready: the frame is made whole (the caller waits in
 *   it, as the general path's would), and the run queue's best, the one a switch would pick,
 *   runs at once. If that thread's own wait was blocked here (ntf_resume, see
 *   notify_fast.c), it returns straight from its frame with its results from its TCB;
 *   otherwise notify_wait_jump, in C, switches to where it stopped.
 *
 * Anything else goes, with nothing changed and the registers as they came, to entry_full:
 * a reschedule pending, "ipc=slow" or a dead thread to settle (fast_gate), a slot out of
 * range, not a notification or without the right (the general path reports each), a waiter
 * that outranks the caller (the switch is the preemption point's), a run queue whose top
 * level is empty (nothing ready: the idle thread's turn; or top left high by a take here,
 * which rq_peek lowers). A foreign thread's calls never get here: syscall_entry sends every
 * number at or above its syscall_limit the C way. The checks are the general path's, on the
 * caller's own table (cspace).
 *
 * What it takes for granted rather than tests: a waiter is never faulted (only a running
 * thread faults), and a thread with ntf_resume may return through SYSRET from its frame
 * (notify_fast_resumable, notify_fast.c). The debug build asserts them in C only: both
 * where the general path wakes a waiter (notification_signal), the second also where
 * notify_wait_jump sets ntf_resume and where a general switch resumes such a thread
 * (notify_fast_resume). This file's own block, wake and resume check neither (no
 * instructions on the fastpath, which make bench measures in the debug build), so a wait
 * blocked here is checked only if the general path wakes or resumes it.
 *
 * Under CONFIG_TRACE the general path takes these calls (entry.S), so it records them.
 */
#ifndef CONFIG_TRACE

/* The caller's capability in its slot rdi: a notification's, with right \right; the
 * notification to rax. rcx is used. Anything else: to \fail. */
.macro NTF_CAP right, fail
        testl   $0xffffff, fast_gate(%rip) /* resched, slow, reap (sched.h) */
        jnz     \fail
        mov     TCB_CSPACE(%r11), %rcx
        mov     CT_NSLOTS(%rcx), %eax
        cmp     %rax, %rdi
        jae     \fail
        imul    $CAP_SIZE, %rdi, %rax
        add     CT_SLOTS(%rcx), %rax
        cmpb    $L4_CAP_NOTIFICATION_VALUE, CAP_TYPE(%rax)
        jne     \fail
        testl   $\right, CAP_RIGHTS(%rax)
        jz      \fail
.endm

/* Back to the caller from its partial frame (rsp at the vector slot), rax the result; every
 * register but rax, rcx and r11 is as it came or holds a result. */
.macro NTF_LIGHT_EXIT
        mov     F_RIP-F_VECTOR(%rsp), %rcx
        mov     F_RFLAGS-F_VECTOR(%rsp), %r11
        mov     F_RSP-F_VECTOR(%rsp), %rsp
        swapgs
        sysretq
.endm

.if L4_OK_VALUE != 0 || TCB_IPC_RESULT != TCB_IPC_WAIT + 4 || IPC_NONE_VALUE != 0
.error "the signal clears ipc_wait and ipc_result with one store"
.endif
.if TCB_NTF_RESUME != TCB_CHAIN_DROPPED + 1 || LIST_SIZE != 16 || TCB_RQ_LINK != 0
.error "notify_fast.S is out of step with struct tcb or struct list_node"
.endif
.if FAST_GATE_REAP != 2
.error "notify_fast.S tests union fast_gate's first three bytes"
.endif

        .text
        .globl  entry_notify_signal
entry_notify_signal:
        NTF_CAP L4_NTF_SIGNAL_VALUE, ntf_signal_general
        push    %rdx
        mov     CAP_A(%rax), %rcx
        cmp     $1, %rcx
        adc     $0, %rcx                /* the bits: the badge, or bit 0 for a badge of 0 */
        mov     CAP_OBJ(%rax), %rax     /* never NULL in a notification's capability */
        lea     NTF_WAITERS(%rax), %rdx
        cmp     %rdx, LIST_NEXT(%rdx)
        je      ntf_signal_nobody
        mov     LIST_NEXT(%rdx), %rdx   /* the first waiter's ipc_link */
        movzbl  TCB_PRIO(%r11), %r11d
        cmp     %r11b, TCB_PRIO-TCB_IPC_LINK(%rdx)
        ja      ntf_signal_better       /* it outranks us: the preemption point switches */
        /* committed: it takes every pending bit and leaves the queue, ready (ipc_wake); its
         * ipc_link keeps what it held, as nothing reads it before it is linked again */
        or      NTF_WORD(%rax), %rcx
        mov     %rcx, TCB_MSG_W0-TCB_IPC_LINK(%rdx)
        movq    $0, NTF_WORD(%rax)
        mov     LIST_NEXT(%rdx), %rax
        mov     LIST_PREV(%rdx), %rcx
        mov     %rax, LIST_NEXT(%rcx)
        mov     %rcx, LIST_PREV(%rax)
        movq    $0, TCB_BLOCKED_ON-TCB_IPC_LINK(%rdx)
        movq    $0, TCB_IPC_WAIT-TCB_IPC_LINK(%rdx) /* IPC_NONE, and ipc_result L4_OK */
        movl    $THREAD_READY_VALUE, TCB_STATE-TCB_IPC_LINK(%rdx)
        cmpw    $0, TCB_STOPPED-TCB_IPC_LINK(%rdx)
        jne     ntf_signal_done         /* suspended or held: ready, not runnable */
        /* on the back of its level's queue (rq_push_back) */
        movzbl  TCB_PRIO-TCB_IPC_LINK(%rdx), %eax
        sub     $TCB_IPC_LINK, %rdx     /* the waiter, and its rq_link */
        lea     (,%rax,8), %rcx
        lea     sched_rq+RQ_QUEUE(%rcx,%rcx), %rcx /* its level's queue */
        mov     LIST_PREV(%rcx), %r11
        mov     %rcx, LIST_NEXT(%rdx)
        mov     %r11, LIST_PREV(%rdx)
        mov     %rdx, LIST_NEXT(%r11)
        mov     %rdx, LIST_PREV(%rcx)
        bts     %rax, sched_rq+RQ_BITMAP(%rip)
        cmp     %rcx, sched_rq+RQ_TOP(%rip)
        jae     ntf_signal_done
        mov     %rcx, sched_rq+RQ_TOP(%rip)
ntf_signal_done:
        pop     %rdx
        xor     %eax, %eax              /* L4_OK */
        NTF_LIGHT_EXIT
ntf_signal_nobody:
        or      %rcx, NTF_WORD(%rax)
        jmp     ntf_signal_done
ntf_signal_better:
        pop     %rdx
ntf_signal_general:
        mov     $L4_SYS_NOTIFY_SIGNAL, %eax
        jmp     entry_full

        .globl  entry_notify_wait
entry_notify_wait:
        NTF_CAP L4_NTF_WAIT_VALUE, ntf_wait_general
        mov     CAP_OBJ(%rax), %rax
        cmpq    $0, NTF_WORD(%rax)
        je      ntf_wait_block
        mov     NTF_WORD(%rax), %rdi    /* the bits */
        movq    $0, NTF_WORD(%rax)
        xor     %eax, %eax
        NTF_LIGHT_EXIT

/* It blocks. The frame made whole, as SAVE_GPRS_SYSCALL (entry.S) makes it: we wait in it,
 * and whoever reads our registers meanwhile (thread_regs) sees what the general path's would
 * hold. (It moves neither rax, the notification, nor r11, the caller.) */
ntf_wait_block:
        push    %r15
        push    %r14
        push    %r13
        push    %r12
        pushq   F_RFLAGS-F_R11-8(%rsp)  /* r11 */
        push    %rbp
        pushq   F_RIP-F_RCX-8(%rsp)     /* rcx */
        push    %rbx
        pushq   $L4_SYS_NOTIFY_WAIT     /* rax */
        push    %r9
        push    %r8
        push    %r10
        push    %rdx
        push    %rsi
        push    %rdi
        /* the run queue's best (rq_peek): the first of the top level */
        mov     sched_rq+RQ_TOP(%rip), %rcx
        mov     LIST_NEXT(%rcx), %r14   /* next (its rq_link is at 0) */
        cmp     %rcx, %r14
        je      ntf_wait_saved_general  /* nothing there: C looks further down */
        cmpb    $0, TCB_NTF_RESUME(%r14)
        je      ntf_wait_jump           /* it resumes a kernel context of its own: in C */
        /* committed: next leaves the run queue (rq_remove; top stays) */
        mov     LIST_NEXT(%r14), %rdx
        mov     %rdx, LIST_NEXT(%rcx)
        mov     %rcx, LIST_PREV(%rdx)
        movq    $0, LIST_NEXT(%r14)
        movq    $0, LIST_PREV(%r14)
        cmp     %rcx, %rdx
        jne     1f                      /* its level has others */
        movzbl  TCB_PRIO(%r14), %edx
        btr     %rdx, sched_rq+RQ_BITMAP(%rip)
        /* we wait on the notification (notification_wait), our call chain dropped */
1:      lea     NTF_WAITERS(%rax), %rdx
        mov     LIST_PREV(%rdx), %rsi
        lea     TCB_IPC_LINK(%r11), %rdi
        mov     %rdx, LIST_NEXT(%rdi)
        mov     %rsi, LIST_PREV(%rdi)
        mov     %rdi, LIST_NEXT(%rsi)
        mov     %rdi, LIST_PREV(%rdx)
        movl    $THREAD_BLOCKED_VALUE, TCB_STATE(%r11)
        mov     %rax, TCB_BLOCKED_ON(%r11)
        movl    $IPC_NOTIFY_VALUE, TCB_IPC_WAIT(%r11)
        movw    $0x0101, TCB_CHAIN_DROPPED(%r11) /* and ntf_resume */
        movw    $0, TCB_CHAIN_DROPPED(%r14)      /* it returns from its frame */
        /* next runs (sched_become): it is current, with its space and stack */
        mov     TCB_KSTACK(%r14), %r15
        add     $KSTACK_FRAME, %r15
        mov     TCB_SPACE(%r14), %r13
        mov     SPACE_ROOT(%r13), %r13
        mov     %r14, %gs:PERCPU_CURRENT
        cmp     %gs:PERCPU_CR3, %r13
        je      1f
        mov     %r13, %cr3
        mov     %r13, %gs:PERCPU_CR3
1:      lea     FRAME_SIZE(%r15), %rax
        mov     %rax, %gs:PERCPU_KSTACK_TOP /* the TSS's rsp0 too */
        movzwl  TCB_SWITCH_WORK(%r11), %eax
        or      TCB_SWITCH_WORK(%r14), %ax
        jnz     3f                      /* FPU or TLS state to switch */
        /* its results from its TCB, the rest of its registers from its frame */
2:      mov     %r15, %rsp
        mov     TCB_MSG_W0(%r14), %rdi
        movslq  TCB_IPC_RESULT(%r14), %rax
        mov     F_RSI(%rsp), %rsi
        mov     F_RDX(%rsp), %rdx
        mov     F_R10(%rsp), %r10
        mov     F_R8(%rsp), %r8
        mov     F_R9(%rsp), %r9
        SYSRET_CALLEE_SAVED
3:      mov     %r11, %rdi
        mov     %r14, %rsi
        call    sched_switch_work       /* it keeps r14 and r15 */
        jmp     2b

ntf_wait_jump:
        mov     %rax, %rdi
        call    notify_wait_jump        /* never returns */
ntf_wait_saved_general:                 /* only rcx and r14 moved: r14 back, the frame off */
        mov     F_R14(%rsp), %r14
        add     $F_VECTOR, %rsp
ntf_wait_general:
        mov     $L4_SYS_NOTIFY_WAIT, %eax
        jmp     entry_full

#endif /* !CONFIG_TRACE */

        .section .note.GNU-stack, "", @progbits
