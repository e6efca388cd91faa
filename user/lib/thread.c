/* SPDX-License-Identifier: BSD-2-Clause */
/* Starting a function as a new thread in the caller's space. */
#include "l4.h"

#include <coffer/thread.h>

l4_err_t l4_thread_spawn(long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, l4_cap_t dest)
{
    return l4_thread_spawn_in(L4_SLOT_POOL(L4_POOL_THREADS), fn, arg, prio, dest);
}

l4_err_t l4_thread_spawn_in(l4_cap_t pool, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio,
                            l4_cap_t dest)
{
    l4_err_t err = l4_thread_prepare(pool, L4_SLOT_SPACE, fn, arg, prio, dest);

    return err ? err : l4_thread_start(dest);
}

/*
 * A thread that ended keeps its slot for its exit code (thread_wait) until its capability
 * goes: a new thread put in that slot forgets it. Each step asks only what cannot be refused
 * (cap_next does not complain of an empty slot), so no rejection is reported for nothing.
 */
void l4_thread_forget_ended(l4_cap_t dest)
{
    l4_word_t found = 0, type = 0, code;

    if (l4_cap_next(dest, &found) != L4_OK || found != dest ||
        l4_cap_read(dest, &type, NULL, NULL, NULL, NULL, NULL) != L4_OK || type != L4_CAP_THREAD)
        return;
    if (l4_thread_wait(dest, L4_WAIT_NONBLOCK, &code) == L4_OK)
        l4_thread_destroy(dest);
}

l4_err_t l4_thread_prepare(l4_cap_t pool, l4_cap_t space, long (*fn)(l4_word_t), l4_word_t arg,
                           l4_word_t prio, l4_cap_t dest)
{
    char *stack = malloc(SPAWN_STACK_SIZE);

    if (!stack)
        return L4_ENOMEM;
    l4_thread_forget_ended(dest);
    l4_word_t ip, sp = l4_thread_frame(stack + SPAWN_STACK_SIZE, fn, &ip);
    l4_err_t err = l4_thread_create(pool, space, prio, dest, NULL);
    if (!err)
        err = l4_thread_exregs(dest, L4_EXREGS_ALL, ip, sp, arg, NULL, NULL);
    if (err)
        free(stack);
    return err;
}
