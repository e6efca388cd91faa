/* SPDX-License-Identifier: BSD-2-Clause */
/* What a system call carries: the unmaps its capability changes owe and the run-time tables it
 * destroyed, paid before it returns. */
#ifndef API_CARRY_H
#define API_CARRY_H

#include "types.h"

/*
 * Around a call that may change memory capabilities or destroy run-time tables and can run
 * again (cap_revoke, cap_destroy, captable_remove, container_restart, cap_deduce, cap_grant):
 * carry_begin at its start says whether this is its rerun after its own part ended (then
 * *err is that part's result, already reported, and the call does nothing but carry_end);
 * carry_end(nr, err) pays in steps the unmaps its capability changes owe
 * (kernel/object/unmap_debt.c), takes apart in batches the tables its call destroyed
 * (kernel/object/cspace.c) and returns err, or syscall_again(nr) when an interrupt waits or a
 * better thread is ready between two (or err is CAP_MORE: the call's own part stopped part
 * way). carry_unmaps, between two batches of a call's own part, pays the unmaps the last
 * batch owes in steps: false when it stopped with some left (the call returns CAP_MORE).
 */
bool carry_begin(l4_word_t nr, l4_err_t *err);
bool carry_unmaps(void);
l4_err_t carry_end(l4_word_t nr, l4_err_t err);

#endif
