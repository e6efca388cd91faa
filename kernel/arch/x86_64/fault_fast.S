/* SPDX-License-Identifier: BSD-2-Clause */
/* The fault fastpath's ways out (kernel/core/fault_fast.c says what it does and why). */
#include "asm_offsets.h"

/* void arch_return_from_sysret(struct trap_frame *f): SYSRET with f (the handler's, which
 * arch_frame_sysret_ok passed), dropping the stack below it */
        .text
        .globl  arch_return_from_sysret
arch_return_from_sysret:
        mov     %rdi, %rsp
        jmp     arch_return_to_user_sysret

/*
 * From fast_reply_recv (entry.S), where the client waits for the answer to a call the
 * kernel made for it: rbx the handler (current), rbp the endpoint, r14 the client; the frame
 * is whole and every check of the IPC fastpath up to the client's kernel_call is done. The
 * answer to an exception's call resumes the client through IRETQ from its exception frame,
 * on its stack; anything else goes the general way, its frame untouched.
 */
        .globl  fault_fast_reply_recv
fault_fast_reply_recv:
        mov     %rbp, %rdi
        mov     %r14, %rsi
        mov     %rsp, %rdx              /* the frame's first six words: the arguments */
        call    fault_reply_fastpath
        test    %rax, %rax
        jz      syscall_general
        mov     %rax, %rsp              /* the client's frame, on its stack, now current */
        jmp     arch_return_to_user

        .section .note.GNU-stack, "", @progbits
