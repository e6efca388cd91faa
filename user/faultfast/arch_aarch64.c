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

/*
 * A function of its own, not inline asm: x29 (the frame pointer) and x30 get the pattern too,
 * which no asm statement may clobber. The callee-saved registers go to the stack first. After
 * the read, x0 and x1 go to the stack to free one register for ffast_regs' address.
 */
// clang-format off
__asm__(".text\n"
        ".globl ffast_pattern_read, ffast_fault_ip\n"
        "ffast_pattern_read:\n"
        "  stp x29, x30, [sp, #-96]!\n"
        "  stp x19, x20, [sp, #16]\n"
        "  stp x21, x22, [sp, #32]\n"
        "  stp x23, x24, [sp, #48]\n"
        "  stp x25, x26, [sp, #64]\n"
        "  stp x27, x28, [sp, #80]\n"
        "  mov x1, #0x90000000\n"
        "  msr nzcv, x1\n"
        "  mov x1, #0x1002\n  mov x2, #0x1003\n  mov x3, #0x1004\n  mov x4, #0x1005\n"
        "  mov x5, #0x1006\n  mov x6, #0x1007\n  mov x7, #0x1008\n  mov x8, #0x1009\n"
        "  mov x9, #0x100a\n  mov x10, #0x100b\n  mov x11, #0x100c\n  mov x12, #0x100d\n"
        "  mov x13, #0x100e\n  mov x14, #0x100f\n  mov x15, #0x1010\n  mov x16, #0x1011\n"
        "  mov x17, #0x1012\n  mov x18, #0x1013\n  mov x19, #0x1014\n  mov x20, #0x1015\n"
        "  mov x21, #0x1016\n  mov x22, #0x1017\n  mov x23, #0x1018\n  mov x24, #0x1019\n"
        "  mov x25, #0x101a\n  mov x26, #0x101b\n  mov x27, #0x101c\n  mov x28, #0x101d\n"
        "  mov x29, #0x101e\n  mov x30, #0x101f\n"
        "ffast_fault_ip:\n"
        "  ldr xzr, [x0]\n" /* the fault, answered, retried */
        "  stp x0, x1, [sp, #-32]!\n"
        "  mrs x0, nzcv\n"
        "  str x0, [sp, #16]\n"
        "  adrp x0, ffast_regs\n"
        "  add x0, x0, :lo12:ffast_regs\n"
        "  stp x2, x3, [x0, #16]\n"
        "  stp x4, x5, [x0, #32]\n"
        "  stp x6, x7, [x0, #48]\n"
        "  stp x8, x9, [x0, #64]\n"
        "  stp x10, x11, [x0, #80]\n"
        "  stp x12, x13, [x0, #96]\n"
        "  stp x14, x15, [x0, #112]\n"
        "  stp x16, x17, [x0, #128]\n"
        "  stp x18, x19, [x0, #144]\n"
        "  stp x20, x21, [x0, #160]\n"
        "  stp x22, x23, [x0, #176]\n"
        "  stp x24, x25, [x0, #192]\n"
        "  stp x26, x27, [x0, #208]\n"
        "  stp x28, x29, [x0, #224]\n"
        "  ldr x2, [sp, #16]\n"
        "  stp x30, x2, [x0, #240]\n"
        "  ldp x2, x3, [sp], #32\n"
        "  stp x2, x3, [x0]\n"
        "  ldp x19, x20, [sp, #16]\n"
        "  ldp x21, x22, [sp, #32]\n"
        "  ldp x23, x24, [sp, #48]\n"
        "  ldp x25, x26, [sp, #64]\n"
        "  ldp x27, x28, [sp, #80]\n"
        "  ldp x29, x30, [sp], #96\n"
        "  ret\n");
// clang-format on

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
