/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry and exit: exception/interrupt stubs, SYSCALL, context switch. */
#include "arch_layout.h"
#include "arch_percpu.h"
#include "asm_offsets.h"
#include "arch_sysret.h"
#include "kconfig.h"

#include <coffer/syscall_nr.h>

#define VEC_SYSCALL     0x100
#define L4_ENOSYS_VALUE 8 /* syscall.c checks it against <coffer/error.h> */

/* Save the general registers in struct trap_frame order (rdi ends up lowest). */
.macro SAVE_GPRS
        push    %r15
        push    %r14
        push    %r13
        push    %r12
        push    %r11
        push    %rbp
        push    %rcx
        push    %rbx
        push    %rax
        push    %r9
        push    %r8
        push    %r10
        push    %rdx
        push    %rsi
        push    %rdi
.endm

/* The six argument/result registers, lowest in the frame. */
.macro POP_ARGS
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %r10
        pop     %r8
        pop     %r9
.endm

/* The same on SYSCALL's entry, where rcx and r11 served as scratch after the hardware part
 * of the frame was pushed: their slots take what SYSCALL had put in them, rip and rflags,
 * from the frame (a push's memory operand is addressed before rsp moves). */
.macro SAVE_GPRS_SYSCALL
        push    %r15
        push    %r14
        push    %r13
        push    %r12
        pushq   F_RFLAGS-F_R11-8(%rsp)  /* r11 */
        push    %rbp
        pushq   F_RIP-F_RCX-8(%rsp)     /* rcx */
        push    %rbx
        push    %rax
        push    %r9
        push    %r8
        push    %r10
        push    %rdx
        push    %rsi
        push    %rdi
.endm

.macro RESTORE_GPRS
        POP_ARGS
        pop     %rax
        pop     %rbx
        pop     %rcx
        pop     %rbp
        pop     %r11
        pop     %r12
        pop     %r13
        pop     %r14
        pop     %r15
.endm

/*
 * 256 stubs, 16 bytes apart, so idt.c finds stub n at trap_stubs + 16 * n.
 * Vectors whose exceptions push an error code skip the dummy push.
 */
        .text
        .align 16
        .globl trap_stubs
trap_stubs:
        .set vec, 0
        .rept 256
        .align 16
        .if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
        pushq   $0
        .endif
        pushq   $vec
        jmp     trap_common
        .set vec, vec + 1
        .endr

/*
 * From user mode (the saved CS's low bits), SWAPGS makes GS the CPU's (arch_percpu.h).
 * From the kernel, GS is the CPU's already, but for one case: an NMI (or machine check)
 * between SYSCALL and its SWAPGS, or between the exit's SWAPGS and SYSRETQ, finds the
 * user's; trap_dispatch handles an NMI before it could read per-CPU data, and reads none.
 */
trap_common:
        testb   $3, 24(%rsp)            /* cs, above vector, error and rip */
        jz      1f
        swapgs
1:      SAVE_GPRS
        cld
        mov     %rsp, %rdi
        call    trap_dispatch
        .globl  arch_return_to_user
arch_return_to_user:                    /* also where new threads start */
        RESTORE_GPRS
        add     $16, %rsp               /* vector, error code */
        testb   $3, 8(%rsp)             /* cs: back to user mode, where GS is the user's */
        jz      1f
        swapgs
1:      iretq

/*
 * SYSCALL: rcx = user rip, r11 = user rflags, interrupts off (SFMASK). The user rsp and
 * the running thread's kernel stack are per-CPU data, behind GS once SWAPGS has run.
 */
        .globl syscall_entry
syscall_entry:
        swapgs
        mov     %rsp, %gs:PERCPU_USER_RSP
        mov     %gs:PERCPU_KSTACK_TOP, %rsp
        pushq   $SEL_UDATA
        pushq   %gs:PERCPU_USER_RSP
        push    %r11
        pushq   $SEL_UCODE
        push    %rcx
        pushq   $0
        pushq   $VEC_SYSCALL
