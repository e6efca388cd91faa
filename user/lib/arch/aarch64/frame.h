/* SPDX-License-Identifier: BSD-2-Clause */
/* A thread's first stack frame on AArch64 (l4.h: l4_thread_frame, L4_ENTRY_SP). */
#ifndef USER_FRAME_H
#define USER_FRAME_H

/*
 * The stack pointer for a thread entered at a function directly (thread_exregs's ip is the
 * function), on a stack that ends at the 16-byte aligned top: AAPCS64 wants sp 16-byte
 * aligned at every public interface (and the kernel may check it on every access through
 * sp: SCTLR_EL1.SA0). lr is whatever the kernel starts a thread with, not a return address:
 * such a function must not return (l4_thread_frame's threads may).
 */
#define L4_ENTRY_SP(top) ((l4_word_t)(top))

/* For a function a thread is sent to on the stack it had at that moment (exregs of a thread in
 * the middle of its code): AArch64 code keeps sp 16-byte aligned at every instruction, so
 * nothing is needed. */
#define L4_ENTRY_ANY_STACK

#endif
