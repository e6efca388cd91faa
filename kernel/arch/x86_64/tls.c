/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-local storage bases (FS and GS base): loaded on switch, only when they change. */
#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"
#include "x86.h"

#include <coffer/thread.h>

#define CPUID7_EBX_FSGSBASE (1u << 0)
#define CR4_FSGSBASE        (1ull << 16)

/*
 * With FSGSBASE the kernel writes a base with WRFSBASE/WRGSBASE (a few cycles; WRMSR costs
 * some hundred), but CR4.FSGSBASE cannot be turned on for the kernel alone: user code may
 * then set its own bases without a system call, so the kernel reads them back whenever it
 * switches a thread out. Without it only the kernel writes them (WRMSR), and what it last
 * wrote is what the CPU holds (cpu_tls). A switch loads next's bases only when they differ
 * from the CPU's: a few instructions for threads that never set one.
 *
 * The kernel never uses GS itself (one CPU: the SYSCALL entry keeps its rsp in globals, and
 * there is no SWAPGS), so GS base is the user's and KERNEL_GS_BASE stays 0.
 */
static bool fsgsbase;
static l4_word_t cpu_tls[L4_TLS_COUNT];

void tls_init(void)
{
    uint32_t max, a, b, c, d;

    cpuid(0, &max, &b, &c, &d);
    if (max >= 7) {
        cpuid(7, &a, &b, &c, &d);
        fsgsbase = b & CPUID7_EBX_FSGSBASE;
    }
    if (fsgsbase) {
        uint64_t cr4;
        __asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
        __asm__ volatile("mov %0, %%cr4" : : "r"(cr4 | CR4_FSGSBASE));
    }
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_GS_BASE, 0);
    wrmsr(MSR_KGS_BASE, 0);
}

static l4_word_t read_base(unsigned which)
{
    l4_word_t v;

    if (which == L4_TLS_FS)
        __asm__ volatile("rdfsbase %0" : "=r"(v));
    else
        __asm__ volatile("rdgsbase %0" : "=r"(v));
    return v;
}

void arch_tls_set(unsigned which, l4_word_t base)
{
    /* a non-canonical base would fault here, in the kernel: every caller checked it */
    DEBUG_ASSERT(which < L4_TLS_COUNT && base < USER_TOP);
    cpu_tls[which] = base;
    if (!fsgsbase)
        wrmsr(which == L4_TLS_FS ? MSR_FS_BASE : MSR_GS_BASE, base);
    else if (which == L4_TLS_FS)
        __asm__ volatile("wrfsbase %0" : : "r"(base));
    else
        __asm__ volatile("wrgsbase %0" : : "r"(base));
}

l4_word_t arch_tls_get(unsigned which)
{
    DEBUG_ASSERT(which < L4_TLS_COUNT);
    return fsgsbase ? read_base(which) : cpu_tls[which];
}

/* Out of line: most switches are between threads whose bases are the same (zero). */
static __attribute__((noinline)) void load_both(const l4_word_t next[2])
{
    arch_tls_set(L4_TLS_FS, next[L4_TLS_FS]);
    arch_tls_set(L4_TLS_GS, next[L4_TLS_GS]);
}

void arch_tls_switch(l4_word_t prev[2], const l4_word_t next[2])
{
    l4_word_t fs = cpu_tls[L4_TLS_FS], gs = cpu_tls[L4_TLS_GS];

    if (fsgsbase) { // user code may have moved them: keep prev's as the CPU has them
        prev[L4_TLS_FS] = fs = read_base(L4_TLS_FS);
        prev[L4_TLS_GS] = gs = read_base(L4_TLS_GS);
    }
    if (unlikely((fs ^ next[L4_TLS_FS]) | (gs ^ next[L4_TLS_GS])))
        load_both(next);
}
