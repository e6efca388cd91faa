/* SPDX-License-Identifier: BSD-2-Clause */
/* What the fuzzer counts: calls, their results, and results no kernel may give. */
#ifndef FUZZ_STATS_H
#define FUZZ_STATS_H

#include "gen.h"

#include <coffer/syscall_nr.h>

/* Count one call's result; an out-of-range result, or one a number past the table, is wrong. */
l4_err_t stat_record(struct fz *f, l4_word_t nr, l4_err_t err);
/* Report a result no kernel may give: "fuzz: WRONG: <call> <nr>: <what> <value>". */
void stat_wrong(l4_word_t nr, const char *what, l4_word_t value);
/* A run of creations of one pool kind ended, with ENOMEM (dry) or another error. */
void stat_exhausted(unsigned kind, bool dry);
/* "fuzz: run R[ done]: N calls: OK n EINVAL n ..." (and, when done, successes per call). */
void stat_print(l4_word_t run, bool done);

#endif
