/* SPDX-License-Identifier: BSD-2-Clause */
/* Fixed-priority preemptive scheduler: 256 levels, round robin within a level. */
#include "sched.h"

#include "cspace.h"
#include "fpu.h"
#include "irq.h"
#include "printk.h"
#include "runqueue.h"
#include "space.h"
#include "thread.h"
#include "trace.h"
#include "view.h"

/*
 * The running thread is never on the run queue; it goes back (front or back
 * of its level) only when it stops running while still runnable. The idle
 * thread is the boot context and is never queued: it runs when nothing else can.
 */
/* Not static: the notification fastpath (notify_fast.S) takes threads off it and puts them on. */
extern struct runqueue sched_rq;
struct runqueue sched_rq;
static struct tcb idle = {.name = "idle", .state = THREAD_READY};
/* The running thread is the CPU's own (arch_cpu_current): this names it in the code below. */
#define current (arch_cpu_current())
static struct list_node sched_zombies;
static uint64_t ticks;
/*
 * fast_gate.resched is set when a thread that outranks the running one became ready. Nothing
 * switches in the middle of a kernel operation: the switch happens at the next preemption
 * point, on the way out of the system call or interrupt. (sched.h: the fastpaths test it
 * and .slow as one word.)
 */
union fast_gate fast_gate;

struct tcb *sched_current(void)
{
    return current;
}

void sched_init(void)
{
    rq_init(&sched_rq);
    list_init(&sched_zombies);
    arch_cpu_set_current(&idle); // the boot context, which becomes the idle thread
}

uint64_t sched_ticks(void)
{
    return ticks;
}

void sched_remove(struct tcb *t)
{
    if (list_linked(&t->rq_link))
        rq_remove(&sched_rq, &t->rq_link, t->prio);
}

void sched_reap_later(struct tcb *t)
{
    list_push_back(&sched_zombies, &t->rq_link);
    fast_gate.reap = true;
}

/* Settle dead threads, except the one still running on its own stack (it goes next time). */
void sched_reap_zombies(void)
{
    struct list_node *n = sched_zombies.next;

    while (n != &sched_zombies) {
        struct tcb *t = container_of(n, struct tcb, rq_link);
        n = n->next;
        if (t != current)
            thread_settle(t); // off the list; freed unless a capability keeps its exit code
    }
    fast_gate.reap = !list_empty(&sched_zombies);
}

/* The rare part of a switch: TLS bases, FPU state (either thread has some). entry.S's IPC
 * fastpath calls it by name, once the switch is otherwise done, as become() does. */
void sched_switch_work(struct tcb *prev, struct tcb *next);
__attribute__((noinline, cold)) void sched_switch_work(struct tcb *prev, struct tcb *next)
{
    arch_tls_switch(prev->tls, next->tls);
    arch_switch_access(next);
    fpu_switch(prev, next);
}

/* Last in a switch, so that the rare work is a tail call: the CPU holds the running thread's
 * TLS bases and FPU state, or 0 and the clean state if it has none, so a switch between two
 * threads without them has nothing to do. */
static inline __attribute__((always_inline)) void switch_rare(struct tcb *prev, struct tcb *next)
{
    /* (an architecture whose user code writes its TLS base itself switches it every time) */
    if (ARCH_TLS_USER_WRITES || unlikely(prev->switch_work | next->switch_work))
        sched_switch_work(prev, next);
}

/* Make next current in place of prev: its space, its kernel stack, its FPU state; its saved
 * context is what runs next. */
static inline __attribute__((always_inline)) void become(struct tcb *prev, struct tcb *next)
{
    TRACE_SWITCH(prev, next);
    arch_cpu_set_current(next);
    if (next->space)
        arch_pt_activate(next->space->root);
    if (next->kstack)
        arch_set_kernel_stack((char *)next->kstack + KSTACK_SIZE);
    if (next->chain_dropped) { // left by the fastpath: it resumes by returning its results
        arch_context_init_resume(&next->saved_sp, next->kstack);
        next->chain_dropped = false;
    }
    switch_rare(prev, next);
}

/* become() for a thread that returns from its frame: it has a space and a kernel stack (it
 * waited in an IPC call), and no kernel context to resume */
__attribute__((flatten)) void sched_become(struct tcb *next)
{
    struct tcb *prev = current;

    DEBUG_ASSERT(next->space); // and so a kernel stack; the fastpath cleared chain_dropped
    TRACE_SWITCH(prev, next);
    arch_cpu_set_current(next);
    arch_pt_activate(next->space->root);
    arch_set_kernel_stack((char *)next->kstack + KSTACK_SIZE);
    switch_rare(prev, next);
}

