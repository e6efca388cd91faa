/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug console system call. */
#include "caller.h"
#include "space.h"
#include "sys_handlers.h"

#define DEBUG_WRITE_MAX 4096

l4_err_t sys_debug_write(l4_cap_t cap, l4_word_t buf, l4_word_t len)
{
    char chunk[256];
    struct cap *k;
    l4_err_t err = caller_cap("debug_write", cap, L4_CAP_DEBUG, L4_DEBUG_WRITE, &k);

    if (err)
        return err;
    if (len > DEBUG_WRITE_MAX) {
        user_error("debug_write: length %lu > %d\n", len, DEBUG_WRITE_MAX);
        return L4_ERANGE;
    }
    struct space *s = caller()->space;
    /* check the whole buffer before printing any of it */
    for (l4_word_t done = 0; done < len; done += sizeof(chunk)) {
        l4_word_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
        if (copy_from_user(s, chunk, buf + done, n)) {
            user_error("debug_write: buffer %lx+%lu not readable\n", buf, len);
            return L4_EFAULT;
        }
    }
    for (l4_word_t done = 0; done < len; done += sizeof(chunk)) {
        l4_word_t n = len - done < sizeof(chunk) ? len - done : sizeof(chunk);
        copy_from_user(s, chunk, buf + done, n);
        for (l4_word_t i = 0; i < n; i++)
            kprintf("%c", chunk[i]);
    }
    return L4_OK;
}
