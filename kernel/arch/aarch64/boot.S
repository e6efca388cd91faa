/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * AArch64 entry from QEMU's -kernel (or any loader of arm64 Linux Images): the MMU off, x0
 * the device tree's physical address, at EL1 or EL2. Drop to EL1, map the first 4 GiB of
 * physical memory twice (identity, for the instruction that turns the MMU on, and at
 * DIRECT_MAP_BASE, where the kernel is linked), turn the MMU on, and go on in C up there.
 */
#include "arch_layout.h"

/* Stage-1 descriptors: a 1 GiB block (level 1) and a table */
#define DESC_TABLE   0x3
#define DESC_BLOCK   0x1
#define DESC_AF      (1 << 10)
#define DESC_SH_IN   (3 << 8)
#define DESC_PXN     (1 << 53)
#define DESC_UXN     (1 << 54)
#define BLOCK_NORMAL (DESC_BLOCK | DESC_AF | DESC_SH_IN | (MAIR_IDX_NORMAL << 2) | DESC_UXN)
#define BLOCK_DEVICE (DESC_BLOCK | DESC_AF | (MAIR_IDX_DEVICE << 2) | DESC_UXN | DESC_PXN)

/* TCR_EL1: 48-bit halves, 4 KiB granules, write-back walks, inner shareable; 16-bit ASIDs
 * (AS) where the CPU has them; IPS from ID_AA64MMFR0_EL1.PARange (below) */
#define TCR_T0SZ    16
#define TCR_T1SZ    (16 << 16)
#define TCR_TG0_4K  (0 << 14)
#define TCR_TG1_4K  (2 << 30)
#define TCR_WALK0   ((1 << 8) | (1 << 10) | (3 << 12))   /* IRGN0, ORGN0 WB-WA; SH0 inner */
#define TCR_WALK1   ((1 << 24) | (1 << 26) | (3 << 28))  /* the same for TTBR1 */
#define TCR_BASE    (TCR_T0SZ | TCR_T1SZ | TCR_TG0_4K | TCR_TG1_4K | TCR_WALK0 | TCR_WALK1)
#define TCR_AS      (1 << 36)
/* SCTLR_EL1: MMU, alignment checks of sp, data and instruction caches, RES1 bits; user
 * code may not use cache maintenance by VA (UCI 0) nor read CTR (UCT 0), WFI/WFE trap (nTWI,
 * nTWE 0) */
#define SCTLR_RES1  ((1 << 11) | (1 << 20) | (1 << 22) | (1 << 23) | (1 << 28) | (1 << 29))
#define SCTLR_VALUE (SCTLR_RES1 | (1 << 0) | (1 << 2) | (1 << 3) | (1 << 4) | (1 << 12))

        .section .head.text, "ax"
        .globl _start
_start:
        /* the arm64 Image header (Linux's Documentation/arch/arm64/booting.rst) */
        b       boot_entry              /* code0 */
        .long   0                       /* code1 */
        .quad   0x80000                 /* text_offset: RAM base + 512 KiB */
        .quad   _kernel_end - _start    /* image_size, .bss included: nothing is put there */
        .quad   2                       /* flags: little endian, 4 KiB pages, placed low */
        .quad   0, 0, 0                 /* reserved */
        .ascii  "ARM\x64"               /* magic */
        .long   0                       /* reserved (PE header offset) */

boot_entry:
        mov     x19, x0                 /* the device tree, kept for C */
        msr     daifset, #0xf
        mrs     x0, CurrentEL
        cmp     x0, #(2 << 2)
        b.ne    1f
        /* EL2: EL1 is AArch64, its timer and counter are its own; return to EL1 with SP_EL1 */
        mov     x0, #(1 << 31)          /* HCR_EL2.RW */
        msr     hcr_el2, x0
        mov     x0, #3                  /* CNTHCTL_EL2: EL1 reaches the physical counter/timer */
        msr     cnthctl_el2, x0
        msr     cntvoff_el2, xzr
        mov     x0, #0x3c5              /* SPSR: EL1h, DAIF masked */
        msr     spsr_el2, x0
        adr     x0, 1f
        msr     elr_el2, x0
        eret
1:
        /* the boot tables, made with physical addresses (the MMU is off): TTBR0's level 0
         * and TTBR1's each point at the one level-1 table of four 1 GiB blocks */
        adrp    x0, boot_l1
        ldr     x1, =BLOCK_DEVICE       /* 0 .. 1 GiB: devices */
        str     x1, [x0]
        ldr     x2, =BLOCK_NORMAL
        mov     x3, #1
2:      orr     x1, x2, x3, lsl #30     /* 1 .. 4 GiB: RAM */
        str     x1, [x0, x3, lsl #3]
        add     x3, x3, #1
        cmp     x3, #4
        b.ne    2b
        orr     x1, x0, #DESC_TABLE
        adrp    x2, boot_l0_lo
        str     x1, [x2]
        adrp    x3, boot_l0_hi
        str     x1, [x3]

        ldr     x0, =MAIR_VALUE
        msr     mair_el1, x0
        ldr     x0, =TCR_BASE
        mrs     x1, id_aa64mmfr0_el1
        and     x4, x1, #0xf            /* PARange into TCR.IPS (bits 32..34) */
        cmp     x4, #5
        mov     x5, #5
        csel    x4, x4, x5, ls          /* 48 bits at most: the descriptors hold no more */
        orr     x0, x0, x4, lsl #32
        ubfx    x1, x1, #4, #4          /* ASIDBits: 2 means 16 */
        cmp     x1, #2
        b.ne    3f
        orr     x0, x0, #TCR_AS
3:      msr     tcr_el1, x0
        msr     ttbr0_el1, x2
        msr     ttbr1_el1, x3
        isb
        tlbi    vmalle1
        dsb     nsh
        isb
        ldr     x0, =SCTLR_VALUE
        msr     sctlr_el1, x0
        isb
        ldr     x0, =boot_high          /* its link address: in the direct map */
        br      x0

        .text
boot_high:
        ldr     x0, =boot_stack_top
        mov     sp, x0
        ldr     x0, =_bss_start         /* the boot tables are in .data: clearing .bss is safe */
        ldr     x1, =_bss_end
4:      cmp     x0, x1
        b.hs    5f
        str     xzr, [x0], #8
        b       4b
5:      ldr     x0, =aarch64_vectors
        msr     vbar_el1, x0
        isb
        mov     x0, x19
        bl      aarch64_entry           /* cpu.c; does not return */
6:      wfi
        b       6b

        .section .data.boot_tables, "aw"
        .balign 4096
        .globl boot_l0_hi
boot_l0_lo:
        .fill   512, 8, 0
boot_l0_hi:                             /* TTBR1's root for good: every space shares it */
        .fill   512, 8, 0
boot_l1:
        .fill   512, 8, 0

        .bss
        .balign 16
boot_stack:
        .skip   16384
boot_stack_top:

        .section .note.GNU-stack, "", @progbits
