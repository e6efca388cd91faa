/* SPDX-License-Identifier: BSD-2-Clause */
/* Demand paging example: a pager maps frames of its own memory into a client as it faults. */
#include "l4.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/thread.h>

#define FAULT_EP     16 /* pager: receive; client: send, badge 1 */
#define PAGER        17 /* client: the pager container, receive */
#define CLIENT_SPACE 20 /* pager: the client's space, granted by the client */
#define LABEL_DONE   2
#define AREA         0x30000000ull
#define PAGES        8

static int pager(void)
{
    l4_word_t tag, vector, addr, ip, code, badge, used = 0;
    l4_err_t err = l4_ipc_recv(FAULT_EP, 0, &tag, &vector, &addr, &ip, &code, &badge);

    while (!err && L4_TAG_LABEL(tag) == L4_LABEL_FAULT) {
        l4_word_t page = addr & ~(l4_word_t)(L4_PAGE_SIZE - 1), label = L4_FAULT_RESUME;
        if (vector != L4_FAULT_PAGE || used == 16 ||
            l4_mem_map(L4_SLOT_MEMORY, used * L4_PAGE_SIZE, CLIENT_SPACE, page,
                       L4_MAP_READ | L4_MAP_WRITE) != L4_OK) {
            printf("pager: cannot serve fault at %lx (vector %lu); stopping the thread\n", addr,
                   vector);
            label = 1;
        } else {
            printf("pager: client %lu faulted at %lx, mapped frame %lu there\n", badge, addr,
                   used++);
        }
        err = l4_ipc_reply_recv(FAULT_EP, L4_TAG(label, 0, 0), 0, 0, 0, 0, &tag, &vector, &addr,
                                &ip, &code, &badge);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    printf("pager: done after %lu pages\n", used);
    return 0;
}

static int client(void)
{
    l4_word_t x, sum = 0;

    /* let the pager map into our space, and send our faults to it */
    l4_cap_replicate(L4_SLOT_SPACE, 20);
    l4_cap_grant(20, PAGER, CLIENT_SPACE);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_FAULT_EP, FAULT_EP);
    volatile l4_word_t *area = (volatile l4_word_t *)AREA;
    for (l4_word_t i = 0; i < PAGES; i++)
        area[i * L4_PAGE_SIZE / sizeof(l4_word_t)] = i * i; // each first touch faults
    for (l4_word_t i = 0; i < PAGES; i++)
        sum += area[i * L4_PAGE_SIZE / sizeof(l4_word_t)];
    printf("client: wrote and read back %d demand-paged pages, sum of squares %lu\n", PAGES, sum);
    l4_ipc_call(FAULT_EP, L4_TAG(LABEL_DONE, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    return 0;
}

int main(const char *arg)
{
    return strcmp(arg, "pager") == 0 ? pager() : client();
}
