/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the scheduling policy, with the thread and arch hooks faked. */
// uses: kernel/core/sched.c kernel/core/runqueue.c kernel/core/fpu.c
#include "check.h"
#include "fpu.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "thread.h"

#include <setjmp.h>
#include <stdarg.h>
#include <string.h>

/* --- fakes for what sched.c calls -------------------------------------------------------- */

#define MAX_REC 64

static struct tcb *switch_prev[MAX_REC], *switch_next[MAX_REC];
static unsigned nswitches;
static struct tcb *reaped[MAX_REC];
static unsigned nreaped;
static unsigned reap_bad; /* reaps of a live or current thread, or before the switch */
static unsigned live;
static paddr_t activated_root;
static void *kernel_stack_top;
static jmp_buf escape;
static bool escape_on_switch; /* arch_context_switch longjmps to escape (sched_run_idle) */
static int halt_code = -1;
static unsigned npanics;
static char last_msg[128];
bool view_at_halt;
static unsigned nviews_threads, nviews_containers; /* calls of the live view's two printers */

void view_print_threads(void)
{
    nviews_threads++;
}

void view_print_containers(void)
{
    nviews_containers++;
}

bool thread_runnable(const struct tcb *t)
{
    return t->state == THREAD_READY && !t->suspended;
}

/* The kernel's thread_settle frees a dead thread no capability names: these have none. */
void thread_settle(struct tcb *t)
{
    if (t->state != THREAD_DEAD || t == sched_current())
        reap_bad++;
    if (nreaped < MAX_REC)
        reaped[nreaped] = t;
    nreaped++;
    list_remove(&t->rq_link);
    t->state = THREAD_FREE;
}

unsigned thread_live_count(void)
{
    return live;
}

void arch_pt_activate(paddr_t root)
{
    activated_root = root;
}

static l4_word_t *tls_saved_to;
static const l4_word_t *tls_loaded_from;

void arch_tls_switch(l4_word_t *prev, const l4_word_t *next)
{
    tls_saved_to = prev;
    tls_loaded_from = next;
}

void arch_switch_access(const struct tcb *next)
{
    (void)next;
}

static struct tcb *cpu_current;
struct tcb *arch_cpu_current(void)
{
    return cpu_current;
}
void arch_cpu_set_current(struct tcb *t)
{
    cpu_current = t;
}
void arch_set_kernel_stack(void *top)
{
    kernel_stack_top = top;
}

void arch_context_switch(uint64_t *saved_sp, uint64_t next_sp)
{
    (void)next_sp;
    if (nswitches < MAX_REC) {
        switch_prev[nswitches] = container_of(saved_sp, struct tcb, saved_sp);
        switch_next[nswitches] = sched_current(); // switch_to sets current first
    }
    nswitches++;
    if (escape_on_switch)
        longjmp(escape, 1);
}

/* The FPU hooks, as a log: 's' save, 'l' load, 't' trap, 'c' claim, and whose area. */
static char fpu_log[16];
static const struct arch_fpu *fpu_area[16];
static unsigned nfpu;

static void fpu_note(char op, const struct arch_fpu *s)
{
    if (nfpu < sizeof(fpu_log) - 1) {
        fpu_area[nfpu] = s;
        fpu_log[nfpu++] = op;
    }
}

void arch_fpu_save(struct arch_fpu *s)
{
    fpu_note('s', s);
}

void arch_fpu_load(const struct arch_fpu *s)
{
    fpu_note('l', s);
}

void arch_fpu_trap(void)
{
    fpu_note('t', NULL);
}

void arch_fpu_claim(void)
{
    fpu_note('c', NULL);
}

_Noreturn void arch_halt(int code)
{
    halt_code = code;
    longjmp(escape, 1);
}

void kprintf(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
    va_end(ap);
}

_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(last_msg, sizeof(last_msg), fmt, ap);
    va_end(ap);
    npanics++;
    longjmp(escape, 1);
}

/* --- helpers ----------------------------------------------------------------------------- */

#define NTHREADS 6
static struct tcb T[NTHREADS];
static struct tcb *const A = &T[0], *const B = &T[1], *const C = &T[2], *const H = &T[3];

static bool is_idle(const struct tcb *t)
{
    return t && strcmp(t->name, "idle") == 0;
}

