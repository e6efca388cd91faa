/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * regs_seen_entry: where thread_regs sends a thread. It stores every register as it finds
 * them (struct l4_regs order) before anything can change one, and the words at %fs:0 and
 * %gs:0, then calls regs_seen_check() (regtest.c) on a stack of its own.
 */
        .text
        .globl regs_seen_entry
regs_seen_entry:
        mov     %rax, regs_seen+0(%rip)
        mov     %rbx, regs_seen+8(%rip)
        mov     %rcx, regs_seen+16(%rip)
        mov     %rdx, regs_seen+24(%rip)
        mov     %rsi, regs_seen+32(%rip)
        mov     %rdi, regs_seen+40(%rip)
        mov     %rbp, regs_seen+48(%rip)
        mov     %rsp, regs_seen+56(%rip)
        mov     %r8, regs_seen+64(%rip)
        mov     %r9, regs_seen+72(%rip)
        mov     %r10, regs_seen+80(%rip)
        mov     %r11, regs_seen+88(%rip)
        mov     %r12, regs_seen+96(%rip)
        mov     %r13, regs_seen+104(%rip)
        mov     %r14, regs_seen+112(%rip)
        mov     %r15, regs_seen+120(%rip)
        lea     regs_seen_entry(%rip), %rax     /* rip: where we are */
        mov     %rax, regs_seen+128(%rip)
        lea     seen_stack_top(%rip), %rsp      /* lea and mov leave the flags alone */
        pushfq
        popq    regs_seen+136(%rip)
        mov     %fs:0, %rax
        mov     %rax, regs_seen+144(%rip)       /* fs_base slot: the word at %fs:0 */
        mov     %gs:0, %rax
        mov     %rax, regs_seen+152(%rip)       /* gs_base slot: the word at %gs:0 */
        cld
        xor     %ebp, %ebp
        call    regs_seen_check                 /* ends the thread */
1:      ud2
        jmp     1b

        .bss
        .align 16
        .globl regs_seen
regs_seen:
        .skip   160
        .skip   4096
        .align  16
seen_stack_top:

        .section .note.GNU-stack, "", @progbits
