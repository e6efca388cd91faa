/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel console's UART (console.c). */
#ifndef AARCH64_PL011_H
#define AARCH64_PL011_H

#include "types.h"

/* The UART the device tree names: its registers' physical address (below BOOT_DEVICE_TOP). */
void pl011_set_base(paddr_t pa);

#endif
