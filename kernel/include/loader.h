/* SPDX-License-Identifier: BSD-2-Clause */
/* Starting user programs from boot modules. */
#ifndef KERNEL_LOADER_H
#define KERNEL_LOADER_H

#include "boot.h"

struct tcb;

/* Program images must end below the stack's guard; the initial stack sits above it. */
#define USER_STACK_SIZE  0x10000
#define USER_STACK_TOP   0x00007ffffff00000
#define USER_STACK_BASE  (USER_STACK_TOP - USER_STACK_SIZE)
/* Below the stack the loader maps nothing, so running off its end faults (fault_report.c). */
#define USER_STACK_GUARD 0x10000

struct space;

/*
 * Load the ELF image of module m into space sp (frames from its container's
 * memory) with a stack, and point t at its entry as main(args).
 */
l4_err_t loader_load(struct space *sp, struct tcb *t, const struct boot_module *m,
                     const char *args);

#endif
