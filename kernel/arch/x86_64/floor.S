/* SPDX-License-Identifier: BSD-2-Clause */
/* The floor probe's kernel entries and ring-3 code (floor.c): bench=floor only. */
#include "floor_layout.h"

        .bss
        .balign 8
        .globl floor_current, floor_kernel_rsp
floor_current:    .skip 8 /* struct floor_thread of the space running in ring 3 */
floor_kernel_rsp: .skip 8 /* floor_enter's stack, for floor_exit */

        .text
/*
 * uint64_t floor_enter(rip, rdi, rsi, rsp): run the probe's ring-3 code at rip (with those
 * rdi, rsi and rsp, interrupts off) until any vector of the probe's IDT comes (floor_exit),
 * then return here. Nothing of the kernel's is left in the other registers.
 */
        .globl floor_enter
floor_enter:
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        mov     %rsp, floor_kernel_rsp(%rip)
        mov     %rcx, %rsp
        mov     %rdi, %rcx
        mov     %rsi, %rdi
        mov     %rdx, %rsi
        mov     $FLOOR_RFLAGS, %r11d
        xor     %eax, %eax
        xor     %ebx, %ebx
        xor     %edx, %edx
        xor     %ebp, %ebp
        xor     %r8d, %r8d
        xor     %r9d, %r9d
        xor     %r10d, %r10d
        xor     %r12d, %r12d
        xor     %r13d, %r13d
        xor     %r14d, %r14d
        xor     %r15d, %r15d
        sysretq

/* Every vector of the probe's IDT: back to floor_enter's caller (the frame is dropped). */
        .globl floor_exit
floor_exit:
        mov     floor_kernel_rsp(%rip), %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        ret

/* The null system call: SYSCALL and SYSRETQ and nothing between. */
        .globl floor_null_entry
floor_null_entry:
        sysretq

/*
 * The least an address-space switch does: save the caller's user rip, rflags and rsp, make
 * its partner current, write CR3, load the partner's three and return to it. rax, rcx and
 * r11 are clobbered (the ring-3 code keeps nothing in them).
 */
        .globl floor_switch_entry
floor_switch_entry:
        mov     floor_current(%rip), %rax
        mov     %rcx, FT_RIP(%rax)
        mov     %r11, FT_RFLAGS(%rax)
        mov     %rsp, FT_RSP(%rax)
        mov     FT_OTHER(%rax), %rax
        mov     %rax, floor_current(%rip)
        mov     FT_CR3(%rax), %rcx
        mov     %rcx, %cr3
        mov     FT_RIP(%rax), %rcx
        mov     FT_RFLAGS(%rax), %r11
        mov     FT_RSP(%rax), %rsp
        sysretq

/*
 * The ring-3 code, copied to a page of its own (so position independent): rdi is where the
 * samples go (rsi of them, then FLOOR_DONE), each the timestamp counter's difference across
 * an interval timed as user/bench/bench.c times one: lfence; rdtsc; lfence at each end.
 */
.macro TSC_START
        lfence
        rdtsc
        lfence
        shl     $32, %rdx
        or      %rdx, %rax
        mov     %rax, %r8
.endm

.macro TSC_STOP
        lfence
        rdtsc
        lfence
        shl     $32, %rdx
        or      %rdx, %rax
        sub     %r8, %rax
        mov     %rax, (%rdi)
        add     $8, %rdi
.endm

        .section .rodata
        .balign 16
        .globl floor_user_start, floor_user_end
        .globl floor_user_timer, floor_user_syscall, floor_user_partner
floor_user_start:
floor_user_timer:               /* nothing between the two readings: the timer's own cost */
        TSC_START
        TSC_STOP
        dec     %rsi
        jnz     floor_user_timer
        jmp     1f
floor_user_syscall:             /* one SYSCALL, to whichever entry LSTAR names */
        TSC_START
        syscall
        TSC_STOP
        dec     %rsi
        jnz     floor_user_syscall
1:      movq    $FLOOR_DONE, (%rdi)
        int     $FLOOR_VECTOR
        ud2
floor_user_back:                /* the other space: straight back, every time */
        syscall
floor_user_partner:             /* where it starts, as if back from a system call */
        jmp     floor_user_back
floor_user_end:

        .section .note.GNU-stack, "", @progbits
