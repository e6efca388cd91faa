/* SPDX-License-Identifier: BSD-2-Clause */
/* Unhandled user exceptions: report the thread and its registers, stop it, carry on. */
#include "printk.h"
#include "sched.h"
#include "thread.h"

void thread_fault(struct trap_frame *f, unsigned vector, uint64_t error, uint64_t addr)
{
    struct tcb *t = sched_current();

    kprintf("USER FAULT: thread %s (%lx): %s, vector %u, error %lx, address %016lx\n", t->name,
            t->id, arch_fault_name(vector), vector, error, addr);
    arch_dump_frame(f);
    thread_kill(t, -1);
    schedule();
    panic("a killed thread was scheduled again");
}
