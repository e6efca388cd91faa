/* SPDX-License-Identifier: BSD-2-Clause */
/* Ways for a thread to wait for good: the halt report must name each (tests/qemu STUCK-001). */
#include "l4.h"

#include <string.h>

#define SLOT_A 16 /* the object the mode waits on, from the system file */
#define SLOT_B 17

static void modes(const char *arg)
{
    l4_word_t x;

    if (strcmp(arg, "hold") == 0) { // take a call, answer never: the caller waits for a reply
        l4_ipc_recv(SLOT_A, 0, &x, &x, &x, &x, &x, &x);
        l4_ipc_recv(SLOT_B, 0, &x, &x, &x, &x, &x, &x);
    } else if (strcmp(arg, "call") == 0) {
        l4_ipc_call(SLOT_A, 0, 1, 2, 3, 4, &x, &x, &x, &x, &x, &x);
    } else if (strcmp(arg, "send") == 0) {
        l4_ipc_send(SLOT_A, 0, 1, 2, 3, 4);
    } else if (strcmp(arg, "recv") == 0) {
        l4_ipc_recv(SLOT_A, 0, &x, &x, &x, &x, &x, &x);
    } else if (strcmp(arg, "wait") == 0) {
        l4_notify_wait(SLOT_A, &x);
    } else if (strcmp(arg, "suspend") == 0) {
        l4_thread_suspend(L4_SLOT_THREAD);
    } else if (strcmp(arg, "fault") == 0) {
        *(volatile int *)0xbad000 = 1; // unmapped: an unhandled page fault
    } else {
        printf("stuck: unknown mode '%s'\n", arg);
        return;
    }
    printf("stuck: %s returned, which it must not\n", arg);
}

int main(const char *arg)
{
    printf("stuck: %s\n", arg);
    modes(arg);
    return 1;
}
