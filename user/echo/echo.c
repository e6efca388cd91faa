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

static int client(void)
{
    for (l4_word_t i = 0; i < 3; i++) {
        l4_word_t tag, r0, r1, r2, r3, badge;
        l4_err_t err = l4_ipc_call(EP, L4_TAG(LABEL_ECHO, 2, 0), 10 * i, 100 * i, 0, 0, &tag, &r0,
                                   &r1, &r2, &r3, &badge);
        printf("echo client: sent %lu %lu, got %lu %lu (%s)\n", 10 * i, 100 * i, r0, r1,
               l4_strerror(err));
    }
    l4_word_t x;
    l4_ipc_call(EP, L4_TAG(LABEL_QUIT, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    return 0;
}

int main(const char *arg)
{
    return strcmp(arg, "server") == 0 ? server() : client();
}
