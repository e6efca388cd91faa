/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Thread-local storage: one base, TPIDR_EL0 (L4_TLS_TPIDR). EL0 writes it at will, behind the
 * kernel's back, so the CPU's value is the running thread's truth and its TCB copy is
 * brought up to date on every switch (ARCH_TLS_USER_WRITES: sched.c calls arch_tls_switch
 * each time), two system-register moves.
 */
#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"

#include <coffer/thread.h>

void arch_tls_set(unsigned which, l4_word_t base)
{
    DEBUG_ASSERT(which < L4_TLS_COUNT && base < USER_TOP);
    (void)which;
    write_sysreg(tpidr_el0, base);
}

l4_word_t arch_tls_get(unsigned which)
{
    DEBUG_ASSERT(which < L4_TLS_COUNT);
    (void)which;
    return read_sysreg(tpidr_el0);
}

void arch_tls_switch(l4_word_t *prev, const l4_word_t *next)
{
    prev[0] = read_sysreg(tpidr_el0); // L4_TLS_TPIDR, the one base
    write_sysreg(tpidr_el0, next[0]);
}
