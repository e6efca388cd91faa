/* SPDX-License-Identifier: BSD-2-Clause */
/* The teardown a system call carries: run-time tables it destroyed, cleared before it returns. */
#include "carry.h"

#include "caller.h"
#include "cspace.h"
#include "syscall.h"

bool carry_begin(l4_word_t nr, l4_err_t *err)
{
    struct tcb *self = caller();
    bool rerun = self->carry_nr == nr;

    cspaces_carry(self);
    self->carry_nr = 0; // a call other than the one that stopped forgets that one's result
    if (rerun)
        *err = self->carry_err;
    return rerun;
}

/*
 * The tables this call destroyed are its own to clear: it pays for its teardown, nobody
 * else's call does. If it stops between two batches, its result waits in the thread
 * (carry_nr, carry_err) for its rerun; if the thread ends meanwhile, the kernel clears them
 * (cspaces_orphan).
 */
l4_err_t carry_end(l4_word_t nr, l4_err_t err)
{
    struct tcb *self = caller();

    while (err != CAP_MORE && cspaces_clear_carried(self, CSPACE_BATCH)) {
        if (sched_preemption_wanted() || !thread_runnable(self)) {
            self->carry_nr = nr;
            self->carry_err = err;
            err = CAP_MORE;
        }
    }
    cspaces_carry(NULL);
    return err == CAP_MORE ? syscall_again(nr) : err;
}
