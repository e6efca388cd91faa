/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel event trace: record events into the ring, write it to the console at halt. */
#include "trace.h"

#include "arch.h"
#include "container.h"
#include "printk.h"
#include "thread.h"

#ifdef CONFIG_TRACE /* without it the hooks are dead code and only the two stubs below exist */

_Static_assert((CONFIG_TRACE_ENTRIES & (CONFIG_TRACE_ENTRIES - 1)) == 0,
               "TRACE_ENTRIES must be a power of two");

static struct trace_rec recs[CONFIG_TRACE_ENTRIES];
/* statically initialised: events are recorded from the first thread created at boot */
static struct trace_ring ring = {.recs = recs, .mask = CONFIG_TRACE_ENTRIES - 1};
static bool dump_at_halt, dumped;

void trace_record(unsigned type, const struct tcb *subject, uint64_t a0, uint64_t a1,
                  unsigned flags)
{
    struct trace_rec r = {
        .ts = arch_timestamp(),
        .tid = (uint32_t)subject->id,
        .type = (uint8_t)type,
        .cont = subject->container ? (uint8_t)subject->container->id : 0,
        .flags = (uint8_t)flags,
        .a0 = a0,
        .a1 = a1,
    };

    DEBUG_ASSERT(type && type < TRACE_EVENT_COUNT);
    trace_ring_put(&ring, &r);
}

void trace_switch(const struct tcb *from, const struct tcb *next)
{
    trace_record(TRACE_SWITCH, from, next->id, next->container ? next->container->id : 0, 0);
}

/* Both halves of a message, so that the receiver's track shows it and the two can be linked. */
void trace_ipc(unsigned type, const struct tcb *from, uint64_t ep, const struct tcb *to,
               unsigned flags)
{
    trace_record(type, from, ep, to ? to->id : 0, flags);
    if (to)
        trace_record(TRACE_RECV, to, ep, from->id, flags);
}

void trace_enable_dump(void)
{
    dump_at_halt = true;
    kprintf("boot: trace of %u events kept, written out at halt (trace=dump)\n",
            CONFIG_TRACE_ENTRIES);
}

/*
 * The format scripts/trace.py reads: a BEGIN line with the version, the
 * records held and those lost (overwritten), one C line per container (id,
 * name from the system file), one R line per record, oldest first, all
 * numbers hex, and an END line repeating the count so that a log cut short
 * is recognised.
 */
void trace_dump(void)
{
    uint64_t n = trace_ring_count(&ring);

    if (!dump_at_halt || dumped)
        return;
    dumped = true; // a panic while dumping must not dump again
    kprintf("\nTRACE BEGIN 1 %lx %lx\n", n, trace_ring_lost(&ring));
    for (unsigned i = 0; container_of_index(i); i++)
        kprintf("TRACE C %x %s\n", container_of_index(i)->id, container_of_index(i)->name);
    for (uint64_t i = 0; i < n; i++) {
        const struct trace_rec *r = trace_ring_get(&ring, i);
        kprintf("TRACE R %lx %x %x %x %x %lx %lx\n", r->ts, r->type, r->cont, r->tid, r->flags,
                r->a0, r->a1);
    }
    kprintf("TRACE END %lx\n", n);
}

#else

void trace_enable_dump(void)
{
    kprintf("boot: trace=dump ignored: this kernel was built without CONFIG_TRACE\n");
}

void trace_dump(void)
{
}

#endif
