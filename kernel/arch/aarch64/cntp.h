/* SPDX-License-Identifier: BSD-2-Clause */
/* EL1's physical timer, lent to the container bound to its line (cntp.c). */
#ifndef AARCH64_CNTP_H
#define AARCH64_CNTP_H

struct container;

/* At boot: the timer stopped, EL0 reaching no timer and no counter. */
void cntp_init(void);
#include <stdbool.h>

/* The line ARCH_IRQ_LINE_CNTP was bound by binder, or unbound (NULL). Whether it changed hands
 * (the timer then stopped and cleared, for the caller to clear what the GIC holds pending). */
bool cntp_bound(const struct container *binder);
/* The container the line is bound to (the timer lent), NULL for nobody: arch_switch_access has
 * work on a switch only while it is not NULL. */
extern const struct container *cntp_owner;
struct tcb;
/* arch_switch_access's work once cntp_owner is known not NULL (the fastpaths' switch) */
void cntp_switch_access(const struct tcb *next);

#endif