/*
 * rcx and r11 are in the frame now (rip, rflags): scratch until SAVE_GPRS_SYSCALL takes them
 * from there. A number at or above the thread's syscall_limit is its foreign handler's or no
 * call (the C way); below it, its entry kind (syscalls.toml's entry) says how the call runs,
 * before anything more of the frame is built: a light call needs only its arguments there.
 */
        mov     %gs:PERCPU_CURRENT, %r11
        mov     TCB_SYSCALL_LIMIT(%r11), %ecx
        cmp     %rcx, %rax
        jae     entry_c                 /* its foreign handler's, or no such call */
        jmp     *syscall_entry_code(,%rax,8) /* its entry kind's code (entry_table.c) */
        .globl  entry_c                 /* (entry_table.c names these) */
        .globl  entry_light
        .globl  entry_ipc_call
        .globl  entry_ipc_reply_recv

/*
 * A light call (syscalls.toml's entry = "light": it never blocks, switches, wakes a thread,
 * stops its caller or touches user memory): nothing can look at its frame while it runs
 * (interrupts are off, nothing else runs, and it cannot be stopped), so the frame gets only
 * what the handler reads, its six argument registers (its r[6]); the slots between keep
 * what an earlier entry left, which only this thread's own entries ever wrote. It needs
 * neither the preemption point nor the full restore: C kept rbx, rbp and r12-r15, its rip is
 * a SYSCALL's (below USER_TOP: the top page is never mapped), and only the six
 * argument/result registers come back from the frame, the result straight to rax.
 */
entry_light:
        sub     $F_VECTOR-F_RAX, %rsp   /* rax's slot and those above it, up to the vector */
        push    %r9
        push    %r8
        push    %r10
        push    %rdx
        push    %rsi
        push    %rdi
        mov     %rsp, %rdi
        call    *syscall_table(,%rax,8)
        movslq  %eax, %rax
syscall_light_exit:                     /* rax the result; the other registers C kept */
        POP_ARGS
        mov     F_RIP-48(%rsp), %rcx
        mov     F_RFLAGS-48(%rsp), %r11
        mov     F_RSP-48(%rsp), %rsp
        swapgs
        sysretq

/* Past the thread's syscall_limit: a foreign thread's call, whose handler may take it at
 * once (foreign_fast_entry returns the handler's frame, to leave from through SYSRET), or
 * the C way in: the handler is not waiting, or it is no call at all. */
entry_c:
        SAVE_GPRS_SYSCALL
        mov     %rsp, %rdi
        call    foreign_fast_entry
        test    %rax, %rax
        jz      syscall_c
        mov     %rax, %rsp              /* the handler's stack, now the current thread's */
        jmp     arch_return_to_user_sysret

/*
 * The general path: a call the kernel carries out for this thread goes straight to its
 * handler in the generated table, which takes the frame's first six words as its r[6] and
 * returns the error for rax; then the preemption point, as at the end of every system call.
 * A rip at or above USER_TOP, which only exregs could have written (and it refuses one),
 * would leave through IRETQ, never SYSRET.
 */
        .globl  entry_full              /* also where notify_fast.S sends what it does not take */
entry_full:
        SAVE_GPRS_SYSCALL
        mov     %rsp, %rdi
        mov     syscall_table(,%rax,8), %rcx
syscall_full:                           /* rdi the frame, rcx the handler */
        call    *%rcx
        movslq  %eax, %rax              /* l4_err_t is an int */
        mov     %rax, F_RAX(%rsp)
        call    sched_preempt_point     /* it may have ended or blocked itself, or woken a
                                         * better thread */
        mov     $USER_TOP, %rax
        cmp     %rax, F_RIP(%rsp)
        jb      arch_return_to_user_sysret
        jmp     arch_return_to_user

/*
 * Where the IPC fastpath sends a call it does not take, its frame whole and rax perhaps
 * used: the number again, and the general path (the C way in, syscall_from_user, takes a
 * foreign thread's calls and numbers past the table, should one come here).
 */
        .globl  syscall_general         /* fault_fast.S sends calls here too */
syscall_general:
        mov     F_RAX(%rsp), %rax       /* the number again: the fastpath's checks use rax */
        mov     %gs:PERCPU_CURRENT, %rcx
        mov     TCB_SYSCALL_LIMIT(%rcx), %ecx
        cmp     %rcx, %rax
        jae     syscall_c               /* its foreign handler's, or no such call */
        mov     syscall_full_table(,%rax,8), %rcx
        test    %rcx, %rcx
        jz      syscall_c               /* not a call the general path runs whole */
        mov     %rsp, %rdi
        jmp     syscall_full
