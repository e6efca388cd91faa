/* SPDX-License-Identifier: BSD-2-Clause */
#ifdef __x86_64__
/* foreign_call (arch.h): a SYSCALL with every register chosen, and every register it came back with. */

/* struct l4_regs offsets (<coffer/regs.h>) */
#define RAX 0
#define RBX 8
#define RCX 16
#define RDX 24
#define RSI 32
#define RDI 40
#define RBP 48
#define RSP 56
#define R8 64
#define R9 72
#define R10 80
#define R11 88
#define R12 96
#define R13 104
#define R14 112
#define R15 120
#define RIP 128
#define RFLAGS 136

/*
 * void foreign_call(struct l4_regs *in, struct l4_regs *out)
 * Loads every general register but rsp and r11 from in (r11 is the base: SYSCALL
 * overwrites it anyway), records in in->rsp and in->rip the stack pointer and return
 * address the SYSCALL has, and stores into out what the thread resumed with. The handler
 * must give rsp back unchanged: out is found on the stack.
 */
        .text
        .globl foreign_call
foreign_call:
        push    %rbp
        push    %rbx
        push    %r12
        push    %r13
        push    %r14
        push    %r15
        push    %rsi
        mov     %rdi, %r11
        mov     %rsp, RSP(%r11)
        lea     1f(%rip), %rax
        mov     %rax, RIP(%r11)
        mov     RAX(%r11), %rax
        mov     RBX(%r11), %rbx
        mov     RCX(%r11), %rcx
        mov     RDX(%r11), %rdx
        mov     RSI(%r11), %rsi
        mov     RDI(%r11), %rdi
        mov     RBP(%r11), %rbp
        mov     R8(%r11), %r8
        mov     R9(%r11), %r9
        mov     R10(%r11), %r10
        mov     R12(%r11), %r12
        mov     R13(%r11), %r13
        mov     R14(%r11), %r14
        mov     R15(%r11), %r15
        syscall
1:      pushfq
        push    %rax
        mov     16(%rsp), %rax
        mov     %rbx, RBX(%rax)
        mov     %rcx, RCX(%rax)
        mov     %rdx, RDX(%rax)
        mov     %rsi, RSI(%rax)
        mov     %rdi, RDI(%rax)
        mov     %rbp, RBP(%rax)
        mov     %r8, R8(%rax)
        mov     %r9, R9(%rax)
        mov     %r10, R10(%rax)
        mov     %r11, R11(%rax)
        mov     %r12, R12(%rax)
        mov     %r13, R13(%rax)
        mov     %r14, R14(%rax)
        mov     %r15, R15(%rax)
        pop     %rbx
        mov     %rbx, RAX(%rax)
        pop     %rbx
        mov     %rbx, RFLAGS(%rax)
        mov     %rsp, RSP(%rax)
        lea     1b(%rip), %rbx
        mov     %rbx, RIP(%rax)
        cld                             /* whatever DF the handler chose, C wants it clear */
        add     $8, %rsp
        pop     %r15
        pop     %r14
        pop     %r13
        pop     %r12
        pop     %rbx
        pop     %rbp
        ret
#endif

        .section .note.GNU-stack,"",@progbits
