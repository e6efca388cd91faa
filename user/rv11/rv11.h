/* SPDX-License-Identifier: BSD-2-Clause */
/* Review of issue 11 (RV-11xx): shared slots and the attacks each file runs. */
#ifndef RV11_H
#define RV11_H

#include "test.h"

#include <coffer/ipc.h>
#include <coffer/regs.h>
#include <coffer/thread.h>
#include <coffer/tls.h>

#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)
#define POOL_EP  L4_SLOT_POOL(L4_POOL_ENDPOINTS)
#define POOL_NTF L4_SLOT_POOL(L4_POOL_NOTIFICATIONS)
#define EP       20 /* an endpoint of ours: fault endpoint and message channel */
#define X        21 /* the thread under attack */
#define NTF      22
#define X2       23   /* RV-1103: a lower-priority foreign caller */
#define NR_ALIEN 1000 /* a number that is not Coffer's: a foreign system call */

/* foreign.c: thread_regs on a thread in the middle of a foreign system call */
void foreign_attacks(void);
void foreign_resumed_then_written(void);
/* tls_<arch>.c: zero every TLS base of the calling thread without the kernel (x86_64: null
 * FS and GS selectors; AArch64: TPIDR_EL0 written at EL0); whether the word at each base is
 * want (%fs:0 and %gs:0; the word at TPIDR_EL0) */
void tls_clear_by_hand(void);
bool tls_words_are(l4_word_t want);
/* tls.c: a thread that clears its TLS bases itself; the victim in another container */
void tls_attack(void);
int tls_victim(void);

#endif
