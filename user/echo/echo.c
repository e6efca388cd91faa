/* SPDX-License-Identifier: BSD-2-Clause */
/* The two-container echo example: a server answering calls, a client calling it. */
#include "l4.h"

#include <coffer/ipc.h>

#define EP         16 /* the endpoint: receive right for the server, send for the client */
#define LABEL_ECHO 1
#define LABEL_QUIT 2

/* Reply to every call with its words, each plus one; the badge says who called. */
static int server(void)
{
    l4_word_t tag, m0, m1, m2, m3, badge;
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &m0, &m1, &m2, &m3, &badge);

    while (!err && L4_TAG_LABEL(tag) != LABEL_QUIT) {
        printf("echo server: call from badge %lu: %lu %lu\n", badge, m0, m1);
        err = l4_ipc_reply_recv(EP, L4_TAG(LABEL_ECHO, 4, 0), m0 + 1, m1 + 1, m2 + 1, badge, &tag,
                                &m0, &m1, &m2, &m3, &badge);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    printf("echo server: quitting (%s)\n", l4_strerror(err));
    return 0;
}

#define CONSOLE 17 /* client: the console server, if the system file gives one */

static int client(void)
{
    l4_word_t type = 0;
    bool console = l4_cap_read(CONSOLE, &type, NULL, NULL, NULL, NULL, NULL) == L4_OK &&
                   type == L4_CAP_ENDPOINT;

    for (l4_word_t i = 0; i < 3; i++) {
        l4_word_t tag, r0, r1, r2, r3, badge;
        l4_err_t err = l4_ipc_call(EP, L4_TAG(LABEL_ECHO, 2, 0), 10 * i, 100 * i, 0, 0, &tag, &r0,
                                   &r1, &r2, &r3, &badge);
        if (console)
            console_printf(CONSOLE,
                           "echo client (via the console): sent %lu %lu, got %lu %lu (%s)\n",
                           10 * i, 100 * i, r0, r1, l4_strerror(err));
        else
            printf("echo client: sent %lu %lu, got %lu %lu (%s)\n", 10 * i, 100 * i, r0, r1,
                   l4_strerror(err));
    }
    l4_word_t x;
    l4_err_t err = l4_ipc_call(EP, L4_TAG(LABEL_QUIT, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    printf("TEST CFG-001 %s configured channel: %s\n", err ? "FAIL" : "PASS", l4_strerror(err));
    return 0;
}

/* Holds no capability to the server: no slot of its table can reach it. */
static int intruder(void)
{
    unsigned reached = 0;
    l4_word_t x;

    for (l4_cap_t slot = 0; slot < 64; slot++) {
        l4_err_t err = l4_ipc_call(slot, L4_TAG(LABEL_ECHO, 0, L4_IPC_NONBLOCK), 0, 0, 0, 0, &x, &x,
                                   &x, &x, &x, &x);
        reached += err != L4_ECAP;
    }
    printf("TEST CFG-002 %s %u slots reached an endpoint\n", reached ? "FAIL" : "PASS", reached);
    return 0;
}

int main(const char *arg)
{
    if (strcmp(arg, "intruder") == 0)
        return intruder();
    return strcmp(arg, "server") == 0 ? server() : client();
}
