/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4's l4_mutex and l4_cond: SYNC-001..005. */
#include "sync.h"

#include "futextest.h"

#define ROUNDS 3000 /* increments per thread */
#define ITEMS  300  /* produced and consumed */
#define SLOTS  4    /* the bounded buffer */

/* --- contention: threads of three priorities increment one counter ------------------- */

static struct l4_mutex lock = L4_MUTEX_INIT;
static long counter;
static uint32_t gate;    /* bumped to let the waiting high threads in */
static uint32_t openers; /* low threads still running: while there are some, the gate opens */
static uint32_t go;      /* 0 until every incrementer is started: they begin together */

/* High threads wait at the gate now and then, so that they wake while a low one holds the lock. */
static void wait_at_gate(void)
{
    uint32_t g = __atomic_load_n(&gate, __ATOMIC_SEQ_CST);

    if (__atomic_load_n(&openers, __ATOMIC_SEQ_CST))
        l4_futex_wait((l4_word_t)&gate, g);
}

static void open_gate(void)
{
    __atomic_fetch_add(&gate, 1, __ATOMIC_SEQ_CST);
    l4_futex_wake((l4_word_t)&gate, WAKE_ALL, NULL);
}

/* arg: 1 for a low thread (opens the gate inside the lock, yields to its twin), 0 for a high. */
static long incrementer(l4_word_t low)
{
    while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
        l4_futex_wait((l4_word_t)&go, 0);
    for (int i = 0; i < ROUNDS; i++) {
        l4_mutex_lock(&lock);
        long v = counter;
        if (low && i % 16 == 0)
            open_gate(); // the high ones preempt us here and find the lock taken
        if (low && i % 8 == 4)
            l4_thread_yield(); // and our twin of the same priority finds it taken too
        counter = v + 1;
        l4_mutex_unlock(&lock);
        if (!low && i % 16 == 0)
            wait_at_gate();
    }
    if (low) {
        __atomic_fetch_sub(&openers, 1, __ATOMIC_SEQ_CST);
        open_gate(); // nobody may stay at a gate no one will open
    }
    return 0;
}

static void contention(void)
{
    l4_word_t calls = l4_sync_futex_calls;

    openers = 2;
    spawn(0, incrementer, 1, 40);
    spawn(1, incrementer, 1, 40);
    spawn(2, incrementer, 0, 50);
    spawn(3, incrementer, 0, 60);
    go = 1;
    l4_futex_wake((l4_word_t)&go, WAKE_ALL, NULL);
    /* we run again once all four are blocked or done: done, unless a wake-up was lost */
    test_report("SYNC-001", counter == 4 * ROUNDS && lock.state == 0,
                "counter %ld, expected %d, lock state %u", counter, 4 * ROUNDS, lock.state);
    test_report("SYNC-002", l4_sync_futex_calls - calls > 0,
                "no futex call: the threads never contended, the test tests nothing");
}

/* --- condition variables: a bounded buffer, one producer, two consumers -------------- */

static struct l4_mutex buf_lock = L4_MUTEX_INIT;
static struct l4_cond nonempty = L4_COND_INIT, nonfull = L4_COND_INIT;
static long buf[SLOTS], consumed_sum, consumed_n;
static unsigned head, count;
static bool closed;

static long producer(l4_word_t arg)
{
    (void)arg;
    for (long i = 1; i <= ITEMS; i++) {
        l4_mutex_lock(&buf_lock);
        while (count == SLOTS)
            l4_cond_wait(&nonfull, &buf_lock);
        buf[(head + count++) % SLOTS] = i;
        l4_cond_signal(&nonempty);
        l4_mutex_unlock(&buf_lock);
    }
    l4_mutex_lock(&buf_lock);
    closed = true;
    l4_cond_broadcast(&nonempty);
    l4_mutex_unlock(&buf_lock);
    return 0;
}

static long consumer(l4_word_t arg)
{
    (void)arg;
    for (;;) {
        l4_mutex_lock(&buf_lock);
        while (count == 0 && !closed)
            l4_cond_wait(&nonempty, &buf_lock);
        if (count == 0) {
            l4_mutex_unlock(&buf_lock);
            return 0;
        }
        long v = buf[head];
        head = (head + 1) % SLOTS;
        count--;
        consumed_sum += v;
        consumed_n++;
        l4_cond_signal(&nonfull);
        l4_mutex_unlock(&buf_lock);
    }
}

static void producer_consumer(void)
{
    spawn(0, consumer, 0, 50);
    spawn(1, consumer, 0, 40);
    spawn(2, producer, 0, 45);
    test_report("SYNC-003", consumed_n == ITEMS && consumed_sum == ITEMS * (ITEMS + 1) / 2,
                "consumed %ld items summing to %ld, expected %d summing to %d", consumed_n,
                consumed_sum, ITEMS, ITEMS * (ITEMS + 1) / 2);
}

/* --- uncontended: no system call at all --------------------------------------------- */

static void uncontended(void)
{
    struct l4_mutex m = L4_MUTEX_INIT;
    struct l4_cond c = L4_COND_INIT;
    l4_word_t calls = l4_sync_futex_calls;
    bool try_free = true, try_taken = false;

    for (int i = 0; i < 1000; i++) {
        l4_mutex_lock(&m);
        l4_mutex_unlock(&m);
        l4_cond_signal(&c);
        l4_cond_broadcast(&c);
    }
    try_free = l4_mutex_trylock(&m);
    try_taken = l4_mutex_trylock(&m);
    l4_mutex_unlock(&m);
    test_report("SYNC-004", l4_sync_futex_calls == calls && m.state == 0,
                "%lu futex calls for uncontended locks and signals nobody waits for",
                l4_sync_futex_calls - calls);
    test_report("SYNC-005", try_free && !try_taken, "trylock of a free mutex %d, of a taken one %d",
                try_free, try_taken);
}

void sync_tests(void)
{
    uncontended();
    contention();
    producer_consumer();
}
