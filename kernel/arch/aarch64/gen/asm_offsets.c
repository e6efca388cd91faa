/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The structure offsets the AArch64 assembly reads, computed by the compiler (the Makefile
 * turns each "->NAME value" marker into "#define NAME value" in build/gen/asm_offsets.h).
 * arch_entry.h spells the frame's offsets out itself; the static asserts below hold them to it.
 */
#include "arch.h"
#include "arch_percpu.h"
#include "cap.h"
#include "container.h"
#include "endpoint.h"
#include "sched.h"
#include "space.h"
#include "sys_handlers.h"
#include "thread.h"

#include <coffer/cap.h>
#include <coffer/ipc.h>
#include <coffer/syscall_nr.h>
#include <coffer/thread.h>

#define OFFSET(name, value)       __asm__ volatile(".ascii \"->" #name " %c0\\n\"" : : "i"(value))
#define MEMBER(name, type, field) OFFSET(name, __builtin_offsetof(type, field))

#include "asm_offsets_ipc.h" /* after OFFSET and MEMBER: it uses them */

_Static_assert(sizeof(struct trap_frame) == 304, "arch_entry.h: FRAME_SIZE");
_Static_assert(__builtin_offsetof(struct trap_frame, pc) == 256, "arch_entry.h: F_PC");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 272, "arch_entry.h: F_VECTOR");
_Static_assert(__builtin_offsetof(struct trap_frame, error) == 280, "arch_entry.h: F_ERROR");
_Static_assert(__builtin_offsetof(struct trap_frame, far) == 288, "arch_entry.h: F_FAR");
_Static_assert(VEC_SYSCALL == 0x100 && VEC_IRQ == 0x101, "arch_entry.h: F_VEC_SYSCALL, F_VEC_IRQ");

/* ipc_fast.S's call and reply_recv are those calls (syscalls.toml; gensyscalls.py defines each
 * _NR only while some call has that entry): vectors.S sends them there by their entry kind */
_Static_assert(SYSCALL_ENTRY_IPC_CALL_NR == L4_SYS_IPC_CALL, "ipc_fast.S: ipc_call's number");
_Static_assert(SYSCALL_ENTRY_IPC_REPLY_RECV_NR == L4_SYS_IPC_REPLY_RECV,
               "ipc_fast.S: ipc_reply_recv's number");

void asm_offsets(void);
void asm_offsets(void)
{
    IPC_FASTPATH_OFFSETS();
    NTF_FASTPATH_OFFSETS();                       /* and notify_fast.S's */
    MEMBER(TCB_CONTAINER, struct tcb, container); /* for a mutant: the container's own table */
    /* the fastpaths' switch (arch_entry.h, BECOME_NEXT) */
    MEMBER(TCB_TLS, struct tcb, tls[L4_TLS_TPIDR]);
    MEMBER(TCB_FPU_USED, struct tcb, fpu_used);
    OFFSET(TCB_FPU_USED_SIZE, sizeof(((struct tcb *)0)->fpu_used));
    OFFSET(L4_TLS_COUNT_VALUE, L4_TLS_COUNT);
    MEMBER(CONTAINER_TABLE, struct container, table);
    OFFSET(FRAME_SIZE_CHECK, sizeof(struct trap_frame));
    /* the IPC fastpath (ipc_fast.S) */
    MEMBER(PERCPU_CURRENT, struct cpu_local, current);
    MEMBER(PERCPU_TTBR0, struct cpu_local, ttbr0);
    OFFSET(F_X8, __builtin_offsetof(struct trap_frame, x[8]));
    OFFSET(TCB_STOPPED_SIZE, sizeof(((struct tcb *)0)->stopped));
    OFFSET(TCB_CHAIN_DROPPED_SIZE, sizeof(((struct tcb *)0)->chain_dropped));
    OFFSET(TCB_STATE_SIZE, sizeof(((struct tcb *)0)->state));
    OFFSET(TCB_IPC_WAIT_SIZE, sizeof(((struct tcb *)0)->ipc_wait));
    OFFSET(TCB_KERNEL_CALL_SIZE, sizeof(((struct tcb *)0)->kernel_call));
    OFFSET(CAP_RIGHTS_SIZE, sizeof(((struct cap *)0)->rights));
    OFFSET(CAP_TYPE_SIZE, sizeof(((struct cap *)0)->type));
    OFFSET(CT_NSLOTS_SIZE, sizeof(((struct captable *)0)->nslots));
    OFFSET(TCB_SYSCALL_LIMIT_SIZE, sizeof(((struct tcb *)0)->syscall_limit));
    OFFSET(TCB_PRIO_SIZE, sizeof(((struct tcb *)0)->prio));
    OFFSET(FAST_GATE_CLOSED_SIZE, sizeof(fast_gate.closed));
    OFFSET(FAST_GATE_WORD_SIZE, sizeof(fast_gate.word));
}
