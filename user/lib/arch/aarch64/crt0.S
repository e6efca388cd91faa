/* SPDX-License-Identifier: BSD-2-Clause */
/* User program entry: the kernel starts a thread here with x0 = its argument and sp set. */
        .text
        .globl _start
_start:
        mov     x29, xzr                /* end of frame-pointer chains */
        mov     x30, xzr                /* ... and of return addresses: main never returns here */
        mov     x9, sp
        and     sp, x9, #-16            /* AAPCS64: sp 16-byte aligned at every call */
        bl      main
        mov     w0, w0                  /* main's int, zero-extended as x86_64's eax is */
        bl      l4_exit
1:      brk     #0                      /* l4_exit does not return */
        b       1b

/*
 * A spawned thread starts here (thread_frame.c): fn is in the 16 bytes at the top of its
 * stack (popped, so sp stays aligned), its argument already in x0. fn's return value, in
 * x0, becomes the thread's exit code.
 */
        .globl l4_thread_entry
l4_thread_entry:
        ldr     x9, [sp], #16
        mov     x29, xzr
        mov     x30, xzr
        blr     x9
/* A thread function whose lr is set here ends the thread with its value. */
        .globl l4_thread_return
l4_thread_return:
        bl      l4_exit
2:      brk     #0
        b       2b

        .section .note.GNU-stack, "", @progbits
