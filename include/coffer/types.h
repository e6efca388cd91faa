/* SPDX-License-Identifier: BSD-2-Clause */
/* Scalar types of the Coffer user ABI, shared by the kernel and user space. */
#ifndef COFFER_TYPES_H
#define COFFER_TYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint64_t l4_word_t;
typedef int l4_err_t;      /* one of enum l4_error */
typedef uint64_t l4_cap_t; /* capability slot index */
typedef uint64_t l4_tid_t; /* thread id, as returned by l4_thread_id() */

#endif
