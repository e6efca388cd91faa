/* SPDX-License-Identifier: BSD-2-Clause */
/* Counting results. Every fuzzing thread adds to the same counters, so adds are atomic. */
#include "stats.h"

#include "fmt.h"

#define UNKNOWN   L4_ERROR_COUNT /* a result outside enum l4_error */
#define BAD_NR    L4_SYS_COUNT   /* calls with a number past the table */
#define MAX_WRONG 20
#define LINE      1536

static l4_word_t results[L4_ERROR_COUNT + 1];
static l4_word_t ok_by_call[L4_SYS_COUNT + 1], by_call[L4_SYS_COUNT + 1];
static l4_word_t calls, wrong, dry[L4_POOL_KIND_COUNT];

static const char *const call_names[L4_SYS_COUNT + 1] = {L4_SYS_NAMES, "bad_number"};
_Static_assert(L4_SYS_COUNT == 59, "a new system call needs a generator in ops.c");

static void add(l4_word_t *counter)
{
    __atomic_fetch_add(counter, 1, __ATOMIC_RELAXED);
}

void stat_exhausted(unsigned kind, bool was_dry)
{
    if (was_dry)
        add(&dry[kind]);
}

void stat_wrong(l4_word_t nr, const char *what, l4_word_t value)
{
    if (__atomic_fetch_add(&wrong, 1, __ATOMIC_RELAXED) < MAX_WRONG)
        printf("fuzz: WRONG: %s %lx: %s %lx\n",
               nr < L4_SYS_COUNT && call_names[nr] ? call_names[nr] : "number", nr, what, value);
}

l4_err_t stat_record(struct fz *f, l4_word_t nr, l4_err_t err)
{
    bool known = err >= 0 && err < L4_ERROR_COUNT;

    add(&calls);
    f->progress++;
    add(&results[known ? err : UNKNOWN]);
    if (!known)
        stat_wrong(nr, "returned what is no error code:", (l4_word_t)err);
    /* a number past the table, or one of its holes (numbers reserved, not yet given) */
    l4_word_t counted = nr < L4_SYS_COUNT && call_names[nr] ? nr : BAD_NR;
    if (counted == BAD_NR && err != L4_ENOSYS)
        stat_wrong(nr, "no such call, yet it returned", (l4_word_t)err);
    add(&by_call[counted]);
    if (err == L4_OK)
        add(&ok_by_call[counted]);
    return err;
}

/* One debug_write for the whole line, so no other output lands inside it. */
static void say(char *line, int n)
{
    if (n > LINE - 2)
        n = LINE - 2;
    line[n] = '\n';
    l4_debug_write(L4_SLOT_DEBUG, line, (l4_word_t)n + 1);
}

void stat_print(l4_word_t run, bool done)
{
    char line[LINE];
    int n = fmt_snprintf(line, sizeof(line), "fuzz: run %lu%s: %lu calls:", run,
                         done ? " done" : "", calls);

    for (int e = 0; e <= L4_ERROR_COUNT; e++) {
        if (results[e] && n < (int)sizeof(line))
            n += fmt_snprintf(line + n, sizeof(line) - n, " %s %lu",
                              e < L4_ERROR_COUNT ? l4_strerror(e) : "E?", results[e]);
    }
    if (wrong && n < (int)sizeof(line))
        n += fmt_snprintf(line + n, sizeof(line) - n, " (%lu WRONG)", wrong);
    say(line, n);
    if (!done)
        return;
    n = fmt_snprintf(line, sizeof(line), "fuzz: run %lu done: successes/calls:", run);
    for (int c = 0; c <= L4_SYS_COUNT; c++) {
        if (by_call[c] && n < (int)sizeof(line))
            n += fmt_snprintf(line + n, sizeof(line) - n, " %s %lu/%lu", call_names[c],
                              ok_by_call[c], by_call[c]);
    }
    say(line, n);
    n = fmt_snprintf(line, sizeof(line),
                     "fuzz: run %lu done: pools run dry: threads %lu, spaces %lu, endpoints %lu, "
                     "notifications %lu",
                     run, dry[L4_POOL_THREADS], dry[L4_POOL_SPACES], dry[L4_POOL_ENDPOINTS],
                     dry[L4_POOL_NOTIFICATIONS]);
    say(line, n);
}
