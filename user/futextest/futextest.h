/* SPDX-License-Identifier: BSD-2-Clause */
/* Shared by the futex conformance tests: threads on static stacks, and the priorities used. */
#ifndef FUTEXTEST_H
#define FUTEXTEST_H

#include "test.h"

/*
 * The main thread runs at MAIN_PRIO, below every thread it starts: a started
 * thread runs at once until it blocks or ends, and the main thread runs again
 * only when all of them are blocked or done.
 */
#define MAIN_PRIO 10
#define NSTACKS   8 /* threads alive at once; the thread pool is 8 (main included) */
#define WAKE_ALL  (~(l4_word_t)0)

/* Start fn(arg) at prio as thread k (0..NSTACKS-1) on stack k, its capability in slot 20 + k. */
l4_err_t spawn(unsigned k, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio);
l4_cap_t spawn_slot(unsigned k);

/* The tests of libl4's l4_mutex and l4_cond (sync.c). */
void sync_tests(void);

#endif
