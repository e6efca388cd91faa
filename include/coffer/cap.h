/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability ABI: types, rights bits per type, pool kinds, and the cap_read record. */
#ifndef COFFER_CAP_H
#define COFFER_CAP_H

#include <coffer/types.h>

/* Capability types. A slot holding L4_CAP_NULL is empty. */
enum l4_cap_type {
    L4_CAP_NULL = 0,
    L4_CAP_CONTAINER = 1, /* a container: control, inspect, grant into */
    L4_CAP_THREAD = 2,
    L4_CAP_SPACE = 3,
    L4_CAP_POOL = 4,         /* a typed kernel-memory quota: quantity units of one pool kind */
    L4_CAP_MEMORY = 5,       /* a physical memory range */
    L4_CAP_DEBUG = 6,        /* the kernel debug console */
    L4_CAP_ENDPOINT = 7,     /* synchronous IPC; its badge is in the first word */
    L4_CAP_NOTIFICATION = 8, /* asynchronous signal bits; its badge is the bits it sets */
    L4_CAP_IOPORT = 9,       /* a range of x86 I/O ports: base, count */
    L4_CAP_IRQ = 10,         /* an interrupt line: its number */
    L4_CAP_CAPTABLE = 11,    /* a capability table made at run time; b is its number of slots */
    L4_CAP_CLOCK = 12,       /* the kernel's wall clock (time_set); names no object */
    L4_CAP_TYPE_COUNT
};

/*
 * Rights: one bit each. Bits 0 and 1 mean the same for every type and govern
 * what may be done with the capability itself; the others depend on the type.
 * Every type has an *_RIGHTS_ALL mask; a rights argument with a bit outside
 * it is rejected (L4_EINVAL), and rights never grow along a derivation.
 */
#define L4_RIGHT_COPY  (1u << 0) /* may be replicated, shared or split */
#define L4_RIGHT_GRANT (1u << 1) /* may be granted (moved) to another container */
#define L4_RIGHTS_CAP  (L4_RIGHT_COPY | L4_RIGHT_GRANT)

/*
 * Immutable grants: cap_grant's dest, or utcb.cap_send with L4_IPC_CAP, or'ed with
 * L4_GRANT_IMMUTABLE moves the capability as ever, and it arrives immutable: its holder may
 * use it (its type's rights) and destroy it, nothing else: replicate, share, grant, split,
 * deduce and revoke are refused (L4_ERIGHTS). cap_read shows such a capability with the
 * pseudo-right L4_RIGHT_IMMUTABLE and without COPY and GRANT. It is in no *_RIGHTS_ALL:
 * no call takes it as a right.
 */
#define L4_GRANT_IMMUTABLE (1ull << 63)
#define L4_RIGHT_IMMUTABLE (1u << 31)

#define L4_CONT_CONTROL    (1u << 2) /* stop, start, restart */
#define L4_CONT_INSPECT    (1u << 3) /* read state and pool usage */
#define L4_CONT_RECEIVE    (1u << 4) /* capabilities may be granted into it */
#define L4_CONT_RIGHTS_ALL (L4_RIGHTS_CAP | L4_CONT_CONTROL | L4_CONT_INSPECT | L4_CONT_RECEIVE)

#define L4_THR_READ       (1u << 2) /* read registers */
#define L4_THR_WRITE      (1u << 3) /* configure, set registers */
#define L4_THR_RUN        (1u << 4) /* start, suspend, resume */
#define L4_THR_DESTROY    (1u << 5)
#define L4_THR_RIGHTS_ALL (L4_RIGHTS_CAP | L4_THR_READ | L4_THR_WRITE | L4_THR_RUN | L4_THR_DESTROY)

#define L4_SPACE_BIND       (1u << 2) /* put threads in it */
#define L4_SPACE_MAP        (1u << 3) /* change its mappings */
#define L4_SPACE_RIGHTS_ALL (L4_RIGHTS_CAP | L4_SPACE_BIND | L4_SPACE_MAP)

#define L4_POOL_ALLOC      (1u << 2) /* create objects counted against the pool */
#define L4_POOL_RIGHTS_ALL (L4_RIGHTS_CAP | L4_POOL_ALLOC)

