/* SPDX-License-Identifier: BSD-2-Clause */
/* Checking the boot description (hardware free, host tested). */
#ifndef KERNEL_SYSDESC_H
#define KERNEL_SYSDESC_H

#include "types.h"

#include <coffer/sysdesc.h>

#define SYSDESC_MAX_SLOTS         1024
#define SYSDESC_MAX_TABLESLOTS    4096 /* a container's capslots pool: run-time table slots */
/* sysdesc_check compares each object's and capability's slot with those before it: these
 * bound that work (some 40 million comparisons for the largest description) */
#define SYSDESC_MAX_OBJECTS       1024
#define SYSDESC_MAX_CAPS          8192
/* A container's memory, region or one shared memory object: a bound for the arithmetic, half
 * the direct map (DIRECT_MAP_SIZE); the machine's ram (the checker's budget) is the real one. */
#define SYSDESC_MAX_MEMORY        (256ull << 30)
/* Thread ids keep a block number in 16 bits: every thread store (its units and one spare
 * block, see kernel/object/pool.c) of every container together stays below this. */
#define SYSDESC_MAX_THREAD_BLOCKS 0xffff

struct sysdesc {
    const struct sysdesc_header *header;
    const struct sysdesc_container *containers;
    const struct sysdesc_object *objects;
    const struct sysdesc_cap *caps;
};

/* buf must be 8-byte aligned. Returns NULL and fills *out, or says what is wrong. */
const char *sysdesc_check(const void *buf, size_t len, struct sysdesc *out);

#endif
