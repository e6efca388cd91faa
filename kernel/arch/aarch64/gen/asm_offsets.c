/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The structure offsets the AArch64 assembly reads, computed by the compiler (the Makefile
 * turns each "->NAME value" marker into "#define NAME value" in build/gen/asm_offsets.h).
 * vectors.S spells the frame's offsets out itself; the static asserts below hold them to it.
 */
#include "arch.h"

#define OFFSET(name, value) __asm__ volatile(".ascii \"->" #name " %c0\\n\"" : : "i"(value))

_Static_assert(sizeof(struct trap_frame) == 304, "vectors.S: FRAME_SIZE");
_Static_assert(__builtin_offsetof(struct trap_frame, pc) == 256, "vectors.S: F_PC");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 272, "vectors.S: F_VECTOR");
_Static_assert(__builtin_offsetof(struct trap_frame, error) == 280, "vectors.S: F_ERROR");
_Static_assert(__builtin_offsetof(struct trap_frame, far) == 288, "vectors.S: F_FAR");

void asm_offsets(void);
void asm_offsets(void)
{
    OFFSET(FRAME_SIZE_CHECK, sizeof(struct trap_frame));
}
