/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control block: scheduling state, kernel stack, its space and container. */
#ifndef OBJECT_THREAD_H
#define OBJECT_THREAD_H

#include "arch.h"
#include "list.h"
#include "pool.h"
#include "types.h"
#include "unmap_debt.h"

#include <coffer/thread.h>

enum thread_state {
    THREAD_FREE = 0, /* block unused */
    THREAD_INACTIVE, /* created, not yet started */
    THREAD_READY,    /* running or in the run queue */
    THREAD_BLOCKED,  /* waiting in the kernel */
    THREAD_DEAD,     /* ended; its block stays while capabilities name it (exit code) */
};

struct space;
struct container;
struct endpoint;
struct notification;

/* A message in transit: what the sender said, and the badge of the capability it used. */
struct ipc_msg {
    l4_word_t tag, w[4], badge;
};

/* Why a THREAD_BLOCKED thread waits. */
enum ipc_wait {
    IPC_NONE = 0,
    IPC_SEND,     /* queued on an endpoint with a message */
    IPC_CALL,     /* the same, and wants a reply */
    IPC_RECV,     /* queued on an endpoint for a message */
    IPC_REPLY,    /* its message was taken; waiting for the reply */
    IPC_NOTIFY,   /* queued on a notification */
    IPC_FUTEX,    /* queued on its space's futex waiters (kernel/core/futex.c) */
    IPC_JOIN,     /* queued on a thread's waiters, in thread_wait */
    IPC_EXT_COPY, /* its message was taken; the receiver still copies its extended buffer */
};

struct tcb {
    /* scheduler: rq_link is on the run queue iff the thread is runnable and not current */
    struct list_node rq_link;
    uint64_t saved_sp; /* kernel context while switched out */
    enum thread_state state;
    union {
        struct {
            bool suspended; /* by thread_suspend */
            bool held;      /* by container_stop */
        };
        uint16_t stopped; /* either: one test on the IPC fastpath */
    };
    bool faulted; /* stopped by an exception nobody handles */
    /* work a switch to or from it has beyond the common path: both marks are read as one
     * word (switch_work), so threads with neither pay one test per switch (sched.c) */
    union {
        struct {
            bool fpu_used; /* has used the FPU: fpu is saved and loaded on its switches (fpu.h) */
            bool tls_used; /* a TLS base is not 0: switches load the bases (thread_regs.c) */
        };
        uint16_t switch_work;
    };
    uint8_t prio;
    uint32_t timeslice; /* ticks per turn */
    uint32_t slice_left;

    void *kstack;        /* KSTACK_SIZE bytes, a guard page below; user frame at the top; NULL in a
                   * free block (its stack is unmapped: thread_store_prepare) */
    struct space *space; /* NULL for the idle thread, and once its space is destroyed */
    struct container *container; /* the container it belongs to */
    /* the table its slots name: its container's, or a run-time table (kernel/object/cspace.c);
     * never NULL, so the system call paths load it without a test (captable_none once it ends) */
    struct captable *cspace;
    struct paid paid;    /* the thread pool capability that pays for it */
    uint32_t caps;       /* capabilities naming it */
    uint32_t generation; /* how often its block was used: kept when freed */
    l4_tid_t id;         /* id of its block | generation << 16 */
    char name[16];
    /* its TLS bases (L4_TLS_FS, L4_TLS_GS; thread_regs.c): while it runs, the CPU's are
     * the true ones, and a switch away brings these up to date (arch_tls_switch) */
    l4_word_t tls[L4_TLS_COUNT];

    /* IPC (kernel/object/endpoint.c) */
    struct list_node ipc_link; /* on the wait queue of blocked_on */
    void *blocked_on;          /* endpoint, notification or (futex) space, while queued */
    enum ipc_wait ipc_wait;
    l4_err_t ipc_result;       /* what the blocked call returns once woken */
    struct ipc_msg msg;        /* outgoing while queued to send, incoming once woken */
    struct tcb *caller;        /* whose reply this thread owes: the one-shot reply right */
    struct tcb *callee;        /* who owes this thread a reply */
    struct endpoint *fault_ep; /* where its exceptions are sent, or NULL */
    vaddr_t utcb;              /* its struct l4_utcb, or 0 */
    /* where the kernel last found it (thread_utcb.h): the level-1 entry that mapped it, the
     * entry's value then, and the frame's kernel address; NULL: walk the tables */
    uint64_t *utcb_pte;
    uint64_t utcb_seen;
    void *utcb_kaddr;
    bool chain_dropped; /* left by the fastpath: resumes via ipc_fast_resume() */
    bool ntf_resume;    /* ...from a notification wait (chain_dropped too): notify_fast.c */
    l4_word_t fault_badge;
    /* while in_fault, set by the fault fastpath: the address its report names (fault_fast.c) */
    vaddr_t fault_addr;
    uint8_t foreign; /* L4_FOREIGN_*: which SYSCALLs go to fault_ep (kernel/core/foreign.c) */
    /* numbers below it are carried out by the kernel (syscall_count; 0 with L4_FOREIGN_ALL):
     * the entry's one range check serves both the table's end and the foreign mode */
    uint32_t syscall_limit;
    union {
        struct {
            bool in_foreign;   /* calling fault_ep with a foreign system call: words 4.. are
                                * its frame's */
            bool ext_faulting; /* calling fault_ep for a page of its own extended buffer */
            bool in_fault;     /* calling fault_ep with an exception's fault message: its
                                * frame is an exception's, left through IRETQ (ext_faulting
                                * may come and go meanwhile: fault.c) */
        };
        /* any: its kernel call chain waits for the reply, so the reply goes the general
         * way (the IPC fastpath tests this one word: kernel/core/fastpath.c) */
        uint32_t kernel_call;
    };
    /* an extended copy the receiver finishes in its own context (kernel/core/ipc_copy.c):
     * on the receiver, the sender it copies from, and how far it got; on the sender, the
     * receiver. Either side leaving clears both (ipc_copy_drop). */
    struct tcb *ext_from, *ext_to;
    l4_word_t ext_done;