#define L4_MEM_READ       (1u << 2)
#define L4_MEM_WRITE      (1u << 3)
#define L4_MEM_EXEC       (1u << 4)
#define L4_MEM_RIGHTS_ALL (L4_RIGHTS_CAP | L4_MEM_READ | L4_MEM_WRITE | L4_MEM_EXEC)

#define L4_DEBUG_WRITE      (1u << 2)
#define L4_DEBUG_RIGHTS_ALL (L4_RIGHTS_CAP | L4_DEBUG_WRITE)

#define L4_EP_SEND       (1u << 2)
#define L4_EP_RECV       (1u << 3)
#define L4_EP_TRANSFER   (1u << 4) /* messages through it may carry capabilities */
#define L4_EP_RIGHTS_ALL (L4_RIGHTS_CAP | L4_EP_SEND | L4_EP_RECV | L4_EP_TRANSFER)

#define L4_NTF_SIGNAL     (1u << 2)
#define L4_NTF_WAIT       (1u << 3)
#define L4_NTF_RIGHTS_ALL (L4_RIGHTS_CAP | L4_NTF_SIGNAL | L4_NTF_WAIT)

#define L4_IO_READ       (1u << 2)
#define L4_IO_WRITE      (1u << 3)
#define L4_IO_RIGHTS_ALL (L4_RIGHTS_CAP | L4_IO_READ | L4_IO_WRITE)

#define L4_IRQ_CONTROL    (1u << 2) /* bind to a notification, acknowledge */
#define L4_IRQ_RIGHTS_ALL (L4_RIGHTS_CAP | L4_IRQ_CONTROL)

#define L4_CLOCK_SET        (1u << 2) /* set the wall clock (time_set) */
#define L4_CLOCK_RIGHTS_ALL (L4_RIGHTS_CAP | L4_CLOCK_SET)

#define L4_CT_WRITE      (1u << 2) /* put capabilities in it, remove them (captable_put/remove) */
#define L4_CT_READ       (1u << 3) /* read its slots (captable_read) */
#define L4_CT_BIND       (1u << 4) /* make it a thread's table (thread_configure L4_THREAD_CAPTABLE) */
#define L4_CT_RIGHTS_ALL (L4_RIGHTS_CAP | L4_CT_WRITE | L4_CT_READ | L4_CT_BIND)

/* Pool kinds: what a pool capability's units pay for. */
enum l4_pool_kind {
    L4_POOL_THREADS = 0,
    L4_POOL_SPACES = 1,
    L4_POOL_ENDPOINTS = 2,
    L4_POOL_NOTIFICATIONS = 3,
    L4_POOL_CAPSLOTS = 4,   /* slots of capability tables made at run time (captable_create) */
    L4_POOL_PAGETABLES = 5, /* page-table pages, the root of each space included */
    L4_POOL_KIND_COUNT
};

/* What container_usage measures: a pool kind (units in use of the units its pools hold), or: */
#define L4_USAGE_MEMORY     6 /* bytes of its RAM in use (program images, stacks) of its RAM */
#define L4_USAGE_WAITING    7 /* threads it made that cannot run now of those alive */
/* slots of the run-time capability tables its capslots pool holds now (captable_create), of
 * its tableslots (L4_POOL_CAPSLOTS measures the container's own table) */
#define L4_USAGE_TABLESLOTS 8
#define L4_USAGE_COUNT      9

/* What cap_read returns about a slot. */
struct l4_cap_info {
    l4_word_t type; /* enum l4_cap_type */
    l4_word_t rights;
    l4_word_t a;      /* badge; pool kind; range base (memory, I/O ports) */
    l4_word_t b;      /* pool quantity; range size */
    l4_word_t object; /* object id: thread id, space id, container id; 0 if none */
    l4_word_t depth;  /* distance from the root of its derivation tree */
};

/*
 * Well-known slots of every container's table, filled at boot.
 * Slots from L4_SLOT_FIRST_FREE on are the container's to use.
 */
#define L4_SLOT_CONTAINER  0  /* the container itself (inspect only) */
#define L4_SLOT_THREAD     1  /* its first thread */
#define L4_SLOT_SPACE      2  /* its first space */
#define L4_SLOT_DEBUG      3  /* the debug console, if configured */
#define L4_SLOT_POOL_BASE  4  /* 4..9: one pool capability per kind, in enum order */
#define L4_SLOT_MEMORY     10 /* its RAM */
#define L4_SLOT_FIRST_FREE 16

#endif
