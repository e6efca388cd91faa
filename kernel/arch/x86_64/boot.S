/* SPDX-License-Identifier: BSD-2-Clause */
/* Multiboot-1 entry: 32-bit protected mode to 64-bit long mode in the higher half. */
#include "arch_layout.h"

#define MB_MAGIC 0x1BADB002
#define MB_FLAGS 0x00000003 /* modules page aligned, memory map wanted */
#define LOW(sym) ((sym) - KERNEL_VMA)

        .section .multiboot, "a"
        .align 4
        .long MB_MAGIC
        .long MB_FLAGS
        .long -(MB_MAGIC + MB_FLAGS)

/*
 * The boot page tables live in the low, identity-linked part of the image so
 * 32-bit code can fill them. One page directory of 2 MiB pages covers the
 * first 1 GiB (BOOT_MAP_SIZE) and is entered three times: identity (dropped
 * once in C), the direct map at DIRECT_MAP_BASE (until arch_direct_map puts
 * the real one, over the firmware's RAM ranges only, in its place), and the
 * kernel window at KERNEL_VMA (trimmed to the image by paging_init).
 */
        .section .boot.bss, "aw", @nobits
        .align 4096
        .globl boot_pml4
boot_pml4:      .skip 4096
boot_pdpt_low:  .skip 4096
boot_pdpt_high: .skip 4096
boot_pd:        .skip 4096
boot_stack:     .skip 4096
boot_stack_top:

        .section .boot.text, "ax"
        .code32
        .globl _start
_start:
        cli
        mov     $boot_stack_top, %esp
        mov     %eax, %edi              /* multiboot magic -> kmain arg 0 */
        mov     %ebx, %esi              /* multiboot info (physical) -> arg 1 */

        mov     $boot_pdpt_low + 3, %eax
        mov     %eax, boot_pml4             /* [0]: identity */
        mov     %eax, boot_pml4 + 256 * 8   /* [256]: direct map */
        mov     $boot_pdpt_high + 3, %eax
        mov     %eax, boot_pml4 + 511 * 8   /* [511]: kernel window */
        mov     $boot_pd + 3, %eax
        mov     %eax, boot_pdpt_low
        mov     %eax, boot_pdpt_high + 510 * 8
        xor     %ecx, %ecx
1:      mov     %ecx, %eax
        shl     $21, %eax
        or      $0x83, %eax                 /* present, writable, 2 MiB */
        mov     %eax, boot_pd(, %ecx, 8)
        inc     %ecx
        cmp     $512, %ecx
        jne     1b

        mov     %cr4, %eax
        or      $0x20, %eax                 /* PAE */
        mov     %eax, %cr4
        mov     $boot_pml4, %eax
        mov     %eax, %cr3
        /* EFER: long mode and SYSCALL always; NX only where CPUID offers it */
        mov     $0x80000001, %eax
        cpuid
        xor     %ebx, %ebx
        bt      $20, %edx
        jnc     2f
        mov     $0x800, %ebx                /* EFER.NXE */
2:      mov     $0xC0000080, %ecx
        rdmsr
        or      $0x101, %eax                /* LME | SCE */
        or      %ebx, %eax
        wrmsr
        mov     %cr0, %eax
        or      $0x80010001, %eax           /* PG | WP | PE */
        mov     %eax, %cr0
        lgdt    boot_gdt_ptr
        ljmp    $SEL_KCODE, $3f

        .code64
3:      movabs  $high_entry, %rax           /* leave the identity map */
        jmp     *%rax

        .section .boot.data, "aw"
        .align 16
/* Just enough GDT to enter 64-bit code; gdt.c installs the real one. */
boot_gdt:
        .quad 0, 0
        .quad 0x00AF9A000000FFFF            /* 0x10 kernel code 64 */
        .quad 0x00CF92000000FFFF            /* 0x18 kernel data */
boot_gdt_ptr:
        .word boot_gdt_ptr - boot_gdt - 1
        .long boot_gdt

        .text
high_entry:
        mov     $SEL_KDATA, %ax
        mov     %ax, %ds
        mov     %ax, %es
        mov     %ax, %ss
        xor     %eax, %eax
        mov     %ax, %fs
        mov     %ax, %gs
        movabs  $boot_kstack_top, %rsp
        xor     %ebp, %ebp
        call    x86_entry                   /* (magic, info): does not return */
4:      cli
        hlt
        jmp     4b

        .bss
        .align 16
        .globl boot_kstack
boot_kstack:    .skip KSTACK_SIZE
boot_kstack_top:

        .section .note.GNU-stack, "", @progbits
