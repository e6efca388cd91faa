/* SPDX-License-Identifier: BSD-2-Clause */
/* libl4: system call wrappers (l4_*) and the small user runtime. */
#ifndef USER_L4_H
#define USER_L4_H

#include "frame.h" /* L4_ENTRY_SP: the architecture's (user/lib/arch/<arch>/frame.h) */
#include "string.h"

#include <coffer/cap.h>
#include <coffer/console.h>
#include <coffer/error.h>
#include <coffer/l4_stubs.h>
#include <coffer/types.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Every program defines main; arg is the module's argument string (never NULL). */
int main(const char *arg);

/* printf to the kernel debug console; output is buffered per call. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int puts(const char *s);
/* End the calling thread with code (crt0 calls this with main's return value). */
_Noreturn void l4_exit(l4_word_t code);
/* Name of an l4_error code, for messages. */
const char *l4_strerror(l4_err_t err);

/*
 * Run fn(arg) as a new thread of this space at priority prio, on a stack of
 * SPAWN_STACK_SIZE bytes from malloc; returning from fn ends the thread. It is
 * paid from the thread pool in L4_SLOT_POOL_BASE + L4_POOL_THREADS and its
 * capability goes to slot dest. A thread that ended in slot dest (kept for its
 * exit code) is forgotten first; a live one makes the call fail.
 * The stack is not freed when the thread ends: only the spawner knows when
 * nothing runs on it any more.
 */
#define SPAWN_STACK_SIZE 8192
l4_err_t l4_thread_spawn(long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, l4_cap_t dest);
/* The same, paid by the thread pool capability in slot pool. */
l4_err_t l4_thread_spawn_in(l4_cap_t pool, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio,
                            l4_cap_t dest);
/* The same but not started yet (thread_start runs it), bound to the space in slot space (its
 * stack is from this program's malloc: the space must have this program's memory mapped). */
l4_err_t l4_thread_prepare(l4_cap_t pool, l4_cap_t space, long (*fn)(l4_word_t), l4_word_t arg,
                           l4_word_t prio, l4_cap_t dest);
/* If slot dest holds a thread that has ended (its exit code kept for thread_wait), destroy
 * it, so that a new thread can go there; anything else in dest is left alone. */
void l4_thread_forget_ended(l4_cap_t dest);
/*
 * Lay out the first frame of a thread that is to run fn(arg) on the stack ending at
 * stack_top (16-byte aligned): returns the stack pointer and sets *ip to the instruction
 * pointer to give it (thread_exregs, with arg as its argument); fn's return ends the thread
 * with that value. What the frame holds is the architecture's (user/lib/arch/<arch>/). A
 * function that never returns may instead be entered directly, at sp L4_ENTRY_SP(stack_top).
 */
l4_word_t l4_thread_frame(void *stack_top, long (*fn)(l4_word_t), l4_word_t *ip);
/* Pool slots by kind. */
#define L4_SLOT_POOL(kind) (L4_SLOT_POOL_BASE + (kind))

/* A container's name (as its system file gives it) into name, NUL terminated; "" on error. */
#define L4_NAME_LEN 16
l4_err_t l4_container_name_str(l4_cap_t container, char name[L4_NAME_LEN + 1]);

/*
 * Print through a console server (user/console) reached by endpoint capability
 * console; only the first thread's UTCB is used, so call these from it.
 */
l4_err_t console_write(l4_cap_t console, const char *text, size_t len);
int console_printf(l4_cap_t console, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Read at most max bytes of input (only its owner may; flags: CONSOLE_NONBLOCK returns what
 * is there, maybe nothing); *got says how many. Line mode: one line at most, with its '\n'. */
l4_err_t console_read(l4_cap_t console, char *buf, size_t max, l4_word_t flags, size_t *got);
/* Wait for one line (raw mode: any bytes) into buf, NUL-terminated: at most max - 1 bytes. */
l4_err_t console_getline(l4_cap_t console, char *buf, size_t max, size_t *got);
/* CONSOLE_LINE (edited, echoed) or CONSOLE_RAW (bytes as they come); owner only. */
l4_err_t console_set_mode(l4_cap_t console, int mode);
/* Hand input to the client with this badge (0: nobody); owner only. */
l4_err_t console_give(l4_cap_t console, l4_word_t badge);
struct console_status {
    l4_word_t buffered, dropped, owner, flags; /* flags: CONSOLE_RAW_MODE, CONSOLE_READ_WAITING */
};
l4_err_t console_status(l4_cap_t console, struct console_status *st);

/* A first-fit allocator over a 256 KiB static arena per program. */
void *malloc(size_t size);
void free(void *p);

#endif
