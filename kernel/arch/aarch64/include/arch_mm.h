/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical <-> kernel virtual address conversion through the AArch64 direct map. */
#ifndef ARCH_MM_H
#define ARCH_MM_H

#include "arch_layout.h"

#include <stdint.h>

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(pa + DIRECT_MAP_BASE);
}

/* The kernel image lies in the direct map (KERNEL_VMA == DIRECT_MAP_BASE): one rule for all. */
static inline uint64_t virt_to_phys(const void *va)
{
    return (uint64_t)va - DIRECT_MAP_BASE;
}

#endif
