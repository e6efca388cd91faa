/* SPDX-License-Identifier: BSD-2-Clause */
/* The raw x86_64 system call: number in rax, six argument/result registers. */
#ifndef COFFER_SYSCALL_RAW_H
#define COFFER_SYSCALL_RAW_H

#include <coffer/error.h>
#include <coffer/types.h>

/*
 * r[0..5] go out in rdi, rsi, rdx, r10, r8, r9 and come back holding the
 * call's results in the same order; rax carries the number in and the error
 * out. SYSCALL itself overwrites rcx (return rip) and r11 (rflags).
 */
static inline l4_err_t l4_syscall(l4_word_t nr, l4_word_t r[6])
{
    register l4_word_t r10 __asm__("r10") = r[3];
    register l4_word_t r8 __asm__("r8") = r[4];
    register l4_word_t r9 __asm__("r9") = r[5];
    l4_word_t rax = nr;

    __asm__ volatile("syscall"
                     : "+a"(rax), "+D"(r[0]), "+S"(r[1]), "+d"(r[2]), "+r"(r10), "+r"(r8), "+r"(r9)
                     :
                     : "rcx", "r11", "memory");
    r[3] = r10;
    r[4] = r8;
    r[5] = r9;
    return (l4_err_t)rax;
}

#endif
