/* SPDX-License-Identifier: BSD-2-Clause */
/* The floor probe's layout, shared by floor.c and floor.S. */
#ifndef X86_FLOOR_LAYOUT_H
#define X86_FLOOR_LAYOUT_H

/* struct floor_thread: what the switch entry saves and loads, as in a real switch */
#define FT_RIP    0
#define FT_RFLAGS 8
#define FT_RSP    16
#define FT_CR3    24
#define FT_OTHER  32

#define FLOOR_RFLAGS 0x2        /* ring 3 with interrupts off: no tick lands in a sample */
#define FLOOR_DONE   0x600df10f /* the ring-3 code's last word: it ran to the end */
#define FLOOR_VECTOR 0x80       /* its way back: every vector of the probe's IDT ends it */

#endif
