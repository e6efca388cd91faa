/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Second security review (RV-2xx): the code that had no review yet: dead threads' units
 * (d9713e5), boot roots (0d6b3ac), bindings that last no longer than the authority to make
 * them (c268a61, 9da3c75), and the per-capability pool check (1712ef3). One program, a role
 * per container (args "role:mode"); the systems are tests/qemu/systems/rv2-*.toml.
 *
 * IPC roles (rv2-recv.toml, rv2-send.toml): the host lends the guest a copy of its own space
 * capability; the guest binds a thread T ("the stranger") to the host's space, and T then
 * sends that only copy back to the host through an IPC capability transfer. The transfer
 * takes the guest's authority to keep T there, so the kernel kills T inside the IPC path,
 * in the middle of endpoint_send (T is current) or endpoint_recv (T is the queued sender).
 *  RV-201 (recv): T sends (blocking) first, the host receives later: the kernel kills the
 *           dequeued sender.
 *  RV-202 (call): the host waits first, T calls: the kernel kills T, then blocks it as a
 *           caller. A dead thread must never run again, and the host's reply finds no caller.
 *  RV-203 (send): as RV-202 with a send, not a call.
 */
#include "rv2.h"

#include <coffer/syscall_nr.h>

volatile l4_word_t stranger_ran; /* set by T in the host's memory after its IPC returned */
volatile l4_word_t stranger_err;

void wait_note(l4_cap_t ntf)
{
    l4_word_t bits;

    l4_notify_wait(ntf, &bits);
}

/* T: runs in the host's space (this program is at the same address there). */
static long stranger(l4_word_t mode)
{
    struct l4_utcb *u = (struct l4_utcb *)UTCB_VA;
    l4_err_t err;

    if (mode == 'x') { /* RV-230: just run in the host's memory */
        for (;;) {
            stranger_ran++;
            l4_thread_yield();
        }
    }
    u->cap_send = G_SPACE;
    if (mode == 'c')
        err = l4_ipc_call(G_EP, L4_TAG(0, 0, L4_IPC_CAP), 1, 2, 3, 4, NULL, NULL, NULL, NULL, NULL,
                          NULL);
    else
        err = l4_ipc_send(G_EP, L4_TAG(0, 0, L4_IPC_CAP), 1, 2, 3, 4);
    stranger_err = (l4_word_t)err;
    stranger_ran++; /* a dead thread writing into the host's memory */
    for (;;)
        l4_thread_yield();
    return 0;
}

static int role_guest(char mode)
{
    wait_note(G_WAKE);
    l4_err_t err = l4_mem_map(MEM, 0, G_SPACE, STACK_VA, L4_MAP_READ | L4_MAP_WRITE);
    if (!err)
        err = l4_mem_map(MEM, 4096, G_SPACE, UTCB_VA, L4_MAP_READ | L4_MAP_WRITE);
    if (!err)
        err = l4_thread_create(POOL_THR, G_SPACE, 100, G_T, NULL);
    if (!err)
        err = l4_thread_configure(G_T, L4_THREAD_UTCB, UTCB_VA);
    if (!err)
        err = l4_thread_exregs(G_T, L4_EXREGS_ALL, (l4_word_t)stranger,
                               L4_ENTRY_SP(STACK_VA + 4096), (l4_word_t)mode, NULL, NULL);
    if (!err)
        err = l4_thread_start(G_T);
    printf("guest: stranger in the host's space started: %s\n", l4_strerror(err));
    l4_notify_signal(G_KICK);
    wait_note(G_WAKE);
    if (mode == 'x') {
        struct cap_info i = cap_info(G_SPACE);
        printf("guest: our copy of the host's space: rights %lx (bind %s)\n", i.rights,
               i.rights & L4_SPACE_BIND ? "kept" : "gone");
        l4_notify_signal(G_KICK);
        wait_note(G_WAKE);
    }
    printf("guest: done (our space copy %s, our thread capability %s)\n",
           slot_empty(G_SPACE) ? "gone" : "kept", slot_empty(G_T) ? "gone" : "kept");
    return 0;
}

