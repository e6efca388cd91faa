/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's whole user register set: its trap frame and its TLS bases, read and written. */
#ifndef OBJECT_THREAD_REGS_H
#define OBJECT_THREAD_REGS_H

#include "thread.h"

#include <coffer/ipc.h>
#include <coffer/regs.h>
#include <coffer/tls.h>

/* Every user register of t (the running thread too: its TLS bases as the CPU has them). */
void thread_get_regs(const struct tcb *t, struct l4_regs *r);
/* L4_OK if r may be written into a thread: arch_regs_check (ERANGE, EINVAL), and TLS bases
 * below the top of user space (ERANGE). */
l4_err_t thread_regs_check(const struct l4_regs *r);
/*
 * Write r (checked) into t, which is not the running thread. Whatever t was doing in the
 * kernel is dropped: a wait it was blocked in ends (ipc_abort) and its system call never
 * returns, so t goes on from exactly r, by the full exception return, when it next runs
 * (at once if it is ready; not while suspended, held, faulted or never started).
 */
void thread_set_regs(struct tcb *t, const struct l4_regs *r);
/* Write r (checked with thread_regs_check) into t, which waits in a foreign system call its
 * handler resumes: the frame and the TLS bases, nothing else (it leaves by the full return). */
void foreign_resume_regs(struct tcb *t, const struct l4_regs *r);
/* Where the TLS bases are in the tail of a split register set (arch_frame_get_regs_split):
 * the last L4_TLS_COUNT words of struct l4_regs */
#define REGS_TAIL_TLS (L4_REGS_WORDS - L4_MSG_REGS - L4_TLS_COUNT)
/* The same from a register set split as arch_frame_get_regs_split splits it (tail may be the
 * handler's UTCB: each word a check looks at is read once), checked here: thread_regs_check's
 * error with nothing written, or L4_OK. */
l4_err_t foreign_resume_split(struct tcb *t, const l4_word_t *head, const l4_word_t *tail);
/* Set one TLS base (L4_TLS_FS, L4_TLS_GS; checked) of t: the CPU's too if t is running. */
void thread_set_tls(struct tcb *t, unsigned which, l4_word_t base);

/* t will not run its stopped system call again (its registers were set): what that call had
 * left to do is dropped or handed to the kernel (kernel/api/carry.c). */
void thread_forget_call(struct tcb *t);

#endif
