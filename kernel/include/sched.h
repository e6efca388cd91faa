/* SPDX-License-Identifier: BSD-2-Clause */
/* Fixed-priority preemptive scheduler: 256 levels, round robin within a level. */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include "arch.h"
#include "types.h"

struct tcb;

struct tcb *sched_current(void);
void sched_init(void);
/* Put t on the run queue; if it outranks the caller, switch at the next preemption point. */
void sched_make_ready(struct tcb *t);
/* Take t off the run queue if it is there (it is blocking, suspending or dying). */
void sched_remove(struct tcb *t);
/* Change t's priority, moving it between queues; a switch it calls for waits as above. */
void sched_set_priority(struct tcb *t, uint8_t prio);
/*
 * The end of every system call and interrupt: switch if a better thread became
 * ready or the caller can no longer run.
 */
void sched_preempt_point(void);
/*
 * Switch to next now, without looking at the run queue (the IPC fastpath has
 * checked that next is the right choice), abandoning the caller's kernel call
 * chain: the caller must have set chain_dropped.
 */
/* The IPC fastpath: next, whose saved registers hold its results, becomes the running thread
 * (its space, kernel stack, FPU and TLS state); the caller then returns to user space from
 * next's frame, on next's stack. The current thread must have set its chain_dropped. */
void sched_become(struct tcb *next);
_Noreturn void sched_jump_to(struct tcb *next);
bool sched_resched_pending(void);
/* Would the preemption point do nothing for a thread that goes on running: no switch
 * pending, no dead thread to settle? (The notification fastpath skips it then.) */
bool sched_quiet(void);
/* The run queue's best thread, the one a switch would pick, taken off it; NULL if none. */
struct tcb *sched_pick(void);
/*
 * Why no fastpath may take a call now, whatever it is: a reschedule is pending (the switch
 * belongs to the preemption point), or the fastpaths are off ("ipc=slow" on the kernel
 * command line; make bench measures both). One word, so the entry stub tests both with one
 * compare (entry.S). The notification fastpath, which returns without the preemption point,
 * also wants no dead thread waiting to be settled (reap): it tests the three as one word.
 */
union fast_gate {
    struct {
        bool resched; /* a better thread became ready, or the running one's slice ended */
        bool slow;    /* ipc=slow */
        bool reap;    /* a dead thread waits for sched_reap_zombies */
    };
    uint16_t closed;
    uint32_t word; /* (the three, and a byte nothing writes) */
};
extern union fast_gate fast_gate;
/*
 * A preemption point of a long operation (revoke): should it stop now, its state whole, and
 * let the caller's call run again (syscall_again)? Yes when an interrupt waits to be taken
 * or a better thread became ready. Interrupts stay off in the kernel: this is how one gets in.
 */
static inline bool sched_preemption_wanted(void)
{
    return sched_resched_pending() || arch_interrupt_pending();
}
/* Give the CPU to the best ready thread; the caller may be runnable or not. */
void schedule(void);
/* Let equal-priority threads run: the caller goes to the back of its queue. */
void sched_yield(void);
/* Timer interrupt: charge the current thread and rotate when its slice is used up. */
void sched_tick(void);
uint64_t sched_ticks(void);
/* Dead threads are freed once nobody runs on their stack. */
void sched_reap_later(struct tcb *t);
/* Free every dead thread but the running one now (a store wants its block back). */
void sched_reap_zombies(void);
_Noreturn void sched_run_idle(void);

/* The current user thread took an exception nobody handles: report and stop it. */
void thread_fault(struct trap_frame *f, unsigned vector, uint64_t error, uint64_t addr);
/* The kernel needs addr of the current thread t's space, for write or for read, and it is
 * not mapped so: t calls its fault endpoint as if it had faulted there itself, and true
 * means its handler answered L4_FAULT_RESUME (false: no handler, or another answer). */
bool thread_page_fault_ipc(struct tcb *t, vaddr_t addr, bool write);
/* Report the current thread's fault (or foreign system call nobody resumed: vector
 * VEC_SYSCALL, error its number), stop it and note it in its container's fault record. */
void thread_stop_unhandled(struct trap_frame *f, unsigned vector, uint64_t error, uint64_t addr);

#endif
