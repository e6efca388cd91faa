/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * user/atk's blobs in A64 machine code (built for AArch64 only; atk.c writes and syncs them).
 * A system call is svc #0 with its number in x8 and its first argument in x0
 * (docs/aarch64.md); the kernel gives the error back in x8, so a loop loads the number again.
 */
#ifdef __aarch64__
#include "atk.h"

#define X0 0
#define X8 8

/* Instructions, little-endian as the CPU fetches them (the ARM ARM's encodings). */
static uint32_t movz(unsigned rd, unsigned hw, uint16_t imm) // MOVZ Xd, #imm, LSL #(16 * hw)
{
    return 0xd2800000u | (hw << 21) | ((uint32_t)imm << 5) | rd;
}

static uint32_t movk(unsigned rd, unsigned hw, uint16_t imm) // MOVK Xd, #imm, LSL #(16 * hw)
{
    return 0xf2800000u | (hw << 21) | ((uint32_t)imm << 5) | rd;
}

static uint32_t branch(int insns) // B . + 4 * insns
{
    return 0x14000000u | ((uint32_t)insns & 0x03ffffffu);
}

#define SVC0 0xd4000001u /* svc #0 */
#define UDF0 0x00000000u /* udf #0: permanently undefined */

static void put(uint8_t *p, unsigned i, uint32_t insn)
{
    for (unsigned b = 0; b < 4; b++)
        p[4 * i + b] = (uint8_t)(insn >> (8 * b));
}

/* Xd = v in four instructions, whatever v is; returns the next index. */
static unsigned load64(uint8_t *p, unsigned i, unsigned rd, l4_word_t v)
{
    put(p, i++, movz(rd, 0, (uint16_t)v));
    for (unsigned hw = 1; hw < 4; hw++)
        put(p, i++, movk(rd, hw, (uint16_t)(v >> (16 * hw))));
    return i;
}

void arch_blob_syscall(uint8_t *p, l4_word_t nr, l4_word_t arg)
{
    unsigned i = load64(p, 0, X8, nr);

    i = load64(p, i, X0, arg);
    put(p, i++, SVC0);
    put(p, i++, UDF0); // the call should never come back
    put(p, i, branch(-1));
}

void arch_blob_yield_loop(uint8_t *p, l4_word_t yield)
{
    unsigned i = load64(p, 0, X8, yield); // 1: x8 = yield

    put(p, i++, SVC0);
    put(p, i, branch(-(int)i)); // b 1b
}
#endif
