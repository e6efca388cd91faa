/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's end as others see it: thread_wait, its exit notification, its container's. */
#ifndef OBJECT_THREAD_WAIT_H
#define OBJECT_THREAD_WAIT_H

#include "thread.h"

/* t just ended (DEAD, exit_code set): its waiters wake with result (L4_OK: with the code), its
 * exit notification is signalled, and its container's if it was the last thread alive. */
void thread_ended(struct tcb *t, l4_err_t result);
/* t stopped on a fault nobody handles: it will never end by itself, so its waiters wake with
 * ESTATE; its exit notification and its container's are signalled. */
void thread_faulted(struct tcb *t);
/* The caller waits for t's end: L4_OK and its code, ESTATE if it faulted, ETIMEOUT if it is
 * alive and nonblock; ECAP if the caller's authority to wait goes while it waits. */
l4_err_t thread_wait(struct tcb *t, bool nonblock, l4_word_t *code);
/* Bind t's exit notification (NULL: none) on the authority of binder. */
void thread_bind_exit(struct tcb *t, struct notification *n, l4_word_t bits,
                      struct container *binder);
/* Container c may no longer read t: its threads waiting for t wake with ECAP. */
void threads_stop_waiting(struct tcb *t, struct container *c);
/* n goes, or binder (NULL: anyone) may no longer signal it: threads forget it as their exit
 * notification. */
void threads_forget_exit_ntf(struct notification *n, const struct container *binder);

#endif
