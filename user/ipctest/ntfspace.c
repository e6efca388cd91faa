/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * IPC-087 (tests/qemu/systems/ntfspace.toml): a notification ping-pong between two containers
 * at one priority, each in its own address space. Each wait that blocks finds the other
 * ready, woken from a wait the fastpath blocked (ntf_resume), and the notification fastpath
 * (kernel/arch/x86_64/notify_fast.S) switches to it straight from its frame: that switch must
 * load the other's page tables. Each side counts its rounds in its own memory, at the same
 * address in both programs: a side that ran in the other's space would count there.
 */
#include "ntfspace.h"

#include "test.h"

#include <string.h>

#define OWN    40 /* our notification: we wait on it */
#define OTHER  41 /* the other's: we signal it */
#define ROUNDS 20

static volatile l4_word_t mine; /* our rounds: only we write it */

static int pong(void)
{
    l4_word_t bits;

    for (int i = 0; i < ROUNDS; i++) {
        l4_notify_wait(OWN, &bits);
        mine++;
        l4_notify_signal(OTHER);
    }
    return mine == ROUNDS ? 0 : 1;
}

static int ping(void)
{
    l4_word_t bits;
    l4_err_t err = L4_OK;

    l4_thread_yield(); // pong waits first
    for (int i = 0; i < ROUNDS && !err; i++) {
        err = l4_notify_signal(OTHER);
        err = err ? err : l4_notify_wait(OWN, &bits);
    }
    test_report("IPC-087", err == L4_OK && mine == 0,
                "%s; %lu rounds counted in our memory, which only the other side counts in its own",
                l4_strerror(err), mine);
    return 0;
}

int ntfspace_main(const char *arg)
{
    return strcmp(arg, "ntfpong") == 0 ? pong() : ping();
}
