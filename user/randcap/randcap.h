/* SPDX-License-Identifier: BSD-2-Clause */
/* RND-xxx: random capability operations across three containers, restarted at random. */
#ifndef RANDCAP_H
#define RANDCAP_H

#include "test.h"

#include <coffer/mem.h>

#define FLAG    16 /* workers: the supervisor's page, read only; word 0 != 0: the last run */
#define PEER_A  17 /* workers: the other two workers, to grant into */
#define PEER_B  18
#define WORK    20 /* the slots random operations use */
#define NSLOTS  64
#define VA_FLAG 0x20000000
#define VA_WORK 0x50000000 /* the window random mappings go into */
#define NWINDOW 16         /* pages of it */

/* Each worker's pools, as its system file gives them. */
#define UNITS_THREADS 8
#define UNITS_SPACES  3
#define UNITS_EPS     6
#define UNITS_NTFS    6
#define UNITS_PT      24
#define REGION_BYTES  (64 * 1024)

/* xorshift64: the same seed, the same operations. */
static inline uint64_t next_random(uint64_t *s)
{
    *s ^= *s << 13;
    *s ^= *s >> 7;
    *s ^= *s << 17;
    return *s;
}

int worker(const char *arg);
int supervisor(const char *arg);

#endif
