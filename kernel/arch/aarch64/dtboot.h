/* SPDX-License-Identifier: BSD-2-Clause */
/* The AArch64 boot's reading of the device tree into boot_info (dtboot.c). */
#ifndef AARCH64_DTBOOT_H
#define AARCH64_DTBOOT_H

#include "fdt.h"
#include "types.h"

/* The machine as the device tree describes it, for the drivers' bring-up (irq.c). */
extern struct fdt_machine dt_machine;

/* Fill boot_info from the device tree at physical dtb: RAM (reservations taken out), the
 * command line, and the boot modules of the boot pack QEMU's -initrd put in memory. A tree
 * or pack the kernel cannot use stops the boot with the reason. */
void dtboot_read(paddr_t dtb);

#endif
