/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 virtual memory layout, shared by C and assembly (docs/aarch64.md). */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

/*
 * 4 KiB granule, 48-bit virtual addresses (T0SZ = T1SZ = 16), four levels:
 *
 *   0x0000000000001000 .. USER_TOP         user space: TTBR0, one ASID a space
 *   0xffff000000000000 .. +DIRECT_MAP_SIZE RAM (and the devices the kernel drives) at their
 *                                          physical address: TTBR1, shared by every space;
 *                                          the kernel image runs there too (KERNEL_VMA)
 *   0xffffff0000000000 .. +512 GiB         kernel stacks, each above a guard page
 *
 * QEMU's virt machine has its devices below 1 GiB and RAM from 1 GiB up; the kernel image
 * is loaded at RAM + 0x80000 (the arm64 Image header's text_offset, boot.S).
 */
#define DIRECT_MAP_BASE 0xffff000000000000
#define KERNEL_VMA      DIRECT_MAP_BASE
#define DIRECT_MAP_SIZE (512ull << 30) /* one level-0 entry */
/* What boot.S maps before memory_init: physical 0 .. 4 GiB, devices below 1 GiB */
#define BOOT_MAP_SIZE   0x100000000ull
#define BOOT_DEVICE_TOP 0x40000000ull
#define USER_TOP        0x0001000000000000
/* The top page of user space stays empty, as on x86_64 (a thread's pc never reaches the end) */
#define USER_MAP_TOP    (USER_TOP - PAGE_SIZE)
#define KSTACK_AREA     0xffffff0000000000 /* level-0 entry 510 of TTBR1 */
#define PAGE_SIZE       4096
#define PAGE_SHIFT      12

#define KSTACK_SIZE 8192 /* per thread kernel stack */
#define ARCH_MAPPER_MAX                                                                            \
    0x7ff /* container ids a page-table entry tags a mapping with (arch_pte.h) */
#define ARCH_ELF_MACHINE        183 /* EM_AARCH64 */
#define ARCH_NAME               "aarch64"
/* The interrupt lines the kernel hands out (as many as a system file names, SYSDESC_IRQ_LINES):
 * line n < ARCH_IRQ_LINE_CNTP is the GIC's shared peripheral interrupt SPI n, and the last is
 * EL1's physical timer, CNTP, whose registers the line's binder reaches from EL0 (cntp.c) */
#define ARCH_IRQ_LINES          24
#define ARCH_IRQ_LINE_CNTP      23
/* The physical addresses a page-table entry holds, bits 47:12 (no FEAT_LPA; bit 51 is a
 * software bit, arch_pte.h): device memory must lie below, or its frame would lose bits */
#define ARCH_PHYS_TOP           0x0001000000000000ull
#define ARCH_FRAME_PROLOGUE_LEN 8 /* stp x29, x30, [sp, #-n]!; mov x29, sp */
/* EL0 writes TPIDR_EL0 itself: every switch saves and loads it (tls.c) */
/* the IPC (ipc_fast.S, and C), notification, fault and foreign fastpaths (syscall.c) */
#define ARCH_FASTPATHS          1
#define ARCH_TLS_USER_WRITES    1

/*
 * MAIR_EL1: even attribute indexes are Normal write-back memory, odd ones Device-nGnRE, so
 * that only AttrIndx[0] means anything to the MMU and a user entry's AttrIndx[2:1] are two
 * more bits for software (the mapper id needs 11: arch_pte.h).
 */
#define MAIR_IDX_NORMAL 0
#define MAIR_IDX_DEVICE 1
#define MAIR_VALUE      0x04ff04ff04ff04ff

#endif