syscall_c:
        mov     %rsp, %rdi
        call    syscall_from_user       /* returns 0 when SYSRET is safe */
        test    %eax, %eax
        jnz     arch_return_to_user
        .globl  arch_return_to_user_sysret
arch_return_to_user_sysret:             /* also where IPC fastpath targets resume */
        RESTORE_GPRS
        mov     16(%rsp), %rcx          /* rip */
        mov     32(%rsp), %r11          /* rflags */
        mov     40(%rsp), %rsp          /* user rsp; nothing can interrupt us now */
        swapgs
        sysretq

/*
 * The IPC fastpath's common cases, call and reply_recv, in assembly (kernel/core/fastpath.c
 * says what it does and why; docs/performance.md what it costs). The frame is complete when
 * they start, every register still holds what user code passed, and they use only registers
 * the frame holds and the message does not: rax, rbx, rcx, rbp, r11-r15. Any condition not
 * met sends the call, with the frame and the state untouched, to the general path, or where
 * the C fastpath takes a rarer case to it: a foreign handler's resume to
 * foreign_reply_fast_entry (fast_foreign_c), every call of a kernel with the event trace to
 * ipc_fastpath_entry (fast_c). The checks are those of the C fastpath, in its order; on
 * success the message stays in its registers, one register down (the tag in rdi, the words
 * in rsi..r8, the badge in r9, rax 0), and only the partner's callee-saved registers, rip,
 * rflags and rsp come from its frame.
 */
#ifdef CONFIG_TRACE
entry_ipc_call:
entry_ipc_reply_recv:
        SAVE_GPRS_SYSCALL
fast_call:
fast_reply_recv:
        jmp     fast_c                  /* the C path records its events */
#else
.if (L4_TAG_FLAGS_VALUE | L4_TAG_LEN_VALUE) != 0xffff || L4_TAG_FLAGS_VALUE < L4_TAG_LEN_VALUE
.error "FAST_COMMON takes the tag's low 16 bits for its flags above its length"
.endif
/* Common checks: self in rbx; the slot's capability an endpoint with right \right, in rbp (the
 * endpoint) and r12 (the badge). */
.macro FAST_COMMON right, nr, longer
        mov     %gs:PERCPU_CURRENT, %rbx
        cmpw    $0, fast_gate(%rip)     /* reschedule pending, or ipc=slow (sched.h) */
        jne     syscall_general
        cmp     $L4_MSG_REGS_VALUE, %si /* the tag's flags and length: none, and at most 4 */
        ja      \longer                 /* a longer one (a foreign handler's resume), or flags */
        mov     TCB_CSPACE(%rbx), %rcx
        mov     CT_NSLOTS(%rcx), %eax
        cmp     %rax, %rdi
        jae     syscall_general
        imul    $CAP_SIZE, %rdi, %rax
        add     CT_SLOTS(%rcx), %rax
        cmpb    $L4_CAP_ENDPOINT_VALUE, CAP_TYPE(%rax)
        jne     syscall_general
        testl   $\right, CAP_RIGHTS(%rax)
        jz      syscall_general
        mov     CAP_OBJ(%rax), %rbp     /* never NULL in an endpoint's capability (cap_insert) */
        mov     CAP_A(%rax), %r12
.endm

/*
 * May the thread in r14 run in place of rbx? Its frame goes to r15, its page-table root to
 * r13. Its frame is a SYSCALL's, which SYSRET may take back, and its space has page tables:
 * that holds of every thread waiting for a message, or for the reply to a call of its own
 * (no kernel call: call's and reply_recv's own tests), so it is asserted where such waits
 * begin (endpoint.c, assert_fast_partner), not tested here. A thread in a fault's call has
 * kernel_call set (fault.c).
 */
.macro FAST_PARTNER
        movzbl  TCB_PRIO(%rbx), %eax
        cmp     %al, TCB_PRIO(%r14)
        jb      syscall_general
        cmpw    $0, TCB_STOPPED(%r14)
        jne     syscall_general
        mov     TCB_KSTACK(%r14), %r15
        add     $KSTACK_FRAME, %r15
        mov     TCB_SPACE(%r14), %r13
        mov     SPACE_ROOT(%r13), %r13
