/* SPDX-License-Identifier: BSD-2-Clause */
/* user/faultfast's AArch64 parts (built for AArch64 only): see arch.h. */
#ifdef __aarch64__
#include "arch.h"

/* x0 (the address), x1 .. x30, and NZCV: every register EL0 can set but sp (the function's
 * own frame is restored through it, so a wrong sp would not get as far as the check) */
l4_word_t ffast_regs[32];
const unsigned ffast_nregs = 32;

#define NZCV_PATTERN 0x90000000ul /* N and V */

const char *ffast_reg_name(unsigned i)
{
    static const char *const names[] = {"x0",  "x1",  "x2",  "x3",  "x4",  "x5",  "x6",  "x7",
                                        "x8",  "x9",  "x10", "x11", "x12", "x13", "x14", "x15",
                                        "x16", "x17", "x18", "x19", "x20", "x21", "x22", "x23",
                                        "x24", "x25", "x26", "x27", "x28", "x29", "x30", "nzcv"};

    return i < ffast_nregs ? names[i] : "?";
}

l4_word_t ffast_want(unsigned i, l4_word_t va)
{
    return i == 0 ? va : i == 31 ? NZCV_PATTERN : 0x1001ul + i;
}

/* ffast_pattern_read itself is pattern_aarch64.S */

void ffast_fp_set(l4_word_t x)
{
    __asm__ volatile("fmov d31, %0" : : "r"(x) : "v31");
}

l4_word_t ffast_fp_get(void)
{
    l4_word_t x;

    __asm__ volatile("fmov %0, d31" : "=r"(x));
    return x;
}

l4_word_t ffast_fp_fault_read(l4_word_t x, l4_word_t va)
{
    l4_word_t out;

    __asm__ volatile("fmov d31, %1\n\t"
                     "ldr xzr, [%2]\n\t" /* the fault, answered, retried */
                     "fmov %0, d31"
                     : "=r"(out)
                     : "r"(x), "r"(va)
                     : "v31", "memory");
    return out;
}
#endif
