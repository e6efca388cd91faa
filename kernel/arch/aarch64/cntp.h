/* SPDX-License-Identifier: BSD-2-Clause */
/* EL1's physical timer, lent to the container bound to its line (cntp.c). */
#ifndef AARCH64_CNTP_H
#define AARCH64_CNTP_H

struct container;

/* At boot: the timer stopped, EL0 reaching no timer and no counter. */
void cntp_init(void);
/* The line ARCH_IRQ_LINE_CNTP was bound by binder, or unbound (NULL). */
void cntp_bound(const struct container *binder);

#endif
