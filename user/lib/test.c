/* SPDX-License-Identifier: BSD-2-Clause */
/* In-guest conformance tests: one "TEST <ID> PASS|FAIL" line per test for scripts/runtests.py. */
#include "test.h"

#include "fmt.h"

#include <coffer/thread.h>

void test_report(const char *id, bool ok, const char *fmt, ...)
{
    char why[160];
    va_list ap;

    if (ok) {
        printf("TEST %s PASS\n", id);
        return;
    }
    va_start(ap, fmt);
    fmt_vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    printf("TEST %s FAIL %s\n", id, why);
}

l4_word_t test_ticks(void)
{
    l4_word_t ticks = 0;

    l4_time(&ticks, NULL, NULL, NULL, NULL);
    return ticks;
}

void yield_n(unsigned n)
{
    while (n--)
        l4_thread_yield();
}

struct cap_info cap_info(l4_cap_t slot)
{
    struct cap_info i = {0};

    l4_cap_read(slot, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth);
    return i;
}

bool slot_empty(l4_cap_t slot)
{
    return l4_cap_read(slot, NULL, NULL, NULL, NULL, NULL, NULL) == L4_ECAP;
}

struct container_info container_info(l4_cap_t c)
{
    struct container_info s = {0};

    l4_container_inspect(c, &s.state, &s.threads, &s.spaces, &s.faults, &s.restarts, &s.fault_addr);
    return s;
}

l4_err_t spawn_with_table(l4_cap_t table, long (*fn)(l4_word_t), l4_word_t arg, l4_cap_t dest)
{
    l4_err_t err =
        l4_thread_prepare(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, fn, arg, 100, dest);

    if (!err)
        err = l4_thread_configure(dest, L4_THREAD_CAPTABLE, table);
    return err ? err : l4_thread_start(dest);
}

l4_word_t join_thread(l4_cap_t thread)
{
    l4_word_t code = 0xdead;

    l4_thread_wait(thread, 0, &code);
    l4_cap_destroy(thread);
    return code;
}
