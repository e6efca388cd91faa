/* SPDX-License-Identifier: BSD-2-Clause */
/* The floor probe's vector tables and EL0 code (floor.c): bench=floor only. */
#include "arch_callee.h"
#include "floor_layout.h"

        .bss
        .balign 8
        .globl floor_current
floor_current:  .skip 8 /* struct floor_thread of the space running in EL0 */
floor_kernel_sp: .skip 8 /* floor_enter's stack, for floor_exit */

        .text
/*
 * void floor_enter(pc, x0, x1, sp): run the probe's EL0 code at pc (with those x0, x1 and
 * sp, D, A, I and F masked) until it takes an exception that is not its system call (an IRQ,
 * at its end: floor_exit), then return here. Nothing of the kernel's is left in the other
 * registers.
 */
        .globl floor_enter
floor_enter:
        PUSH_CALLEE_SAVED
        mov     x9, sp
        adrp    x10, floor_kernel_sp
        str     x9, [x10, :lo12:floor_kernel_sp]
        msr     elr_el1, x0
        mov     x9, #FLOOR_PSTATE
        msr     spsr_el1, x9
        msr     sp_el0, x3
        mov     x0, x1
        mov     x1, x2
        .irp r, 2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30
        mov     x\r, xzr
        .endr
        eret

/* Every vector but a system call's: back to floor_enter's caller (the exception dropped) */
floor_exit:
        adrp    x9, floor_kernel_sp
        ldr     x9, [x9, :lo12:floor_kernel_sp]
        mov     sp, x9
        POP_CALLEE_SAVED
        ret

/* A vector table whose lower-EL AArch64 synchronous entry (SVC, and any fault) is \sync and
 * every other entry floor_exit. */
.macro FLOOR_TABLE name, sync
        .balign 0x800
        .globl \name
\name:
        .rept 8
        .balign 0x80
        b       floor_exit
        .endr
        .balign 0x80
        \sync
        .rept 7
        .balign 0x80
        b       floor_exit
        .endr
.endm

/* The null system call: SVC and ERET and nothing between. */
.macro NULL_ENTRY
        eret
.endm

/*
 * The least an address-space switch does: save the caller's pc, pstate and sp (ELR_EL1,
 * SPSR_EL1, SP_EL0), make its partner current, write TTBR0 (its root and ASID: no TLB
 * flush), load the partner's three and return to it. ERET synchronises the context, so the
 * new TTBR0 holds for the partner's first fetch without an ISB. x9..x12 are clobbered (the
 * EL0 code keeps nothing in them).
 */
.macro SWITCH_ENTRY
        adrp    x9, floor_current
        ldr     x10, [x9, :lo12:floor_current]
        mrs     x11, elr_el1
        mrs     x12, spsr_el1
        stp     x11, x12, [x10, #FT_PC]
        mrs     x11, sp_el0
        str     x11, [x10, #FT_SP]
        ldr     x10, [x10, #FT_OTHER]
        str     x10, [x9, :lo12:floor_current]
        ldr     x11, [x10, #FT_TTBR0]
        msr     ttbr0_el1, x11
        ldp     x11, x12, [x10, #FT_PC]
        msr     elr_el1, x11
        msr     spsr_el1, x12
        ldr     x11, [x10, #FT_SP]
        msr     sp_el0, x11
        eret
.endm

        FLOOR_TABLE floor_null_vectors, NULL_ENTRY
        FLOOR_TABLE floor_switch_vectors, SWITCH_ENTRY

/*
 * The EL0 code, copied to a page of its own (so position independent): x0 is where the
 * samples go (x1 of them, then FLOOR_DONE), each the cycle counter's difference across an
 * interval timed as user/bench/bench.c times one (tsc.h: isb; mrs pmccntr_el0; isb at each
 * end). Its end unmasks IRQs (SCTLR_EL1.UMA, for the probe only), and the tick floor.c left
 * pending ends the probe.
 */
.macro TSC_START
        isb
        mrs     x8, pmccntr_el0
        isb
.endm

.macro TSC_STOP
        isb
        mrs     x9, pmccntr_el0
        isb
        sub     x9, x9, x8
        str     x9, [x0], #8
.endm

        .section .rodata
        .balign 16
        .globl floor_user_start, floor_user_end
        .globl floor_user_timer, floor_user_syscall, floor_user_partner
floor_user_start:
floor_user_timer:               /* nothing between the two readings: the timer's own cost */
        TSC_START
        TSC_STOP
        subs    x1, x1, #1
        b.ne    floor_user_timer
        b       1f
floor_user_syscall:             /* one SVC, to whichever table VBAR_EL1 names */
        TSC_START
        svc     #0
        TSC_STOP
        subs    x1, x1, #1
        b.ne    floor_user_syscall
1:      movz    x9, #(FLOOR_DONE & 0xffff)
        movk    x9, #(FLOOR_DONE >> 16), lsl #16
        str     x9, [x0]
        msr     daifclr, #2     /* the pending tick: floor_exit */
2:      b       2b
floor_user_back:                /* the other space: straight back, every time */
        svc     #0
floor_user_partner:             /* where it starts, as if back from a system call */
        b       floor_user_back
floor_user_end:

        .section .note.GNU-stack, "", @progbits
