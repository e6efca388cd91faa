/* SPDX-License-Identifier: BSD-2-Clause */
/* The teardown a system call carries: run-time tables it destroyed, cleared before it returns. */
#ifndef API_CARRY_H
#define API_CARRY_H

#include "types.h"

/*
 * Around a call that may destroy run-time tables and can run again (cap_revoke, cap_destroy,
 * captable_remove, container_restart): carry_begin at its start says whether this is its
 * rerun after its own part ended (then *err is that part's result, already reported, and the
 * call does nothing but carry_end); carry_end(nr, err) takes apart, in batches, the tables
 * its call destroyed (kernel/object/cspace.c) and returns err, or syscall_again(nr) when an
 * interrupt waits or a better thread is ready between two batches (or err is CAP_MORE: the
 * call's own part stopped part way).
 */
bool carry_begin(l4_word_t nr, l4_err_t *err);
l4_err_t carry_end(l4_word_t nr, l4_err_t err);

#endif