.endm

/* The partner r14 (frame r15, root r13) runs: it is current, with its space and stack; the
 * message goes one register down with the badge in r9, and it leaves through SYSRET. */
.macro FAST_SWITCH badge
        /* (not its ipc_result: it returns from its frame, and whoever wakes it next sets one) */
        movq    $0, TCB_BLOCKED_ON(%r14)
        movl    $IPC_NONE_VALUE, TCB_IPC_WAIT(%r14)
        movl    $THREAD_READY_VALUE, TCB_STATE(%r14)
        movb    $0, TCB_CHAIN_DROPPED(%r14) /* it returns from its frame */
        movb    $1, TCB_CHAIN_DROPPED(%rbx) /* whoever wakes us leaves results in our TCB */
        mov     %r14, %gs:PERCPU_CURRENT
        cmp     %gs:PERCPU_CR3, %r13
        je      1f
        mov     %r13, %cr3
        mov     %r13, %gs:PERCPU_CR3
1:      lea     FRAME_SIZE(%r15), %rax
        mov     %rax, %gs:PERCPU_KSTACK_TOP /* the TSS's rsp0 too */
        movzwl  TCB_SWITCH_WORK(%rbx), %eax
        or      TCB_SWITCH_WORK(%r14), %ax
        jnz     3f                      /* FPU or TLS state to switch */
2:      mov     %r15, %rsp
        mov     %rsi, %rdi
        mov     %rdx, %rsi
        mov     %r10, %rdx
        mov     %r8, %r10
        mov     %r9, %r8
        mov     \badge, %r9
        xor     %eax, %eax
        SYSRET_CALLEE_SAVED
        /* still on our stack, whose frame holds the message as we passed it: the C call may
         * clobber the registers, the frame gives them back */
3:      mov     %rbx, %rdi
        mov     %r14, %rsi
        call    sched_switch_work
        mov     0(%rsp), %rdi
        mov     8(%rsp), %rsi
        mov     16(%rsp), %rdx
        mov     24(%rsp), %r10
        mov     32(%rsp), %r8
        mov     40(%rsp), %r9
        jmp     2b
.endm

/* call: a receiver waits on the endpoint, and owes no reply */
/* (the entry stub has checked the number against the thread's syscall_limit: a thread whose
 * calls go to its foreign handler never gets here) */
entry_ipc_call:
        SAVE_GPRS_SYSCALL
fast_call:
        FAST_COMMON L4_EP_SEND_VALUE, L4_SYS_IPC_CALL, syscall_general
        mov     EP_RECEIVERS+LIST_NEXT(%rbp), %rcx
        lea     EP_RECEIVERS(%rbp), %rax
        cmp     %rax, %rcx
        je      syscall_general         /* nobody waits: the general path queues us */
        lea     -TCB_IPC_LINK(%rcx), %r14
        cmpq    $0, TCB_CALLER(%r14)
        jne     syscall_general         /* it still owes a reply */
        FAST_PARTNER
        /* committed: the server leaves the queue, we wait for its reply */
        mov     TCB_IPC_LINK+LIST_NEXT(%r14), %rax
        mov     TCB_IPC_LINK+LIST_PREV(%r14), %rcx
        mov     %rax, LIST_NEXT(%rcx)
        mov     %rcx, LIST_PREV(%rax)
        movq    $0, TCB_IPC_LINK+LIST_NEXT(%r14)
        movq    $0, TCB_IPC_LINK+LIST_PREV(%r14)
        movl    $THREAD_BLOCKED_VALUE, TCB_STATE(%rbx)
        movl    $IPC_REPLY_VALUE, TCB_IPC_WAIT(%rbx)
        mov     %r14, TCB_CALLEE(%rbx)
        mov     %rbx, TCB_CALLER(%r14)
        FAST_SWITCH %r12

/* reply_recv: we owe a reply to a caller that waits for it in a system call of its own (not
 * a kernel call chain's), and no sender waits on the endpoint */
entry_ipc_reply_recv:
        SAVE_GPRS_SYSCALL
