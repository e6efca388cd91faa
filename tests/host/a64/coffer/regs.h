/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64's register set for a host test of AArch64 code (test_linux_frame_a64.c): its -I comes
 * first, so <coffer/regs.h> is this one while every other arch header stays the host's. */
#include "../../../../include/arch/aarch64/coffer/regs.h"
