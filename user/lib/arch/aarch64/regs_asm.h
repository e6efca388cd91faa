/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * For user assembly that sets or records every register around an SVC (user/foreign,
 * user/regtest): x2..x29 to or from a struct l4_regs-ordered block (x[i] at 8 i,
 * <coffer/regs.h>), a pair at a time, and the callee-saved x19..x30 kept in a 112-byte frame
 * (x29 and x30 at sp, x19..x28 from sp + 16; sp + 96 and sp + 104 the caller's own words).
 */
#ifndef USER_REGS_ASM_H
#define USER_REGS_ASM_H
// clang-format off

/* x2..x29 into the block at \base (x0 and x1 are the caller's to place: one of them is
 * usually \base) */
.macro STORE_X2_X29 base
        stp     x2, x3, [\base, #16]
        stp     x4, x5, [\base, #32]
        stp     x6, x7, [\base, #48]
        stp     x8, x9, [\base, #64]
        stp     x10, x11, [\base, #80]
        stp     x12, x13, [\base, #96]
        stp     x14, x15, [\base, #112]
        stp     x16, x17, [\base, #128]
        stp     x18, x19, [\base, #144]
        stp     x20, x21, [\base, #160]
        stp     x22, x23, [\base, #176]
        stp     x24, x25, [\base, #192]
        stp     x26, x27, [\base, #208]
        stp     x28, x29, [\base, #224]
.endm

/* x2..x29 from the block at \base */
.macro LOAD_X2_X29 base
        ldp     x2, x3, [\base, #16]
        ldp     x4, x5, [\base, #32]
        ldp     x6, x7, [\base, #48]
        ldp     x8, x9, [\base, #64]
        ldp     x10, x11, [\base, #80]
        ldp     x12, x13, [\base, #96]
        ldp     x14, x15, [\base, #112]
        ldp     x16, x17, [\base, #128]
        ldp     x18, x19, [\base, #144]
        ldp     x20, x21, [\base, #160]
        ldp     x22, x23, [\base, #176]
        ldp     x24, x25, [\base, #192]
        ldp     x26, x27, [\base, #208]
        ldp     x28, x29, [\base, #224]
.endm

/* The callee-saved registers into a new 112-byte frame, and back out of it */
.macro ENTER_KEEPING_CALLEE_SAVED
        stp     x29, x30, [sp, #-112]!
        stp     x19, x20, [sp, #16]
        stp     x21, x22, [sp, #32]
        stp     x23, x24, [sp, #48]
        stp     x25, x26, [sp, #64]
        stp     x27, x28, [sp, #80]
.endm

.macro LEAVE_KEEPING_CALLEE_SAVED
        ldp     x19, x20, [sp, #16]
        ldp     x21, x22, [sp, #32]
        ldp     x23, x24, [sp, #48]
        ldp     x25, x26, [sp, #64]
        ldp     x27, x28, [sp, #80]
        ldp     x29, x30, [sp], #112
.endm
// clang-format on
#endif
