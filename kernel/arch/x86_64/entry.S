/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel entry and exit: exception/interrupt stubs, SYSCALL, context switch. */
#include "arch_layout.h"
#include "arch_percpu.h"

#include <coffer/syscall_nr.h>

#define VEC_SYSCALL     0x100
#define L4_ENOSYS_VALUE 8 /* syscall.c checks it against <coffer/error.h> */

/* Save the general registers in struct trap_frame order (rdi ends up lowest). */
.macro SAVE_GPRS
        push    %r15
        push    %r14
        push    %r13
        push    %r12
        push    %r11
        push    %rbp
        push    %rcx
        push    %rbx
        push    %rax
        push    %r9
        push    %r8
        push    %r10
        push    %rdx
        push    %rsi
        push    %rdi
.endm

.macro RESTORE_GPRS
        pop     %rdi
        pop     %rsi
        pop     %rdx
        pop     %r10
        pop     %r8
        pop     %r9
        pop     %rax
        pop     %rbx
        pop     %rcx
        pop     %rbp
        pop     %r11
        pop     %r12
        pop     %r13
        pop     %r14
        pop     %r15
.endm

/*
 * 256 stubs, 16 bytes apart, so idt.c finds stub n at trap_stubs + 16 * n.
 * Vectors whose exceptions push an error code skip the dummy push.
 */
        .text
        .align 16
        .globl trap_stubs
trap_stubs:
        .set vec, 0
        .rept 256
        .align 16
        .if !(vec == 8 || (vec >= 10 && vec <= 14) || vec == 17 || vec == 21 || vec == 29 || vec == 30)
        pushq   $0
        .endif
        pushq   $vec
        jmp     trap_common
        .set vec, vec + 1
        .endr

/*
 * From user mode (the saved CS's low bits), SWAPGS makes GS the CPU's (arch_percpu.h).
 * From the kernel, GS is the CPU's already, but for one case: an NMI (or machine check)
 * between SYSCALL and its SWAPGS, or between the exit's SWAPGS and SYSRETQ, finds the
 * user's; trap_dispatch handles an NMI before it could read per-CPU data, and reads none.
 */
trap_common:
        testb   $3, 24(%rsp)            /* cs, above vector, error and rip */
        jz      1f
        swapgs
1:      SAVE_GPRS
        cld
        mov     %rsp, %rdi
        call    trap_dispatch
        .globl  arch_return_to_user
arch_return_to_user:                    /* also where new threads start */
        RESTORE_GPRS
        add     $16, %rsp               /* vector, error code */
        testb   $3, 8(%rsp)             /* cs: back to user mode, where GS is the user's */
        jz      1f
        swapgs
1:      iretq

/*
 * SYSCALL: rcx = user rip, r11 = user rflags, interrupts off (SFMASK). The user rsp and
 * the running thread's kernel stack are per-CPU data, behind GS once SWAPGS has run.
 */
        .globl syscall_entry
syscall_entry:
        swapgs
        mov     %rsp, %gs:PERCPU_USER_RSP
        mov     %gs:PERCPU_KSTACK_TOP, %rsp
        pushq   $SEL_UDATA
        pushq   %gs:PERCPU_USER_RSP
        push    %r11
        pushq   $SEL_UCODE
        push    %rcx
        pushq   $0
        pushq   $VEC_SYSCALL
        SAVE_GPRS
        mov     %rsp, %rdi
        cmp     $L4_SYS_IPC_CALL, %rax
        je      1f
        cmp     $L4_SYS_IPC_REPLY_RECV, %rax
        jne     2f
1:      call    ipc_fastpath_entry      /* the partner's frame, or NULL: the general path */
        test    %rax, %rax
        jz      3f
        mov     %rax, %rsp              /* the partner's stack, now the current thread's */
        jmp     arch_return_to_user_sysret
3:      mov     %rsp, %rdi
2:      call    syscall_from_user       /* returns 0 when SYSRET is safe */
        test    %eax, %eax
        jnz     arch_return_to_user
        .globl  arch_return_to_user_sysret
arch_return_to_user_sysret:             /* also where IPC fastpath targets resume */
        RESTORE_GPRS
        mov     16(%rsp), %rcx          /* rip */
        mov     32(%rsp), %r11          /* rflags */
        mov     40(%rsp), %rsp          /* user rsp; nothing can interrupt us now */
        swapgs
        sysretq

/*
 * SYSCALL from 32-bit compatibility mode (MSR_CSTAR). Unreachable: the GDT has no 32-bit user
 * code segment (gdt.c). Should a CPU ever get here, it runs on the user's rsp with the
 * user's GS, so it touches neither: it returns at once to the instruction after the SYSCALL
 * with eax = L4_ENOSYS, as a refused call.
 */
        .globl syscall_compat_entry
syscall_compat_entry:
        mov     $L4_ENOSYS_VALUE, %eax
        sysretl

/*
 * A thread the IPC fastpath left without a kernel call chain resumes here
 * (arch_context_init_resume): its results are in its TCB; copy them into its
 * frame and return to user space.
 */
        .globl fast_resume_entry
fast_resume_entry:
        call    ipc_fast_resume
        jmp     arch_return_to_user_sysret

/* void arch_return_from(struct trap_frame *f): IRETQ with f, dropping the stack below it */
        .globl arch_return_from
arch_return_from:
        mov     %rdi, %rsp
        jmp     arch_return_to_user

/* void arch_context_jump(uint64_t next_sp): switch without saving anything */
        .globl arch_context_jump
arch_context_jump:
        mov     %rdi, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret

/* void arch_context_switch(uint64_t *saved_sp, uint64_t next_sp) */
        .globl arch_context_switch
arch_context_switch:
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, (%rdi)
        mov     %rsi, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret

        .section .note.GNU-stack, "", @progbits
