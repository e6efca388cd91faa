/* SPDX-License-Identifier: BSD-2-Clause */
/* user/faultfast's x86_64 parts (built for x86_64 only): see arch.h. */
#ifdef __x86_64__
#include "arch.h"

/* rax, rcx, rdx, rsi, rdi, r8 .. r15: every register but rbx (the address) and rsp, rbp.
 * rcx and r11 matter most: SYSRET would clobber them, so the resume must take IRETQ. */
l4_word_t ffast_regs[13];
const unsigned ffast_nregs = 13;

static const char *const names[] = {"rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9",
                                    "r10", "r11", "r12", "r13", "r14", "r15"};

const char *ffast_reg_name(unsigned i)
{
    return i < ffast_nregs ? names[i] : "?";
}

l4_word_t ffast_want(unsigned i, l4_word_t va)
{
    (void)va;
    return 0x1001ul + i;
}

__attribute__((noinline)) void ffast_pattern_read(l4_word_t va)
{
    __asm__ volatile("mov $0x1001, %%rax\n\t"
                     "mov $0x1002, %%rcx\n\t"
                     "mov $0x1003, %%rdx\n\t"
                     "mov $0x1004, %%rsi\n\t"
                     "mov $0x1005, %%rdi\n\t"
                     "mov $0x1006, %%r8\n\t"
                     "mov $0x1007, %%r9\n\t"
                     "mov $0x1008, %%r10\n\t"
                     "mov $0x1009, %%r11\n\t"
                     "mov $0x100a, %%r12\n\t"
                     "mov $0x100b, %%r13\n\t"
                     "mov $0x100c, %%r14\n\t"
                     "mov $0x100d, %%r15\n\t"
                     ".globl ffast_fault_ip\n"
                     "ffast_fault_ip:\n\t"
                     "cmpq $0, (%%rbx)\n\t" /* the fault, answered, retried */
                     "mov %%rax, ffast_regs+0(%%rip)\n\t"
                     "mov %%rcx, ffast_regs+8(%%rip)\n\t"
                     "mov %%rdx, ffast_regs+16(%%rip)\n\t"
                     "mov %%rsi, ffast_regs+24(%%rip)\n\t"
                     "mov %%rdi, ffast_regs+32(%%rip)\n\t"
                     "mov %%r8, ffast_regs+40(%%rip)\n\t"
                     "mov %%r9, ffast_regs+48(%%rip)\n\t"
                     "mov %%r10, ffast_regs+56(%%rip)\n\t"
                     "mov %%r11, ffast_regs+64(%%rip)\n\t"
                     "mov %%r12, ffast_regs+72(%%rip)\n\t"
                     "mov %%r13, ffast_regs+80(%%rip)\n\t"
                     "mov %%r14, ffast_regs+88(%%rip)\n\t"
                     "mov %%r15, ffast_regs+96(%%rip)\n\t"
                     :
                     : "b"(va)
                     : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "r12", "r13",
                       "r14", "r15", "memory", "cc");
}

void ffast_fp_set(l4_word_t x)
{
    __asm__ volatile("movq %0, %%xmm15" : : "r"(x) : "xmm15");
}

l4_word_t ffast_fp_get(void)
{
    l4_word_t x;

    __asm__ volatile("movq %%xmm15, %0" : "=r"(x));
    return x;
}

l4_word_t ffast_fp_fault_read(l4_word_t x, l4_word_t va)
{
    l4_word_t out;

    __asm__ volatile("movq %1, %%xmm15\n\t"
                     "cmpq $0, (%2)\n\t" /* the fault, answered, retried */
                     "movq %%xmm15, %0"
                     : "=r"(out)
                     : "r"(x), "r"(va)
                     : "xmm15", "memory", "cc");
    return out;
}
#endif
