/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef __aarch64__
#include "regs_asm.h"

/*
 * regs_seen_entry: where thread_regs sends a thread. It stores every register as it finds
 * them (struct l4_regs order) before anything can change one, and the word at TPIDR_EL0,
 * then calls regs_seen_check() (regtest.c) on a stack of its own. x0 and x1 go first to the
 * thread's own stack (the pattern's, 16-byte aligned), to free a register for the address.
 */
        .text
        .globl regs_seen_entry
regs_seen_entry:
        stp     x0, x1, [sp, #-16]!
        adrp    x0, regs_seen
        add     x0, x0, :lo12:regs_seen
        STORE_X2_X29 x0
        str     x30, [x0, #240]
        mrs     x2, nzcv                /* nothing above set the flags */
        str     x2, [x0, #264]
        ldp     x2, x3, [sp], #16       /* x0 and x1 as found, and sp as found */
        stp     x2, x3, [x0, #0]
        mov     x2, sp
        str     x2, [x0, #248]
        adr     x2, regs_seen_entry     /* pc: where we are */
        str     x2, [x0, #256]
        mrs     x2, tpidr_el0
        ldr     x2, [x2]
        str     x2, [x0, #272]          /* tpidr_el0 slot: the word at TPIDR_EL0 */
        adrp    x2, seen_stack_top
        add     x2, x2, :lo12:seen_stack_top
        mov     sp, x2
        mov     x29, #0
        bl      regs_seen_check         /* ends the thread */
1:      udf     #0
        b       1b

        .bss
        .align 4
        .globl regs_seen
regs_seen:
        .skip   280
        .skip   4096
        .align  4
seen_stack_top:

/*
 * void svc_all(l4_word_t nr, const l4_word_t in[32], l4_word_t out[32]): SVC nr with x0..x30
 * from in[0..30] (in[8] aside: x8 is nr) and NZCV from in[31]; every register as it came back
 * into out (x8: the error), NZCV into out[31].
 */
        .text
        .globl svc_all
svc_all:
        ENTER_KEEPING_CALLEE_SAVED
        str     x2, [sp, #96]           /* out */
        str     x0, [sp, #104]          /* nr, until x8 is loaded */
        mov     x30, x1                 /* in: its own word last */
        ldr     x9, [x30, #248]
        msr     nzcv, x9
        ldp     x0, x1, [x30, #0]
        LOAD_X2_X29 x30                 /* in[8] into x8 too, */
        ldr     x8, [sp, #104]          /* then nr over it */
        ldr     x30, [x30, #240]
        svc     #0
        str     x30, [sp, #104]
        ldr     x30, [sp, #96]          /* out */
        stp     x0, x1, [x30, #0]
        mrs     x0, nzcv                /* before anything could set the flags */
        str     x0, [x30, #248]
        STORE_X2_X29 x30
        ldr     x0, [sp, #104]
        str     x0, [x30, #240]
        LEAVE_KEEPING_CALLEE_SAVED
        ret

/*
 * l4_word_t fp_kept_across(l4_word_t nr, l4_word_t arg, l4_word_t pattern): SVC nr with x0 =
 * arg and v0..v31 holding pattern + i (their low 64 bits; the rest zero), and the bits of
 * those that came back changed (bit i: v i). The FP/SIMD state is the thread's own.
 */
        .text
        .globl fp_kept_across
fp_kept_across:
        mov     x12, x2                 /* x9..x18 are kept by the call */
        .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        add     x9, x12, #\n
        fmov    d\n, x9
        .endr
        mov     x8, x0
        mov     x0, x1
        svc     #0
        mov     x11, #0
        .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31
        fmov    x9, d\n
        add     x10, x12, #\n
        cmp     x9, x10
        b.eq    1f
        orr     x11, x11, #(1 << \n)
1:      mov     x9, v\n\().d[1]         /* the upper half: zero as fmov left it */
        cbz     x9, 1f
        orr     x11, x11, #(1 << \n)
1:
        .endr
        mov     x0, x11
        ret
#endif

        .section .note.GNU-stack, "", @progbits
