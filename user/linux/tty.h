/* SPDX-License-Identifier: BSD-2-Clause */
/* The terminal (placeholder until the tty part lands). */
#ifndef LINUX_TTY_H
#define LINUX_TTY_H

#include "linux.h"

int tty_init(l4_cap_t console);
_Noreturn void tty_input_loop(void);

#endif
