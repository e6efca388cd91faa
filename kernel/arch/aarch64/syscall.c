/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C half of SVC. vectors.S has saved the whole frame, so the fastpaths are C here
 * (kernel/core/fastpath.c, notify_fastpath.c, and fault_fast.c through fault.c): the
 * IPC and notification calls try theirs first, as syscalls.toml's entry kinds say, and a
 * foreign thread's call its handler's. What they do not take goes through the generated
 * syscall_table with the frame's x0..x5 as its r[6] and its error into x8, then the
 * preemption point, which a light call (syscalls.toml: it never blocks, switches, wakes a
 * thread or stops its caller) skips, as x86_64's entry.S does. The result is the frame to leave from: this thread's, or, when a
 * fastpath handed the CPU over, the new current thread's on its own kernel stack.
 */
#include "syscall.h"

#include "arch.h"
#include "fastpath.h"
#include "foreign.h"
#include "notify_fast.h"
#include "sched.h"

_Static_assert(
    SYSCALL_ENTRY_FULL<SYSCALL_ENTRY_NOTIFY_SIGNAL &&
                       SYSCALL_ENTRY_LIGHT<SYSCALL_ENTRY_NOTIFY_SIGNAL && SYSCALL_ENTRY_IPC_CALL>
                           SYSCALL_ENTRY_NOTIFY_SIGNAL &&
                       SYSCALL_ENTRY_IPC_REPLY_RECV>
            SYSCALL_ENTRY_NOTIFY_SIGNAL &&SYSCALL_ENTRY_NOTIFY_WAIT > SYSCALL_ENTRY_NOTIFY_SIGNAL,
    "the general path's kinds lie below the fastpaths' (gensyscalls.py)");

/* The fastpaths' calls (entry kinds from SYSCALL_ENTRY_NOTIFY_SIGNAL up), apart from the
 * common path: the null call pays one compare for them */
static inline __attribute__((always_inline)) struct trap_frame *fastpath(struct trap_frame *f,
                                                                         unsigned kind)
{
    if (kind == SYSCALL_ENTRY_IPC_CALL || kind == SYSCALL_ENTRY_IPC_REPLY_RECV)
        return ipc_fastpath_entry(f);
    return notify_fastpath_entry(f);
}

/* The general path's foreign call (foreign.c), when the handler does not take it at once */
static __attribute__((noinline, cold)) struct trap_frame *foreign(struct trap_frame *f)
{
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
        if (kind >= SYSCALL_ENTRY_NOTIFY_SIGNAL && !fast_gate.closed) { // (sched.h)
            struct trap_frame *to = fastpath(f, kind);
            if (to)
                return to;
        }
        if (likely(syscall_table[nr])) {
            arch_syscall_set_err(f, syscall_table[nr](arch_syscall_args(f)));
            sched_preempt_point(); // it may have ended or blocked itself, or woken a better one
            return f;
        }
    } else if (self->foreign != L4_FOREIGN_OFF) {
        struct trap_frame *to = foreign_fast_entry(f);
        return to ? to : foreign(f);
    }
    arch_syscall_set_err(f, syscall_refused(nr));
    return f;
}
