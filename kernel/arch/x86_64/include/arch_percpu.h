/* SPDX-License-Identifier: BSD-2-Clause */
/* Per-CPU data, reached through GS: the layout the SYSCALL entry (entry.S) reads. */
#ifndef ARCH_PERCPU_H
#define ARCH_PERCPU_H

/*
 * In the kernel, GS base points at the running CPU's struct cpu_local; in user mode it is
 * the user's own (its TLS base, thread_regs.c), and SWAPGS exchanges the two on every
 * entry from and exit to user mode (MSR_KGS_BASE holds the other one). Nothing the kernel
 * keeps for "the running thread" is a plain global, so a second CPU needs only its own
 * struct cpu_local. The offsets are the assembly's names for the fields.
 */
#define PERCPU_USER_RSP   0  /* user rsp, between SYSCALL and the frame's push */
#define PERCPU_CURRENT    8  /* the running thread */
#define PERCPU_CR3        16 /* the page-table root in CR3 (a compare instead of a read) */
#define PERCPU_TSS        24 /* the CPU's TSS (gdt.c) */
/* the running thread's kernel stack top: the TSS's rsp0, where an interrupt or exception from
 * user mode switches to, is SYSCALL's too (one store a switch, not two) */
#define PERCPU_KSTACK_TOP (PERCPU_TSS + 4)

#ifndef __ASSEMBLER__
#include <stdint.h>

struct tcb;

/* The 64-bit TSS: only the stack pointers matter in long mode. */
struct tss {
    uint32_t reserved0;
    uint64_t rsp[3]; /* rsp[0]: stack for entries from ring 3 */
    uint64_t reserved1;
    uint64_t ist[7]; /* ist[0] (IST1): double fault stack */
    uint64_t reserved2;
    uint16_t reserved3;
    uint16_t iomap_base;
} __attribute__((packed));

_Static_assert(sizeof(struct tss) == 104, "TSS layout");

struct cpu_local {
    uint64_t user_rsp;
    struct tcb *current;
    uint64_t cr3;
    struct tss tss;
};

_Static_assert(__builtin_offsetof(struct cpu_local, user_rsp) == PERCPU_USER_RSP, "entry.S");
_Static_assert(__builtin_offsetof(struct cpu_local, current) == PERCPU_CURRENT, "layout");
_Static_assert(__builtin_offsetof(struct cpu_local, cr3) == PERCPU_CR3, "layout");
_Static_assert(__builtin_offsetof(struct cpu_local, tss.rsp[0]) == PERCPU_KSTACK_TOP, "entry.S");

/* GS base := this CPU's area, the user's GS base 0 (first thing at boot: nothing before it
 * may use per-CPU data). */
void percpu_init(void);
/* The CR3 value now loaded; write_cr3 through this to keep the cache true. */
uint64_t percpu_cr3(void);
void percpu_write_cr3(uint64_t root);
/* This CPU's TSS (gdt.c sets its interrupt stacks and points the GDT's descriptor at it). */
struct tss *percpu_tss(void);
#endif

#endif