/* Did the last kprintf or panic message contain s? (lib/string.h has no strstr.) */
static bool said(const char *s)
{
    for (const char *p = last_msg; *p; p++)
        if (strncmp(p, s, strlen(s)) == 0)
            return true;
    return false;
}

bool irqs_awaited(void)
{
    return false; // no driver waits for an interrupt in these tests
}

void arch_idle(void)
{
}

/* No run-time table is ever being cleared here (kernel/object/cspace.c). */
bool cspaces_orphans(void)
{
    return false;
}

bool cspaces_clear_orphans(unsigned budget)
{
    (void)budget;
    return false;
}

/* Nor does any thread owe an unmap (kernel/object/unmap_debt.c). */
void unmap_debts_tick(const struct tcb *current)
{
    (void)current;
}

bool arch_interrupt_pending(void)
{
    return false;
}

/* The fastpath's context tools: the policy tests never drop a call chain. */
void arch_context_init_resume(uint64_t *saved_sp, void *kstack_base)
{
    (void)saved_sp;
    (void)kstack_base;
}

_Noreturn void arch_context_jump(uint64_t next_sp)
{
    (void)next_sp;
    abort();
}

static void setup(void)
{
    sched_init();
    memset(T, 0, sizeof(T));
    nswitches = nreaped = reap_bad = npanics = 0;
    live = 0;
    activated_root = 0;
    kernel_stack_top = NULL;
    escape_on_switch = false;
    halt_code = -1;
    last_msg[0] = 0;
    view_at_halt = false;
    nviews_threads = nviews_containers = 0;
    memset(fpu_log, 0, sizeof(fpu_log));
    nfpu = 0;
    CHECK(is_idle(sched_current()));
}

static void init_thread(struct tcb *t, const char *name, uint8_t prio, uint32_t slice)
{
    memset(t, 0, sizeof(*t));
    for (size_t i = 0; name[i] && i < sizeof(t->name) - 1; i++)
        t->name[i] = name[i];
    t->prio = prio;
    t->timeslice = t->slice_left = slice;
    t->state = THREAD_INACTIVE;
    t->saved_sp = 0x1000 + (uint64_t)(t - T);
}

static void ready(struct tcb *t, const char *name, uint8_t prio, uint32_t slice)
{
    init_thread(t, name, prio, slice);
    sched_make_ready(t);
}

/* The current thread blocks and gives up the CPU. */
static void block_current(void)
{
    sched_current()->state = THREAD_BLOCKED;
    schedule();
}

/* Make every thread unrunnable and go back to idle, so no state leaks into the next test. */
static void teardown(void)
{
    for (int i = 0; i < NTHREADS; i++) {
        sched_remove(&T[i]);
        if (T[i].state == THREAD_READY)
            T[i].state = THREAD_BLOCKED;
    }
    schedule();
    CHECK(is_idle(sched_current()));
    CHECK_EQ(npanics, 0);
}

/* --- tests ------------------------------------------------------------------------------- */

static void highest_priority_first(void)
{
    setup();
    ready(A, "a", 10, 5);
    ready(B, "b", 200, 5);
    ready(C, "c", 50, 5);
    // idle does not switch on make_ready: it picks work up by itself
    CHECK(is_idle(sched_current()));
    CHECK_EQ(nswitches, 0);

    sched_tick(); // idle + ready work => reschedule
    CHECK(sched_current() == B);
    CHECK_EQ(nswitches, 1);
    CHECK(is_idle(switch_prev[0]));
    CHECK(switch_next[0] == B);
    block_current();
    CHECK(sched_current() == C);
    block_current();
    CHECK(sched_current() == A);
    block_current();
    CHECK(is_idle(sched_current()));
    CHECK_EQ(nswitches, 4);
    teardown();
}

