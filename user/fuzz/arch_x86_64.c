/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's x86_64 part (gen.h; built for x86_64 only): kernel addresses and rflags. */
#ifdef __x86_64__
#include "gen.h"

#define RFLAGS_KEPT 0x202ull /* IF and bit 1: accepted, and always set */
#define RFLAGS_TF   0x100ull

/* the kernel image (-2 GiB), the direct map, the last page */
const l4_word_t fz_kernel_ptrs[FZ_NKERNEL] = {0xffffffff80000000ull, 0xffffffff80100000ull,
                                              0xffff800000000000ull, 0xffff800000100000ull,
                                              0xfffffffffffff000ull, 0xffffffffffffffffull};
/* non-canonical: bits 63..47 not all equal */
const l4_word_t fz_between_ptrs[FZ_NBETWEEN] = {USER_TOP, 0x8000000000000000ull,
                                                0x0000900000000000ull, 0x1234567890abcdefull,
                                                0x7fffffffffffffffull};
const l4_word_t fz_kernel_text = 0xffffffff80100000ull;

bool arch_gen_flags(struct fz *f, struct l4_regs *r)
{
    /* mostly without TF: single-stepping only makes a stub fault at once */
    r->rflags = chance(f, 85) ? rnd(f) & (L4_RFLAGS_USER & ~RFLAGS_TF) : rnd(f);
    return (r->rflags & ~(L4_RFLAGS_USER | RFLAGS_KEPT)) != 0;
}
#endif