fast_reply_recv:
        FAST_COMMON L4_EP_RECV_VALUE, L4_SYS_IPC_REPLY_RECV, fast_foreign_c
        mov     TCB_CALLER(%rbx), %r14
        test    %r14, %r14
        jz      syscall_general
        mov     EP_SENDERS+LIST_NEXT(%rbp), %rcx
        lea     EP_SENDERS(%rbp), %rax
        cmp     %rax, %rcx
        jne     syscall_general         /* a message waits for us */
        cmpl    $IPC_REPLY_VALUE, TCB_IPC_WAIT(%r14)
        jne     syscall_general
        cmpl    $0, TCB_KERNEL_CALL(%r14)
        jne     fault_fast_reply_recv   /* fault_fast.S: an exception's answer, or general */
        FAST_PARTNER
        /* committed: the reply right is used up, and we wait on the endpoint */
        movq    $0, TCB_CALLER(%rbx)
        movq    $0, TCB_CALLEE(%r14)
        lea     EP_RECEIVERS(%rbp), %rax            /* push back: between its prev and it */
        mov     LIST_PREV(%rax), %rcx
        lea     TCB_IPC_LINK(%rbx), %r11
        mov     %rcx, LIST_PREV(%r11)
        mov     %rax, LIST_NEXT(%r11)
        mov     %r11, LIST_NEXT(%rcx)
        mov     %r11, LIST_PREV(%rax)
        movl    $THREAD_BLOCKED_VALUE, TCB_STATE(%rbx)
        mov     %rbp, TCB_BLOCKED_ON(%rbx)
        movl    $IPC_RECV_VALUE, TCB_IPC_WAIT(%rbx)
        xor     %r12d, %r12d                        /* a reply carries no badge */
        FAST_SWITCH %r12
#endif

/* The event trace's kernel's fastpath, in C: the partner's frame to leave from, or NULL: the
 * general path. It leaves through IRETQ, which a foreign call's resume needs (its rcx and
 * r11 are the handler's) and which gives any other frame what SYSRET would:
 * arch_ipc_deliver sets its rcx and r11 slots to its rip and rflags (REG-078, REG-TRACE). */
fast_c:
        mov     %rsp, %rdi
        call    ipc_fastpath_entry
        test    %rax, %rax
        jz      syscall_general
        mov     %rax, %rsp              /* the partner's stack, now the current thread's */
        jmp     arch_return_to_user

#ifndef CONFIG_TRACE
/* A reply_recv whose tag is longer than the registers (a foreign handler's resume) or has
 * flags, which foreign_reply_fast_entry takes or leaves to the general path (FAST_COMMON
 * checked the gate, the stub the number). The thread leaves through IRETQ: its rcx and r11
 * are the handler's to give. */
fast_foreign_c:
        mov     %rsp, %rdi
        call    foreign_reply_fast_entry
        test    %rax, %rax
        jz      syscall_general
        mov     %rax, %rsp              /* the thread's stack, now the current one's */
        jmp     arch_return_to_user
#endif

/*
 * SYSCALL from 32-bit compatibility mode (MSR_CSTAR). Unreachable: the GDT has no 32-bit user
 * code segment (gdt.c). Should a CPU ever get here, it runs on the user's rsp with the
 * user's GS, so it touches neither: it returns at once to the instruction after the SYSCALL
 * with eax = L4_ENOSYS, as a refused call.
 */
        .globl syscall_compat_entry
syscall_compat_entry:
        mov     $L4_ENOSYS_VALUE, %eax
        sysretl

/*
 * A thread the IPC fastpath left without a kernel call chain resumes here
 * (arch_context_init_resume): its results are in its TCB; copy them into its
 * frame and return to user space.
 */
        .globl fast_resume_entry
fast_resume_entry:
        call    ipc_fast_resume
        jmp     arch_return_to_user_sysret

/* void arch_return_from(struct trap_frame *f): IRETQ with f, dropping the stack below it */
        .globl arch_return_from
arch_return_from:
        mov     %rdi, %rsp
        jmp     arch_return_to_user

/* void arch_context_jump(uint64_t next_sp): switch without saving anything */
        .globl arch_context_jump
arch_context_jump:
        mov     %rdi, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret

/* void arch_context_switch(uint64_t *saved_sp, uint64_t next_sp) */
        .globl arch_context_switch
arch_context_switch:
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, (%rdi)
        mov     %rsi, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret

        .section .note.GNU-stack, "", @progbits
