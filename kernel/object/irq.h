/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt lines: each delivered to a notification of the driver that holds its capability. */
#ifndef OBJECT_IRQ_H
#define OBJECT_IRQ_H

#include "types.h"

struct notification;

struct irq_line {
    struct notification *ntf; /* where it is delivered, or NULL */
    l4_word_t bits;           /* what it sets there */
    struct container *binder; /* bound it there: it lasts while that one may signal ntf */
    uint32_t caps;            /* capabilities naming the line; the last unbinds it */
};

struct irq_line *irq_line(unsigned line); /* NULL: no such line */
/* Deliver the line to n (bits set on each interrupt) for container binder; unmask it. */
l4_err_t irq_bind(struct irq_line *l, struct notification *n, l4_word_t bits,
                  struct container *binder);
/* The driver has handled an interrupt: let the line fire again. */
l4_err_t irq_ack(struct irq_line *l);
/* Undo irq_bind: the line is masked and signals nothing until it is bound again (ESTATE: not
 * bound). An interrupt taken but not yet acknowledged is forgotten with the binding. */
l4_err_t irq_release(struct irq_line *l);
void irq_cap_ref(struct irq_line *l, bool added);
/* A notification is going: no line may point at it any more. */
void irqs_forget_notification(struct notification *n);
/* Container c may no longer signal n: the lines it bound to n unbind. */
void irqs_unbind_for(struct notification *n, struct container *c);
/* Container c no longer holds the line with L4_IRQ_CONTROL (revoked, deduced, given away): a
 * binding it made goes, as irq_release's. */
void irq_unbind_binder(struct irq_line *l, const struct container *c);
/* Could an interrupt still wake somebody? (The idle thread then waits instead of halting.) */
bool irqs_awaited(void);

#endif
