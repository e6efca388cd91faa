/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * make bench's rows for the Linux personality (systems/lxbench.toml): a getpid round trip,
 * a one-byte pipe round trip between two processes, and fork + _exit + waitpid, in guest rdtsc
 * ticks (instructions under -icount shift=0), the user code around each call included.
 *
 * Each row is a line scripts/bench.py parses, in user/bench's format:
 *   BENCH <what>  min <n>  median <n> ticks
 * or, when a row cannot be measured (a call the server does not serve yet, say):
 *   BENCH n/a <what>: <reason>
 * and the last line is "BENCH done". The program exits 0 even when a row is n/a: the server
 * then ends the system, which is how bench.py knows the run is over.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define RUNS 200

#define ROW_GETPID "linux getpid round trip (raw syscall)"
#define ROW_PIPE   "linux pipe round trip, 2 processes, 1 byte"
#define ROW_FORK   "linux fork + child _exit(0) + waitpid"

static inline uint64_t tsc(void)
{
    uint32_t lo, hi;

    __asm__ volatile("lfence; rdtsc; lfence" : "=a"(lo), "=d"(hi)::"memory");
    return (uint64_t)hi << 32 | lo;
}

static int cmp(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

    return x < y ? -1 : x > y;
}

/* Print min and median of the samples, less the cost of reading the counter. */
static void report(const char *what, uint64_t *v, uint64_t overhead)
{
    qsort(v, RUNS, sizeof(*v), cmp);
    printf("BENCH %-44s min %6llu  median %6llu ticks\n", what,
           (unsigned long long)(v[0] - overhead), (unsigned long long)(v[RUNS / 2] - overhead));
    fflush(stdout);
}

static void not_measured(const char *what, const char *call, int err)
{
    printf("BENCH n/a %s: %s: %s\n", what, call, strerror(err));
    fflush(stdout);
}

static uint64_t timer_overhead(void)
{
    uint64_t v[RUNS];

    for (int i = 0; i < RUNS; i++) {
        uint64_t t0 = tsc();
        v[i] = tsc() - t0;
    }
    qsort(v, RUNS, sizeof(*v), cmp);
    return v[0];
}

/* The raw call: musl's getpid() does not cache either, but syscall() makes sure of it. */
static void getpid_round_trip(uint64_t ovh)
{
    uint64_t v[RUNS];

    for (int i = 0; i < RUNS; i++) {
        uint64_t t0 = tsc();
        long r = syscall(SYS_getpid);
        v[i] = tsc() - t0;
        if (r < 0) {
            not_measured(ROW_GETPID, "getpid", errno);
            return;
        }
    }
    report(ROW_GETPID, v, ovh);
}

/* The child: echo each byte from fd `in` to fd `out` until end of file. */
static _Noreturn void echo(int in, int out)
{
    char c;

    while (read(in, &c, 1) == 1) {
        if (write(out, &c, 1) != 1)
            _exit(1);
    }
    _exit(0);
}

/* One byte to the child through pipe a, back through pipe b, RUNS times (after a first one). */
static void pipe_round_trip(uint64_t ovh)
{
    uint64_t v[RUNS];
    int a[2], b[2], status;
    char c = 'x';

    if (pipe2(a, 0) < 0) {
        not_measured(ROW_PIPE, "pipe2", errno);
        return;
    }
    if (pipe2(b, 0) < 0) {
        not_measured(ROW_PIPE, "pipe2", errno);
        close(a[0]);
        close(a[1]);
        return;
    }
    pid_t child = fork();
    if (child < 0) {
        not_measured(ROW_PIPE, "fork", errno);
        return;
    }
    if (child == 0) {
        close(a[1]);
        close(b[0]);
        echo(a[0], b[1]);
    }
    close(a[0]);
    close(b[1]);
    errno = 0;
    int ok = write(a[1], &c, 1) == 1 && read(b[0], &c, 1) == 1; // the child's first faults
    for (int i = 0; ok && i < RUNS; i++) {
        uint64_t t0 = tsc();
        ok = write(a[1], &c, 1) == 1 && read(b[0], &c, 1) == 1;
        v[i] = tsc() - t0;
    }
    int err = errno;
    close(a[1]); // the child reads end of file and exits
    close(b[0]);
    waitpid(child, &status, 0);
    if (!ok) {
        not_measured(ROW_PIPE, "write/read", err ? err : EIO);
        return;
    }
    report(ROW_PIPE, v, ovh);
}

static void fork_exit_wait(uint64_t ovh)
{
    uint64_t v[RUNS];
    int status;

    for (int i = 0; i < RUNS; i++) {
        uint64_t t0 = tsc();
        pid_t child = fork();
        if (child == 0)
            _exit(0);
        if (child < 0) {
            not_measured(ROW_FORK, "fork", errno);
            return;
        }
        if (waitpid(child, &status, 0) != child) {
            not_measured(ROW_FORK, "waitpid", errno);
            return;
        }
        v[i] = tsc() - t0;
        if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
            not_measured(ROW_FORK, "the child's exit status", EIO);
            return;
        }
    }
    report(ROW_FORK, v, ovh);
}

int main(void)
{
    uint64_t ovh = timer_overhead();

    printf("BENCH timer overhead (lfence;rdtsc;lfence)       %llu ticks (subtracted)\n",
           (unsigned long long)ovh);
    getpid_round_trip(ovh);
    pipe_round_trip(ovh);
    fork_exit_wait(ovh);
    printf("BENCH done\n");
    return 0;
}
