/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ATK-010..013: "the roots a restart relies on cannot be detached". Found by the review:
 * cap_grant() moved any root but pools and memory (an I/O port range, an interrupt line, a
 * container capability, all made by the boot description) to another container; the
 * giver's restart then neither revoked it nor noticed, and gave the giver a fresh root: the
 * device had two owners. Now such roots stay home (ATK-013), and the copies the giver
 * grants instead are taken back by its restart (ATK-010..012).
 *
 * The device is reached the way the machine has (the system file says which): I/O ports on
 * x86_64 (atk-roots.toml), device memory on AArch64, which has no ports (atk-roots-virt.toml:
 * a memory root, which stays home as RAM's does).
 */
#include "atk.h"

/* giver's slots (system file) */
#define G_SUP   16 /* rootsup, receive */
#define G_DEV   17 /* the device: I/O ports 0x70..0x71 or a page of device memory, root */
#define G_THIRD 18 /* container capability to "third": inspect, grant */
#define G_IRQ   19 /* IRQ line 5, root */
/* rootsup's slots */
#define GIVER   16 /* control, inspect (system file) */
#define GOT_DEV 30
#define GOT_IRQ 31
#define GOT_CT  32
#define NTF     33
#define DEV_VA  0x60000000ull /* where rootsup would map the device */

int role_giver(void)
{
    if (container_info(L4_SLOT_CONTAINER).restarts == 0) {
        l4_err_t ra = l4_cap_grant(G_DEV, G_SUP, GOT_DEV);
        l4_err_t rb = l4_cap_grant(G_IRQ, G_SUP, GOT_IRQ);
        l4_err_t rc = l4_cap_grant(G_THIRD, G_SUP, GOT_CT);
        test_report("ATK-013", ra == L4_EINVAL && rb == L4_EINVAL && rc == L4_EINVAL,
                    "granting its roots away: %s %s %s", l4_strerror(ra), l4_strerror(rb),
                    l4_strerror(rc));
        l4_cap_replicate(G_DEV, 20);
        l4_cap_replicate(G_IRQ, 21);
        l4_cap_replicate(G_THIRD, 22);
        l4_err_t a = l4_cap_grant(20, G_SUP, GOT_DEV);
        l4_err_t b = l4_cap_grant(21, G_SUP, GOT_IRQ);
        l4_err_t c = l4_cap_grant(22, G_SUP, GOT_CT);
        printf(
            "giver: granted copies of its device, IRQ and container roots to rootsup: %s %s %s\n",
            l4_strerror(a), l4_strerror(b), l4_strerror(c));
        l4_thread_suspend(L4_SLOT_THREAD);
    }
    l4_word_t dev = cap_info(G_DEV).type;
    printf("giver: restarted; holds the device %s, IRQ %s, container %s again\n",
           dev == L4_CAP_IOPORT || dev == L4_CAP_MEMORY ? "yes" : "no",
           cap_info(G_IRQ).type == L4_CAP_IRQ ? "yes" : "no",
           cap_info(G_THIRD).type == L4_CAP_CONTAINER ? "yes" : "no");
    return 0;
}

/* Reach the device through the copy in slot: read a port, or map the page (and unmap it). */
static l4_err_t use_device(l4_cap_t slot)
{
    l4_word_t v = 0;
    l4_err_t err = l4_ioport_in(slot, 0x71, 1, &v);

    if (err == L4_ECAP) { // not I/O ports: device memory, or nothing
        err = l4_mem_map(slot, 0, SPACE, DEV_VA, L4_MAP_READ);
        if (!err)
            l4_mem_unmap(SPACE, DEV_VA);
    }
    return err;
}

int role_rootsup(void)
{
    bool got =
        wait_filled(GOT_DEV, 1000) && wait_filled(GOT_IRQ, 1000) && wait_filled(GOT_CT, 1000);
    l4_err_t before = use_device(GOT_DEV);
    printf("rootsup: %s the giver's roots (device: %s); restarting the giver\n",
           got ? "holds" : "never got", l4_strerror(before));
    l4_err_t err = l4_container_restart(GIVER);
    printf("rootsup: restart: %s\n", l4_strerror(err));

    l4_err_t io = use_device(GOT_DEV);
    test_report("ATK-010", got && before == L4_OK && io == L4_ECAP,
                "after the giver's restart we still hold its device copy (slot %d type %lu, "
                "%s; %s before), and it holds the same device again",
                GOT_DEV, cap_info(GOT_DEV).type, l4_strerror(io), l4_strerror(before));
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