    vaddr_t futex_addr; /* the word it waits on, while IPC_FUTEX (kernel/core/futex.c) */
    /* where its cap_revoke stood when it stopped at a preemption point (kernel/api/sys_cap.c) */
    struct cap_revoke_cursor revoke;
    /* a call whose own part ended with carry_err, stopped while it cleared the tables it
     * destroyed: its rerun returns that (kernel/api/carry.c); 0 when none */
    l4_word_t carry_nr;
    l4_err_t carry_err;
    /* the unmaps its call's capability changes owe, paid before it returns (unmap_debt.c) */
    struct unmap_debt unmap;
    /* where a mem_protect or mem_share stopped part way stands (kernel/api/sys_mem.c): the
     * call's number (0: none), the next page and the pages it changed or shared so far */
    struct {
        l4_word_t nr, done;
        vaddr_t at;
    } range;
    /* its end (kernel/object/thread_wait.c) */
    l4_word_t exit_code;           /* once DEAD: what thread_wait returns */
    struct list_node waiters;      /* threads blocked in thread_wait on it (IPC_JOIN) */
    struct notification *exit_ntf; /* signalled when it ends or faults, or NULL */
    l4_word_t exit_bits;           /* the badge of the capability it was bound with */
    struct container *exit_binder; /* whose L4_NTF_SIGNAL right the binding rests on */

    /* FPU/SSE/AVX registers while switched out, if fpu_used; zeroed by thread_create, which
     * the XSAVE header's reserved bytes need (XRSTOR refuses an area with them set) */
    struct arch_fpu fpu;
};

/* A new inactive thread of container c in space s, paid by thread pool capability payer
 * (ENOMEM when its units are all in use). */
l4_err_t thread_create(struct container *c, struct cap *payer, struct space *s, uint8_t prio,
                       const char *name, struct tcb **out);
/* Set aside the kernel stacks of a new thread store's blocks (boot): RAM and place. */
void thread_store_prepare(struct store *s);
bool thread_runnable(const struct tcb *t);
/* Its L4_FOREIGN_* mode (checked by the caller): which of its SYSCALLs go to its fault
 * endpoint, from its next one (kernel/core/foreign.c). */
void thread_set_foreign(struct tcb *t, unsigned mode);
/* Destroy t: it never runs again, every capability naming it goes, its memory comes back;
 * its waiters wake with ECAP. */
void thread_kill(struct tcb *t, l4_word_t code);
/* t ends by itself: its waiters get the code, which stays readable (thread_wait) while a
 * capability names it; its block comes back with the last one. */
void thread_exit(struct tcb *t, l4_word_t code);
/* A dead thread: its space goes now (an exit code needs none), and its block too if no
 * capability names it; for the running thread, once it is off its stack. */
void thread_settle(struct tcb *t);
/* A capability naming t was made or removed; the last one gone releases a dead thread. */
void thread_cap_ref(struct tcb *t, bool added);
/* Give a settled dead thread's block back to its store (never the current one's). */
void thread_reap(struct tcb *t);
/* Its payer is going: kill it, or if it is dead already or running, give its unit back. */
void thread_reclaim(struct tcb *t);
/* A kernel-mode fault at addr: if that is the current thread's guard page, its kernel stack
 * overflowed, and the kernel stops with a panic that names it. */
void thread_check_stack_overflow(vaddr_t addr);
unsigned thread_live_count(void);
/* Hold (container_stop) or release every thread of c. */
void threads_hold(struct container *c, bool hold);
/* Kill c's threads, and any thread running in one of c's spaces. */
void threads_kill_all(struct container *c);
/* Kill every thread bound to space s (its space is being destroyed); they no longer name it. */
void threads_kill_in_space(struct space *s);
/* The endpoint is going: no thread may keep it as its fault endpoint. */
void threads_forget_endpoint(struct endpoint *ep);
/* Container c may no longer bind threads to s: kill its threads bound there (unless c made
 * the space: its own threads stay in it). */
void threads_kill_strangers(struct space *s, struct container *c);
/* Container c may no longer send to ep: its threads lose it as their fault endpoint. */
void threads_forget_fault_ep(struct endpoint *ep, struct container *c);

#endif
