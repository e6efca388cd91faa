/* SPDX-License-Identifier: BSD-2-Clause */
/* Foreign system calls: SYSCALLs a thread's fault handler carries out instead of the kernel. */
#ifndef KERNEL_FOREIGN_H
#define KERNEL_FOREIGN_H

#include "sched.h"
#include "syscall.h"
#include "thread.h"

#include <coffer/thread.h>

struct ipc_msg;

/*
 * Does the current thread's SYSCALL number nr go to its handler (L4_THREAD_FOREIGN)?
 * A thread with the mode off pays one load and a branch for the question.
 */
static inline bool foreign_wanted(l4_word_t nr)
{
    uint8_t mode = sched_current()->foreign;

    return unlikely(mode) && (mode == L4_FOREIGN_ALL || !syscall_known(nr));
}

/*
 * Carry out the current thread's foreign system call (frame f): call its fault endpoint
 * with its registers and wait. On return f holds what the thread resumes with, every
 * register of it (leave through the full exception return, not SYSRET, which would take
 * rcx and r11). A thread its handler does not resume is stopped and does not return.
 */
void foreign_syscall(struct trap_frame *f) __attribute__((cold, noinline)); // off the hot path

/*
 * The current thread replies m to c, which waited in a foreign system call (c->msg = m). A
 * resume's registers are checked and written into c's frame; a resume whose registers
 * arch_regs_check refuses, or of another length, is turned into a stop. Either way the
 * reply itself succeeds: whoever sends to a server may make themselves a foreign caller,
 * and that must not make the server's replies fail.
 */
void foreign_reply(struct tcb *c, struct ipc_msg *m);

#endif
