/* SPDX-License-Identifier: BSD-2-Clause */
/* Ready queues: one FIFO per priority, a bitmap of the non-empty ones, and the highest. */
#ifndef KERNEL_RUNQUEUE_H
#define KERNEL_RUNQUEUE_H

#include "list.h"
#include "types.h"

#define NUM_PRIORITIES 256 /* 0 lowest, 255 highest */

struct runqueue {
    uint64_t bitmap[NUM_PRIORITIES / 64]; /* bit p set <=> queue p non-empty */
    /* at or above the highest non-empty queue, so that the common peek is one load: a push
     * raises it, and a peek that finds its queue empty lowers it (a take leaves it, here
     * and in the notification fastpath, notify_fast.S, which takes and pushes itself) */
    struct list_node *top;
    struct list_node queue[NUM_PRIORITIES];
};

void rq_init(struct runqueue *rq);
/* Append (round robin) or prepend (a preempted thread keeps its turn). */
void rq_push_back(struct runqueue *rq, struct list_node *n, unsigned prio);
void rq_push_front(struct runqueue *rq, struct list_node *n, unsigned prio);
void rq_remove(struct runqueue *rq, struct list_node *n, unsigned prio);
/* Highest-priority queue's first node, or NULL; *prio gets its priority. */
struct list_node *rq_peek(struct runqueue *rq, unsigned *prio);
/* Is any thread ready? */
bool rq_any(struct runqueue *rq);

#endif
