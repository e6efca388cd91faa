/* SPDX-License-Identifier: BSD-2-Clause */
/* The kernel event trace: fixed-size records in a ring, dumped over the console at halt. */
#ifndef KERNEL_TRACE_H
#define KERNEL_TRACE_H

#include "config.h"
#include "types.h"

/*
 * What happened. The numbers are part of the dump format read by
 * scripts/trace.py: append, never renumber. "subject" is the thread the
 * event is about (the one whose id and container the record carries); for
 * most events it is the running thread.
 */
enum trace_event {
    TRACE_SWITCH = 1,  /* subject stops running; a0 = next thread id, a1 = its container */
    TRACE_SEND = 2,    /* subject sends on endpoint a0 to thread a1 (0: nobody waits, queued) */
    TRACE_CALL = 3,    /* the same, and waits for the reply */
    TRACE_RECV = 4,    /* subject gets a message on endpoint a0 (0: a reply) from thread a1 */
    TRACE_REPLY = 5,   /* subject replies to thread a1 */
    TRACE_FAULT = 6,   /* subject took an exception: a0 = vector | error << 8, a1 = address */
    TRACE_IRQ = 7,     /* interrupt line a0 raised; a1 = 1 if a notification was signalled */
    TRACE_RESTART = 8, /* container a0 (its id) is restarted; a1 = its restarts so far */
    TRACE_THREAD = 9,  /* subject was created by thread a0 */
    TRACE_EXIT = 10,   /* subject ended with code a0 */
    TRACE_CAP = 11,    /* subject made capability call a0 (syscall number) on slot a1 */
    TRACE_EVENT_COUNT,
};

/* flags of a record */
#define TRACE_FAST 1u /* IPC done by the fastpath */

/*
 * One record: 32 bytes, so a ring of CONFIG_TRACE_ENTRIES takes 32 times that.
 *   ts      arch_timestamp() when it was recorded
 *   tid     the subject thread's id (0: the idle thread, the kernel itself)
 *   cont    its container's id (index + 1; 0: none)
 *   type    enum trace_event;  flags  TRACE_FAST, or for TRACE_CAP the call's error code
 */
struct trace_rec {
    uint64_t ts;
    uint32_t tid;
    uint8_t type, cont, flags, pad;
    uint64_t a0, a1;
};
_Static_assert(sizeof(struct trace_rec) == 32, "trace record size is part of the dump format");

/*
 * A ring of 2^n records that keeps the newest: head counts every record
 * ever put, so the oldest still held is head - size once it has wrapped,
 * and head - size records were overwritten.
 */
struct trace_ring {
    struct trace_rec *recs;
    uint32_t mask; /* size - 1 */
    uint64_t head;
};

void trace_ring_init(struct trace_ring *r, struct trace_rec *recs, uint32_t size);
void trace_ring_put(struct trace_ring *r, const struct trace_rec *rec);
uint64_t trace_ring_count(const struct trace_ring *r); /* records held */
uint64_t trace_ring_lost(const struct trace_ring *r);  /* records overwritten */
/* The i-th record held, oldest first (i < trace_ring_count). */
const struct trace_rec *trace_ring_get(const struct trace_ring *r, uint64_t i);

/*
 * The hooks. Each is one macro call at the point where the event happens,
 * and with CONFIG_TRACE off it expands to dead code the compiler drops (its
 * arguments are not evaluated), so a kernel built without tracing is the
 * same code.
 */
struct tcb;
void trace_record(unsigned type, const struct tcb *subject, uint64_t a0, uint64_t a1,
                  unsigned flags);
/* from stops running and next runs (TRACE_SWITCH, with next's container). */
void trace_switch(const struct tcb *from, const struct tcb *next);
/* from sends (type TRACE_SEND, TRACE_CALL or TRACE_REPLY) on endpoint ep (0: a reply) to
 * to, and to gets it (TRACE_RECV); to == NULL: nobody waits, the message is queued. */
void trace_ipc(unsigned type, const struct tcb *from, uint64_t ep, const struct tcb *to,
               unsigned flags);
/* "trace=dump" on the kernel command line: trace_dump writes the ring out at halt (without
 * CONFIG_TRACE it says that it cannot). */
void trace_enable_dump(void);
/* Write the ring and the container names to the console (once; called by arch_halt; does
 * nothing without CONFIG_TRACE or trace=dump). */
void trace_dump(void);

#ifdef CONFIG_TRACE
#define TRACE_ON(call) call
#else
/* never called, so never linked, but the arguments still count as used */
#define TRACE_ON(call)                                                                             \
    do {                                                                                           \
        if (0)                                                                                     \
            call;                                                                                  \
    } while (0)
#endif
#define TRACE(type, subject, a0, a1)         TRACE_ON(trace_record(type, subject, a0, a1, 0))
#define TRACE_SWITCH(from, next)             TRACE_ON(trace_switch(from, next))
#define TRACE_IPC(type, from, ep, to, flags) TRACE_ON(trace_ipc(type, from, ep, to, flags))
/* err: the call's l4_err_t (0 or a positive code), kept in flags */
#define TRACE_CAP(subject, nr, slot, err)                                                          \
    TRACE_ON(trace_record(TRACE_CAP, subject, nr, slot, (unsigned)(err)))

#endif
