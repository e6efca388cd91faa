/* SPDX-License-Identifier: BSD-2-Clause */
/* Threads on static stacks: the tests start dozens, more than malloc's arena would hold. */
#include "futextest.h"

#include <coffer/thread.h>

#define STACK_SIZE 8192
#define FIRST_SLOT 20

static char stacks[NSTACKS][STACK_SIZE] __attribute__((aligned(16)));

l4_cap_t spawn_slot(unsigned k)
{
    return FIRST_SLOT + k;
}

/* The thread last on stack k must have ended; its capability, kept for its exit code, goes. */
l4_err_t spawn(unsigned k, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio)
{
    l4_word_t ip, sp;
    l4_err_t err;

    l4_thread_forget_ended(spawn_slot(k));
    sp = l4_thread_frame(stacks[k] + STACK_SIZE, fn, &ip);
    err = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, prio, spawn_slot(k), NULL);
    if (!err)
        err = l4_thread_exregs(spawn_slot(k), L4_EXREGS_ALL, ip, sp, arg, NULL, NULL);
    return err ? err : l4_thread_start(spawn_slot(k));
}