static void round_robin_on_slice_expiry(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    ready(C, "c", 5, 3);
    sched_tick();
    CHECK(sched_current() == A);
    CHECK_EQ(A->slice_left, 3); // the tick that switched away from idle charges no one

    static struct tcb *const expect[] = {A, A, B, B, B, C, C, C, A, A, A, B};
    static const uint32_t left[] = {2, 1, 3, 2, 1, 3, 2, 1, 3, 2, 1, 3};
    for (unsigned i = 0; i < sizeof(expect) / sizeof(expect[0]); i++) {
        struct tcb *before = sched_current();
        sched_tick();
        CHECK(sched_current() == expect[i]);
        // the one that ran out has a full slice again for its next turn
        if (sched_current() != before)
            CHECK_EQ(before->slice_left, before->timeslice);
        CHECK_EQ(sched_current()->slice_left, left[i]);
    }
    CHECK_EQ(nswitches, 5);
    teardown();
}

static void alone_at_top_keeps_running(void)
{
    setup();
    ready(A, "a", 7, 2);
    ready(B, "b", 6, 2);
    sched_tick();
    CHECK(sched_current() == A);
    for (int i = 0; i < 7; i++)
        sched_tick(); // slice runs out again and again, but no equal is waiting
    CHECK(sched_current() == A);
    CHECK_EQ(nswitches, 1);
    schedule(); // a runnable caller that is still the best stays put
    CHECK(sched_current() == A);
    CHECK_EQ(nswitches, 1);
    teardown();
}

static void schedule_keeps_runnable_caller_first(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    sched_tick();
    CHECK(sched_current() == A);
    sched_tick();
    // a runnable caller goes back to the front of its level: an equal does not take over
    schedule();
    CHECK(sched_current() == A);
    CHECK_EQ(A->slice_left, 2);
    CHECK_EQ(nswitches, 1);
    sched_tick();
    sched_tick(); // until its slice is used up
    CHECK(sched_current() == B);
    teardown();
}

static void make_ready_twice_queues_once(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    sched_make_ready(A); // already queued
    sched_make_ready(B);
    sched_tick();
    CHECK(sched_current() == A);
    sched_make_ready(A); // running
    block_current();
    CHECK(sched_current() == B);
    block_current();
    CHECK(is_idle(sched_current())); // neither was queued a second time
    sched_tick();
    CHECK(is_idle(sched_current()));
    CHECK_EQ(nswitches, 3);
    teardown();
}

static void preemption_keeps_turn(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    sched_tick();
    CHECK(sched_current() == A);
    sched_tick();
    CHECK_EQ(A->slice_left, 2);

    // equal or lower priority made ready: no preemption, not even at the preemption point
    ready(C, "c", 5, 3);
    sched_preempt_point();
    CHECK(sched_current() == A);
    ready(&T[4], "low", 1, 3);
    sched_preempt_point();
    CHECK(sched_current() == A);
    CHECK_EQ(nswitches, 1);

    // higher: nothing switches inside the kernel operation, then at the preemption point
    ready(H, "h", 9, 3);
    CHECK(sched_current() == A);
    sched_preempt_point();
    CHECK(sched_current() == H);
    CHECK_EQ(nswitches, 2);
    CHECK(switch_prev[1] == A);

    // A was preempted: it is at the front of its level, ahead of B and C, with its slice left
    block_current();
    CHECK(sched_current() == A);
    CHECK_EQ(A->slice_left, 2);
    sched_tick();
    CHECK(sched_current() == A);
    sched_tick();
    CHECK(sched_current() == B);
    teardown();
}

static void yield_goes_to_back(void)
{
    setup();
    ready(A, "a", 5, 4);
    ready(B, "b", 5, 4);
    ready(C, "c", 5, 4);
    sched_tick();
    sched_tick();
    CHECK(sched_current() == A);
    CHECK_EQ(A->slice_left, 3);

    sched_yield();
    CHECK(sched_current() == B);
    CHECK_EQ(A->slice_left, 4); // reset: a fresh slice for the next turn
    sched_tick();
    CHECK_EQ(B->slice_left, 3);
    sched_yield();
    CHECK(sched_current() == C); // A went behind C
    CHECK_EQ(B->slice_left, 4);
    sched_yield();
    CHECK(sched_current() == A);
    sched_yield();
    CHECK(sched_current() == B);
    teardown();

    // with no equal waiting, yield keeps the caller (a lower one does not get the CPU)
    setup();
    ready(A, "a", 5, 4);
    ready(B, "b", 2, 4);
    sched_tick();
    sched_tick();
    CHECK_EQ(A->slice_left, 3);
    sched_yield();
    CHECK(sched_current() == A);
    CHECK_EQ(A->slice_left, 4);
    CHECK_EQ(nswitches, 1);
    teardown();
}