/* Inlined into each of the fastpath's few callers: the compiler takes a call to a _Noreturn
 * function for a cold one and would otherwise make this a call of its own on the fastpath. */
__attribute__((always_inline)) inline _Noreturn void sched_jump_to(struct tcb *next)
{
    become(current, next);
    arch_context_jump(next->saved_sp);
}

static void sched_switch_to(struct tcb *next)
{
    struct tcb *prev = current;

    become(prev, next);
    arch_context_switch(&prev->saved_sp, next->saved_sp);
    /* back on prev's stack: whoever switched to us may have left a corpse */
    sched_reap_zombies();
}

/* front: the caller was preempted and keeps its place at the head of its level */
static void reschedule(bool front)
{
    unsigned prio;

    if (current != &idle && thread_runnable(current)) {
        if (front)
            rq_push_front(&sched_rq, &current->rq_link, current->prio);
        else
            rq_push_back(&sched_rq, &current->rq_link, current->prio);
    }
    struct list_node *n = rq_peek(&sched_rq, &prio);
    struct tcb *next = n ? container_of(n, struct tcb, rq_link) : &idle;
    if (n)
        rq_remove(&sched_rq, n, prio);
    if (next != current)
        sched_switch_to(next);
}

void schedule(void)
{
    reschedule(true);
}

void sched_yield(void)
{
    current->slice_left = current->timeslice;
    reschedule(false);
}

void sched_make_ready(struct tcb *t)
{
    t->state = THREAD_READY;
    if (!thread_runnable(t) || t == current || list_linked(&t->rq_link))
        return;
    rq_push_back(&sched_rq, &t->rq_link, t->prio);
    if (current != &idle && t->prio > current->prio) // idle picks it up by itself
        fast_gate.resched = true;
}

void sched_set_priority(struct tcb *t, uint8_t prio)
{
    bool queued = list_linked(&t->rq_link);

    if (queued)
        rq_remove(&sched_rq, &t->rq_link, t->prio);
    t->prio = prio;
    if (queued)
        rq_push_back(&sched_rq, &t->rq_link, prio);
    /* the caller may have dropped below a ready thread, or raised one above itself */
    if (t == current || (queued && prio > current->prio))
        fast_gate.resched = true;
}

bool sched_resched_pending(void)
{
    return fast_gate.resched;
}

bool sched_quiet(void)
{
    return !fast_gate.resched && !fast_gate.reap;
}

struct tcb *sched_pick(void)
{
    unsigned prio;
    struct list_node *n = rq_peek(&sched_rq, &prio);

    if (!n)
        return NULL;
    rq_remove(&sched_rq, n, prio);
    return container_of(n, struct tcb, rq_link);
}

void sched_preempt_point(void)
{
    if (fast_gate.reap)
        sched_reap_zombies(); // fastpath switches return to user without passing sched_switch_to's
    if (!fast_gate.resched && thread_runnable(current))
        return;
    fast_gate.resched = false;
    reschedule(true);
}

void sched_tick(void)
{
    ticks++;
    cspaces_clear_orphans(CSPACE_BATCH); // what no call carries: a batch a tick (cspace.c)
    unmap_debts_tick(current);           // a caller kept from running: a step a tick
    if (current == &idle) {
        if (rq_any(&sched_rq))
            reschedule(false);
        return;
    }
    if (--current->slice_left == 0) {
        current->slice_left = current->timeslice;
        reschedule(false);
    } else if (fast_gate.resched) { // the tick's own work woke a better thread: it runs now
        fast_gate.resched = false;
        reschedule(true);
    }
}

_Noreturn void sched_run_idle(void)
{
    for (;;) {
        sched_reap_zombies();
        if (rq_any(&sched_rq)) {
            reschedule(false);
            continue;
        }
        if (cspaces_orphans()) { // nothing else to do: the rest of the kernel's clearing
            if (arch_interrupt_pending())
                arch_idle(); // a batch at a time, each interrupt taken between two
            else
                cspaces_clear_orphans(CSPACE_BATCH);
            continue;
        }
        if (thread_live_count() == 0) {
            kprintf("coffer: all threads finished, halting\n");
            if (view_at_halt)
                view_print_containers();
            arch_halt(0);
        }
        if (irqs_awaited()) { // a driver waits for its device: sleep until something happens
            arch_idle();
            continue;
        }
        /*
         * Nothing is ready, nothing in the kernel wakes a thread on its own
         * (there are no timeouts), and no driver waits for an interrupt: the
         * remaining threads are blocked or suspended for good.
         */
        kprintf("coffer: %u thread(s) left, none can run; halting\n", thread_live_count());
        view_print_threads(); // name each, and what it waits on: the user's way into a deadlock
        view_print_containers();
        arch_halt(2); // "stuck": not a success, though for some systems it is the expected end
    }
}
