/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt lines: each delivered to a notification of the driver that holds its capability. */
#include "irq.h"

#include "arch.h"
#include "list.h"
#include "notification.h"
#include "sched.h"
#include "trace.h"

static struct irq_line lines[ARCH_IRQ_LINES];

struct irq_line *irq_line(unsigned line)
{
    return line < ARCH_IRQ_LINES ? &lines[line] : NULL;
}

static unsigned number(const struct irq_line *l)
{
    return (unsigned)(l - lines);
}

/* Called by the arch code with the line masked: it stays masked until irq_ack. */
void irq_raised(unsigned line)
{
    struct irq_line *l = irq_line(line);

    TRACE(TRACE_IRQ, sched_current(), line, l && l->ntf);
    if (l && l->ntf)
        notification_signal(l->ntf, l->bits);
}

l4_err_t irq_bind(struct irq_line *l, struct notification *n, l4_word_t bits,
                  struct container *binder)
{
    if (!arch_irq_mask(number(l), true))
        return L4_ERANGE; // the machine has no such line
    l->ntf = n;
    l->bits = bits;
    l->binder = binder;
    arch_irq_bound(number(l), binder);
    arch_irq_mask(number(l), false);
    return L4_OK;
}

l4_err_t irq_ack(struct irq_line *l)
{
    if (!l->ntf)
        return L4_ESTATE;
    arch_irq_mask(number(l), false);
    return L4_OK;
}

/* An unbound line is masked: nobody is there to acknowledge it. */
static void unbind(struct irq_line *l)
{
    arch_irq_mask(number(l), true);
    l->ntf = NULL;
    l->bits = 0;
    l->binder = NULL;
    arch_irq_bound(number(l), NULL);
}

l4_err_t irq_release(struct irq_line *l)
{
    if (!l->ntf)
        return L4_ESTATE;
    unbind(l);
    return L4_OK;
}

void irq_cap_ref(struct irq_line *l, bool added)
{
    if (added)
        l->caps++;
    else if (--l->caps == 0)
        unbind(l);
}

void irqs_forget_notification(struct notification *n)
{
    for (unsigned i = 0; i < ARCH_IRQ_LINES; i++) {
        if (lines[i].ntf == n)
            unbind(&lines[i]);
    }
}

void irqs_unbind_for(struct notification *n, struct container *c)
{
    for (unsigned i = 0; i < ARCH_IRQ_LINES; i++) {
        if (lines[i].ntf == n && lines[i].binder == c)
            unbind(&lines[i]);
    }
}

void irq_unbind_binder(struct irq_line *l, const struct container *c)
{
    if (l->ntf && l->binder == c)
        unbind(l);
}

bool irqs_awaited(void)
{
    for (unsigned i = 0; i < ARCH_IRQ_LINES; i++) {
        if (lines[i].ntf && !list_empty(&lines[i].ntf->waiters))
            return true;
    }
    return false;
}
