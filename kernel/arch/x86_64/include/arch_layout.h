/* SPDX-License-Identifier: BSD-2-Clause */
/* x86_64 virtual memory layout and segment selectors, shared by C and assembly. */
#ifndef ARCH_LAYOUT_H
#define ARCH_LAYOUT_H

/*
 * Virtual layout (every user space shares the upper half):
 *
 *   0x0000000000001000 .. USER_TOP         user space (4 KiB pages, per space)
 *   0xffff800000000000 .. +DIRECT_MAP_SIZE every usable RAM range, at its physical address
 *   0xffffff0000000000 .. +512 GiB         kernel stacks, each above a guard page
 *   0xffffffff80000000 .. +1 GiB           the kernel image (same frames again)
 *
 * The kernel is loaded at 1 MiB physical; its 32-bit entry runs identity mapped
 * and is the only code linked at a low address.
 */
#define KERNEL_VMA      0xffffffff80000000
#define DIRECT_MAP_BASE 0xffff800000000000
/*
 * The direct map is one entry of the top-level table (PML4 entry 256), so it reaches
 * physical addresses below 512 GiB: RAM above that is ignored, and the kernel says how much.
 * Until memory_init builds it from the firmware's memory map, the boot tables map the first
 * BOOT_MAP_SIZE there (2 MiB pages): the loader's data, the modules and the frame bitmap
 * must lie below that, and so do the direct map's own page tables.
 */
#define DIRECT_MAP_SIZE (512ull << 30)
#define BOOT_MAP_SIZE   0x40000000 /* 1 GiB */
#define USER_TOP        0x0000800000000000
/*
 * The end of what can be mapped: the top page of user space stays empty (as on Linux), so
 * that no SYSCALL can sit in its last two bytes and save rcx = USER_TOP, which SYSRET or
 * IRETQ would take to a non-canonical rip and fault in ring 0 (syscall.c).
 */
#define USER_MAP_TOP    (USER_TOP - PAGE_SIZE)
#define KSTACK_AREA     0xffffff0000000000 /* PML4 entry 510, made at boot: every space shares it */
#define PAGE_SIZE       4096
#define PAGE_SHIFT      12

/*
 * GDT, in the order SYSCALL/SYSRET dictate (STAR holds 0x10 and 0x20|3):
 * SYSCALL loads CS=0x10, SS=0x18; SYSRET loads SS=0x2b, CS=0x33.
 */
#define SEL_KCODE   0x10
#define SEL_KDATA   0x18
#define SEL_UCODE32 0x23
#define SEL_UDATA   0x2b
#define SEL_UCODE   0x33
#define SEL_TSS     0x40

#define KSTACK_SIZE      8192  /* per thread kernel stack */
#define ARCH_MAPPER_MAX  0x7ff /* container ids a page-table entry tags a mapping with */
#define ARCH_ELF_MACHINE 62    /* EM_X86_64 */
#define ARCH_NAME        "x86_64"
#define ARCH_IRQ_LINES   24 /* I/O APIC lines the kernel hands out */
/* The physical addresses a page-table entry holds (bits 51:12): device memory must lie below */
#define ARCH_PHYS_TOP    0x0010000000000000ull

/*
 * Physical pages of devices the kernel drives itself, where PCs and QEMU's machines put
 * them: the first I/O APIC, and the local APIC (the kernel maps the page its base MSR
 * names, which firmware leaves here). scripts/mksystem.py refuses device memory over
 * them; the kernel refuses what it really maps (arch_map_device).
 */
#define ARCH_IOAPIC_BASE        0xfec00000
#define ARCH_LAPIC_BASE         0xfee00000
#define ARCH_FRAME_PROLOGUE_LEN 4 /* push %rbp; mov %rsp, %rbp */
/* User code cannot set a TLS base without the kernel (CR4.FSGSBASE is off: tls.c), so only
 * switches to or from a thread with one load the bases */
/* the IPC, notification, fault and foreign fastpaths (entry.S, notify_fast.S, fault_fast.S) */
#define ARCH_FASTPATHS          1
#define ARCH_TLS_USER_WRITES    0

#endif
