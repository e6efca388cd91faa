/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Exception vectors, kernel entry and exit, context switch. From EL0 every entry saves the
 * whole struct trap_frame (arch_frame.h) at the top of the thread's kernel stack, but for a
 * light call's SVC, which saves what its handler may change (el0_light): SP_EL1 is that top
 * whenever a thread runs in EL0, because every way out (arch_return_to_user, el0_light's
 * ERET) leaves sp just above the frame it restored.
 */
#include "arch_callee.h"
#include "arch_entry.h"
#include "arch_layout.h"
#include "asm_offsets.h"
#include "kconfig.h"

#include <coffer/syscall_nr.h>

#define EC_SVC64     0x15
#define EC_SERROR    0x2f

.macro SAVE_FRAME
        SAVE_FIRST
        SAVE_REST
.endm

/* An entry the vector says is unexpected (SP_EL0 at EL1, FIQ, SError, AArch32): report it */
.macro BAD_ENTRY kind
        .balign 0x80
        SAVE_FRAME
        mov     x0, sp
        mov     x1, #\kind
        bl      aarch64_bad_entry       /* trap.c: panics */
.endm

.macro ENTRY_TO label
        .balign 0x80
        SAVE_FRAME
        b       \label
.endm

        .text
        .balign 0x800
        .globl aarch64_vectors
aarch64_vectors:
        BAD_ENTRY 0                     /* current EL with SP_EL0: never used */
        BAD_ENTRY 1
        BAD_ENTRY 2
        BAD_ENTRY 3
        /* current EL with SP_EL1: the kernel's own. On a stack of its own: a fault of the
         * kernel's stack pointer (a thread's kernel stack run into its guard page) would
         * otherwise fault again saving the frame, and again, down through unmapped pages.
         * Every such exception panics, so x0 may pass through TPIDRRO_EL0 (EL0 reads it,
         * but no thread runs again) */
        .balign 0x80
el1_sync_vector:
        msr     tpidrro_el0, x0
        adrp    x0, el1_fault_stack_top
        add     x0, x0, :lo12:el1_fault_stack_top
        mov     sp, x0
        mrs     x0, tpidrro_el0
        SAVE_FRAME
        b       el1_sync
        .if . - el1_sync_vector > 0x80
        .error "el1_sync's vector entry is longer than its 0x80 bytes"
        .endif
        ENTRY_TO el1_irq
        BAD_ENTRY 6
        BAD_ENTRY 7
/*
 * Lower EL, AArch64: user code. An SVC of a light call (syscalls.toml's entry = "light": it
 * never blocks, switches, wakes a thread, stops its caller or touches user memory) needs only
 * its arguments in the frame, its pc (a refusal's report names it), and what the C handler
 * may change: el0_light. Everything else gets the whole frame (el0_sync_rest).
 */
        .balign 0x80
el0_sync_vector:
        SAVE_FIRST
        mrs     x9, esr_el1
        ubfx    x10, x9, #26, #6        /* the exception class (ISS2 lies above it) */
        cmp     x10, #EC_SVC64
        b.ne    el0_sync_rest
