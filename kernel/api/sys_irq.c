/* SPDX-License-Identifier: BSD-2-Clause */
/* Interrupt system calls: a driver binds its line to a notification and acknowledges it. */
#include "caller.h"
#include "irq.h"
#include "sys_handlers.h"

l4_err_t sys_irq_bind(l4_cap_t irq, l4_cap_t ntf)
{
    struct cap *i, *n;
    l4_err_t err = caller_cap("irq_bind", irq, L4_CAP_IRQ, L4_IRQ_CONTROL, &i);

    if (err || (err = caller_cap("irq_bind", ntf, L4_CAP_NOTIFICATION, L4_NTF_SIGNAL, &n)))
        return err;
    return irq_bind(i->obj, n->obj, n->a ? n->a : 1, caller_container());
}

l4_err_t sys_irq_ack(l4_cap_t irq)
{
    struct cap *i;
    l4_err_t err = caller_cap("irq_ack", irq, L4_CAP_IRQ, L4_IRQ_CONTROL, &i);

    return err ? err : irq_ack(i->obj);
}

/*
 * Any holder of L4_IRQ_CONTROL may release the line, whoever bound it: it could as well bind
 * it to a notification of its own (irq_bind replaces a binding), so refusing would protect
 * nothing. A driver that must keep its line holds the only capability with L4_IRQ_CONTROL.
 */
l4_err_t sys_irq_release(l4_cap_t irq)
{
    struct cap *i;
    l4_err_t err = caller_cap("irq_release", irq, L4_CAP_IRQ, L4_IRQ_CONTROL, &i);

    if (err)
        return err;
    if ((err = irq_release(i->obj)))
        user_error("irq_release: slot %lu: the line is not bound\n", irq);
    return err;
}
