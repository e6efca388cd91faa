/* SPDX-License-Identifier: BSD-2-Clause */
/* The floor probe's layout, shared by floor.c and floor.S (AArch64). */
#ifndef AARCH64_FLOOR_LAYOUT_H
#define AARCH64_FLOOR_LAYOUT_H

/* struct floor_thread: what the switch entry saves and loads, as in a real switch */
#define FT_PC     0
#define FT_PSTATE 8
#define FT_SP     16
#define FT_TTBR0  24
#define FT_OTHER  32

/* EL0t with D, A, I and F masked: no tick lands in a sample (x86_64: IF clear) */
#define FLOOR_PSTATE 0x3c0
#define FLOOR_DONE   0x600df10f /* the EL0 code's last word: it ran to the end */

#endif
