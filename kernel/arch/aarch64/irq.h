/* SPDX-License-Identifier: BSD-2-Clause */
/* The interrupt controller (GICv2) and the generic timer's tick (irq.c). */
#ifndef AARCH64_IRQ_H
#define AARCH64_IRQ_H

struct trap_frame;

/* The GIC the device tree names: distributor and CPU interface on, every line masked. */
void irq_init(void);
/* The EL1 virtual timer, hz ticks a second, each a call of sched_tick. */
void timer_init(unsigned hz);
/* An IRQ exception (vectors.S), from EL0 or from the idle kernel. */
void aarch64_irq(struct trap_frame *f);

#endif
