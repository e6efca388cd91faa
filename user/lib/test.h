/* SPDX-License-Identifier: BSD-2-Clause */
/* In-guest conformance tests: one "TEST <ID> PASS|FAIL" line per test for scripts/runtests.py. */
#ifndef USER_TEST_H
#define USER_TEST_H

#include "l4.h"

#include <stdbool.h>

/* Report test id; on failure the printf-style reason follows on the same line. */
void test_report(const char *id, bool ok, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Pass iff call returns want; the line names the call and both codes otherwise. */
#define EXPECT_ERR(id, call, want)                                                                 \
    do {                                                                                           \
        l4_err_t got_ = (call);                                                                    \
        test_report(id, got_ == (want), "%s returned %s, expected %s", #call, l4_strerror(got_),   \
                    l4_strerror(want));                                                            \
    } while (0)

/* Scheduler ticks since boot. */
l4_word_t test_ticks(void);
void yield_n(unsigned n);

/* What cap_read says of slot: all zero (type L4_CAP_NULL) if the slot is empty. */
struct cap_info {
    l4_word_t type, rights, a, b, object, depth;
};
struct cap_info cap_info(l4_cap_t slot);
bool slot_empty(l4_cap_t slot);

/* What container_inspect says of a container: all zero if the capability does not allow it. */
struct container_info {
    l4_word_t state, threads, spaces, faults, restarts, fault_addr;
};
struct container_info container_info(l4_cap_t container);

/* A thread of ours (paid by our threads pool root, in our first space, priority 100) running
 * fn(arg) bound to the capability table in slot table, started, in slot dest. */
l4_err_t spawn_with_table(l4_cap_t table, long (*fn)(l4_word_t), l4_word_t arg, l4_cap_t dest);
/* Wait for the thread in slot thread to end, destroy the capability, return its exit code
 * (0xdead if it could not be waited for). */
l4_word_t join_thread(l4_cap_t thread);

#endif
