/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The C half of SVC: every call goes through the generated syscall_table with the frame's
 * x0..x5 as its r[6] and its error into x8, then the preemption point. The fastpaths of
 * x86_64 (entry.S, notify_fast.S, fault_fast.S) are not ported yet: every call takes the
 * general path, which they must match anyway (docs/aarch64.md).
 */
#include "syscall.h"

#include "arch.h"
#include "foreign.h"
#include "sched.h"

void aarch64_syscall(struct trap_frame *f);
void aarch64_syscall(struct trap_frame *f)
{
    l4_word_t nr = arch_syscall_nr(f);

    if (likely(syscall_carried_out(nr))) {
        arch_syscall_set_err(f, syscall_table[nr](arch_syscall_args(f)));
    } else if (sched_current()->foreign != L4_FOREIGN_OFF) {
        foreign_syscall(f);
    } else {
        arch_syscall_set_err(f, syscall_refused(nr));
        return;
    }
    sched_preempt_point(); // it may have ended or blocked itself, or woken a better thread
}
