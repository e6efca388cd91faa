/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * What the AArch64 entry's assembly files share (vectors.S, ipc_fast.S, notify_fast.S): the
 * frame's layout as assembly sees it (asm_offsets.c holds it to struct trap_frame), the two
 * halves of saving it, and the switch a fastpath makes to the thread that runs in its
 * caller's place. Assembly only.
 */
#ifndef ARCH_ENTRY_H
#define ARCH_ENTRY_H

#include "asm_offsets.h" /* (the preprocessor fills the macros in here, not where they are used) */
// clang-format off
#define FRAME_SIZE   304
#define F_PC         256
#define F_VECTOR     272
#define F_ERROR      280
#define F_FAR        288
#define F_VEC_SYSCALL 0x100 /* arch_frame.h's VEC_SYSCALL and VEC_IRQ */
#define F_VEC_IRQ    0x101

/* What the el0_sync vector saves before it knows whether the rest is needed (a light call's,
 * or a notification's that does not block, needs no more): the arguments, the number, and
 * x9..x11 for its own use */
.macro SAVE_FIRST
        sub     sp, sp, #FRAME_SIZE
        stp     x0, x1, [sp, #0]
        stp     x2, x3, [sp, #16]
        stp     x4, x5, [sp, #32]
        stp     x8, x9, [sp, #64]
        stp     x10, x11, [sp, #80]
.endm

/* The rest of the whole frame, after SAVE_FIRST: x21..x23 are scratch once they are saved */
.macro SAVE_REST
        stp     x6, x7, [sp, #48]
        stp     x12, x13, [sp, #96]
        stp     x14, x15, [sp, #112]
        stp     x16, x17, [sp, #128]
        stp     x18, x19, [sp, #144]
        stp     x20, x21, [sp, #160]
        stp     x22, x23, [sp, #176]
        stp     x24, x25, [sp, #192]
        stp     x26, x27, [sp, #208]
        stp     x28, x29, [sp, #224]
        mrs     x21, sp_el0
        stp     x30, x21, [sp, #240]
        mrs     x22, elr_el1
        mrs     x23, spsr_el1
        stp     x22, x23, [sp, #F_PC]
.endm

/* Back to EL0 from the frame at sp, which is dropped (SP_EL1 is the stack's top again). With
 * results_in_frame=0, x0..x5 and x8 are left as they are: they hold the call's results. */
.macro RESTORE_FRAME_ERET results_in_frame
        ldp     x22, x23, [sp, #F_PC]
        msr     elr_el1, x22
        msr     spsr_el1, x23
        ldp     x30, x21, [sp, #240]
        msr     sp_el0, x21
        .if \results_in_frame
        ldp     x0, x1, [sp, #0]
        ldp     x2, x3, [sp, #16]
        ldp     x4, x5, [sp, #32]
        .endif
        ldp     x6, x7, [sp, #48]
        .if \results_in_frame
        ldp     x8, x9, [sp, #64]
        .else
        ldr     x9, [sp, #72]
        .endif
        ldp     x10, x11, [sp, #80]
        ldp     x12, x13, [sp, #96]
        ldp     x14, x15, [sp, #112]
        ldp     x16, x17, [sp, #128]
        ldp     x18, x19, [sp, #144]
        ldp     x20, x21, [sp, #160]
        ldp     x22, x23, [sp, #176]
        ldp     x24, x25, [sp, #192]
        ldp     x26, x27, [sp, #208]
        ldp     x28, x29, [sp, #224]
        add     sp, sp, #FRAME_SIZE
        eret
.endm

/* An SVC's frame made whole: the rest, and its kind (VEC_SYSCALL, no syndrome). x9 is used. */
.macro SAVE_SVC_REST
        SAVE_REST
        mov     x9, #F_VEC_SYSCALL
        stp     x9, xzr, [sp, #F_VECTOR]
.endm

/*
 * A fastpath's caller \self blocks on the object \obj (an endpoint's receivers, a
 * notification's waiters: the list at \head in it), waiting for \kind: its ipc_link goes
 * on the list's back, as list_push_back puts it. \t0..\t2 and x9 are used.
 */
.macro BLOCK_ON self, obj, head, kind, t0, t1, t2
        add     \t0, \obj, #\head
        ldr     \t1, [\t0, #LIST_PREV]
        add     \t2, \self, #TCB_IPC_LINK
        stp     \t0, \t1, [\t2]
        str     \t2, [\t1, #LIST_NEXT]
        str     \t2, [\t0, #LIST_PREV]
        mov     w9, #THREAD_BLOCKED_VALUE
        str     w9, [\self, #TCB_STATE]
        str     \obj, [\self, #TCB_BLOCKED_ON]
        mov     w9, #\kind
        str     w9, [\self, #TCB_IPC_WAIT]
.endm

/*
 * A fastpath's switch to next (x23), which runs in place of self (x20), x19 this CPU's area:
 * sched_become's work: current, the address space, then sched_switch_work's, TPIDR_EL0 (which
 * a switch always moves: EL0 writes it at will), and in C only when there is work, CNTKCTL
 * (cntp_switch_access, arch_switch_access's work, while the physical timer is lent) and the
 * FPU (fpu_switch_slow, when either thread used it: fpu_switch's test). Out: x24 next's
 * kernel stack, x9 its frame. x10, x11 and, after a call, x0..x18 and x30 are used.
 */
.macro BECOME_NEXT
        .if TCB_FPU_USED_SIZE != 1 || L4_TLS_COUNT_VALUE != 1
        .error "BECOME_NEXT moves one TLS base and tests fpu_used as a byte"
        .endif
        str     x23, [x19, #PERCPU_CURRENT]
        ldr     x9, [x23, #TCB_SPACE]
        ldr     x9, [x9, #SPACE_ROOT]           /* with its ASID; never 0 for a live thread */
        ldr     x10, [x19, #PERCPU_TTBR0]
        cmp     x9, x10
        b.eq    1f
        msr     ttbr0_el1, x9
        isb
        str     x9, [x19, #PERCPU_TTBR0]
1:      ldr     x24, [x23, #TCB_KSTACK] /* (SP_EL1 needs no store: arch_set_kernel_stack) */
        mrs     x9, tpidr_el0                   /* the TLS base, which EL0 writes at will */
        str     x9, [x20, #TCB_TLS]
        ldr     x9, [x23, #TCB_TLS]
        msr     tpidr_el0, x9
        adrp    x9, cntp_owner
        ldr     x9, [x9, :lo12:cntp_owner]      /* the physical timer lent to someone */
        cbz     x9, 6f
        mov     x0, x23
        bl      cntp_switch_access              /* CNTKCTL_EL1 for next (cntp.c) */
6:      ldrb    w10, [x20, #TCB_FPU_USED]
        ldrb    w11, [x23, #TCB_FPU_USED]
        orr     w10, w10, w11
        cbz     w10, 7f                         /* fpu_switch's test (fpu.h) */
        mov     x0, x20
        mov     x1, x23
        bl      fpu_switch_slow
7:      mov     x9, #KSTACK_FRAME
        add     x9, x24, x9
.endm
// clang-format on
#endif