static void removed_thread_never_picked(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 9, 3);
    ready(C, "c", 5, 3);
    B->suspended = true; // suspend: flag it, take it off the queue
    sched_remove(B);
    sched_remove(B); // twice is harmless
    C->state = THREAD_BLOCKED;
    sched_remove(C);

    sched_tick();
    CHECK(sched_current() == A);
    for (int i = 0; i < 10; i++)
        sched_tick();
    CHECK(sched_current() == A);

    // a suspended thread made ready is not queued either
    sched_make_ready(B);
    CHECK(sched_current() == A);
    block_current();
    CHECK(is_idle(sched_current()));
    sched_tick();
    CHECK(is_idle(sched_current()));

    // once resumed it runs
    B->suspended = false;
    sched_make_ready(B);
    sched_tick();
    CHECK(sched_current() == B);
    teardown();
}

static void unrunnable_current_not_requeued(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    ready(C, "c", 5, 3);
    sched_tick();
    CHECK(sched_current() == A);

    A->state = THREAD_BLOCKED;
    schedule();
    CHECK(sched_current() == B);
    B->suspended = true; // suspended while running
    schedule();
    CHECK(sched_current() == C);
    for (int i = 0; i < 10; i++)
        sched_tick(); // C's slices run out, but there is no one else
    CHECK(sched_current() == C);
    block_current();
    CHECK(is_idle(sched_current()));
    sched_tick();
    CHECK(is_idle(sched_current()));
    CHECK_EQ(nswitches, 4);
    teardown();
}

static void set_priority_raise_queued_preempts(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 3, 3);
    ready(C, "c", 5, 3);
    sched_tick();
    CHECK(sched_current() == A);

    sched_set_priority(B, 5); // equal: no preemption, B queues behind C
    sched_preempt_point();
    CHECK(sched_current() == A);
    CHECK_EQ(B->prio, 5);
    sched_set_priority(B, 8); // above: at the preemption point
    CHECK(sched_current() == A);
    sched_preempt_point();
    CHECK(sched_current() == B);
    CHECK_EQ(B->prio, 8);
    CHECK(switch_prev[nswitches - 1] == A);

    // B lowers itself: A (preempted, at the front) resumes, not C
    sched_set_priority(B, 1);
    sched_preempt_point();
    CHECK(sched_current() == A);
    block_current();
    CHECK(sched_current() == C);
    block_current();
    CHECK(sched_current() == B);
    teardown();
}

static void set_priority_lower_current_switches(void)
{
    setup();
    ready(A, "a", 9, 3);
    ready(B, "b", 5, 3);
    sched_tick();
    CHECK(sched_current() == A);

    sched_set_priority(A, 6); // still above B: no switch
    sched_preempt_point();
    CHECK(sched_current() == A);
    CHECK_EQ(nswitches, 1);
    sched_set_priority(A, 2);
    sched_preempt_point();
    CHECK(sched_current() == B);
    CHECK_EQ(A->prio, 2);
    CHECK(switch_prev[nswitches - 1] == A);

    // A waits at its new level: B's expiring slices do not hand it the CPU
    for (int i = 0; i < 6; i++)
        sched_tick();
    CHECK(sched_current() == B);
    block_current();
    CHECK(sched_current() == A);

    // lowering a queued thread does not switch, and it is found at its new level
    ready(C, "c", 1, 3);
    sched_set_priority(C, 0);
    sched_preempt_point();
    CHECK(sched_current() == A);
    sched_set_priority(C, 2); // equal to A: behind A
    sched_preempt_point();
    CHECK(sched_current() == A);
    block_current();
    CHECK(sched_current() == C);
    teardown();
}

static void nothing_ready_goes_idle(void)
{
    setup();
    ready(A, "a", 5, 3);
    sched_tick();
    CHECK(sched_current() == A);
    block_current();
    CHECK(is_idle(sched_current()));
    CHECK_EQ(nswitches, 2);
    CHECK(switch_prev[1] == A);
    CHECK(is_idle(switch_next[1]));
    schedule(); // idle with nothing to do stays idle
    CHECK(is_idle(sched_current()));
    CHECK_EQ(nswitches, 2);
    teardown();
}

