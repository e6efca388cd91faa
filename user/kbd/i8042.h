/* SPDX-License-Identifier: BSD-2-Clause */
/* The PS/2 controller (i8042) at ports 0x60 and 0x64, through an I/O-port capability. */
#ifndef KBD_I8042_H
#define KBD_I8042_H

#include <coffer/types.h>
#include <stdbool.h>
#include <stdint.h>

#define I8042_DATA   0x60
#define I8042_STATUS 0x64 /* read: status; write: a controller command */

/* Its two ports, each its own capability: 0x61..0x63 between them (the PC speaker, NMI
 * status) are none of the keyboard service's business. */
struct i8042 {
    l4_cap_t data;   /* port 0x60 */
    l4_cap_t status; /* port 0x64 */
};

/*
 * Set the controller up for the first (keyboard) port: its interrupt on, the mouse port's off,
 * translation to scancode set 1 on. L4_ESTATE if the controller does
 * not answer (no i8042: microvm).
 */
l4_err_t i8042_init(const struct i8042 *c);
/* The next byte from the keyboard port, if one waits (bytes from the mouse port are dropped). */
bool i8042_read(const struct i8042 *c, uint8_t *byte);

#endif
