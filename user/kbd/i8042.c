/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The i8042 keyboard controller, as far as a PC (and QEMU's pc and q35) needs it. The
 * keyboard itself is left as the firmware left it: scanning, in set 2, which the controller
 * translates to set 1 for us.
 */
#include "i8042.h"

#include "l4.h"

#define STATUS_OUT_FULL 0x01 /* a byte waits at 0x60 */
#define STATUS_IN_FULL  0x02 /* the controller has not yet taken our last byte */
#define STATUS_AUX      0x20 /* the waiting byte is from the second (mouse) port */

#define CMD_READ_CONFIG  0x20
#define CMD_WRITE_CONFIG 0x60
#define CMD_DISABLE_AUX  0xa7
#define CMD_DISABLE_KBD  0xad
#define CMD_ENABLE_KBD   0xae

#define CONFIG_KBD_IRQ   0x01
#define CONFIG_AUX_IRQ   0x02
#define CONFIG_KBD_CLOCK 0x10 /* set: the keyboard port is off */
#define CONFIG_TRANSLATE 0x40

#define TRIES 100000 /* bounded waits: a missing or stuck controller must not hang the service */

static uint8_t status(const struct i8042 *c)
{
    l4_word_t v = 0xff; // what an absent device's port reads as
    l4_ioport_in(c->status, I8042_STATUS, 1, &v);
    return (uint8_t)v;
}

static l4_err_t wait_status(const struct i8042 *c, uint8_t bit, bool set)
{
    for (int i = 0; i < TRIES; i++)
        if (((status(c) & bit) != 0) == set)
            return L4_OK;
    return L4_ESTATE;
}

static l4_err_t write_port(const struct i8042 *c, uint16_t port, uint8_t v)
{
    l4_err_t err = wait_status(c, STATUS_IN_FULL, false);
    return err ? err : l4_ioport_out(port == I8042_DATA ? c->data : c->status, port, 1, v);
}

l4_err_t i8042_init(const struct i8042 *c)
{
    l4_word_t v = 0;
    l4_err_t err = write_port(c, I8042_STATUS, CMD_DISABLE_KBD);

    if (!err)
        err = write_port(c, I8042_STATUS, CMD_DISABLE_AUX);
    for (int i = 0; !err && i < 64 && (status(c) & STATUS_OUT_FULL); i++)
        l4_ioport_in(c->data, I8042_DATA, 1, &v); // stale bytes from before us
    if (!err)
        err = write_port(c, I8042_STATUS, CMD_READ_CONFIG);
    if (!err)
        err = wait_status(c, STATUS_OUT_FULL, true);
    if (!err)
        err = l4_ioport_in(c->data, I8042_DATA, 1, &v);
    if (err)
        return err;
    uint8_t config = (uint8_t)v;
    config |= CONFIG_KBD_IRQ | CONFIG_TRANSLATE;
    config &= (uint8_t) ~(CONFIG_AUX_IRQ | CONFIG_KBD_CLOCK);
    err = write_port(c, I8042_STATUS, CMD_WRITE_CONFIG);
    if (!err)
        err = write_port(c, I8042_DATA, config);
    if (!err)
        err = write_port(c, I8042_STATUS, CMD_ENABLE_KBD);
    return err;
}

bool i8042_read(const struct i8042 *c, uint8_t *byte)
{
    for (;;) {
        uint8_t s = status(c);
        l4_word_t v = 0;
        if (s == 0xff || !(s & STATUS_OUT_FULL))
            return false;
        if (l4_ioport_in(c->data, I8042_DATA, 1, &v))
            return false;
        if (!(s & STATUS_AUX)) {
            *byte = (uint8_t)v;
            return true;
        }
    }
}
