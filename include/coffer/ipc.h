/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC ABI: message tags, flags, fault messages. */
#ifndef COFFER_IPC_H
#define COFFER_IPC_H

#include <coffer/types.h>

/*
 * A message is a tag and up to L4_MSG_REGS words that travel in registers.
 *
 *   63                          16 15     8 7 6 5     0
 *  +------------------------------+--------+-+-+-------+
 *  |            label             |  (0)   |C|N|length |
 *  +------------------------------+--------+-+-+-------+
 *
 * length: words used (0..4); N: do not block (fail with L4_ETIMEOUT if no
 * partner is waiting); C: reserved for capability transfer (must be 0 for now).
 * The label is the sender's to choose; the kernel uses L4_LABEL_FAULT.
 */
#define L4_MSG_REGS               4
#define L4_TAG_LEN_MASK           0x3full
#define L4_IPC_NONBLOCK           (1ull << 6)
#define L4_IPC_CAP                (1ull << 7)
#define L4_TAG_FLAGS_MASK         0xffc0ull /* bits the kernel checks: unknown ones are EINVAL */
#define L4_TAG(label, len, flags) (((l4_word_t)(label) << 16) | (flags) | (len))
#define L4_TAG_LABEL(tag)         ((tag) >> 16)
#define L4_TAG_LEN(tag)           ((tag)&L4_TAG_LEN_MASK)

/*
 * Fault messages: a thread with a fault endpoint that takes an exception is
 * made to call it with label L4_LABEL_FAULT and words (vector, address, ip,
 * error code). The handler's reply with label 0 resumes the thread at the
 * instruction that faulted; any other label stops it as if it had no handler.
 */
#define L4_LABEL_FAULT  0xfa17ull
#define L4_FAULT_RESUME 0

#endif
