/* SPDX-License-Identifier: BSD-2-Clause */
/* user/fault's architecture parts: arch_x86_64.c, arch_aarch64.c (each builds for its own). */
#ifndef FAULT_ARCH_H
#define FAULT_ARCH_H

#include "l4.h"

#include <coffer/ipc.h>

struct fault_kind {
    const char *name;
    void (*fn)(void);
};

/* The faults only this architecture has, by the name main's argument gives them. */
extern const struct fault_kind arch_faults[];
extern const unsigned arch_faults_count;

/* A user address below which nothing is a user's: the kernel's image (supervisor-only). */
extern const l4_word_t arch_kernel_addr;

/* Each a thread's body for messages.c: the instruction at arch_*_at faults. */
long arch_invalid_insn(l4_word_t arg); /* undefined instruction: vector 6 */
long arch_breakpoint(l4_word_t arg);   /* reported past it: returns arg + 1 once resumed */
extern const char arch_invalid_insn_at[], arch_breakpoint_at[], arch_breakpoint_after[];

/* The fault message tests of this architecture alone (messages.c runs them last). */
struct fault_msg {
    l4_word_t label, vector, addr, ip, error;
};
/* Run fn(arg) in a new thread whose fault endpoint we hold; its first fault's message (label
 * 0 if it ended or never faulted). The thread waits in its fault for resume_fault or
 * stop_fault, which destroy it when done. */
struct fault_msg take_fault(long (*fn)(l4_word_t), l4_word_t arg);
/* Resume it and wait for it to end: its exit code (~0 if it faulted again). */
l4_word_t resume_fault(void);
void stop_fault(void);
void arch_message_tests(void);

/* fault.c runs messages.c's tests for the argument "msgs" */
void message_tests(void);

#endif
