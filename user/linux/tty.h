/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /dev/console: the Linux terminal on the serial console service (docs/linux-tty.md). The
 * line discipline is tty_ldisc.c (pure), the terminal's state and calls tty.c, the console
 * service's IPC tty_console.c. Everything here expects lx_lock held, except tty_init and
 * tty_input_loop (the server's first thread, which takes the lock itself).
 */
#ifndef LINUX_TTY_H
#define LINUX_TTY_H

#include "linux.h"

#ifndef LX_POLLIN
#define LX_POLLIN  1
#define LX_POLLOUT 4
#endif

/*
 * Take the console service at endpoint console (whose input this container owns: its system
 * file gives the console "input=N", N the badge of that capability) and put it in raw mode:
 * the line discipline is ours. 0 or -LX_ENXIO. From the first thread, before the workers.
 */
int tty_init(l4_cap_t console);
/* The first thread's work forever: raw bytes from the console into the line discipline (libl4's
 * console_read uses the first thread's UTCB, so only that thread may read). */
_Noreturn void tty_input_loop(void);

/* buf, len: server memory (the caller copies to and from the process). */
long tty_read(struct lx_task *t, void *buf, size_t len, bool nonblock); /* may sleep */
long tty_write(struct lx_task *t, const void *buf, size_t len);
/* arg: a value or a user address (copied with lx_copy_in/out); -LX_ENOTTY for unknown cmds. */
long tty_ioctl(struct lx_task *t, unsigned long cmd, uint64_t arg);
/* LX_POLLIN when a read would not wait, | LX_POLLOUT (output never waits). */
unsigned tty_poll(void);

extern struct lx_waitq tty_wait;     /* woken when input arrives or the settings change */
extern struct lx_waitq lx_poll_wait; /* poll and select sleep here (fs); woken with tty_wait */

/*
 * The terminal's session (the controlling terminal of every process with this sid) and its
 * foreground process group, 0: none. The core sets both to the first process's when it
 * starts; then TIOCSCTTY, TIOCNOTTY and TIOCSPGRP change them.
 */
extern int tty_sid, tty_pgrp;
/* The core's call when the first process starts: its session gets the terminal, its group is
 * in the foreground (tty_sid = sid, tty_pgrp = pgid). After tty_init. */
void lx_tty_set_session(int sid, int pgid);

/* --- inside the terminal (tty.c and tty_console.c; the host test calls them) --- */
/* Set the terminal to its start: default termios, empty input, 24x80, no session. */
void tty_reset(void);
/* Bytes that came from the console: into the line discipline; wakes readers and pollers. */
void tty_input(const char *buf, size_t n);
/* Print through the console service from any server thread (its own UTCB): 0 or -LX_EIO. */
int tty_console_write(const char *s, size_t n);

#endif
