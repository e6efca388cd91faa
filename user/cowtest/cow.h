/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * cowtest: a user-level pager that runs processes in spaces it manages, forks them with
 * copy-on-write (mem_protect and mem_share), and copies a page only when it is written.
 */
#ifndef COWTEST_COW_H
#define COWTEST_COW_H

#include "test.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/thread.h>

/* Slots from tests/qemu/systems/cowtest.toml */
#define OTHER_EP     16 /* other.ep: send */
#define OTHER        17 /* the container other: receive (for grants) */
/* Slots the pager fills */
#define EP           20             /* its endpoint: faults and requests of its processes */
#define EP_OF(k)     (21 + (k))     /* send, badge k + 1: what process k calls */
#define SPACE_OF(k)  (25 + (k))     /* process k's space */
#define THREAD_OF(k) (29 + (k))     /* process k's thread */
#define MAX_PROCS    3              /* A, B (A's child) and C (B's child) */
#define MEM          L4_SLOT_MEMORY /* the region the pager's frames come from */

/* A process's layout: the pager's own image (copied page by page as it is touched), a
 * stack, and the data it writes (demand-zero) */
#define DATA        0x10000000ull
#define DATA_PAGES  1152 /* 4.5 MiB, written before the first fork */
#define FRESH_PAGES 16   /* then pages first written after the fork, by B only */
#define STACK_TOP   0x70000000ull
#define STACK_PAGES 16
#define PAGE        L4_PAGE_SIZE
#define WORDS       (PAGE / sizeof(l4_word_t))

/* What a process asks of its pager (labels); each is a call, answered at once. */
#define REQ_FORK  1 /* word 0: the child's entry. Answer: the child's index */
#define REQ_WROTE 2 /* I have written. Answer: 1 once every process has (or has failed) */
#define REQ_DONE  3 /* word 0: 0, or 1 + the first page whose content I found wrong */

/* The processes, and who wrote what: what process who must find in data page i. */
enum writer { NOBODY, ORIG, BY_A, BY_B1, BY_B2, BY_C };
enum proc { PROC_A, PROC_B, PROC_C };
enum writer cow_expected(enum proc who, l4_word_t page);
static inline l4_word_t cow_value(enum writer w, l4_word_t page, l4_word_t word)
{
    return w == NOBODY ? 0 : (l4_word_t)w << 56 | page << 16 | word;
}
_Noreturn void proc_a(l4_word_t k);

/* The pager (pager.c): build process 0 running proc_a, serve until all processes ended, check
 * what each space holds; then the error tests of mem_protect and mem_share (errors.c). */
void cow_fork_tests(void);
void cow_error_tests(void);
int cow_other(void);
/* A fresh frame of MEM, mapped in the pager's window; its index, or ~0 when none is left. */
l4_word_t cow_frame(void);
void *cow_window(l4_word_t frame);

#endif
