/* SPDX-License-Identifier: BSD-2-Clause */
/* Range calls' checks and steps (range_step.h). */
#include "range_step.h"

#include "caller.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"

#include <coffer/mem.h>

l4_err_t check_vaddr(const char *call, l4_word_t vaddr)
{
    if (vaddr % PAGE_SIZE) {
        user_error("%s: address %lx is not page aligned\n", call, vaddr);
        return L4_EINVAL;
    }
    if (vaddr < PAGE_SIZE || vaddr >= USER_MAP_TOP) {
        user_error("%s: address %lx is outside user space (%x..%lx)\n", call, vaddr, PAGE_SIZE,
                   (l4_word_t)USER_MAP_TOP);
        return L4_ERANGE;
    }
    return L4_OK;
}

l4_err_t check_range(const char *call, l4_word_t vaddr, l4_word_t pages)
{
    l4_err_t err = check_vaddr(call, vaddr);

    if (err)
        return err;
    if (!pages) {
        user_error("%s: a range of 0 pages\n", call);
        return L4_EINVAL;
    }
    /* a bound on the work of one call: the kernel is not preempted while it runs */
    if (pages > L4_MEM_RANGE_MAX || pages * PAGE_SIZE > USER_MAP_TOP - vaddr) {
        user_error("%s: %lu pages from %lx: more than %u, or past the end of user space (%lx)\n",
                   call, pages, vaddr, L4_MEM_RANGE_MAX, (l4_word_t)USER_MAP_TOP);
        return L4_ERANGE;
    }
    return L4_OK;
}

vaddr_t range_resume(l4_word_t nr, l4_word_t vaddr, l4_word_t pages, l4_word_t *done)
{
    struct tcb *self = caller();
    bool rerun = self->range.nr == nr && self->range.at > vaddr &&
                 self->range.at < vaddr + pages * PAGE_SIZE;

    self->range.nr = 0; // any other call, and an error of this one, forgets it
    *done = rerun ? self->range.done : 0;
    return rerun ? self->range.at : vaddr;
}

bool range_stop(l4_word_t nr, vaddr_t va, vaddr_t end, l4_word_t done)
{
    struct tcb *self = caller();

    if (va >= end || !sched_preemption_wanted())
        return false;
    self->range.nr = nr;
    self->range.at = va;
    self->range.done = done;
    return true;
}

vaddr_t step_end(vaddr_t va, vaddr_t end)
{
    return end - va > RANGE_STEP * PAGE_SIZE ? va + RANGE_STEP * PAGE_SIZE : end;
}
