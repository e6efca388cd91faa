/* SPDX-License-Identifier: BSD-2-Clause */
/* user/atk's blobs in x86_64 machine code (built for x86_64 only; atk.c writes and syncs them). */
#ifdef __x86_64__
#include "atk.h"

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

/* nr and arg as 32-bit immediates (zero-extended): every number and slot the attacks use fits */
void arch_blob_syscall(uint8_t *p, l4_word_t nr, l4_word_t arg)
{
    p[0] = 0xb8; // mov $nr, %eax
    put32(p + 1, (uint32_t)nr);
    p[5] = 0xbf; // mov $arg, %edi
    put32(p + 6, (uint32_t)arg);
    p[10] = 0x0f; // syscall
    p[11] = 0x05;
    p[12] = 0x0f; // ud2: the call should never come back
    p[13] = 0x0b;
    p[14] = 0xeb; // jmp .-2
    p[15] = 0xfc;
}

void arch_blob_yield_loop(uint8_t *p, l4_word_t yield)
{
    p[0] = 0xb8; // 1: mov $yield, %eax
    put32(p + 1, (uint32_t)yield);
    p[5] = 0x0f; // syscall
    p[6] = 0x05;
    p[7] = 0xeb; // jmp 1b
    p[8] = (uint8_t)-9;
}
#endif
