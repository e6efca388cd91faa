/* SPDX-License-Identifier: BSD-2-Clause */
/* User program entry: the kernel starts a thread here with rdi = its argument. */
        .text
        .globl _start
_start:
        xor     %ebp, %ebp              /* end of frame-pointer chains */
        and     $-16, %rsp              /* SysV alignment before the call */
        call    main
        mov     %rax, %rdi
        call    l4_exit
1:      ud2                             /* l4_exit does not return */
        jmp     1b

/* A spawned thread's function returns here (user/lib/thread.c): exit with its value. */
        .globl l4_thread_return
l4_thread_return:
        mov     %rax, %rdi
        and     $-16, %rsp
        call    l4_exit
2:      ud2
        jmp     2b

        .section .note.GNU-stack, "", @progbits
