/* SPDX-License-Identifier: BSD-2-Clause */
/* Kernel memory set aside at boot for the pools: kernel stacks and page-table frames. */
#ifndef KERNEL_KRESERVE_H
#define KERNEL_KRESERVE_H

#include "types.h"

/*
 * The boot description says how many threads and page-table pages all
 * containers together may ever have; exactly that much is taken from RAM
 * before anything runs. Pool units only move between containers, never
 * multiply, so a unit a container holds always has its memory waiting here.
 */
void kreserve_init(uint64_t kstacks, uint64_t ptframes);
void *kreserve_kstack(void); /* KSTACK_SIZE bytes, or NULL */
void kreserve_kstack_put(void *stack);
paddr_t kreserve_ptframe(void); /* a zeroed frame, or 0 */
void kreserve_ptframe_put(paddr_t pa);

#endif
