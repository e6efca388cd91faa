/* SPDX-License-Identifier: BSD-2-Clause */
/* Physical <-> kernel virtual address conversion through the x86_64 direct map. */
#ifndef ARCH_MM_H
#define ARCH_MM_H

#include "arch_layout.h"

#include <stdint.h>

static inline void *phys_to_virt(uint64_t pa)
{
    return (void *)(pa + DIRECT_MAP_BASE);
}

/* Works for direct-map and kernel-image addresses alike. */
static inline uint64_t virt_to_phys(const void *va)
{
    uint64_t v = (uint64_t)va;

    return v >= KERNEL_VMA ? v - KERNEL_VMA : v - DIRECT_MAP_BASE;
}

#endif
