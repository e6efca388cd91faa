/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Entry points for the threads the fuzzer starts with exregs (x86_64; stubs_aarch64.S is
 * AArch64's, the same names and deeds). None touches the
 * stack, so any stack pointer will do, and none reaches our other code; all
 * are position independent, so a copy runs the same in another space.
 */
#ifdef __x86_64__
#include <coffer/syscall_nr.h>

        .text
        .globl fz_code_start, fz_code_end, fz_spin, fz_exit, fz_yield, fz_serve, fz_ud2, fz_null
        .globl fz_kread, fz_int3, fz_hlt
fz_code_start:
/* busy for a while, then end: a thread that competes for the CPU but not for good */
fz_spin:
        mov     $2000000, %ecx
1:      dec     %ecx
        jnz     1b
        jmp     fz_exit
/* enter the kernel a hundred times, then end */
fz_yield:
        mov     $100, %ebx
2:      mov     $L4_SYS_THREAD_YIELD, %eax
        syscall
        dec     %ebx
        jnz     2b
        jmp     fz_exit
/* answer every message on the endpoint in the argument register, until a call fails */
fz_serve:
        mov     %rdi, %rbx
3:      mov     $L4_SYS_IPC_REPLY_RECV, %eax
        mov     %rbx, %rdi
        xor     %esi, %esi              /* the reply: label 0, no words */
        syscall
        test    %eax, %eax
        jz      3b
fz_exit:
        mov     $L4_SYS_THREAD_EXIT, %eax
        mov     $0xf022, %edi
        syscall
        ud2
/* faults of every kind: each must be reported, and stop only this thread */
fz_ud2:
        ud2
fz_null:
        mov     0, %rax
        ud2
fz_kread:
        movabs  $0xffffffff80100000, %rax
        mov     (%rax), %rax
        ud2
fz_int3:
        int3
        ud2
fz_hlt:
        hlt
        ud2
fz_code_end:

        .section .note.GNU-stack, "", @progbits
#endif
