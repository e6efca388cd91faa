/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry points for the threads the fuzzer starts with exregs (AArch64; stubs_x86_64.S is
 * x86_64's, the same names and deeds). None touches the stack, so any stack pointer will do,
 * and none reaches our other code; all are position independent (branches are pc-relative,
 * constants are built in registers), so a copy runs the same in another space. A system call
 * is svc #0: its number in x8, arguments in x0.., the error back in x8 (docs/aarch64.md).
 */
#ifdef __aarch64__
#include <coffer/syscall_nr.h>

        .text
        .globl fz_code_start, fz_code_end, fz_spin, fz_exit, fz_yield, fz_serve, fz_ud2, fz_null
        .globl fz_kread, fz_int3, fz_hlt
fz_code_start:
/* busy for a while, then end: a thread that competes for the CPU but not for good */
fz_spin:
        movz    w1, #(2000000 & 0xffff)
        movk    w1, #(2000000 >> 16), lsl #16
1:      subs    w1, w1, #1
        b.ne    1b
        b       fz_exit
/* enter the kernel a hundred times, then end (x19: the kernel keeps every register but x8
 * and the results' x0..x5) */
fz_yield:
        mov     x19, #100
2:      mov     x8, #L4_SYS_THREAD_YIELD
        svc     #0
        subs    x19, x19, #1
        b.ne    2b
        b       fz_exit
/* answer every message on the endpoint in the argument register, until a call fails */
fz_serve:
        mov     x19, x0
3:      mov     x8, #L4_SYS_IPC_REPLY_RECV
        mov     x0, x19
        mov     x1, #0                  /* the reply: label 0, no words */
        svc     #0
        cbz     x8, 3b
fz_exit:
        mov     x8, #L4_SYS_THREAD_EXIT
        mov     x0, #0xf022
        svc     #0
        udf     #0
/* faults of every kind: each must be reported, and stop only this thread */
fz_ud2:                                 /* an undefined instruction */
        udf     #0
fz_null:                                /* a read of page 0 */
        mov     x0, #0
        ldr     x0, [x0]
        udf     #0
fz_kread:                               /* a read of the kernel's image (docs/aarch64.md) */
        movz    x0, #0x4008, lsl #16    /* 0xffff000040080000 */
        movk    x0, #0xffff, lsl #48
        ldr     x0, [x0]
        udf     #0
fz_int3:                                /* a breakpoint */
        brk     #0
        udf     #0
fz_hlt:                                 /* EL1's own: mask interrupts (SCTLR_EL1.UMA 0), wait */
        msr     daifset, #0xf
        wfi
        udf     #0
fz_code_end:

        .section .note.GNU-stack, "", %progbits
#endif
