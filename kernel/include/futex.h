/* SPDX-License-Identifier: BSD-2-Clause */
/* Futex wait queues: threads blocked until a word of their space changes, keyed by (space, address). */
#ifndef KERNEL_FUTEX_H
#define KERNEL_FUTEX_H

#include "types.h"

struct space;
struct tcb;

/*
 * Each space keeps one queue of the threads waiting on any word in it
 * (space->futex_waiters), linked through the waiters' own ipc_link: waiting
 * costs no memory but the thread's TCB, which its container paid for, and a
 * lookup walks only that space's waiters. The queue is in wake order: highest
 * priority first, first come first within a priority.
 */

/* Block self (the running thread) on the word at addr of its space until futex_wake. */
void futex_block(struct tcb *self, vaddr_t addr);
/* Wake up to n threads waiting on addr in s, in wake order; how many woke. */
l4_word_t futex_wake(struct space *s, vaddr_t addr, l4_word_t n);
/* t waits on a futex and its priority changed: move it to its new place in the queue. */
void futex_requeue(struct tcb *t);

#endif
