/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 paging's boot step (paging.c). */
#ifndef AARCH64_PAGING_H
#define AARCH64_PAGING_H

/* After the MMU is on, before any space is made: the kernel's tree (TTBR1) and the ASIDs
 * are known, and TTBR0 holds the empty root instead of the boot identity map. */
void paging_init(void);

#endif
