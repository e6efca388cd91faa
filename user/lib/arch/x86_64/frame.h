/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's first stack frame on x86_64 (l4.h: l4_thread_frame, L4_ENTRY_SP). */
#ifndef USER_FRAME_H
#define USER_FRAME_H

/*
 * The stack pointer for a thread entered at a function directly (thread_exregs's ip is the
 * function), on a stack that ends at the 16-byte aligned top: SysV's state after a call,
 * rsp + 8 16-byte aligned. The slot at rsp is where a return address would be, but nothing
 * puts one there: such a function must not return (l4_thread_frame's threads may).
 */
#define L4_ENTRY_SP(top) ((l4_word_t)(top)-8)

/* For a function a thread is sent to on the stack it had at that moment (exregs of a thread in
 * the middle of its code): rsp may be anything, so the function aligns its own frame. */
#define L4_ENTRY_ANY_STACK __attribute__((force_align_arg_pointer))

#endif
