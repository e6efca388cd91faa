/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef __aarch64__
#include "regs_asm.h"

/*
 * void ffast_pattern_read(l4_word_t va) (arch.h): x1..x30 and NZCV set to their pattern
 * (ffast_want), a read of va that faults at ffast_fault_ip and is answered and retried, then
 * x0..x30 and NZCV as the thread resumed with them into ffast_regs (struct l4_regs order for
 * x0..x30, NZCV last). A function of its own, not inline asm: x29 (the frame pointer) and x30
 * get the pattern too, which no asm statement may clobber. The callee-saved registers go to
 * the stack first; after the read, x0 and x1 go to the stack to free one register for
 * ffast_regs' address.
 */
        .text
        .globl ffast_pattern_read, ffast_fault_ip
ffast_pattern_read:
        ENTER_KEEPING_CALLEE_SAVED
        mov     x1, #0x90000000         /* N and V (arch_aarch64.c: NZCV_PATTERN) */
        msr     nzcv, x1
        .irp    n, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
        mov     x\n, #(0x1001 + \n)
        .endr
ffast_fault_ip:
        ldr     xzr, [x0]               /* the fault, answered, retried */
        stp     x0, x1, [sp, #-16]!
        mrs     x0, nzcv
        stp     x0, xzr, [sp, #-16]!
        adrp    x0, ffast_regs
        add     x0, x0, :lo12:ffast_regs
        STORE_X2_X29 x0
        ldr     x2, [sp], #16           /* NZCV */
        stp     x30, x2, [x0, #240]
        ldp     x2, x3, [sp], #16       /* x0 and x1 */
        stp     x2, x3, [x0]
        LEAVE_KEEPING_CALLEE_SAVED
        ret
#endif

        .section .note.GNU-stack, "", @progbits
