/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RV-220: a root the kernel gave at boot (CAP_BOOT) moved within its own table (cap_grant to
 * its own container, allowed) keeps its flag: from the new slot it still cannot leave the
 * container; a copy of it can. RV-221: the same by IPC to another container.
 */
#include "rv2.h"

#define B_SELF  16 /* our own container: receive */
#define B_SINK  17 /* the sink's container: receive */
#define B_ROOT  21 /* an endpoint capability the system file gives (boot root) */
#define B_EP    20 /* the sink's endpoint: send, transfer */
#define B_MOVED 40
#define B_COPY  41

int role_boot(void)
{
    l4_err_t a = l4_cap_grant(B_ROOT, B_SELF, B_MOVED);
    l4_err_t b = l4_cap_grant(B_MOVED, B_SINK, 30);
    l4_err_t c = l4_cap_replicate(B_MOVED, B_COPY);
    if (!c)
        c = l4_cap_grant(B_COPY, B_SINK, 31);
    test_report("RV-220", a == L4_OK && b == L4_EINVAL && c == L4_OK,
                "move within the table %s, grant of the moved root %s (want EINVAL), of a copy %s",
                l4_strerror(a), l4_strerror(b), l4_strerror(c));
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    u->cap_send = B_MOVED;
    l4_err_t s = l4_ipc_send(B_EP, L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0);
    struct cap_info i = cap_info(B_MOVED);
    test_report("RV-221", s == L4_OK && i.type == L4_CAP_ENDPOINT, "send %s; the moved root is %s",
                l4_strerror(s), i.type == L4_CAP_ENDPOINT ? "still ours" : "gone");
    printf("boot: done\n");
    return 0;
}

int role_sink(void)
{
    struct l4_utcb *u = (struct l4_utcb *)L4_UTCB_MAIN;
    l4_word_t tag = 0;

    u->cap_recv = 32;
    l4_err_t r = l4_ipc_recv(16, 0, &tag, NULL, NULL, NULL, NULL, NULL);
    printf("sink: received %s, capability %s\n", l4_strerror(r),
           u->cap_received ? "arrived" : "did not arrive");
    return 0;
}
