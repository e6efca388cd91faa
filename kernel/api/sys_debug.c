/* SPDX-License-Identifier: BSD-2-Clause */
/* The debug console system call. */
#include "caller.h"
#include "space.h"
#include "sys_handlers.h"

#define DEBUG_WRITE_MAX 4096

extern bool selftest_kstack_overflow; // main.c: "selftest=kstack-overflow"

/* Eat the kernel stack a kilobyte a call; the work after the call keeps it from being a loop.
 * (It stops only at a depth no 8 KiB stack reaches, which the compiler cannot know.) */
static __attribute__((noinline)) uint64_t recurse(uint64_t depth)
{
    volatile uint8_t pad[1024];

    pad[depth % sizeof(pad)] = (uint8_t)depth;
    if (depth > (1u << 20))
        return 0;
    return recurse(depth + 1) + pad[(depth * 7) % sizeof(pad)];
}

l4_err_t sys_debug_write(l4_cap_t cap, l4_word_t buf, l4_word_t len)
{
    char chunk[256];
    struct cap *k;
    l4_err_t err = caller_cap("debug_write", cap, L4_CAP_DEBUG, L4_DEBUG_WRITE, &k);

    if (err)
        return err;
    if (unlikely(selftest_kstack_overflow))
        return (l4_err_t)recurse(0);
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
