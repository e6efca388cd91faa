/* SPDX-License-Identifier: BSD-2-Clause */
/* The unmaps a capability change owes (memory_gone), paid in steps by the call that made it. */
#ifndef OBJECT_UNMAP_DEBT_H
#define OBJECT_UNMAP_DEBT_H

#include "types.h"

struct store;
struct tcb;

/*
 * What a thread's call still has to unmap: every foreign mapping of a frame in [base,
 * base+size) whose mapper no longer holds the memory with the rights it needs, in every
 * space (docs/architecture.md, "Long operations"). The cursor: the space store and block
 * the walk is at, and the address in that space. size 0: nothing owed.
 */
struct unmap_debt {
    paddr_t base;
    uint64_t size;
    struct store *store;
    uint32_t index;
    bool started; /* a step ran: the cursor is past the start */
    vaddr_t at;
    struct tcb *next; /* the next thread that owes (unmap_debts_tick) */
};

/*
 * Units of one step (unmap_debt_step), about 10 instructions each: a present page-table
 * entry is one, a table looked through 200 more, a foreign leaf of the range 7 more
 * (kernel/core/pt_teardown.c). A step is about 15,000 instructions, well under an
 * interrupt's 50,000 goal (with what a stop and a rerun cost around it), and 4,096 pages
 * take some 25 steps, about 15% more than one walk (make bench).
 */
#define UNMAP_BATCH 1536

/* Around a capability change in a call that pays its unmaps in steps (carry_begin and
 * carry_end, kernel/api/carry.c): memory_gone's unmaps become t's debt. NULL: none does. */
void unmap_debt_carry(struct tcb *t);
/* memory_gone's range: owed by the carrying thread (true) or to be unmapped now (false: no
 * call carries it, or its carrier ended). */
bool unmap_debt_owe(paddr_t base, uint64_t size);
/* Does t owe an unmap? */
bool unmap_debt_owed(const struct tcb *t);
/*
 * A step of t's debt, budget units at most: false if it owed nothing. Its question (does the
 * mapper still hold the frame?) is answered for a run of frames at once (covers,
 * kernel/object/container.c), an answer kept from step to step: unmap_debt_afresh before the
 * first step of a run of them, when capabilities may have changed since the last step (other
 * threads ran, or the call changed capabilities other than by taking memory away).
 */
bool unmap_debt_step(struct tcb *t, long budget);
void unmap_debt_afresh(void);
/* A step of the debt of a thread other than current that owes one, from the timer tick: a
 * caller kept from running by threads above it (its own container's, say) still sees its
 * debt paid, a step a tick. */
void unmap_debts_tick(const struct tcb *current);
/* All of t's debt, now: its call will not run again where it stopped (t ended, was
 * suspended or held, or moved off its call). */
void unmap_debt_settle(struct tcb *t);

#endif
