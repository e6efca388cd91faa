/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IRQREL-xxx: irq_release's errors, and a real interrupt source (the UART's "transmitter
 * empty" interrupt on line 4, tests/qemu/systems/irqrel.toml) to show that a released line
 * signals nothing and that it can be bound again elsewhere.
 */
#include "smalltest.h"

#define IO    17 /* the UART's ports 0x3f8..0x3ff */
#define IRQ   19 /* its line 4, with L4_IRQ_CONTROL */
#define COPY  22 /* another capability to line 4, with L4_IRQ_CONTROL */
#define NTF_A 24
#define NTF_B 25
#define IER   0x3f9 /* interrupt enable: bit 1, transmitter empty */
#define IIR   0x3fa /* why the UART interrupted: 2, transmitter empty */

/* Make the UART raise its line: an edge, as the transmitter is empty. */
static void uart_kick(void)
{
    l4_ioport_out(IO, IER, 1, 0);
    l4_ioport_out(IO, IER, 1, 0x02);
}

static void errors(void)
{
    EXPECT_ERR("IRQREL-001", l4_irq_release(IO), L4_ECAP);
    weaker_copy(IRQ, WEAK, L4_RIGHT_COPY);
    EXPECT_ERR("IRQREL-002", l4_irq_release(WEAK), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("IRQREL-003", l4_irq_release(IRQ), L4_ESTATE); // never bound
}

int irqrel_tests(void)
{
    l4_word_t id, bits = 0, iir = 0;

    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_A, &id);
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), NTF_B, &id);
    errors();
    l4_irq_bind(IRQ, NTF_A);
    EXPECT_ERR("IRQREL-004", l4_irq_release(IRQ), L4_OK);
    EXPECT_ERR("IRQREL-005", l4_irq_ack(IRQ), L4_ESTATE);     // no ack is owed any more
    EXPECT_ERR("IRQREL-006", l4_irq_release(IRQ), L4_ESTATE); // released once only
    /* the UART interrupts, but nothing is bound: A hears nothing */
    uart_kick();
    wait_ticks(20);
    l4_err_t err = l4_notify_poll(NTF_A, &bits);
    test_report("IRQREL-007", err == L4_ETIMEOUT, "released line signalled: %s, bits %lx",
                l4_strerror(err), bits);
    /* bound again, to B: its interrupt arrives there, and only there */
    EXPECT_ERR("IRQREL-008", l4_irq_bind(IRQ, NTF_B), L4_OK);
    uart_kick();
    bits = 0;
    err = l4_notify_wait(NTF_B, &bits);
    l4_ioport_in(IO, IIR, 1, &iir);
    l4_ioport_out(IO, IER, 1, 0); // quiet again
    test_report("IRQREL-009", err == L4_OK && bits == 1 && (iir & 0x0f) == 0x02,
                "%s, bits %lx, IIR %lx", l4_strerror(err), bits, iir);
    err = l4_notify_poll(NTF_A, &bits);
    test_report("IRQREL-010", err == L4_ETIMEOUT, "old notification signalled: %s",
                l4_strerror(err));
    /* another capability with L4_IRQ_CONTROL may release what this one bound */
    l4_cap_replicate(IRQ, COPY);
    EXPECT_ERR("IRQREL-011", l4_irq_release(COPY), L4_OK);
    EXPECT_ERR("IRQREL-012", l4_irq_ack(IRQ), L4_ESTATE);
    printf("irqrel: done\n");
    return 0;
}
