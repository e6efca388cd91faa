/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's AArch64 part (gen.h; built for AArch64 only): kernel addresses and pstate. */
#ifdef __aarch64__
#include "gen.h"

/*
 * The kernel's half, TTBR1's (docs/aarch64.md): its start, RAM and the kernel image in the
 * direct map (virt's RAM starts at 1 GiB, the image 512 KiB into it), the kernel stacks, the
 * last page.
 */
const l4_word_t fz_kernel_ptrs[FZ_NKERNEL] = {0xffff000000000000ull, 0xffff000040000000ull,
                                              0xffff000040080000ull, 0xffffff0000000000ull,
                                              0xfffffffffffff000ull, 0xffffffffffffffffull};
/* between the halves (neither TTBR0's nor TTBR1's: a translation fault at any level), and
 * words whose top byte is set (no top-byte-ignore: TCR_EL1.TBI0 is 0) */
const l4_word_t fz_between_ptrs[FZ_NBETWEEN] = {USER_TOP, 0x8000000000000000ull,
                                                0xfffeffffffff0000ull, 0x1234567890abcdefull,
                                                0x0100000000001000ull};
const l4_word_t fz_kernel_text = 0xffff000040080000ull;

/*
 * pstate: only N, Z, C and V are a thread's (L4_PSTATE_USER); the kernel refuses a set with
 * any other bit (the exception level, SP selection, the interrupt masks, single-step, ...),
 * so mostly only those.
 */
bool arch_gen_flags(struct fz *f, struct l4_regs *r)
{
    r->pstate = chance(f, 85) ? rnd(f) & L4_PSTATE_USER : rnd(f);
    return (r->pstate & ~L4_PSTATE_USER) != 0;
}
#endif
