/* SPDX-License-Identifier: BSD-2-Clause */
/* make run SYSTEM=mutex: a kitchen of cooks and waiters sharing a counter and a hatch. */
#include "l4.h"
#include "sync.h"

#include <coffer/thread.h>

#define DISHES  12 /* cooked, passed through the hatch, served */
#define HATCH   3  /* dishes the hatch holds */
#define TICKETS 2000

static struct l4_mutex lock = L4_MUTEX_INIT;
static struct l4_cond has_dish = L4_COND_INIT, has_room = L4_COND_INIT;
static int hatch[HATCH], in_hatch, next_in, next_out, served, tickets;
static bool closed;
static uint32_t go;

/* Cooks put dishes in the hatch, waiting while it is full. */
static long cook(l4_word_t id)
{
    for (int d = (int)id; d <= DISHES; d += 2) {
        l4_mutex_lock(&lock);
        while (in_hatch == HATCH)
            l4_cond_wait(&has_room, &lock);
        hatch[next_in] = d;
        next_in = (next_in + 1) % HATCH;
        in_hatch++;
        printf("cook %lu: dish %d in the hatch (%d there)\n", id, d, in_hatch);
        l4_cond_signal(&has_dish);
        l4_mutex_unlock(&lock);
    }
    return 0;
}

/* Waiters take dishes out, waiting while the hatch is empty, until the kitchen closes. */
static long waiter(l4_word_t id)
{
    for (;;) {
        l4_mutex_lock(&lock);
        while (in_hatch == 0 && !closed)
            l4_cond_wait(&has_dish, &lock);
        if (in_hatch == 0) {
            l4_mutex_unlock(&lock);
            return 0;
        }
        int d = hatch[next_out];
        next_out = (next_out + 1) % HATCH;
        in_hatch--;
        served++;
        printf("waiter %lu: served dish %d (%d left there)\n", id, d, in_hatch);
        l4_cond_signal(&has_room);
        l4_mutex_unlock(&lock);
    }
}

/* Ticket clerks of two priorities hand out numbered tickets from one counter. */
static long clerk(l4_word_t id)
{
    (void)id;
    while (!__atomic_load_n(&go, __ATOMIC_SEQ_CST))
        l4_futex_wait((l4_word_t)&go, 0);
    for (int i = 0; i < TICKETS; i++) {
        l4_mutex_lock(&lock);
        int t = tickets;
        if (i % 64 == 0)
            l4_thread_yield(); // let a twin find the lock taken
        tickets = t + 1;
        l4_mutex_unlock(&lock);
    }
    return 0;
}

static void spawn(long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, l4_cap_t slot)
{
    l4_err_t err = l4_thread_spawn(fn, arg, prio, slot);

    if (err)
        printf("mutexdemo: cannot start a thread: %s\n", l4_strerror(err));
}

int main(const char *arg)
{
    (void)arg;
    /* below everyone we start: we run again only when they are all blocked or done */
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, 10);
    /* the cooks outrank the waiters: the hatch fills and they wait for room */
    spawn(waiter, 1, 40, 20);
    spawn(waiter, 2, 45, 21);
    spawn(cook, 1, 50, 22);
    spawn(cook, 2, 50, 23);
    l4_mutex_lock(&lock);
    closed = true;
    l4_cond_broadcast(&has_dish);
    l4_mutex_unlock(&lock);
    printf("mutexdemo: %d of %d dishes served\n", served, DISHES);

    l4_word_t calls = l4_sync_futex_calls;
    for (l4_word_t c = 0; c < 3; c++) // two of priority 40 contend; the one of 50 goes first
        spawn(clerk, c, c == 2 ? 50 : 40, 24 + c);
    go = 1;
    l4_futex_wake((l4_word_t)&go, ~(l4_word_t)0, NULL);
    printf("mutexdemo: 3 clerks handed out %d tickets (expected %d); the lock was contended "
           "%lu times\n",
           tickets, 3 * TICKETS, l4_sync_futex_calls - calls);
    return 0;
}
