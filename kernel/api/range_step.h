/* SPDX-License-Identifier: BSD-2-Clause */
/* The checks and the steps of calls over a range of pages (mem_protect, mem_share,
 * cache_control), and the address check of every call that names a page. */
#ifndef API_RANGE_STEP_H
#define API_RANGE_STEP_H

#include "types.h"

/* vaddr page aligned (EINVAL) and a user page that may be mapped (ERANGE); call names the
 * call in the message. */
l4_err_t check_vaddr(const char *call, l4_word_t vaddr);
/* The same for the first page, and 1 .. L4_MEM_RANGE_MAX pages from it, all in user space. */
l4_err_t check_range(const char *call, l4_word_t vaddr, l4_word_t pages);

/*
 * Pages of a range call between two preemption points: mem_protect changes 512 pages in about
 * 50,000 instructions, mem_share (which looks at both spaces) maps them in about 110,000, so a
 * step of 128 pages keeps an interrupt waiting for at most about 28,000. Between two steps,
 * when an interrupt waits or a better thread is ready, the call stops and runs again from its
 * SYSCALL (syscall_again: the dispatcher writes no result over its arguments, syscalls.toml
 * "again"), going on from the thread's cursor (struct tcb range).
 */
#define RANGE_STEP 128

/* Where call nr goes on: its own cursor if this is its rerun, else vaddr; *done its count. */
vaddr_t range_resume(l4_word_t nr, l4_word_t vaddr, l4_word_t pages, l4_word_t *done);
/* After a step that ended at va (before end): stop there if an interrupt or a better thread
 * waits, the cursor kept for the rerun. */
bool range_stop(l4_word_t nr, vaddr_t va, vaddr_t end, l4_word_t done);
/* The end of the step that starts at va. */
vaddr_t step_end(vaddr_t va, vaddr_t end);

#endif
