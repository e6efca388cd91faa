/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * futex: WAIT, WAKE, their BITSET forms, REQUEUE and CMP_REQUEUE, with timeouts.
 *
 * A waiter is keyed by (address space, user address): threads sharing an mm share their
 * futexes, and two processes never meet through one, shared memory or not (docs/
 * linux-signals.md). Each waiter is a task asleep in this call, its record on its worker's
 * stack, so there are never more waiters than tasks. Checking the futex word and queueing
 * happen under lx_lock, and so does every wake: a wake cannot slip in between.
 */
#include "lx_sig.h"

#define FUTEX_WAIT           0
#define FUTEX_WAKE           1
#define FUTEX_REQUEUE        3
#define FUTEX_CMP_REQUEUE    4
#define FUTEX_WAIT_BITSET    9
#define FUTEX_WAKE_BITSET    10
#define FUTEX_PRIVATE_FLAG   128
#define FUTEX_CLOCK_REALTIME 256
#define FUTEX_BITSET_ALL     0xffffffffu

struct waiter {
    struct lx_mm *mm;
    uint64_t uaddr;
    uint32_t bitset;
    bool woken;
    struct lx_waitq q;
    struct waiter *next;
};

static struct waiter *waiters; /* in the order they came: woken first come, first served */

static void unlink_waiter(struct waiter *w)
{
    for (struct waiter **p = &waiters; *p; p = &(*p)->next) {
        if (*p == w) {
            *p = w->next;
            return;
        }
    }
}

/* Wake up to n waiters on (mm, uaddr) whose bitset meets bits; how many woke. As Linux's,
 * a count below 1 still wakes one. */
static int wake(struct lx_mm *mm, uint64_t uaddr, int n, uint32_t bits)
{
    int woken = 0;

    for (struct waiter **p = &waiters; *p;) {
        struct waiter *w = *p;
        if (w->mm != mm || w->uaddr != uaddr || !(w->bitset & bits)) {
            p = &w->next;
            continue;
        }
        *p = w->next;
        w->woken = true;
        lx_wake(&w->q);
        if (++woken >= n)
            break;
    }
    return woken;
}

void lx_futex_wake_addr(struct lx_mm *mm, uint64_t uaddr, int n)
{
    wake(mm, uaddr, n, FUTEX_BITSET_ALL);
}

/* Move waiters on uaddr: n woken, up to n2 more moved to uaddr2 */
static int requeue(struct lx_mm *mm, uint64_t uaddr, int n, uint64_t uaddr2, int n2)
{
    int woken = n > 0 ? wake(mm, uaddr, n, FUTEX_BITSET_ALL) : 0, moved = 0;

    for (struct waiter *w = waiters; w && moved < n2; w = w->next) {
        if (w->mm == mm && w->uaddr == uaddr) {
            w->uaddr = uaddr2;
            moved++;
        }
    }
    return woken + moved;
}

static long futex_wait(struct lx_task *t, uint64_t uaddr, uint32_t val, uint64_t deadline,
                       uint32_t bitset)
{
    uint32_t now;
    struct waiter w = {.mm = t->proc->mm, .uaddr = uaddr, .bitset = bitset};

    if (lx_copy_in(t, &now, uaddr, sizeof(now)))
        return -LX_EFAULT;
    if (now != val)
        return -LX_EAGAIN;
    struct waiter **tail = &waiters;
    while (*tail)
        tail = &(*tail)->next;
    *tail = &w;
    for (;;) {
        int r = lx_sleep(t, &w.q, deadline);
        if (w.woken)
            return 0;
        if (r == -LX_ETIMEDOUT || r == -LX_EINTR) {
            unlink_waiter(&w);
            return r;
        }
    }
}

/* The plain forms mean every bit; the BITSET forms must name one. A futex is 4-aligned. */
static bool bits_and_address(bool plain, uint32_t *bitset, uint64_t uaddr)
{
    if (plain)
        *bitset = FUTEX_BITSET_ALL;
    return *bitset && uaddr % 4 == 0;
}

long sys_futex(struct lx_task *t, const uint64_t a[6])
{
    uint64_t uaddr = a[0], deadline = 0;
    int op = (int)a[1], cmd = op & ~(FUTEX_PRIVATE_FLAG | FUTEX_CLOCK_REALTIME);
    uint32_t val = (uint32_t)a[2], bitset = (uint32_t)a[5];
    struct lx_timespec ts;

    if ((op & FUTEX_CLOCK_REALTIME) && cmd != FUTEX_WAIT_BITSET)
        return -LX_ENOSYS;
    switch (cmd) {
    case FUTEX_WAIT:
    case FUTEX_WAIT_BITSET:
        if (a[3]) {
            int err = lx_timespec_in(t, a[3], &ts);
            if (err)
                return err;
            uint64_t ns = lx_timespec_ns(&ts);
            if (cmd == FUTEX_WAIT)
                deadline = lx_deadline_after(ns); /* relative */
            else if (op & FUTEX_CLOCK_REALTIME)
                deadline = lx_deadline_from_wall(ns);
            else
                deadline = ns ? ns : 1; /* absolute, monotonic */
        }
        if (!bits_and_address(cmd == FUTEX_WAIT, &bitset, uaddr))
            return -LX_EINVAL;
        return futex_wait(t, uaddr, val, deadline, bitset);
    case FUTEX_WAKE:
    case FUTEX_WAKE_BITSET:
        if (!bits_and_address(cmd == FUTEX_WAKE, &bitset, uaddr))
            return -LX_EINVAL;
        return wake(t->proc->mm, uaddr, (int)val, bitset);
    case FUTEX_REQUEUE:
    case FUTEX_CMP_REQUEUE: {
        int n = (int)val, n2 = (int)a[3]; /* the timeout's register is a count here */
        uint32_t now;
        if (n < 0 || n2 < 0)
            return -LX_EINVAL;
        if (uaddr % 4 || a[4] % 4)
            return -LX_EINVAL;
        if (cmd == FUTEX_CMP_REQUEUE) {
            if (lx_copy_in(t, &now, uaddr, sizeof(now)))
                return -LX_EFAULT;
            if (now != (uint32_t)a[5])
                return -LX_EAGAIN;
        }
        return requeue(t->proc->mm, uaddr, n, a[4], n2);
    }
    default:
        return -LX_ENOSYS; /* WAKE_OP, the PI and the rest: not done */
    }
}
