/* SPDX-License-Identifier: BSD-2-Clause */
/* The raw AArch64 system call: SVC #0, number in x8, six argument/result registers. */
#ifndef COFFER_SYSCALL_RAW_H
#define COFFER_SYSCALL_RAW_H

#include <coffer/error.h>
#include <coffer/types.h>

/*
 * r[0..5] go out in x0..x5 and come back holding the call's results in the same order; x8
 * carries the number in and the error out (the number where Linux's arm64 ABI has it, so
 * that a foreign Linux SVC's number is where a handler looks for it).
 *
 * The kernel's promise: it preserves every register but x0..x5 and x8 -- x9..x18, lr, sp,
 * the FP/SIMD registers and the NZCV flags (ERET restores PSTATE from SPSR_EL1) come back
 * as they went in. So the only clobber is memory (the kernel reads and writes the UTCB and
 * user buffers), unlike a procedure call, after which AAPCS64 lets x9..x18 be anything.
 */
static inline l4_err_t l4_syscall(l4_word_t nr, l4_word_t r[6])
{
    register l4_word_t x0 __asm__("x0") = r[0];
    register l4_word_t x1 __asm__("x1") = r[1];
    register l4_word_t x2 __asm__("x2") = r[2];
    register l4_word_t x3 __asm__("x3") = r[3];
    register l4_word_t x4 __asm__("x4") = r[4];
    register l4_word_t x5 __asm__("x5") = r[5];
    register l4_word_t x8 __asm__("x8") = nr;

    __asm__ volatile("svc #0"
                     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x5), "+r"(x8)
                     :
                     : "memory");
    r[0] = x0;
    r[1] = x1;
    r[2] = x2;
    r[3] = x3;
    r[4] = x4;
    r[5] = x5;
    return (l4_err_t)x8;
}

#endif
