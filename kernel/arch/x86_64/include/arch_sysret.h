/* SPDX-License-Identifier: BSD-2-Clause */
/* For the entry stubs (entry.S, notify_fast.S): the way out to a frame's thread. */
#ifndef ARCH_SYSRET_H
#define ARCH_SYSRET_H

#ifdef __ASSEMBLER__
#include "asm_offsets.h" /* the frame offsets the macro names */

/*
 * rsp at a SYSCALL frame of the thread now current (its rip below USER_TOP): its callee-saved
 * registers, rip, rflags and rsp from the frame, then back to user mode. The argument and
 * result registers and rax are the caller's to have set.
 */
// clang-format off
.macro SYSRET_CALLEE_SAVED
        mov     F_RBX(%rsp), %rbx
        mov     F_RBP(%rsp), %rbp
        mov     F_R12(%rsp), %r12
        mov     F_R13(%rsp), %r13
        mov     F_R14(%rsp), %r14
        mov     F_R15(%rsp), %r15
        mov     F_RIP(%rsp), %rcx
        mov     F_RFLAGS(%rsp), %r11
        mov     F_RSP(%rsp), %rsp
        swapgs
        sysretq
.endm
// clang-format on
#endif

#endif
