/* SPDX-License-Identifier: BSD-2-Clause */
/* A new thread's first stack frame on x86_64 (l4_thread_frame, l4.h). */
#include "l4.h"

void l4_thread_return(void); // crt0.S: ends the thread with the function's return value

l4_word_t l4_thread_frame(void *stack_top, long (*fn)(l4_word_t), l4_word_t *ip)
{
    /* SysV entry state: rsp + 8 is 16-byte aligned and holds a return address */
    l4_word_t *sp = (l4_word_t *)stack_top - 1;

    *sp = (l4_word_t)l4_thread_return;
    *ip = (l4_word_t)fn;
    return (l4_word_t)sp;
}
