/* SPDX-License-Identifier: BSD-2-Clause */
/* The x86_64 thread pointer seen from user code: FS (thread_tls's L4_TLS_TP). */
#ifndef USER_TP_H
#define USER_TP_H

#include <coffer/types.h>

/* The word the thread pointer points at (%fs:0): whether the kernel kept this thread's base. */
static inline l4_word_t tp_word0(void)
{
    l4_word_t v;

    __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
    return v;
}

#endif
