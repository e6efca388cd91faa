/* SPDX-License-Identifier: BSD-2-Clause */
/* A new thread's first stack frame on AArch64 (l4_thread_frame, l4.h). */
#include "l4.h"

void l4_thread_entry(void); // crt0.S: calls fn from the stack, then ends the thread

/*
 * The kernel starts a thread with only its pc, sp and x0 set, so fn cannot be entered with
 * a return address in lr: crt0.S's l4_thread_entry takes fn from the stack's top 16 bytes
 * (AAPCS64 keeps sp 16-byte aligned) and calls it.
 */
l4_word_t l4_thread_frame(void *stack_top, long (*fn)(l4_word_t), l4_word_t *ip)
{
    l4_word_t *sp = (l4_word_t *)stack_top - 2;

    sp[0] = (l4_word_t)fn;
    sp[1] = 0;
    *ip = (l4_word_t)l4_thread_entry;
    return (l4_word_t)sp;
}
