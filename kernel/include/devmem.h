/* SPDX-License-Identifier: BSD-2-Clause */
/* Device memory: which physical ranges may be given to containers (hardware free, host tested). */
#ifndef KERNEL_DEVMEM_H
#define KERNEL_DEVMEM_H

#include "boot.h"
#include "types.h"

/* The most devices the kernel maps for itself (arch_map_device): the local APIC, the I/O APIC. */
#define DEVMEM_KERNEL_MAX 16

/*
 * The kernel maps a device's registers for its own use: no container may be given them
 * (a driver writing the local APIC could stop the timer the scheduler runs on). what names
 * it in the message that refuses a container's device ("the local APIC").
 */
void devmem_kernel_uses(paddr_t base, uint64_t size, const char *what);

/*
 * Why [base, base+size) may not be given to a container as device memory, or NULL: it
 * overlaps usable RAM (one of ram[0..nram), the firmware's map: RAM must only ever be a
 * container's through the frame allocator, and mapped cacheable), or a device the kernel
 * uses. *clash gets the range it overlaps.
 */
const char *devmem_refuse(paddr_t base, uint64_t size, const struct boot_range *ram, unsigned nram,
                          struct boot_range *clash);

#endif
