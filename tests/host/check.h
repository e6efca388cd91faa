/* SPDX-License-Identifier: BSD-2-Clause */
/* A tiny host unit-test harness: CHECK() records failures, RUN() reports one line per test. */
#ifndef TESTS_CHECK_H
#define TESTS_CHECK_H

#include <stdio.h>
#include <stdlib.h>

static int check_failures; /* in the current test */
static int tests_passed, tests_failed;

#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            printf("    %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond);                    \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

#define CHECK_EQ(a, b)                                                                             \
    do {                                                                                           \
        long long va_ = (long long)(a), vb_ = (long long)(b);                                      \
        if (va_ != vb_) {                                                                          \
            printf("    %s:%d: %s == %lld, expected %s == %lld\n", __FILE__, __LINE__, #a, va_,    \
                   #b, vb_);                                                                       \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

/* Run one test function; the runner (scripts/runtests.py) counts these lines. */
#define RUN(suite, fn)                                                                             \
    do {                                                                                           \
        check_failures = 0;                                                                        \
        fn();                                                                                      \
        if (check_failures) {                                                                      \
            printf("FAIL host/%s/%s\n", suite, #fn);                                               \
            tests_failed++;                                                                        \
        } else {                                                                                   \
            printf("PASS host/%s/%s\n", suite, #fn);                                               \
            tests_passed++;                                                                        \
        }                                                                                          \
        fflush(stdout); /* a later crash must not take this line with it */                        \
    } while (0)

/*
 * main returns this after its last RUN: the count line lets the runner tell a binary that
 * finished from one that crashed or left early, and it must agree with the PASS/FAIL lines.
 */
#define CHECK_DONE()                                                                               \
    (printf("host tests: %d passed, %d failed\n", tests_passed, tests_failed), tests_failed != 0)

#endif
