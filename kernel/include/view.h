/* SPDX-License-Identifier: BSD-2-Clause */
/* The live view: what each container uses, and what each thread left at a halt waits on. */
#ifndef KERNEL_VIEW_H
#define KERNEL_VIEW_H

#include "types.h"

struct container;

/* "view=halt" on the kernel command line: print the container table at every halt. */
extern bool view_at_halt;

/*
 * What c uses of what (a pool kind, L4_USAGE_MEMORY or L4_USAGE_WAITING,
 * <coffer/cap.h>), and of how much; EINVAL for any other what.
 */
l4_err_t view_usage(struct container *c, l4_word_t what, uint64_t *used, uint64_t *total);

/* One line per container: state, pool units, memory, threads, faults and restarts. */
void view_print_containers(void);
/* One line per live thread: its container, name, program and what it waits on. */
void view_print_threads(void);

#endif
