/* SPDX-License-Identifier: BSD-2-Clause */
/* Unhandled user exceptions: report the thread and its registers, stop it, carry on. */
#include "container.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"

/*
 * With no fault handler (fault endpoints come with IPC), the thread is
 * stopped, not destroyed: its container's supervisor can inspect the fault
 * record and restart the container. Other threads are not affected.
 */
void thread_fault(struct trap_frame *f, unsigned vector, uint64_t error, uint64_t addr)
{
    struct tcb *t = sched_current();
    struct user_regs r;

    arch_frame_read(f, &r);
    kprintf("USER FAULT: container %s, thread %lx: %s, vector %u, error %lx, address %016lx\n",
            t->container->name, t->id, arch_fault_name(vector), vector, error, addr);
    arch_dump_frame(f);
    kprintf("thread %lx stopped\n", t->id);
    container_note_fault(t->container, r.ip, addr);
    t->faulted = true;
    sched_remove(t);
    schedule(); // returns only if somebody makes the thread runnable again
}
