/* SPDX-License-Identifier: BSD-2-Clause */
/* The AAPCS64 callee-saved registers x19..x30 pushed and popped in one order, for every
 * assembly function that switches stacks (vectors.S's arch_context_switch, floor.S). */
#ifndef ARCH_CALLEE_H
#define ARCH_CALLEE_H
// clang-format off
.macro PUSH_CALLEE_SAVED
        stp     x29, x30, [sp, #-16]!
        stp     x27, x28, [sp, #-16]!
        stp     x25, x26, [sp, #-16]!
        stp     x23, x24, [sp, #-16]!
        stp     x21, x22, [sp, #-16]!
        stp     x19, x20, [sp, #-16]!
.endm

.macro POP_CALLEE_SAVED
        ldp     x19, x20, [sp], #16
        ldp     x21, x22, [sp], #16
        ldp     x23, x24, [sp], #16
        ldp     x25, x26, [sp], #16
        ldp     x27, x28, [sp], #16
        ldp     x29, x30, [sp], #16
.endm
// clang-format on
#endif
