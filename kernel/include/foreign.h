/* SPDX-License-Identifier: BSD-2-Clause */
/* Foreign system calls: SYSCALLs a thread's fault handler carries out instead of the kernel. */
#ifndef KERNEL_FOREIGN_H
#define KERNEL_FOREIGN_H

#include "sched.h"
#include "sys_handlers.h"
#include "syscall.h"
#include "thread.h"

#include <coffer/thread.h>

struct ipc_msg;

/*
 * Does the kernel carry out the current thread's SYSCALL nr? Not if nr is past the
 * thread's syscall_limit (the table's end, or 0 for L4_FOREIGN_ALL) or a hole in the
 * table: then it goes to the thread's handler if its foreign mode is on (foreign_syscall),
 * else it is refused (syscall_refused). A limit is syscall_count or 0, never more, so it
 * bounds the table index too: the range check the table needs anyway is the only cost to a
 * thread that is not foreign.
 */
static inline bool syscall_carried_out(l4_word_t nr)
{
    return nr < sched_current()->syscall_limit && syscall_table[nr];
}

/*
 * Carry out the current thread's foreign system call (frame f): call its fault endpoint
 * with its registers and wait. On return f holds what the thread resumes with, every
 * register of it (leave through the full exception return, not SYSRET, which would take
 * rcx and r11). A thread its handler does not resume is stopped and does not return.
 */
void foreign_syscall(struct trap_frame *f) __attribute__((cold, noinline)); // off the hot path

/*
 * t, the current thread, left by the fastpath in a foreign system call (its kernel call
 * chain dropped), was woken by the general path: as foreign_syscall ends, it goes on with
 * the registers the resume wrote into its frame, or stops; it leaves through IRETQ.
 */
_Noreturn void foreign_resume(struct tcb *t) __attribute__((cold));

/*
 * The current thread replies m to c, which waited in a foreign system call (c->msg = m). A
 * resume's registers are checked and written into c's frame; a resume whose registers
 * arch_regs_check refuses, or of another length, is turned into a stop. Either way the
 * reply itself succeeds: whoever sends to a server may make themselves a foreign caller,
 * and that must not make the server's replies fail.
 */
void foreign_reply(struct tcb *c, struct ipc_msg *m);

#endif
