/* SPDX-License-Identifier: BSD-2-Clause */
/* Mutexes and condition variables for the threads of one space, over futex_wait/futex_wake. */
#ifndef USER_SYNC_H
#define USER_SYNC_H

#include <coffer/types.h>
#include <stdbool.h>
#include <stdint.h>

/*
 * A mutex is one 32-bit word: 0 unlocked, 1 locked, 2 locked and someone may
 * wait (Drepper, "Futexes are tricky", mutex 3). Taking a free mutex and
 * giving back one nobody waits for are one atomic instruction each, with no
 * system call; only a thread that finds it taken enters the kernel (futex_wait),
 * and only an unlock that may have waiters wakes one (futex_wake). Futexes are
 * keyed by (space, address): these work between threads of one space only.
 */
struct l4_mutex {
    uint32_t state;
};
#define L4_MUTEX_INIT                                                                              \
    {                                                                                              \
        0                                                                                          \
    }

void l4_mutex_lock(struct l4_mutex *m);
/* Take m if it is free; false (and no wait) if it is taken. */
bool l4_mutex_trylock(struct l4_mutex *m);
void l4_mutex_unlock(struct l4_mutex *m);

/*
 * A condition variable: a sequence number waiters sleep on, and a count of
 * waiters so that a signal nobody waits for makes no system call. A wait may
 * return without a signal (as with POSIX): wait in a loop on the condition.
 */
struct l4_cond {
    uint32_t seq;
    uint32_t waiters;
};
#define L4_COND_INIT                                                                               \
    {                                                                                              \
        0, 0                                                                                       \
    }

/* Unlock m, sleep until signalled, lock m again. The caller must hold m. */
void l4_cond_wait(struct l4_cond *c, struct l4_mutex *m);
/* Wake one waiter / every waiter. */
void l4_cond_signal(struct l4_cond *c);
void l4_cond_broadcast(struct l4_cond *c);

/* How many futex system calls this library made (every thread's): tests count them. */
extern l4_word_t l4_sync_futex_calls;

#endif
