/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory mapping ABI: permissions for mem_map, mem_protect and mem_share; cache_control's ops. */
#ifndef COFFER_MEM_H
#define COFFER_MEM_H

#define L4_MAP_READ  (1u << 0)
#define L4_MAP_WRITE (1u << 1)
#define L4_MAP_EXEC  (1u << 2)
#define L4_MAP_ALL   (L4_MAP_READ | L4_MAP_WRITE | L4_MAP_EXEC)
#define L4_PAGE_SIZE 4096u

/* The most pages one mem_protect or mem_share acts on (2 MiB): a bound on the time the
 * kernel spends in one call, which nothing preempts. */
#define L4_MEM_RANGE_MAX 512u

/*
 * cache_control's operations on the pages of a range (docs/syscalls.md). Where the hardware
 * keeps caches coherent (x86_64 keeps instruction fetch coherent with writes) an operation
 * does only what it still must, and succeeds all the same.
 */
#define L4_CACHE_SYNC_INSN                                                                         \
    1                    /* code written there may be run: data reaches the point where
                              * instruction fetch sees it, stale instructions are forgotten */
#define L4_CACHE_CLEAN 2 /* what the CPU wrote reaches RAM (a device reads it next) */
#define L4_CACHE_FLUSH 3 /* clean, and forget the cached copy (a device wrote RAM) */

#endif