#ifndef CONFIG_TRACE /* the event trace records what the whole path does, as x86_64's */
        mrs     x10, tpidr_el1
        ldr     x10, [x10, #PERCPU_CURRENT]
        ldr     w11, [x10, #TCB_SYSCALL_LIMIT]
        cmp     x8, x11
        b.hs    el0_sync_rest           /* its foreign handler's, or no such call */
        adrp    x11, syscall_entry_code          /* its entry kind's code (entry_table.c) */
        add     x11, x11, :lo12:syscall_entry_code
        ldr     x9, [x11, x8, lsl #3]
        br      x9                      /* current in x10 */
#else
        b       el0_sync_rest
#endif
        .if . - el0_sync_vector > 0x80
        .error "el0_sync's vector entry is longer than its 0x80 bytes"
        .endif
        ENTRY_TO el0_irq
        BAD_ENTRY 10
        ENTRY_TO el0_serror
        BAD_ENTRY 12                    /* lower EL, AArch32: no such user code */
        BAD_ENTRY 13
        BAD_ENTRY 14
        BAD_ENTRY 15

/* The kernel's own exception (a bug: the kernel never faults on purpose) */
el1_sync:
        mrs     x0, esr_el1
        mrs     x1, far_el1
        stp     x0, x1, [sp, #F_ERROR]
        mov     x0, sp
        bl      aarch64_kernel_fault    /* trap.c: panics */
        b       .

/* An interrupt while the kernel idles with interrupts on (arch_idle): the kernel never
 * enables them anywhere else */
el1_irq:
        mov     x0, #F_VEC_IRQ
        stp     x0, xzr, [sp, #F_VECTOR]
        mov     x0, sp
        bl      aarch64_irq             /* irq.c */
        b       restore_frame

/*
 * A light call: x0..x5, x8..x11 and the pc are in the frame; the handler (C) may change x6,
 * x7, x12..x18 and x30 too, and keeps x19..x29. Nothing can look at or change the frame
 * while it runs (interrupts are masked, nothing else runs, it cannot be stopped), and SP_EL0,
 * ELR and SPSR stay as they are: back from the frame's results (x0..x5), the error in x8.
 */
.macro LIGHT_KEPT pair, one              /* stp, str to save them; ldp, ldr to load them */
        \pair   x6, x7, [sp, #48]
        \pair   x12, x13, [sp, #96]
        \pair   x14, x15, [sp, #112]
        \pair   x16, x17, [sp, #128]
        \one    x18, [sp, #144]
        \one    x30, [sp, #240]
.endm
/* The generated table's handler for the number in x8, with the frame (sp) as its r[6]; its
 * error, sign-extended (l4_err_t is an int: arch_syscall_set_err), into \err */
.macro CALL_HANDLER err
        adrp    x9, syscall_table
        add     x9, x9, :lo12:syscall_table
        ldr     x9, [x9, x8, lsl #3]
        mov     x0, sp
        blr     x9
        sxtw    \err, w0
.endm
el0_light:
        LIGHT_KEPT stp, str
        mrs     x9, elr_el1
        str     x9, [sp, #F_PC]
        CALL_HANDLER x8
        ldp     x0, x1, [sp, #0]
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        ldr     x9, [sp, #72]
        ldp     x10, x11, [sp, #80]
        LIGHT_KEPT ldp, ldr
        add     sp, sp, #FRAME_SIZE
        eret

#ifndef CONFIG_TRACE
/* The entries syscall_entry_code (entry_table.c) names, by kind: el0_svc_none, el0_svc_full,
 * el0_light here, ipc_fast_call and ipc_fast_reply_recv (ipc_fast.S), entry_notify_signal and
 * entry_notify_wait (notify_fast.S). Each comes with SAVE_FIRST's part of the frame saved and
 * the caller in x10; the fastpaths send what they do not take to svc_c or el0_svc_full. */
        .globl  el0_svc_none
        .globl  el0_light

/* A call the general path carries out goes straight to its handler in the generated table
 * (the frame's first six words its r[6]), then to the preemption point, as at the end of
 * every system call (x86_64's entry_full); also where notify_fast.S sends what it does not
 * take, with only x9..x11 and x0..x5 moved (the frame holds their values), the number in x8.
 * el0_svc_saved: the same with the frame already whole. */
        .globl  el0_svc_full
        .globl  el0_svc_saved
el0_svc_full:
        SAVE_SVC_REST
el0_svc_saved:
        CALL_HANDLER x9                 /* (never NULL for a call of the full kind) */
        str     x9, [sp, #F_X8]
        bl      sched_preempt_point     /* it may have ended or blocked itself, or woken a
                                         * better thread */
        b       arch_return_to_user

/* A number with no call below the thread's syscall_limit: C refuses it, or sends a foreign
 * thread's to its handler */
el0_svc_none:
        SAVE_SVC_REST
        b       svc_c
#endif

/* An exception, or an SVC past the thread's syscall_limit (its foreign handler's, or no
 * call) or of a kernel with the event trace; x9 holds ESR_EL1 */
el0_sync_rest:
        SAVE_REST
        ubfx    x10, x9, #26, #6        /* the exception class (ISS2 lies above it) */
        cmp     x10, #EC_SVC64
        b.ne    1f
        mov     x10, #F_VEC_SYSCALL
        stp     x10, xzr, [sp, #F_VECTOR]
        .globl  svc_c
svc_c:
        mov     x0, sp
        bl      aarch64_syscall         /* syscall.c: the frame to leave from */
        mov     sp, x0                  /* ours, or, after a fastpath's switch, the new
                                         * current thread's on its own kernel stack */
        b       arch_return_to_user
1:      mrs     x2, far_el1
        stp     x10, x9, [sp, #F_VECTOR] /* the class, then the whole syndrome */
        str     x2, [sp, #F_FAR]
        mov     x0, sp
        bl      aarch64_user_exception  /* trap.c */
        b       arch_return_to_user

/* An SError taken on the way back to EL0 (the kernel runs with them masked): a late report of
 * the thread's own device access, its fault (trap.c: a general one, with the syndrome) */
el0_serror:
        mrs     x0, esr_el1
        mov     x1, #EC_SERROR
        stp     x1, x0, [sp, #F_VECTOR]
        str     xzr, [sp, #F_FAR]
        mov     x0, sp
        bl      aarch64_user_exception
        b       arch_return_to_user

el0_irq:
        mov     x0, #F_VEC_IRQ
        stp     x0, xzr, [sp, #F_VECTOR]
        mov     x0, sp
        bl      aarch64_irq
        /* fall through */

/* Back to user mode from the current thread's frame, sp pointing at it; also where a new
 * thread starts (arch_context_init) */
        .globl arch_return_to_user
arch_return_to_user:
restore_frame:
        RESTORE_FRAME_ERET results_in_frame=1

/* The same with the call's results already in x0..x5 and x8, which the frame does not hold:
 * ipc_fast.S's switch leaves the message in them (x86_64's fastpath leaves it in its
 * registers too), so it is never stored to the partner's frame and loaded back */
        .globl  return_with_results
return_with_results:
        RESTORE_FRAME_ERET results_in_frame=0

/* A thread a fastpath left without a kernel call chain resumes here (arch_context_init_resume),
 * sp at its frame: its results are in its TCB; copy them into its frame and leave from it */
        .globl fast_resume_entry
fast_resume_entry:
        bl      ipc_fast_resume
        b       arch_return_to_user

/* void arch_return_from(struct trap_frame *f): back to user mode with f, dropping the stack
 * below it */
        .globl arch_return_from
        .globl arch_return_from_sysret
arch_return_from:
arch_return_from_sysret:                /* one way out on AArch64 */
        mov     sp, x0
        b       arch_return_to_user

/* void arch_context_jump(uint64_t next_sp): switch without saving anything */
        .globl arch_context_jump
arch_context_jump:
        mov     sp, x0
        b       context_pop

/* void arch_context_switch(uint64_t *saved_sp, uint64_t next_sp): the callee-saved
 * registers x19..x30 on this stack, sp into *saved_sp, then the other's */
        .globl arch_context_switch
arch_context_switch:
        PUSH_CALLEE_SAVED
        mov     x2, sp
        str     x2, [x0]
        mov     sp, x1
context_pop:
        POP_CALLEE_SAVED
        ret

        .section .note.GNU-stack, "", @progbits

/* el1_sync's stack: the panic report runs on it */
        .bss
        .balign 16
el1_fault_stack:
        .space  8192
el1_fault_stack_top:
