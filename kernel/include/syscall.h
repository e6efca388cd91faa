/* SPDX-License-Identifier: BSD-2-Clause */
/* Generic system call dispatch, called by the arch entry code. */
#ifndef KERNEL_SYSCALL_H
#define KERNEL_SYSCALL_H

#include "sys_handlers.h"
#include "types.h"

/*
 * Where the entry jumps for a number below the thread's syscall_limit (never above
 * SYSCALL_COUNT: thread.c): the code of its entry kind, by number. Each architecture's
 * entry_table.c names the code of each kind as ENTRY_CODE_<kind> (NONE for no call; a kind
 * it does not name does not build) and then defines the table with SYSCALL_ENTRY_CODE_TABLE.
 */
extern const uintptr_t syscall_entry_code[SYSCALL_COUNT];
#define ENTRY_CODE_OF(kind) (uintptr_t) ENTRY_CODE_##kind,
#define SYSCALL_ENTRY_CODE_TABLE                                                                   \
    const uintptr_t syscall_entry_code[SYSCALL_COUNT] = {SYSCALL_ENTRY_BY_NUMBER(ENTRY_CODE_OF)}

/*
 * The arch entry code dispatches through the generated syscall_table (sys_handlers.h): a
 * handler gets r[0..5], the arguments on entry and its results on return (x86_64: the
 * frame's first six words), and returns the error; then sched_preempt_point() runs, as at the
 * end of every system call (the caller may have ended or blocked itself, or woken a better
 * thread). Light calls (syscalls.toml's entry = "light") skip it: they can do none of that.
 * notify_signal and notify_wait try the notification fastpath first (each architecture's
 * notify_fast.S, in its entry).
 */
/* The caller's SYSCALL nr that the kernel does not carry out (syscall_carried_out is
 * false): debug builds say why; the error it returns (ENOSYS). */
l4_err_t syscall_refused(l4_word_t nr) __attribute__((cold, noinline));
/*
 * For a handler that stopped at a preemption point, part way through a long operation, with
 * the kernel's state whole (cap_revoke: sys_cap.c): it returns syscall_again(nr), nr its own
 * call's number. No error user space sees: the caller goes back to its SYSCALL instruction
 * with its registers as they came, so the call runs again once whatever wanted the CPU (an
 * interrupt, a better thread) has had it, and goes on from where it stopped. The number comes
 * back as the "error" in rax, and the argument registers stay as they came, since the
 * handlers write their results in place: so only calls without results may use it, and the
 * common return path pays nothing for it.
 */
l4_err_t syscall_again(l4_word_t nr);

#endif
