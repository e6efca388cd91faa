/* SPDX-License-Identifier: BSD-2-Clause */
/* The AArch64 thread pointer seen from user code: TPIDR_EL0 (thread_tls's L4_TLS_TP). */
#ifndef USER_TP_H
#define USER_TP_H

#include <coffer/types.h>

/* The word the thread pointer points at: whether the kernel kept this thread's TPIDR_EL0. */
static inline l4_word_t tp_word0(void)
{
    l4_word_t v;

    __asm__ volatile("mrs %0, tpidr_el0\n\tldr %0, [%0]" : "=r"(v));
    return v;
}

#endif
