/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread-local storage bases (FS and GS base): loaded on switch, only when they change. */
#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"
#include "x86.h"

#include <coffer/thread.h>

/*
 * Only the kernel writes the bases (WRMSR), so what it last wrote is what the CPU holds
 * (cpu_tls), and a switch loads next's only when they differ from that: for threads that
 * never set one, two compares. CR4.FSGSBASE stays off on purpose: with it on, user code
 * could set its own bases (WRFSBASE) without the kernel, and every switch would have to
 * read them back first, some 17 instructions on every IPC between threads that never use
 * TLS; without it WRFSBASE in user mode is an invalid opcode. WRMSR costs some hundred
 * cycles on hardware, paid only by switches between threads whose bases differ.
 *
 * The kernel never uses GS itself (one CPU: the SYSCALL entry keeps its rsp in globals, and
 * there is no SWAPGS), so GS base is the user's and KERNEL_GS_BASE stays 0.
 */
static l4_word_t cpu_tls[L4_TLS_COUNT];

void tls_init(void)
{
    wrmsr(MSR_FS_BASE, 0);
    wrmsr(MSR_GS_BASE, 0);
    wrmsr(MSR_KGS_BASE, 0);
}

void arch_tls_set(unsigned which, l4_word_t base)
{
    /* a non-canonical base would fault here, in the kernel: every caller checked it */
    DEBUG_ASSERT(which < L4_TLS_COUNT && base < USER_TOP);
    cpu_tls[which] = base;
    wrmsr(which == L4_TLS_FS ? MSR_FS_BASE : MSR_GS_BASE, base);
}

l4_word_t arch_tls_get(unsigned which)
{
    DEBUG_ASSERT(which < L4_TLS_COUNT);
    return cpu_tls[which];
}

/* Out of line: most switches are between threads whose bases are the same (zero). */
static __attribute__((noinline)) void load_both(const l4_word_t next[2])
{
    arch_tls_set(L4_TLS_FS, next[L4_TLS_FS]);
    arch_tls_set(L4_TLS_GS, next[L4_TLS_GS]);
}

void arch_tls_switch(l4_word_t prev[2], const l4_word_t next[2])
{
    (void)prev; // only the kernel sets bases: prev's are already in its TCB
    if (unlikely((cpu_tls[L4_TLS_FS] ^ next[L4_TLS_FS]) | (cpu_tls[L4_TLS_GS] ^ next[L4_TLS_GS])))
        load_both(next);
}
