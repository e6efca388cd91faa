/* SPDX-License-Identifier: BSD-2-Clause */
/* In-guest conformance tests: one "TEST <ID> PASS|FAIL" line per test for scripts/runtests.py. */
#include "test.h"

#include "fmt.h"

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

    l4_time(&ticks, NULL, NULL);
    return ticks;
}
