/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread control block: scheduling state, kernel stack, and the space a thread runs in. */
#ifndef OBJECT_THREAD_H
#define OBJECT_THREAD_H

#include "list.h"
#include "types.h"

#define MAX_THREADS 128

enum thread_state {
    THREAD_FREE = 0, /* slot unused */
    THREAD_INACTIVE, /* created, not yet started */
    THREAD_READY,    /* running or in the run queue */
    THREAD_BLOCKED,  /* waiting in the kernel */
    THREAD_DEAD,     /* exited or killed; waiting to be reaped */
};

struct space;

struct tcb {
    /* scheduler: rq_link is on the run queue iff state == READY, not suspended, not current */
    struct list_node rq_link;
    uint64_t saved_sp; /* kernel context while switched out */
    enum thread_state state;
    bool suspended;
    uint8_t prio;
    uint32_t timeslice; /* ticks per turn */
    uint32_t slice_left;

    void *kstack;        /* KSTACK_SIZE bytes; the user frame sits at the top */
    struct space *space; /* NULL for the idle thread */
    l4_tid_t id;         /* slot index + 1 | generation << 16 */
    char name[16];
};

struct tcb *thread_create(struct space *s, uint8_t prio, const char *name);
struct tcb *thread_lookup(l4_tid_t id);
bool thread_runnable(const struct tcb *t);
/* End t: it never runs again; its resources go back when it is next not running. */
void thread_kill(struct tcb *t, l4_word_t code);
/* Free the slot and kernel stack of a dead thread (never the current one). */
void thread_reap(struct tcb *t);
unsigned thread_live_count(void);

#endif
