/* SPDX-License-Identifier: BSD-2-Clause */
/* The smaller calls' conformance tests (IRQREL-, IRQLEND-, IMMUT-, WALL-): one program, a part per arg. */
#ifndef SMALLTEST_H
#define SMALLTEST_H

#include "test.h"

#define WEAK 21 /* a scratch slot for a narrowed copy */

/* A copy of src in dest with only rights (and the same words). */
void weaker_copy(l4_cap_t src, l4_cap_t dest, l4_word_t rights);
/* Wait about n timer ticks, letting every other thread run. */
void wait_ticks(l4_word_t n);

int irqrel_tests(void);
int irqlend_lender(void);
int irqlend_borrower(void);
int immut_giver(void);
int immut_taker(void);
int wall_tests(void);
int wall_refused(void);

#endif
