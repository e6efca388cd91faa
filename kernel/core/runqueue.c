/* SPDX-License-Identifier: BSD-2-Clause */
/* Ready queues: one FIFO per priority and a bitmap to find the highest in O(1). */
#include "runqueue.h"

void rq_init(struct runqueue *rq)
{
    for (unsigned i = 0; i < NUM_PRIORITIES / 64; i++)
        rq->bitmap[i] = 0;
    for (unsigned p = 0; p < NUM_PRIORITIES; p++)
        list_init(&rq->queue[p]);
    rq->count = 0;
}

static void mark(struct runqueue *rq, unsigned prio)
{
    rq->bitmap[prio / 64] |= 1ull << (prio % 64);
}

void rq_push_back(struct runqueue *rq, struct list_node *n, unsigned prio)
{
    list_push_back(&rq->queue[prio], n);
    mark(rq, prio);
    rq->count++;
}

void rq_push_front(struct runqueue *rq, struct list_node *n, unsigned prio)
{
    list_push_front(&rq->queue[prio], n);
    mark(rq, prio);
    rq->count++;
}

void rq_remove(struct runqueue *rq, struct list_node *n, unsigned prio)
{
    list_remove(n);
    if (list_empty(&rq->queue[prio]))
        rq->bitmap[prio / 64] &= ~(1ull << (prio % 64));
    rq->count--;
}

struct list_node *rq_peek(const struct runqueue *rq, unsigned *prio)
{
    for (int w = NUM_PRIORITIES / 64 - 1; w >= 0; w--) {
        if (!rq->bitmap[w])
            continue;
        unsigned p = (unsigned)w * 64 + 63 - (unsigned)__builtin_clzll(rq->bitmap[w]);
        *prio = p;
        return rq->queue[p].next;
    }
    return NULL;
}
