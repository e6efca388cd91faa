/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ATK-010..013: "the roots a restart relies on cannot be detached". Found by the review:
 * cap_grant() moved any root but pools and memory (an I/O port range, an interrupt line, a
 * container capability, all made by the boot description) to another container; the
 * giver's restart then neither revoked it nor noticed, and gave the giver a fresh root: the
 * device had two owners. Now such roots stay home (ATK-013), and the copies the giver
 * grants instead are taken back by its restart (ATK-010..012).
 */
#include "atk.h"

/* giver's slots (system file) */
#define G_SUP   16 /* rootsup, receive */
#define G_IO    17 /* I/O ports 0x70..0x71, root */
#define G_THIRD 18 /* container capability to "third": inspect, grant */
#define G_IRQ   19 /* IRQ line 5, root */
/* rootsup's slots */
#define GIVER   16 /* control, inspect (system file) */
#define GOT_IO  30
#define GOT_IRQ 31
#define GOT_CT  32
#define NTF     33

int role_giver(void)
{
    if (container_info(L4_SLOT_CONTAINER).restarts == 0) {
        l4_err_t ra = l4_cap_grant(G_IO, G_SUP, GOT_IO);
        l4_err_t rb = l4_cap_grant(G_IRQ, G_SUP, GOT_IRQ);
        l4_err_t rc = l4_cap_grant(G_THIRD, G_SUP, GOT_CT);
        test_report("ATK-013", ra == L4_EINVAL && rb == L4_EINVAL && rc == L4_EINVAL,
                    "granting its roots away: %s %s %s", l4_strerror(ra), l4_strerror(rb),
                    l4_strerror(rc));
        l4_cap_replicate(G_IO, 20);
        l4_cap_replicate(G_IRQ, 21);
        l4_cap_replicate(G_THIRD, 22);
        l4_err_t a = l4_cap_grant(20, G_SUP, GOT_IO);
        l4_err_t b = l4_cap_grant(21, G_SUP, GOT_IRQ);
        l4_err_t c = l4_cap_grant(22, G_SUP, GOT_CT);
        printf(
            "giver: granted copies of its I/O port, IRQ and container roots to rootsup: %s %s %s\n",
            l4_strerror(a), l4_strerror(b), l4_strerror(c));
        l4_thread_suspend(L4_SLOT_THREAD);
    }
    printf("giver: restarted; holds I/O ports %s, IRQ %s, container %s again\n",
           cap_info(G_IO).type == L4_CAP_IOPORT ? "yes" : "no",
           cap_info(G_IRQ).type == L4_CAP_IRQ ? "yes" : "no",
           cap_info(G_THIRD).type == L4_CAP_CONTAINER ? "yes" : "no");
    return 0;
}

int role_rootsup(void)
{
    bool got = wait_filled(GOT_IO, 1000) && wait_filled(GOT_IRQ, 1000) && wait_filled(GOT_CT, 1000);
    printf("rootsup: %s the giver's roots; restarting the giver\n", got ? "holds" : "never got");
    l4_err_t err = l4_container_restart(GIVER);
    printf("rootsup: restart: %s\n", l4_strerror(err));

    l4_word_t v = 0;
    l4_err_t io = l4_ioport_in(GOT_IO, 0x71, 1, &v);
    test_report("ATK-010", got && io == L4_ECAP,
                "after the giver's restart we still hold its I/O port copy (slot %d type %lu, "
                "ioport_in %s), and it holds the same ports again",
                GOT_IO, cap_info(GOT_IO).type, l4_strerror(io));
    l4_notification_create(POOL_NTF, NTF, NULL);
    l4_err_t irq = l4_irq_bind(GOT_IRQ, NTF);
    test_report("ATK-011", got && irq == L4_ECAP,
                "after the giver's restart we still hold its IRQ copy (irq_bind %s): two "
                "containers now control line 5",
                l4_strerror(irq));
    struct container_info s = {0};
    l4_err_t ct = l4_container_inspect(GOT_CT, &s.state, &s.threads, &s.spaces, &s.faults,
                                       &s.restarts, &s.fault_addr);
    test_report("ATK-012", got && ct == L4_ECAP,
                "after the giver's restart we still hold its container capability "
                "(container_inspect %s)",
                l4_strerror(ct));
    l4_cap_destroy(GOT_IRQ); // let the line go before we end
    printf("rootsup: done\n");
    return 0;
}
