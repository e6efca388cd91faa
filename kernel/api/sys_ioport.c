/* SPDX-License-Identifier: BSD-2-Clause */
/* I/O port system calls: a driver container reaches only the ports its capability covers. */
#include "caller.h"
#include "sys_handlers.h"

static l4_err_t check(const char *call, l4_cap_t io, uint32_t right, l4_word_t port,
                      l4_word_t width)
{
    struct cap *k;
    l4_err_t err = caller_cap(call, io, L4_CAP_IOPORT, right, &k);

    if (err)
        return err;
    if (width != 1 && width != 2 && width != 4) {
        user_error("%s: width %lu is not 1, 2 or 4 bytes\n", call, width);
        return L4_EINVAL;
    }
    if (port < k->a || width > k->b || port - k->a > k->b - width) { // no overflow
        user_error("%s: port %lx+%lu outside %lx+%lu\n", call, port, width, k->a, k->b);
        return L4_ERANGE;
    }
    return L4_OK;
}

l4_err_t sys_ioport_in(l4_cap_t io, l4_word_t port, l4_word_t width, l4_word_t *value)
{
    uint32_t v = 0;
    l4_err_t err = check("ioport_in", io, L4_IO_READ, port, width);

    if (err)
        return err;
    if (!arch_ioport(port, (unsigned)width, false, &v))
        return L4_ENOSYS;
    *value = v;
    return L4_OK;
}

l4_err_t sys_ioport_out(l4_cap_t io, l4_word_t port, l4_word_t width, l4_word_t value)
{
    uint32_t v = (uint32_t)value;
    l4_err_t err = check("ioport_out", io, L4_IO_WRITE, port, width);

    if (err)
        return err;
    return arch_ioport(port, (unsigned)width, true, &v) ? L4_OK : L4_ENOSYS;
}
