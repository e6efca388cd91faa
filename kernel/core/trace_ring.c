/* SPDX-License-Identifier: BSD-2-Clause */
/* The trace ring: a power-of-two array of records that keeps the newest (host-tested). */
#include "printk.h"
#include "trace.h"

void trace_ring_init(struct trace_ring *r, struct trace_rec *recs, uint32_t size)
{
    DEBUG_ASSERT(size && (size & (size - 1)) == 0); // the index is a mask, not a division
    r->recs = recs;
    r->mask = size - 1;
    r->head = 0;
}

void trace_ring_put(struct trace_ring *r, const struct trace_rec *rec)
{
    r->recs[r->head & r->mask] = *rec;
    r->head++;
}

uint64_t trace_ring_count(const struct trace_ring *r)
{
    return r->head < (uint64_t)r->mask + 1 ? r->head : (uint64_t)r->mask + 1;
}

uint64_t trace_ring_lost(const struct trace_ring *r)
{
    return r->head - trace_ring_count(r);
}

const struct trace_rec *trace_ring_get(const struct trace_ring *r, uint64_t i)
{
    DEBUG_ASSERT(i < trace_ring_count(r));
    return &r->recs[(trace_ring_lost(r) + i) & r->mask];
}
