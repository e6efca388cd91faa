/* SPDX-License-Identifier: BSD-2-Clause */
/* Ready queues: one FIFO per priority, a bitmap of the non-empty ones, and the highest. */
#include "runqueue.h"

#include "printk.h"

void rq_init(struct runqueue *rq)
{
    for (unsigned i = 0; i < NUM_PRIORITIES / 64; i++)
        rq->bitmap[i] = 0;
    for (unsigned p = 0; p < NUM_PRIORITIES; p++)
        list_init(&rq->queue[p]);
    rq->top = &rq->queue[0];
}

static void mark(struct runqueue *rq, unsigned prio)
{
    rq->bitmap[prio / 64] |= 1ull << (prio % 64);
    if (&rq->queue[prio] > rq->top)
        rq->top = &rq->queue[prio];
}

void rq_push_back(struct runqueue *rq, struct list_node *n, unsigned prio)
{
    list_push_back(&rq->queue[prio], n);
    mark(rq, prio);
}

void rq_push_front(struct runqueue *rq, struct list_node *n, unsigned prio)
{
    list_push_front(&rq->queue[prio], n);
    mark(rq, prio);
}

/* top, once its level is empty: the highest level the bitmap has below it (level 0 when
 * none: an empty queue, as the fastpath reads it). */
/* (out of line: rq_peek, inlined into the scheduler's switch, stays short) */
static __attribute__((noinline)) void lower_top(struct runqueue *rq)
{
    unsigned p = (unsigned)(rq->top - rq->queue), w = p / 64;
    uint64_t bits = rq->bitmap[w] & (~0ull >> (63 - p % 64)); // above top: empty already

    while (!bits) {
        if (w == 0) {
            rq->top = &rq->queue[0];
            return;
        }
        bits = rq->bitmap[--w];
    }
    rq->top = &rq->queue[w * 64 + 63 - (unsigned)__builtin_clzll(bits)];
}

/* top is left where it is: the next peek lowers it, if nothing came back to its level. */
void rq_remove(struct runqueue *rq, struct list_node *n, unsigned prio)
{
    list_remove(n);
    if (list_empty(&rq->queue[prio]))
        rq->bitmap[prio / 64] &= ~(1ull << (prio % 64));
}

bool rq_any(struct runqueue *rq)
{
    unsigned prio;

    return rq_peek(rq, &prio) != NULL;
}

struct list_node *rq_peek(struct runqueue *rq, unsigned *prio)
{
    if (unlikely(list_empty(rq->top))) {
        lower_top(rq);
        if (list_empty(rq->top))
            return NULL;
    }
    *prio = (unsigned)(rq->top - rq->queue);
    return rq->top->next;
}
