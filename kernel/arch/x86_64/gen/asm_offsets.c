/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The structure offsets and constants the assembly fastpath (entry.S) reads, computed by the
 * compiler: the Makefile compiles this file to assembly only and turns each "->NAME value"
 * marker into "#define NAME value" in build/gen/asm_offsets.h. Not linked into the kernel.
 */
#include "arch.h"
#include "cap.h"
#include "container.h"
#include "endpoint.h"
#include "notification.h"
#include "runqueue.h"
#include "sched.h"
#include "space.h"
#include "sys_handlers.h"
#include "thread.h"

#include <coffer/cap.h>
#include <coffer/ipc.h>

#define OFFSET(name, value)       __asm__ volatile(".ascii \"->" #name " %c0\\n\"" : : "i"(value))
#define MEMBER(name, type, field) OFFSET(name, __builtin_offsetof(type, field))

#include "asm_offsets_ipc.h" /* after OFFSET and MEMBER: it uses them */

void asm_offsets(void);
void asm_offsets(void)
{
    IPC_FASTPATH_OFFSETS();
    NTF_FASTPATH_OFFSETS();
    MEMBER(FAST_GATE_SLOW, union fast_gate, slow);
    MEMBER(TCB_SWITCH_WORK, struct tcb, switch_work);
    MEMBER(TCB_CONTAINER, struct tcb, container); /* for a mutant: the container's own table */
    MEMBER(CONTAINER_TABLE, struct container, table);
    OFFSET(FRAME_SIZE, sizeof(struct trap_frame));
    MEMBER(F_RAX, struct trap_frame, rax);
    MEMBER(F_RBX, struct trap_frame, rbx);
    MEMBER(F_RBP, struct trap_frame, rbp);
    MEMBER(F_R12, struct trap_frame, r12);
    MEMBER(F_R13, struct trap_frame, r13);
    MEMBER(F_R14, struct trap_frame, r14);
    MEMBER(F_R15, struct trap_frame, r15);
    MEMBER(F_VECTOR, struct trap_frame, vector);
    MEMBER(F_RIP, struct trap_frame, rip);
    MEMBER(F_RFLAGS, struct trap_frame, rflags);
    MEMBER(F_RSP, struct trap_frame, rsp);
    MEMBER(F_RCX, struct trap_frame, rcx);
    MEMBER(F_R11, struct trap_frame, r11);
    /* the notification fastpath (notify_fast.S): NTF_FASTPATH_OFFSETS, and */
    MEMBER(TCB_FAULTED, struct tcb, faulted);
    MEMBER(F_RDI, struct trap_frame, rdi);
    MEMBER(F_RSI, struct trap_frame, rsi);
    MEMBER(F_RDX, struct trap_frame, rdx);
    MEMBER(F_R10, struct trap_frame, r10);
    MEMBER(F_R8, struct trap_frame, r8);
    MEMBER(F_R9, struct trap_frame, r9);
}
