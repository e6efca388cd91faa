/* SPDX-License-Identifier: BSD-2-Clause */
/* What a system call carries: the unmaps its capability changes owe and the run-time tables it
 * destroyed, paid before it returns. */
#include "carry.h"

#include "caller.h"
#include "cspace.h"
#include "syscall.h"

bool carry_begin(l4_word_t nr, l4_err_t *err)
{
    struct tcb *self = caller();
    bool rerun = self->carry_nr == nr;

    cspaces_carry(self);
    unmap_debt_carry(self);
    self->carry_nr = 0; // a call other than the one that stopped forgets that one's result
    if (rerun)
        *err = self->carry_err;
    return rerun;
}

bool carry_unmaps(void)
{
    struct tcb *self = caller();

    unmap_debt_afresh();
    while (unmap_debt_step(self, UNMAP_BATCH)) {
        if (unmap_debt_owed(self) && (sched_preemption_wanted() || !thread_runnable(self)))
            return false;
    }
    return true;
}

/*
 * What this call owes is its own to pay: its unmaps first (no mapping its change took may be
 * seen once it returns), then the tables it destroyed, a step or a batch at a time; nobody
 * else's call pays for them. If it stops between two, its result waits in the thread
 * (carry_nr, carry_err) for its rerun; if the thread ends, is suspended or held, or is moved
 * off its call meanwhile, its unmaps are done at once (unmap_debt_settle) and the kernel
 * clears its tables (cspaces_orphan).
 */
l4_err_t carry_end(l4_word_t nr, l4_err_t err)
{
    struct tcb *self = caller();

    unmap_debt_afresh();
    while (err != CAP_MORE) {
        /* a batch of a table's clearing may owe unmaps: the next turn pays them first */
        if (unmap_debt_step(self, UNMAP_BATCH))
            ;
        else if (cspaces_clear_carried(self, CSPACE_BATCH) || unmap_debt_owed(self))
            unmap_debt_afresh();
        else
            break;
        if (sched_preemption_wanted() || !thread_runnable(self)) {
            self->carry_nr = nr;
            self->carry_err = err;
            err = CAP_MORE;
        }
    }
    cspaces_carry(NULL);
    unmap_debt_carry(NULL);
    return err == CAP_MORE ? syscall_again(nr) : err;
}
