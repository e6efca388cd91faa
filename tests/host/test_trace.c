/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the trace ring: it keeps the newest records, oldest first, across wrap-around. */
// uses: kernel/core/trace_ring.c
#include "check.h"
#include "trace.h"

#include <stdarg.h>

/* trace_ring.c asserts in debug builds; a broken assertion fails the run */
_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("FAIL host/trace/panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(1);
}

#define SIZE 8

static struct trace_rec recs[SIZE];
static struct trace_ring ring;

/* Put records numbered first..last (the number goes in a0 and ts). */
static void put_numbered(uint64_t first, uint64_t last)
{
    for (uint64_t n = first; n <= last; n++) {
        struct trace_rec r = {.ts = n, .tid = (uint32_t)n, .type = TRACE_SEND, .a0 = n};
        trace_ring_put(&ring, &r);
    }
}

/* The ring holds exactly the records first..last, oldest first. */
static void check_holds(uint64_t first, uint64_t last)
{
    CHECK_EQ(trace_ring_count(&ring), last - first + 1);
    for (uint64_t i = 0; i < trace_ring_count(&ring); i++) {
        CHECK_EQ(trace_ring_get(&ring, i)->a0, first + i);
        CHECK_EQ(trace_ring_get(&ring, i)->ts, first + i);
    }
}

static void starts_empty(void)
{
    trace_ring_init(&ring, recs, SIZE);
    CHECK_EQ(trace_ring_count(&ring), 0);
    CHECK_EQ(trace_ring_lost(&ring), 0);
}

static void keeps_order_before_wrap(void)
{
    trace_ring_init(&ring, recs, SIZE);
    put_numbered(1, 5);
    check_holds(1, 5);
    CHECK_EQ(trace_ring_lost(&ring), 0);
}

static void full_without_loss(void)
{
    trace_ring_init(&ring, recs, SIZE);
    put_numbered(1, SIZE);
    check_holds(1, SIZE);
    CHECK_EQ(trace_ring_lost(&ring), 0);
}

/* One past full: the oldest goes, and the ring still reads oldest first. */
static void wraps_keeping_newest(void)
{
    trace_ring_init(&ring, recs, SIZE);
    put_numbered(1, SIZE + 1);
    check_holds(2, SIZE + 1);
    CHECK_EQ(trace_ring_lost(&ring), 1);
}

/* Many times round: only the last SIZE survive, in order, and the loss is counted. */
static void wraps_many_times(void)
{
    trace_ring_init(&ring, recs, SIZE);
    put_numbered(1, 10 * SIZE + 3);
    check_holds(9 * SIZE + 4, 10 * SIZE + 3);
    CHECK_EQ(trace_ring_lost(&ring), 9 * SIZE + 3);
}

/* Every field of a record comes back as it was put. */
static void record_fields_kept(void)
{
    struct trace_rec r = {.ts = 0x123456789abcdef0,
                          .tid = 0x10005,
                          .type = TRACE_CALL,
                          .cont = 2,
                          .flags = TRACE_FAST,
                          .a0 = 16,
                          .a1 = ~0ull};

    trace_ring_init(&ring, recs, SIZE);
    trace_ring_put(&ring, &r);
    const struct trace_rec *g = trace_ring_get(&ring, 0);
    CHECK(g->ts == r.ts && g->tid == r.tid && g->type == r.type && g->cont == r.cont);
    CHECK(g->flags == r.flags && g->a0 == r.a0 && g->a1 == r.a1);
}

/* A fresh init forgets what an earlier use held. */
static void reinit_forgets(void)
{
    trace_ring_init(&ring, recs, SIZE);
    put_numbered(1, 3 * SIZE);
    trace_ring_init(&ring, recs, SIZE);
    CHECK_EQ(trace_ring_count(&ring), 0);
    put_numbered(100, 102);
    check_holds(100, 102);
}

int main(void)
{
    RUN("trace", starts_empty);
    RUN("trace", keeps_order_before_wrap);
    RUN("trace", full_without_loss);
    RUN("trace", wraps_keeping_newest);
    RUN("trace", wraps_many_times);
    RUN("trace", record_fields_kept);
    RUN("trace", reinit_forgets);
    return CHECK_DONE();
}
