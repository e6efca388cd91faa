/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef __aarch64__
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
        stp     x29, x30, [sp, #-112]!
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        stp     x27, x28, [sp, #80]
        str     x1, [sp, #96]
        mov     x9, sp
        str     x9, [x0, #SP]
        adr     x9, 1f
        str     x9, [x0, #PC]
        ldr     x9, [x0, #PSTATE]
        and     x9, x9, #0xf0000000     /* N, Z, C, V: the flags a thread may set */
        msr     nzcv, x9
        ldp     x2, x3, [x0, #16]
        ldp     x4, x5, [x0, #32]
        ldp     x6, x7, [x0, #48]
        ldp     x8, x9, [x0, #64]
        ldp     x10, x11, [x0, #80]
        ldp     x12, x13, [x0, #96]
        ldp     x14, x15, [x0, #112]
        ldp     x16, x17, [x0, #128]
        ldp     x18, x19, [x0, #144]
        ldp     x20, x21, [x0, #160]
        ldp     x22, x23, [x0, #176]
        ldp     x24, x25, [x0, #192]
        ldp     x26, x27, [x0, #208]
        ldp     x28, x29, [x0, #224]
        ldr     x30, [x0, #X30]
        ldp     x0, x1, [x0]
        svc     #0
1:      stp     x0, x1, [sp, #-16]!
        ldr     x0, [sp, #16 + 96]      /* out */
        stp     x2, x3, [x0, #16]
        stp     x4, x5, [x0, #32]
        stp     x6, x7, [x0, #48]
        stp     x8, x9, [x0, #64]
        stp     x10, x11, [x0, #80]
        stp     x12, x13, [x0, #96]
        stp     x14, x15, [x0, #112]
        stp     x16, x17, [x0, #128]
        stp     x18, x19, [x0, #144]
        stp     x20, x21, [x0, #160]
        stp     x22, x23, [x0, #176]
        stp     x24, x25, [x0, #192]
        stp     x26, x27, [x0, #208]
        stp     x28, x29, [x0, #224]
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
        ldp     x19, x20, [sp, #16]
        ldp     x21, x22, [sp, #32]
        ldp     x23, x24, [sp, #48]
        ldp     x25, x26, [sp, #64]
        ldp     x27, x28, [sp, #80]
        ldp     x29, x30, [sp], #112
        ret
#endif

        .section .note.GNU-stack, "", @progbits
