/* SPDX-License-Identifier: BSD-2-Clause */
/* Starting user programs from boot modules. */
#ifndef KERNEL_LOADER_H
#define KERNEL_LOADER_H

#include "boot.h"

struct tcb;

/* Program images must lie below this; the initial stack sits above it. */
#define USER_STACK_SIZE 0x10000
#define USER_STACK_TOP  0x00007ffffff00000
#define USER_STACK_BASE (USER_STACK_TOP - USER_STACK_SIZE)

/*
 * Load module m into a new space with one inactive thread at its entry point,
 * called as main(args) with the module's argument string.
 */
struct tcb *loader_start(const struct boot_module *m, uint8_t prio);

#endif
