/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef __x86_64__
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

/*
 * l4_word_t regs_kept_across(l4_word_t nr, l4_word_t rdi): SYSCALL nr with rdi, and every
 * register but rax, rcx, r11 and rdi set to a pattern of its own, and the bits of those that
 * came back changed (bit i: rbx, rbp, r12, r13, r14, r15, rsi, rdx, r10, r8, r9, rdi). The
 * ABI keeps every register but rax, rcx, r11 and the call's results (docs/syscalls.md).
 */
        .text
        .globl regs_kept_across
regs_kept_across:
        push    %rbx
        push    %rbp
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        push    %rsi                    /* rdi as we pass it */
        mov     %rdi, %rax
        movabs  $0x1111111111111101, %rbx
        movabs  $0x2222222222222202, %rbp
        movabs  $0x3333333333333303, %r12
        movabs  $0x4444444444444404, %r13
        movabs  $0x5555555555555505, %r14
        movabs  $0x6666666666666606, %r15
        movabs  $0x7777777777777707, %rsi
        movabs  $0x0888888888888808, %rdx
        movabs  $0x0999999999999909, %r10
        movabs  $0x0aaaaaaaaaaaaa0a, %r8
        movabs  $0x0bbbbbbbbbbbbb0b, %r9
        mov     (%rsp), %rdi
        syscall
        xor     %eax, %eax
        movabs  $0x1111111111111101, %rcx
        cmp     %rcx, %rbx
        je      1f
        or      $1, %eax
1:      movabs  $0x2222222222222202, %rcx
        cmp     %rcx, %rbp
        je      1f
        or      $2, %eax
1:      movabs  $0x3333333333333303, %rcx
        cmp     %rcx, %r12
        je      1f
        or      $4, %eax
1:      movabs  $0x4444444444444404, %rcx
        cmp     %rcx, %r13
        je      1f
        or      $8, %eax
1:      movabs  $0x5555555555555505, %rcx
        cmp     %rcx, %r14
        je      1f
        or      $16, %eax
1:      movabs  $0x6666666666666606, %rcx
        cmp     %rcx, %r15
        je      1f
        or      $32, %eax
1:      movabs  $0x7777777777777707, %rcx
        cmp     %rcx, %rsi
        je      1f
        or      $64, %eax
1:      movabs  $0x0888888888888808, %rcx
        cmp     %rcx, %rdx
        je      1f
        or      $128, %eax
1:      movabs  $0x0999999999999909, %rcx
        cmp     %rcx, %r10
        je      1f
        or      $256, %eax
1:      movabs  $0x0aaaaaaaaaaaaa0a, %rcx
        cmp     %rcx, %r8
        je      1f
        or      $512, %eax
1:      movabs  $0x0bbbbbbbbbbbbb0b, %rcx
        cmp     %rcx, %r9
        je      1f
        or      $1024, %eax
1:      cmp     (%rsp), %rdi
        je      1f
        or      $2048, %eax
1:      add     $8, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbp
        pop     %rbx
        ret

/*
 * l4_word_t fp_kept_across(l4_word_t nr, l4_word_t rdi, l4_word_t pattern): SYSCALL nr with
 * rdi and xmm0-xmm15 holding pattern + i, and the bits of those that came back changed (bit
 * i: xmm i). The FPU state is the thread's own: a switch away and back keeps it.
 */
        .text
        .globl fp_kept_across
fp_kept_across:
        push    %rdx
        mov     %rdi, %rax
        mov     %rsi, %rdi
        .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
        lea     \n(%rdx), %rcx
        movq    %rcx, %xmm\n
        .endr
        syscall
        xor     %eax, %eax
        mov     (%rsp), %rdx
        .irp    n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
        movq    %xmm\n, %rcx
        lea     \n(%rdx), %rsi
        cmp     %rsi, %rcx
        je      1f
        or      $(1 << \n), %eax
1:
        .endr
        add     $8, %rsp
        ret
#endif

        .section .note.GNU-stack, "", @progbits
