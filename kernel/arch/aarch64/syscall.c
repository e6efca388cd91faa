/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C half of SVC. vectors.S has saved the whole frame and sent here only what it did not
 * carry out itself (it runs light calls and the general path's, and the fastpaths of
 * ipc_fast.S and notify_fast.S, by entry kind): an IPC call ipc_fast.S did not take, a number
 * with no call or past the thread's syscall_limit, and every call of a CONFIG_TRACE kernel.
 * An IPC call tries the C fastpath (kernel/core/fastpath.c: the rarer cases, such as a
 * foreign call's resume or an exception's answer, and every case under the event trace, which
 * records them), and a foreign thread's call its handler's. What they do not take goes
 * through the generated syscall_table with the frame's x0..x5 as its r[6] and its error into
 * x8, then the preemption point, which a light call (syscalls.toml: it never blocks,
 * switches, wakes a thread or stops its caller) skips, as x86_64's entry.S does (a light call
 * reaches here only in a CONFIG_TRACE kernel; it records no event, so nothing differs). The
 * result is the frame to leave from: this thread's, or, when a fastpath handed the CPU over,
 * the new current thread's on its own kernel stack.
 */
#include "syscall.h"

#include "arch.h"
#include "fastpath.h"
#include "foreign.h"
#include "sched.h"

/* The IPC fastpath's calls: ipc_fast.S did not take them, or the event trace is on */
static inline bool ipc_kind(unsigned kind)
{
    return kind == SYSCALL_ENTRY_IPC_CALL || kind == SYSCALL_ENTRY_IPC_REPLY_RECV;
}

/* A number past the thread's syscall_limit or a hole in the table that the foreign fastpath
 * did not take: a foreign thread's call goes to its handler the general way (foreign.c), as
 * x86_64's syscall_from_user does; any other is refused. */
static __attribute__((noinline, cold)) struct trap_frame *not_carried_out(struct trap_frame *f)
{
    if (sched_current()->foreign == L4_FOREIGN_OFF) {
        arch_syscall_set_err(f, syscall_refused(arch_syscall_nr(f)));
        return f;
    }
    foreign_syscall(f);
    sched_preempt_point();
    return f;
}

struct trap_frame *aarch64_syscall(struct trap_frame *f);
struct trap_frame *aarch64_syscall(struct trap_frame *f)
{
    struct tcb *self = sched_current();
    l4_word_t nr = arch_syscall_nr(f);

    if (likely(nr < self->syscall_limit)) {
        unsigned kind = syscall_entry_kind[nr];
        if (kind == SYSCALL_ENTRY_LIGHT) { // it changes nothing the preemption point looks at
            arch_syscall_set_err(f, syscall_table[nr](arch_syscall_args(f)));
            return f;
        }
        if (ipc_kind(kind) && !fast_gate.closed) { // (sched.h)
            struct trap_frame *to = ipc_fastpath_entry(f);
            if (to)
                return to;
        }
        if (likely(syscall_table[nr])) {
            arch_syscall_set_err(f, syscall_table[nr](arch_syscall_args(f)));
            sched_preempt_point(); // it may have ended or blocked itself, or woken a better one
            return f;
        }
    }
    /* a foreign thread's handler's, at once if it waits (foreign_fast_entry tests that the
     * thread is foreign), as x86_64's entry_c */
    struct trap_frame *to = foreign_fast_entry(f);
    return to ? to : not_carried_out(f);
}
