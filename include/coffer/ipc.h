/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC ABI: message tags, flags, fault messages. */
#ifndef COFFER_IPC_H
#define COFFER_IPC_H

#include <coffer/types.h>

/*
 * A message is a tag and up to L4_MSG_MAX words: words 0..3 travel in
 * registers, the rest in the sender's and receiver's UTCB (struct l4_utcb).
 *
 *   63                          16 15  10 9 8 7 6 5     0
 *  +------------------------------+------+-+-+-+-+-------+
 *  |            label             | (0)  |T|X|C|N|length |
 *  +------------------------------+------+-+-+-+-+-------+
 *
 * length: words used (0..63); N: do not block (fail with L4_ETIMEOUT if no
 * partner is waiting; with X, do not wait for the receiver's pager either: in
 * a reply too); C: carry the capability in the sender's utcb.cap_send
 * (needs an endpoint capability with L4_EP_TRANSFER; not in replies); X: also
 * copy the sender's extended buffer (utcb.ext_send, up to L4_EXT_MAX bytes)
 * into the receiver's (utcb.ext_recv). Pages of either buffer that are not
 * mapped are asked of that thread's own pager (its fault endpoint), as page
 * faults in its own context (docs/architecture.md, IPC). T is set by the
 * kernel in a received tag when the receiver's UTCB could not take all words
 * or bytes.
 * The label is the sender's to choose; the kernel uses L4_LABEL_FAULT.
 */
#define L4_MSG_REGS               4
#define L4_MSG_MAX                63
#define L4_EXT_MAX                4096
#define L4_TAG_LEN_MASK           0x3full
#define L4_IPC_NONBLOCK           (1ull << 6)
#define L4_IPC_CAP                (1ull << 7)
#define L4_IPC_EXT                (1ull << 8)
#define L4_IPC_TRUNC              (1ull << 9)
#define L4_TAG_FLAGS_MASK         0xffc0ull /* bits the kernel checks: unknown ones are EINVAL */
#define L4_TAG(label, len, flags) (((l4_word_t)(label) << 16) | (flags) | (len))
#define L4_TAG_LABEL(tag)         ((tag) >> 16)
#define L4_TAG_LEN(tag)           ((tag)&L4_TAG_LEN_MASK)

/*
 * The user thread control block: one page-aligned block per thread that does
 * long, extended or capability IPC, registered with thread_configure
 * (L4_THREAD_UTCB). The first thread of every program has one at L4_UTCB_MAIN.
 */
struct l4_utcb {
    l4_word_t mr[64];  /* mr[4..62]: words 4.. of a long message */
    l4_cap_t cap_send; /* with L4_IPC_CAP: the slot whose capability goes (| L4_GRANT_IMMUTABLE) */
    l4_cap_t cap_recv; /* an empty slot for a capability that comes */
    l4_word_t cap_received;           /* set by the kernel: 1 if a capability arrived in cap_recv */
    l4_word_t ext_send, ext_send_len; /* with L4_IPC_EXT: the bytes to send */
    l4_word_t ext_recv, ext_recv_len; /* where received bytes may go, and how many fit */
    l4_word_t ext_received;           /* set by the kernel: bytes copied into ext_recv */
};

#define L4_UTCB_MAIN 0x00007fffffff0000ull

_Static_assert(sizeof(struct l4_utcb) <= 4096, "a UTCB fits in a page");

/*
 * Fault messages: a thread with a fault endpoint that takes an exception is
 * made to call it with label L4_LABEL_FAULT and words (vector, address, ip,
 * error code). The handler's reply with label 0 resumes the thread at the
 * instruction that faulted; any other label stops it as if it had no handler.
 */
#define L4_LABEL_FAULT  0xfa17ull
#define L4_FAULT_RESUME 0

/*
 * A page fault is vector L4_FAULT_PAGE; its error code (word 3) says what the access was
 * (on x86_64 the CPU's own error code, of which these are the bits a pager needs). A write
 * to a page mapped read-only, as copy-on-write maps it, has L4_PF_PRESENT | L4_PF_WRITE; a
 * first touch of an unmapped page lacks L4_PF_PRESENT.
 */
#define L4_FAULT_PAGE 14
#define L4_PF_PRESENT (1u << 0) /* a page was mapped: its permissions forbade the access */
#define L4_PF_WRITE   (1u << 1) /* the access was a write (else a read or a fetch) */
#define L4_PF_USER    (1u << 2) /* it came from user mode (always, in a fault message) */
#define L4_PF_FETCH   (1u << 4) /* the access was an instruction fetch */

/*
 * Foreign system calls: a thread configured with L4_THREAD_FOREIGN whose system call
 * instruction (SYSCALL on x86_64, SVC on AArch64) is not for the kernel calls its fault
 * endpoint, as for a fault, with label L4_LABEL_SYSCALL and L4_REGS_WORDS words: its whole
 * struct l4_regs (<coffer/regs.h>) as it was at the instruction (x86_64: rax the number, rip
 * the instruction after it, rcx and r11 what SYSCALL left there: rip and rflags; AArch64: x8
 * the number, pc the instruction after the SVC). Words 0..3 come in registers, the rest in
 * the handler's UTCB mr[4..L4_REGS_WORDS - 1] (a handler without a UTCB gets the first 4 and
 * L4_IPC_TRUNC).
 *
 * The handler answers with ipc_reply or ipc_reply_recv:
 *   label L4_SYSCALL_RESUME, L4_REGS_WORDS words (4 in registers, the rest in its UTCB):
 *       the thread resumes with exactly these registers (the result in rax or x0, the
 *       instruction pointer where it goes on: the word it was given continues after the
 *       system call instruction), its TLS bases (fs_base and gs_base, or tpidr_el0) included.
 *   any other label: the thread is stopped as after an unhandled fault.
 * A resume with registers no thread may have (instruction or stack pointer or a TLS base not
 * a user address, an rflags or pstate bit user code may not set) or another length stops the
 * thread too; the reply itself always succeeds, so that a client which makes itself a foreign
 * caller of a server that does not expect it cannot make the server's replies fail.
 */
#define L4_LABEL_SYSCALL  0x5ca1ull
#define L4_SYSCALL_RESUME 0
#define L4_SYSCALL_STOP   1

#endif