static int host_split(void)
{
    for (unsigned i = 0; i < 2000 && stranger_ran == 0; i++)
        l4_thread_yield();
    l4_word_t c0 = stranger_ran;
    /* BIND leaves our space capability and every copy made from it, the guest's too */
    l4_err_t err = l4_cap_split(SPACE, H_GOT, L4_SPACE_BIND);
    l4_notify_signal(H_KICK); /* the guest looks at its copy */
    wait_note(H_WAKE);
    l4_word_t c1 = stranger_ran;
    yield_n(100);
    l4_word_t c2 = stranger_ran;
    test_report("RV-230", c0 != 0 && err == L4_OK && c2 == c1,
                "split %s; the guest's thread still runs in our space after its container lost "
                "L4_SPACE_BIND (counter %lu -> %lu -> %lu)",
                l4_strerror(err), c0, c1, c2);
    l4_cap_destroy(H_GOT); /* no BIND left anywhere */
    yield_n(100);
    printf("host: after destroying the split-off BIND the stranger %s (counter %lu -> %lu)\n",
           stranger_ran == c2 + 0 ? "stopped" : "still runs", c2, stranger_ran);
    l4_notify_signal(H_KICK);
    printf("host: done\n");
    return 0;
}

static int role_host(char mode)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t tag = 0, m0 = 0;
    const char *id = mode == 'r' ? "RV-201" : mode == 'c' ? "RV-202" : "RV-203";

    l4_cap_replicate(SPACE, H_COPY);
    l4_err_t g = l4_cap_grant(H_COPY, H_GUEST, G_SPACE);
    u->cap_recv = H_GOT;
    u->cap_received = 0;
    printf("host: lent our space to the guest: %s; mode %c\n", l4_strerror(g), mode);
    l4_notify_signal(H_KICK);
    if (mode == 'x')
        return host_split();
    if (mode == 'r') {
        wait_note(H_WAKE); /* T is created and started */
        yield_n(50);       /* T blocks in its send: nobody receives yet */
    }
    l4_err_t r = l4_ipc_recv(H_EP, 0, &tag, &m0, NULL, NULL, NULL, NULL);
    printf("host: received %s, tag %lx, word %lu, capability %s\n", l4_strerror(r), tag, m0,
           u->cap_received ? "arrived" : "did not arrive");
    l4_err_t rep = L4_ESTATE;
    if (mode == 'c')
        rep = l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    if (mode != 'r')
        wait_note(H_WAKE);
    yield_n(200);
    test_report(id, r == L4_OK && u->cap_received == 1 && stranger_ran == 0 && rep == L4_ESTATE,
                "recv %s, capability %s, reply to the dead caller %s, the killed stranger ran %lu "
                "time(s) afterwards (its IPC returned %s)",
                l4_strerror(r), u->cap_received ? "arrived" : "missing", l4_strerror(rep),
                stranger_ran, l4_strerror((l4_err_t)stranger_err));
    l4_notify_signal(H_KICK);
    printf("host: done\n");
    return 0;
}

int main(const char *arg)
{
    char mode = strlen(arg) > 5 ? arg[5] : 0;

    if (strncmp(arg, "host:", 5) == 0)
        return role_host(mode);
    if (strncmp(arg, "guest:", 6) == 0)
        return role_guest(arg[6]);
    if (strcmp(arg, "perf") == 0)
        return role_perf();
    if (strcmp(arg, "lender") == 0)
        return role_lender();
    if (strcmp(arg, "sink") == 0)
        return role_sink();
    if (strcmp(arg, "boot") == 0)
        return role_boot();
    if (strcmp(arg, "nothing") == 0)
        return 0;
    printf("rv2: unknown role '%s'\n", arg);
    return 1;
}
