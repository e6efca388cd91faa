/* SPDX-License-Identifier: BSD-2-Clause */
/* Ready queues: one FIFO per priority and a bitmap to find the highest in O(1). */
#ifndef KERNEL_RUNQUEUE_H
#define KERNEL_RUNQUEUE_H

#include "list.h"
#include "types.h"

#define NUM_PRIORITIES 256 /* 0 lowest, 255 highest */

struct runqueue {
    uint64_t bitmap[NUM_PRIORITIES / 64]; /* bit p set <=> queue p non-empty */
    struct list_node queue[NUM_PRIORITIES];
    unsigned count;
};

void rq_init(struct runqueue *rq);
/* Append (round robin) or prepend (a preempted thread keeps its turn). */
void rq_push_back(struct runqueue *rq, struct list_node *n, unsigned prio);
void rq_push_front(struct runqueue *rq, struct list_node *n, unsigned prio);
void rq_remove(struct runqueue *rq, struct list_node *n, unsigned prio);
/* Highest-priority queue's first node, or NULL; *prio gets its priority. */
struct list_node *rq_peek(const struct runqueue *rq, unsigned *prio);

#endif
