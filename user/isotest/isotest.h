/* SPDX-License-Identifier: BSD-2-Clause */
/* ISO-1xx: the kernel-memory isolation breaches, tried as an attacker would (shared parts). */
#ifndef ISOTEST_H
#define ISOTEST_H

#include "test.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>

/* Every worker serves commands from the supervisor on the endpoint in slot 16. */
#define CMD 16

enum command {
    CMD_EXIT = 1,
    G_SPLIT_GRANT,   /* giver: split its pools and memory, grant parts to the taker */
    G_REVOKE,        /* giver: revoke its thread and page-table pools */
    G_FILL,          /* giver: use every unit of its pools */
    G_SPLIT_GRANT2,  /* giver: grant thread units again, for the restart */
    G_MEMROOT,       /* giver: grant a part of its memory, then destroy the root */
    T_USE,           /* taker: use what it was given */
    T_CHECK_REVOKED, /* taker: what it built with the units is gone */
    T_USE2,          /* taker: build with the new units */
    T_CHECK_RESTART, /* taker: the giver's restart took it all back */
    T_CHECK_MEMROOT, /* taker: the memory part went with its root */
    X_FILL,          /* third: use every unit of its pools */
};

#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)
#define POOL_SPC L4_SLOT_POOL(L4_POOL_SPACES)
#define POOL_EP  L4_SLOT_POOL(L4_POOL_ENDPOINTS)
#define POOL_NTF L4_SLOT_POOL(L4_POOL_NOTIFICATIONS)
#define POOL_PT  L4_SLOT_POOL(L4_POOL_PAGETABLES)

/* Where the taker is given things (the giver grants into these slots of its table). */
#define T_Y   30 /* thread units */
#define T_M2  31 /* a page of the giver's memory */
#define T_P   32 /* page-table units */
#define T_M3  33 /* memory split off a root the giver then destroys */
#define T_CMD 45 /* a copy of the giver's command endpoint */

#define SECRET_OFFSET (48 * 1024) /* where in its region the giver keeps its secret */
#define VA_SECRET     0x20000000  /* where the giver maps it */
#define VA_M2         0x30000000  /* where the taker maps it */

/* Answer commands until CMD_EXIT; handle returns the reply word. */
void serve(l4_word_t (*handle)(l4_word_t cmd));
/* Send a command to the worker behind endpoint ep; its reply word, or ~0 on an IPC error. */
l4_word_t command(l4_cap_t ep, l4_word_t cmd);
/* The pool capability in slot: units, units in use. */
void pool_read(l4_cap_t slot, l4_word_t *units, l4_word_t *used);
/* Make inactive threads paid by pool into slots first.. until an error; how many. */
unsigned make_threads(l4_cap_t pool, l4_cap_t first, unsigned max, l4_err_t *last);
/* Destroy the threads, and the capabilities, in slots first.. */
void destroy_slots(l4_cap_t first, unsigned n);
/*
 * In a new space (slot dest, tables paid by ptpool), map the page at offset of the memory
 * capability mem at one address per 2 MiB until a table cannot be paid for; the error.
 */
l4_err_t fill_tables(l4_cap_t ptpool, l4_cap_t mem, l4_cap_t dest);

int giver(void);
int taker(void);
int third(void);
int supervisor(void);
int hog(void);
int other(void);

#endif
