/* SPDX-License-Identifier: BSD-2-Clause */
/* This CPU's data behind GS (arch_percpu.h), and the accessors generic code calls. */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"
#include "x86.h"

/* One CPU for now; SMP gives each its own, and points each CPU's GS base at it. */
static struct cpu_local cpu0 __attribute__((aligned(64))); /* rsp0 (offset 28) in one line */

void percpu_init(void)
{
    cpu0.cr3 = read_cr3();
    wrmsr(MSR_GS_BASE, (uint64_t)&cpu0);
    wrmsr(MSR_KGS_BASE, 0); // the user's GS base, until a thread sets one (tls.c)
}

/* Loads and stores through GS: one instruction each, as a global would be. */
#define PERCPU_READ(field, type)                                                                   \
    ({                                                                                             \
        type v_;                                                                                   \
        __asm__ volatile("mov %%gs:%c1, %0"                                                        \
                         : "=r"(v_)                                                                \
                         : "i"(__builtin_offsetof(struct cpu_local, field)));                      \
        v_;                                                                                        \
    })
#define PERCPU_WRITE(field, v)                                                                     \
    __asm__ volatile("mov %0, %%gs:%c1"                                                            \
                     :                                                                             \
                     : "r"(v), "i"(__builtin_offsetof(struct cpu_local, field))                    \
                     : "memory")

struct tcb *arch_cpu_current(void)
{
    return PERCPU_READ(current, struct tcb *);
}

void arch_cpu_set_current(struct tcb *t)
{
    PERCPU_WRITE(current, t);
}

uint64_t percpu_cr3(void)
{
    return PERCPU_READ(cr3, uint64_t);
}

void percpu_write_cr3(uint64_t root)
{
    write_cr3(root);
    PERCPU_WRITE(cr3, root);
}

void arch_set_kernel_stack(void *top)
{
    PERCPU_WRITE(tss.rsp[0], (uint64_t)top); // an interrupt's or exception's, and SYSCALL's
}

struct tss *percpu_tss(void)
{
    return &cpu0.tss;
}
