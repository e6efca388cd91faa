/* SPDX-License-Identifier: BSD-2-Clause */
/* The register frame every kernel entry (exception, interrupt, SYSCALL) saves. */
#ifndef ARCH_FRAME_H
#define ARCH_FRAME_H

#include <stdint.h>

/*
 * Built on the top of the thread's kernel stack; the layout is fixed by the
 * push order in entry.S (lowest address first). Interrupt and exception stubs
 * push vector and error code; SYSCALL entry fakes the hardware part so both
 * look the same and either exit path can return to user mode.
 */
struct trap_frame {
    uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
    uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
    uint64_t vector;                   /* exception/IRQ vector, or VEC_SYSCALL */
    uint64_t error;                    /* hardware error code or 0 */
    uint64_t rip, cs, rflags, rsp, ss; /* as pushed by the CPU */
};

#define VEC_SYSCALL 0x100

/* A page fault as the CPU reports one of user code: what the kernel tells a thread's pager
 * when it needs a page of the thread's own buffer (kernel/core/ipc_copy.c). Error code bits:
 * P (the page is there, but not with the access), W (a write), U (user mode). */
#define VEC_PAGE_FAULT                14
#define PF_ERROR_USER(write, present) (4u | ((write) ? 2u : 0u) | ((present) ? 1u : 0u))

_Static_assert(sizeof(struct trap_frame) == 22 * 8, "entry.S pushes 22 words");
_Static_assert(__builtin_offsetof(struct trap_frame, vector) == 15 * 8, "entry.S layout");
_Static_assert(__builtin_offsetof(struct trap_frame, rip) == 17 * 8, "entry.S layout");

#endif