static void ticks_counted(void)
{
    setup();
    uint64_t t0 = sched_ticks();
    for (int i = 0; i < 5; i++)
        sched_tick(); // idle, nothing ready
    CHECK_EQ(sched_ticks(), t0 + 5);
    CHECK_EQ(nswitches, 0);
    ready(A, "a", 5, 2);
    for (int i = 0; i < 7; i++)
        sched_tick(); // and while a thread runs
    CHECK_EQ(sched_ticks(), t0 + 12);
    teardown();
}

static void zombie_reaped_after_switch(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    sched_tick();
    CHECK(sched_current() == A);

    // A dies while running: it cannot be freed on its own stack
    A->state = THREAD_DEAD;
    sched_reap_later(A);
    CHECK_EQ(nreaped, 0);
    schedule();
    CHECK(sched_current() == B);
    CHECK_EQ(nswitches, 2);
    CHECK_EQ(nreaped, 1);
    CHECK(reaped[0] == A);
    CHECK_EQ(reap_bad, 0);
    CHECK_EQ(A->state, THREAD_FREE);
    CHECK(!list_linked(&A->rq_link));

    // reaped once only, and never scheduled again
    block_current();
    CHECK(is_idle(sched_current()));
    CHECK_EQ(nreaped, 1);
    teardown();
}

/* every switch, whatever the thread, saves the TLS bases into prev and loads next's */
/* A thread with TLS bases (tls_used) has them handed over on switches to and from it; two
 * threads without any switch with no TLS work at all. */
static void switch_hands_over_tls_bases(void)
{
    setup();
    ready(A, "a", 5, 3);
    A->tls[0] = 0x1000;
    A->tls_used = true;
    ready(B, "b", 4, 3);
    ready(C, "c", 3, 3);
    sched_tick();
    CHECK(sched_current() == A);
    CHECK(tls_loaded_from == A->tls);
    block_current();
    CHECK(sched_current() == B);
    CHECK(tls_saved_to == A->tls);
    CHECK(tls_loaded_from == B->tls);
    tls_saved_to = NULL;
    tls_loaded_from = NULL;
    block_current();
    CHECK(sched_current() == C);
    CHECK(tls_saved_to == NULL && tls_loaded_from == NULL); // neither has bases: no work
    teardown();
}

static void switch_loads_space_and_stack(void)
{
    static char stack[KSTACK_SIZE];
    static struct space sp = {.root = 0x5000};

    setup();
    init_thread(A, "a", 5, 3);
    A->space = &sp;
    A->kstack = stack;
    sched_make_ready(A);
    ready(B, "b", 4, 3); // no space, no stack: the hooks are not called
    sched_tick();
    CHECK(sched_current() == A);
    CHECK_EQ(activated_root, 0x5000);
    CHECK(kernel_stack_top == stack + KSTACK_SIZE);
    activated_root = 0;
    kernel_stack_top = NULL;
    block_current();
    CHECK(sched_current() == B);
    CHECK_EQ(activated_root, 0);
    CHECK(kernel_stack_top == NULL);
    teardown();
}

/* Threads that never used the FPU switch without an FPU hook: what IPC between them costs. */
static void fpu_untouched_between_threads_without_it(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    sched_tick();    // idle -> a
    block_current(); // a -> b
    CHECK(sched_current() == B);
    CHECK_EQ(nswitches, 2);
    CHECK_EQ(nfpu, 0);
    teardown();
}

/* A thread that used it is saved when it leaves and loaded when it comes back; a thread that
 * did not comes in to a clean, trapping FPU, never to another thread's registers. */
static void fpu_saved_loaded_and_cleaned(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    sched_tick(); // idle -> a
    CHECK(fpu_first_use());
    CHECK(A->fpu_used && !B->fpu_used);
    sched_yield(); // a -> b
    CHECK(sched_current() == B);
    CHECK(strcmp(fpu_log, "cst") == 0);
    CHECK(fpu_area[1] == &A->fpu);
    sched_yield(); // b -> a
    CHECK(strcmp(fpu_log, "cstl") == 0);
    CHECK(fpu_area[3] == &A->fpu);
    sched_yield(); // a -> b
    CHECK(fpu_first_use());
    sched_yield(); // b -> a: both used it
    CHECK(strcmp(fpu_log, "cstlstcsl") == 0);
    CHECK(fpu_area[7] == &B->fpu && fpu_area[8] == &A->fpu);
    teardown();
}

