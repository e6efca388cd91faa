/* SPDX-License-Identifier: BSD-2-Clause */
/* Where user space ends on AArch64: what a test of the kernel's bounds checks names. */
#ifndef COFFER_LAYOUT_H
#define COFFER_LAYOUT_H

/*
 * The first address past user space (TTBR0's 48 bits): the kernel's USER_TOP
 * (kernel/arch/aarch64/include/arch_layout.h). An address from here on is refused with
 * L4_ERANGE, as "outside user space".
 */
#define L4_USER_TOP 0x0001000000000000ull

#endif
