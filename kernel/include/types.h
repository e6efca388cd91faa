/* SPDX-License-Identifier: BSD-2-Clause */
/* Basic kernel types and compiler helpers; hardware free, also built for host tests. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <coffer/error.h>
#include <coffer/types.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint64_t paddr_t; /* physical address */
typedef uint64_t vaddr_t; /* virtual address */

#define likely(x)        __builtin_expect(!!(x), 1)
#define unlikely(x)      __builtin_expect(!!(x), 0)
#define ARRAY_SIZE(a)    (sizeof(a) / sizeof((a)[0]))
#define ALIGN_UP(x, a)   (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define IS_ALIGNED(x, a) (((x) & ((uint64_t)(a)-1)) == 0)
/* One load of *p that the compiler may neither repeat nor drop: for a value checked and then
 * used, read from memory another CPU may write (a UTCB), so that the use is the checked one. */
#define LOAD_ONCE(p)     (*(const volatile __typeof__(*(p)) *)(p))

#endif
