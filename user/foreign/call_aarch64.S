/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef __aarch64__
#include "regs_asm.h"

/* foreign_call (arch.h): an SVC with x0..x30 and NZCV chosen, and every register it came back with. */

/* struct l4_regs offsets (<coffer/regs.h>): x[i] at 8 i */
#define X30 240
#define SP 248
#define PC 256
#define PSTATE 264
#define TPIDR 272

/*
 * void foreign_call(struct l4_regs *in, struct l4_regs *out)
 * Loads x0..x30 from in (the number in x8 among them) and NZCV from in->pstate's, records in
 * in->sp and in->pc the stack pointer and return address the SVC has, and stores into out
 * what the thread resumed with. The callee-saved x19..x30 and out go to the stack first: the
 * handler must give sp back unchanged. x0 and x1 go to the stack after the SVC, to free one
 * register for out's address; nothing before the MRS changes the flags.
 */
        .text
        .globl foreign_call
foreign_call:
        ENTER_KEEPING_CALLEE_SAVED
        str     x1, [sp, #96]
        mov     x9, sp
        str     x9, [x0, #SP]
        adr     x9, 1f
        str     x9, [x0, #PC]
        ldr     x9, [x0, #PSTATE]
        and     x9, x9, #0xf0000000     /* N, Z, C, V: the flags a thread may set */
        msr     nzcv, x9
        LOAD_X2_X29 x0
        ldr     x30, [x0, #X30]
        ldp     x0, x1, [x0]
        svc     #0
1:      stp     x0, x1, [sp, #-16]!
        ldr     x0, [sp, #16 + 96]      /* out */
        STORE_X2_X29 x0
        str     x30, [x0, #X30]
        mrs     x2, nzcv
        str     x2, [x0, #PSTATE]
        ldp     x2, x3, [sp], #16       /* x0 and x1 as resumed, and sp as resumed */
        stp     x2, x3, [x0]
        mov     x2, sp
        str     x2, [x0, #SP]
        adr     x2, 1b
        str     x2, [x0, #PC]
        mrs     x2, tpidr_el0
        str     x2, [x0, #TPIDR]
        LEAVE_KEEPING_CALLEE_SAVED
        ret
#endif

        .section .note.GNU-stack, "", @progbits