static void run_idle_halts_when_all_done(void)
{
    setup();
    // a dead thread left for the idle loop is reaped before it halts
    init_thread(C, "c", 5, 3);
    C->state = THREAD_DEAD;
    sched_reap_later(C);
    live = 0;
    if (setjmp(escape) == 0) {
        sched_run_idle();
        CHECK(!"sched_run_idle returned");
    }
    CHECK_EQ(halt_code, 0);
    CHECK_EQ(nreaped, 1);
    CHECK(reaped[0] == C);
    CHECK(said("all threads finished"));
    CHECK_EQ(nswitches, 0);
    CHECK_EQ(nviews_threads + nviews_containers, 0); // a normal halt prints no view unless asked
    teardown();
}

static void run_idle_prints_view_at_halt_when_asked(void)
{
    setup();
    view_at_halt = true; // "view=halt"
    if (setjmp(escape) == 0) {
        sched_run_idle();
        CHECK(!"sched_run_idle returned");
    }
    CHECK_EQ(halt_code, 0);
    CHECK_EQ(nviews_containers, 1);
    CHECK_EQ(nviews_threads, 0); // no thread is left to name
    teardown();
}

static void run_idle_halts_when_none_can_run(void)
{
    setup();
    ready(A, "a", 5, 3);
    ready(B, "b", 5, 3);
    A->state = THREAD_BLOCKED;
    sched_remove(A);
    B->suspended = true;
    sched_remove(B);
    live = 3;
    if (setjmp(escape) == 0) {
        sched_run_idle();
        CHECK(!"sched_run_idle returned");
    }
    CHECK_EQ(halt_code, 2); // stuck, which must not pass for success
    CHECK(said("3 thread(s) left"));
    CHECK_EQ(nviews_threads, 1); // the threads left are named, and the containers shown
    CHECK_EQ(nviews_containers, 1);
    CHECK_EQ(nswitches, 0);
    CHECK(is_idle(sched_current()));
    teardown();
}

static void run_idle_runs_ready_work(void)
{
    setup();
    ready(A, "a", 3, 3);
    ready(B, "b", 8, 3);
    live = 2;
    escape_on_switch = true; // the first switch away from idle ends the loop
    CHECK(is_idle(sched_current()));
    if (is_idle(sched_current()) && setjmp(escape) == 0) {
        sched_run_idle();
        CHECK(!"sched_run_idle returned");
    }
    escape_on_switch = false;
    CHECK_EQ(halt_code, -1);
    CHECK_EQ(nswitches, 1);
    CHECK(is_idle(switch_prev[0]));
    CHECK(sched_current() == B);
    teardown();
}

int main(void)
{
    RUN("sched", highest_priority_first);
    RUN("sched", round_robin_on_slice_expiry);
    RUN("sched", alone_at_top_keeps_running);
    RUN("sched", schedule_keeps_runnable_caller_first);
    RUN("sched", make_ready_twice_queues_once);
    RUN("sched", preemption_keeps_turn);
    RUN("sched", yield_goes_to_back);
    RUN("sched", removed_thread_never_picked);
    RUN("sched", unrunnable_current_not_requeued);
    RUN("sched", set_priority_raise_queued_preempts);
    RUN("sched", set_priority_lower_current_switches);
    RUN("sched", nothing_ready_goes_idle);
    RUN("sched", ticks_counted);
    RUN("sched", zombie_reaped_after_switch);
    RUN("sched", switch_loads_space_and_stack);
    RUN("sched", fpu_untouched_between_threads_without_it);
    RUN("sched", fpu_saved_loaded_and_cleaned);
    RUN("sched", switch_hands_over_tls_bases);
    RUN("sched", run_idle_halts_when_all_done);
    RUN("sched", run_idle_prints_view_at_halt_when_asked);
    RUN("sched", run_idle_halts_when_none_can_run);
    RUN("sched", run_idle_runs_ready_work);
    return CHECK_DONE();
}
