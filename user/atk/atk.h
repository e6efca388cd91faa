/* SPDX-License-Identifier: BSD-2-Clause */
/* Security review attacks on kernel-memory accounting (ATK-xxx): shared helpers. */
#ifndef ATK_H
#define ATK_H

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
#define BLOB_VA  0x10000000ull /* where machine-code blobs run in spaces we make */
#define BLOB_OWN 0x51000000ull /* where we write them in our own space */
#define STACK_VA 0x50000000ull /* a stack page we map into someone else's space */

/* Yield until slot holds a capability (true) or empty (false), at most n times. */
bool wait_filled(l4_cap_t slot, unsigned n);
bool wait_empty(l4_cap_t slot, unsigned n);
/* Run fn(arg) as a thread paid by pool in space (our own space: stack from malloc);
 * started unless start is false. */
l4_err_t spawn(l4_cap_t pool, l4_cap_t space, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio,
               l4_cap_t dest, bool start);
/* A thread paid by pool in space starting at ip with stack sp (no stack: 0). */
l4_err_t start_at(l4_cap_t pool, l4_cap_t space, l4_word_t ip, l4_word_t sp, l4_word_t prio,
                  l4_cap_t dest);
/*
 * Page `page` of our memory region mapped read-write at BLOB_OWN + page * 4096 in our own
 * space, filled with a machine-code blob: "syscall nr(arg); ud2" or "for (;;) yield".
 * Returns the offset of the page in the region (to map it elsewhere).
 */
l4_word_t blob_syscall(unsigned page, l4_word_t nr, l4_word_t arg);
l4_word_t blob_yield_loop(unsigned page);
/* The architecture's encoders (blob_<arch>.c), each writing its blob at p, position
 * independent and touching no stack: "system call nr(arg), then fault for ever" (the call
 * should never come back) and "for (;;) system call yield". */
void arch_blob_syscall(uint8_t *p, l4_word_t nr, l4_word_t arg);
void arch_blob_yield_loop(uint8_t *p, l4_word_t yield);

/* The roles, one per container kind of the ATK systems (tests/qemu/systems/atk-*.toml). */
int role_zrevoke(void);
int role_zsup(void);
int role_exiter(void);
int role_rootsup(void);
int role_giver(void);
int role_owner(void);
int role_intruder(void);
int role_held(void);
int role_peer(void);
int role_rsup(void);
int role_lender(void);
int role_fuzz(const char *which);
int role_fsup(void);
int role_machine(void); /* AArch64 only (machine_aarch64.c) */

/* A counter in every copy of this program; spy() increments it in whatever space it runs. */
extern volatile l4_word_t spy_counter;
long spy(l4_word_t arg);

#endif
