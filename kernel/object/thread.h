/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control block: scheduling state, kernel stack, its space and container. */
#ifndef OBJECT_THREAD_H
#define OBJECT_THREAD_H

#include "list.h"
#include "types.h"

#define MAX_THREADS 256

enum thread_state {
    THREAD_FREE = 0, /* slot unused */
    THREAD_INACTIVE, /* created, not yet started */
    THREAD_READY,    /* running or in the run queue */
    THREAD_BLOCKED,  /* waiting in the kernel */
    THREAD_DEAD,     /* exited or killed; waiting to be reaped */
};

struct space;
struct container;
struct endpoint;

/* A message in transit: what the sender said, and the badge of the capability it used. */
struct ipc_msg {
    l4_word_t tag, w[4], badge;
};

/* Why a THREAD_BLOCKED thread waits. */
enum ipc_wait {
    IPC_NONE = 0,
    IPC_SEND,   /* queued on an endpoint with a message */
    IPC_CALL,   /* the same, and wants a reply */
    IPC_RECV,   /* queued on an endpoint for a message */
    IPC_REPLY,  /* its message was taken; waiting for the reply */
    IPC_NOTIFY, /* queued on a notification */
};

struct tcb {
    /* scheduler: rq_link is on the run queue iff the thread is runnable and not current */
    struct list_node rq_link;
    uint64_t saved_sp; /* kernel context while switched out */
    enum thread_state state;
    bool suspended; /* by thread_suspend */
    bool held;      /* by container_stop */
    bool faulted;   /* stopped by an exception nobody handles */
    uint8_t prio;
    uint32_t timeslice; /* ticks per turn */
    uint32_t slice_left;

    void *kstack;                /* KSTACK_SIZE bytes; the user frame sits at the top */
    struct space *space;         /* NULL for the idle thread */
    struct container *container; /* whose thread pool paid for it */
    uint32_t caps;               /* capabilities naming it */
    l4_tid_t id;                 /* slot index + 1 | generation << 16 */
    char name[16];

    /* IPC (kernel/object/endpoint.c) */
    struct list_node ipc_link; /* on the wait queue of blocked_on */
    void *blocked_on;          /* endpoint or notification, while queued */
    enum ipc_wait ipc_wait;
    l4_err_t ipc_result;       /* what the blocked call returns once woken */
    struct ipc_msg msg;        /* outgoing while queued to send, incoming once woken */
    struct tcb *caller;        /* whose reply this thread owes: the one-shot reply right */
    struct tcb *callee;        /* who owes this thread a reply */
    struct endpoint *fault_ep; /* where its exceptions are sent, or NULL */
    vaddr_t utcb;              /* its struct l4_utcb, or 0 */
    bool chain_dropped;        /* left by the fastpath: resumes via ipc_fast_resume() */
    l4_word_t fault_badge;
};

/* A new inactive thread of container c in space s, paid from c's thread pool. */
l4_err_t thread_create(struct container *c, struct space *s, uint8_t prio, const char *name,
                       struct tcb **out);
bool thread_runnable(const struct tcb *t);
/* End t: it never runs again, every capability naming it goes, its memory comes back. */
void thread_kill(struct tcb *t, l4_word_t code);
/* Free the slot and kernel stack of a dead thread (never the current one). */
void thread_reap(struct tcb *t);
unsigned thread_live_count(void);
/* Hold (container_stop) or release every thread of c. */
void threads_hold(struct container *c, bool hold);
void threads_kill_all(struct container *c);
/* The endpoint is going: no thread may keep it as its fault endpoint. */
void threads_forget_endpoint(struct endpoint *ep);

#endif
