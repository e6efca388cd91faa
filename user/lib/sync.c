/* SPDX-License-Identifier: BSD-2-Clause */
/* Mutexes and condition variables: atomics in user space, futex calls only under contention. */
#include "sync.h"

#include <coffer/l4_stubs.h>

#define WAKE_ALL (~(l4_word_t)0)

l4_word_t l4_sync_futex_calls;

/* Every futex call of this library goes through these two, so that tests can count them. */
static void futex_wait(uint32_t *word, uint32_t expected)
{
    __atomic_fetch_add(&l4_sync_futex_calls, 1, __ATOMIC_RELAXED);
    /* ESTATE (the word moved on) and a wake-up both send the caller back to look again */
    l4_futex_wait((l4_word_t)word, expected);
}

static void futex_wake(uint32_t *word, l4_word_t n)
{
    __atomic_fetch_add(&l4_sync_futex_calls, 1, __ATOMIC_RELAXED);
    l4_futex_wake((l4_word_t)word, n, NULL);
}

static uint32_t swap(uint32_t *word, uint32_t v)
{
    return __atomic_exchange_n(word, v, __ATOMIC_ACQUIRE);
}

/* Take m, marking it contended: used once a thread has had to wait, since others may too. */
static void lock_contended(struct l4_mutex *m, uint32_t c)
{
    if (c != 2)
        c = swap(&m->state, 2);
    while (c != 0) {
        futex_wait(&m->state, 2);
        c = swap(&m->state, 2);
    }
}

bool l4_mutex_trylock(struct l4_mutex *m)
{
    uint32_t c = 0;

    return __atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

void l4_mutex_lock(struct l4_mutex *m)
{
    uint32_t c = 0;

    if (__atomic_compare_exchange_n(&m->state, &c, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
        return; // uncontended: no system call
    lock_contended(m, c);
}

void l4_mutex_unlock(struct l4_mutex *m)
{
    if (__atomic_fetch_sub(&m->state, 1, __ATOMIC_RELEASE) == 1)
        return; // it was 1: nobody waits
    __atomic_store_n(&m->state, 0, __ATOMIC_RELEASE);
    futex_wake(&m->state, 1);
}

/*
 * The waiter counts itself before it reads seq, and a signaller bumps seq before
 * it reads the count (both sequentially consistent): either the signaller sees
 * the waiter and wakes it, or the waiter's futex_wait finds seq moved on and
 * returns at once. No signal is lost, and none costs a call when nobody waits.
 */
void l4_cond_wait(struct l4_cond *c, struct l4_mutex *m)
{
    __atomic_fetch_add(&c->waiters, 1, __ATOMIC_SEQ_CST);
    uint32_t seq = __atomic_load_n(&c->seq, __ATOMIC_SEQ_CST);
    l4_mutex_unlock(m);
    futex_wait(&c->seq, seq);
    __atomic_fetch_sub(&c->waiters, 1, __ATOMIC_SEQ_CST);
    lock_contended(m, 1);
}

static void cond_wake(struct l4_cond *c, l4_word_t n)
{
    __atomic_fetch_add(&c->seq, 1, __ATOMIC_SEQ_CST);
    if (__atomic_load_n(&c->waiters, __ATOMIC_SEQ_CST))
        futex_wake(&c->seq, n);
}

void l4_cond_signal(struct l4_cond *c)
{
    cond_wake(c, 1);
}

void l4_cond_broadcast(struct l4_cond *c)
{
    cond_wake(c, WAKE_ALL);
}
