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
 * A load in steps (a container's restart, container.c): where it stands, zeroed to begin.
 * part: each loadable segment, then the stack, then the UTCB; page: the next page of it.
 */
struct loader_cursor {
    uint32_t part, page;
};
/* Map fresh pages of m's program into sp from where cur stands, at most budget pages (their
 * file bytes copied in): CAP_MORE while some are left, L4_OK when all are mapped, or the
 * error (EINVAL: m is no program this machine runs; ENOMEM). The space holds what is mapped
 * whole between calls; no thread runs in it yet. */
l4_err_t loader_load_step(struct space *sp, const struct boot_module *m, struct loader_cursor *cur,
                          unsigned budget);
/* Then: the argument string on the stack, t (a thread in sp) pointed at the entry as
 * main(args); sp is marked loaded. */
l4_err_t loader_start(struct space *sp, struct tcb *t, const struct boot_module *m,
                      const char *args);

#endif
