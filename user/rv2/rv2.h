/* SPDX-License-Identifier: BSD-2-Clause */
/* Second security review (RV-2xx): shared helpers and slots. */
#ifndef RV2_H
#define RV2_H

#include "test.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/thread.h>

#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)
#define POOL_SPC L4_SLOT_POOL(L4_POOL_SPACES)
#define POOL_EP  L4_SLOT_POOL(L4_POOL_ENDPOINTS)
#define POOL_NTF L4_SLOT_POOL(L4_POOL_NOTIFICATIONS)
#define POOL_PT  L4_SLOT_POOL(L4_POOL_PAGETABLES)
#define SPACE    L4_SLOT_SPACE
#define MEM      L4_SLOT_MEMORY
#define STACK_VA 0x50000000ull /* the stranger's stack, in the host's space */
#define UTCB_VA  0x50002000ull /* and its UTCB */

/* host's slots (system file) */
#define H_EP    16
#define H_GUEST 17
#define H_KICK  18 /* the guest's notification: signal */
#define H_WAKE  19
#define H_COPY  20
#define H_GOT   21
/* guest's slots */
#define G_EP    16 /* the host's endpoint: send, transfer */
#define G_KICK  18 /* the host's notification: signal */
#define G_WAKE  19
#define G_SPACE 30 /* the host's space, lent */
#define G_T     31

void wait_note(l4_cap_t ntf);

int role_perf(void);
int role_lender(void);
int role_boot(void);
int role_sink(void);

#endif
