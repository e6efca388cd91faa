/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The conformance suite's harness: how a test is written and reported (docs/linux-suite.md).
 *
 * A test is a function of no arguments listed in its area's table with its number. It checks
 * with the macros below; the first check that fails ends the test (a longjmp back to the
 * harness) with a line saying what differed. In a child made by t_fork() a failed check sends
 * its line to the parent through the report pipe and exits T_CHILD_FAILED; t_wait_exit() in
 * the parent turns that into the test's failure. Every test runs in the suite's own process,
 * not a forked one: fork is itself under test, so nothing else may depend on it.
 */
#ifndef LXSUITE_T_H
#define LXSUITE_T_H

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

struct t_case {
    int id;           /* LINUX-<id> */
    const char *name; /* what it covers, for FAIL lines */
    void (*fn)(void);
};

struct t_area {
    const char *name;
    const struct t_case *cases;
    int n;
};

#define T_AREA(area, ...)                                                                          \
    static const struct t_case area##_cases[] = {__VA_ARGS__};                                     \
    const struct t_area area##_area = {#area, area##_cases,                                        \
                                       (int)(sizeof(area##_cases) / sizeof(area##_cases[0]))}

/* Run the tests of areas (NULL-terminated) that argv selects (IDs, FROM-TO ranges; none: all),
 * then the count line "prog: N passed, N failed"; the exit status (1 if any failed). */
int t_main(const char *prog, const struct t_area *const *areas, int argc, char **argv);

/* End the current test as failed, with a printf-style reason (does not return). */
__attribute__((noreturn, format(printf, 1, 2))) void t_fail(const char *fmt, ...);
/* End the current test as skipped (only where Linux and Coffer differ by design). */
__attribute__((noreturn, format(printf, 1, 2))) void t_skip(const char *fmt, ...);
/* A note added to the PASS line (e.g. which variant of a test ran). */
__attribute__((format(printf, 1, 2))) void t_note(const char *fmt, ...);

const char *t_errname(int e);

/* cond must hold */
#define CHECK(cond)                                                                                \
    do {                                                                                           \
        if (!(cond))                                                                               \
            t_fail("line %d: %s", __LINE__, #cond);                                                \
    } while (0)
/* cond must hold; the reason says what was seen */
#define CHECKF(cond, ...)                                                                          \
    do {                                                                                           \
        if (!(cond))                                                                               \
            t_fail(__VA_ARGS__);                                                                   \
    } while (0)
/* expr (a call returning -1 and errno on failure) must succeed: its value */
#define OK(expr)                                                                                   \
    ({                                                                                             \
        errno = 0;                                                                                 \
        long ok_r_ = (long)(expr);                                                                 \
        if (ok_r_ == -1)                                                                           \
            t_fail("line %d: %s: failed with %s", __LINE__, #expr, t_errname(errno));              \
        ok_r_;                                                                                     \
    })
/* expr must fail with errno err */
#define ERR(err, expr)                                                                             \
    do {                                                                                           \
        errno = 0;                                                                                 \
        long err_r_ = (long)(expr);                                                                \
        int err_e_ = errno;                                                                        \
        if (err_r_ != -1 || err_e_ != (err))                                                       \
            t_fail("line %d: %s: returned %ld errno %s, want -1 %s", __LINE__, #expr, err_r_,      \
                   t_errname(err_e_), t_errname(err));                                             \
    } while (0)
/* a == b as integers */
#define EQ(a, b)                                                                                   \
    do {                                                                                           \
        long long eq_a_ = (long long)(a), eq_b_ = (long long)(b);                                  \
        if (eq_a_ != eq_b_)                                                                        \
            t_fail("line %d: %s is %lld, want %s = %lld", __LINE__, #a, eq_a_, #b, eq_b_);         \
    } while (0)

/* Raw system calls, for the errors a libc wrapper would hide or mend. */
/* Every argument goes as a long, sign-extended as a C caller of a long parameter would: a
 * plain -1 passed through syscall()'s "..." would leave the upper half undefined. */
#define SC(...) T_SC7(__VA_ARGS__, 0, 0, 0, 0, 0, 0)
#ifdef SYS_poll
#define T_SC7(n, a, b, c, d, e, f, ...)                                                            \
    syscall((long)(n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f))
#else
/* The asm-generic table (AArch64's) has no poll, select, dup2 or readlink: the tests' raw
 * calls of them become their successors' (ppoll, pselect6, dup3, readlinkat) as the C
 * libraries make them there (t_legacy, harness.c), which answer with the same errors. */
#define SYS_poll     (-1001)
#define SYS_select   (-1002)
#define SYS_dup2     (-1003)
#define SYS_readlink (-1004)
long t_legacy(long n, long a, long b, long c, long d, long e);
#define T_SC7(n, a, b, c, d, e, f, ...)                                                            \
    ((long)(n) < 0                                                                                 \
         ? t_legacy((long)(n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e))              \
         : syscall((long)(n), (long)(a), (long)(b), (long)(c), (long)(d), (long)(e), (long)(f)))
#endif
/* uname's machine */
#ifdef __x86_64__
#define T_MACHINE "x86_64"
#else
#define T_MACHINE "aarch64"
#endif

/* fork for a test: the child's failed checks report to the parent; the harness kills and
 * reaps any child still there when the test ends. Returns as fork(). */
pid_t t_fork(void);
/* In the parent: wait for pid and check that it exited with code (a failed check in the
 * child fails the test with the child's reason). */
void t_wait_exit(pid_t pid, int code);
/* In the parent: wait for pid and check that a signal killed it. */
void t_wait_signal(pid_t pid, int sig);
/* wait4 for pid; its status */
int t_wait(pid_t pid);
#define T_CHILD_FAILED 99

/* A child that sends sig to its parent every ms until the parent closes stop[1] (or times
 * times), then writes "z" to fd if fd >= 0. It closes stop[0] in the parent. */
pid_t t_poke(int sig, int ms, int times, int fd, int stop[2]);
/* a pid that no process has: a child's, after it was reaped */
pid_t t_dead_pid(void);
/* the suite's own program, as an absolute path (for execve) */
extern const char *t_self;
/* true when running under Coffer's Linux personality (uname's release has "coffer") */
int t_is_coffer(void);
/* the monotonic clock in ns */
long long t_now_ns(void);
/* sleep ms milliseconds (nanosleep, retried after signals) */
void t_msleep(int ms);
/* a file of the scratch directory (the cwd while tests run) with content, closed */
void t_make_file(const char *name, const char *content);

/* The child modes of the program (argv[1] == "--child"), for the exec tests. */
int t_child_main(int argc, char **argv);

#endif
