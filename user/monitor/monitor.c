/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The live view: a table of what each container uses (pool units, RAM, threads, faults,
 * restarts) read with container_usage and container_inspect through the container
 * capabilities its system file gives it, printed every few ticks and once more when every
 * container it watches has no thread left.
 *
 * args: "[every=TICKS]". Each row is named by container_name, as the system file names the
 * container (its own row too); a capability that may not read the name shows its slot.
 */
#include "fmt.h"
#include "l4.h"

#include <string.h>

#define FIRST       L4_SLOT_FIRST_FREE
#define MAX_WATCHED 16
#define NAME_LEN    (L4_NAME_LEN + 1)

struct watched {
    l4_cap_t slot;
    char name[NAME_LEN];
};

static struct watched watched[MAX_WATCHED + 1]; /* its own container first */
static unsigned nwatched;
static l4_word_t every = 100;

/* The next space-separated word of *s into word (cut to its size); false at the end. */
static bool next_word(const char **s, char *word, size_t size)
{
    size_t n = 0;

    while (**s == ' ')
        ++*s;
    if (!**s)
        return false;
    for (; **s && **s != ' '; ++*s) {
        if (n + 1 < size)
            word[n++] = **s;
    }
    word[n] = 0;
    return true;
}

/* What the system file calls the container in slot, or "slot N" if that cannot be read. */
static void name_of(l4_cap_t slot, char name[NAME_LEN])
{
    if (l4_container_name_str(slot, name) != L4_OK)
        fmt_snprintf(name, NAME_LEN, "slot %lu", slot);
}

static void parse_args(const char *arg)
{
    char word[NAME_LEN];

    watched[nwatched].slot = L4_SLOT_CONTAINER;
    name_of(L4_SLOT_CONTAINER, watched[nwatched++].name);
    /* cap_next visits only filled slots: no refused call for each empty one */
    for (l4_word_t s = FIRST; nwatched <= MAX_WATCHED && l4_cap_next(s, &s) == L4_OK; s++) {
        l4_word_t type = 0;
        if (l4_cap_read(s, &type, NULL, NULL, NULL, NULL, NULL) == L4_OK &&
            type == L4_CAP_CONTAINER) {
            watched[nwatched].slot = s;
            name_of(s, watched[nwatched++].name);
        }
    }
    while (next_word(&arg, word, sizeof(word))) {
        l4_word_t n = 0;
        if (strncmp(word, "every=", 6) == 0) {
            for (const char *p = word + 6; *p >= '0' && *p <= '9'; p++)
                n = n * 10 + (l4_word_t)(*p - '0');
            every = n ? n : every;
        } else {
            printf("monitor: argument '%s' ignored (only every=TICKS)\n", word);
        }
    }
}

/* "used/total" of what, left-aligned in a column of width; "-" if it cannot be read. */
static void cell(l4_cap_t c, l4_word_t what, size_t width)
{
    l4_word_t used, total;
    char buf[32] = "-";

    if (l4_container_usage(c, what, &used, &total) == L4_OK) {
        if (what == L4_USAGE_MEMORY)
            fmt_snprintf(buf, sizeof(buf), "%lu/%lu", used / 1024, total / 1024);
        else
            fmt_snprintf(buf, sizeof(buf), "%lu/%lu", used, total);
    }
    for (size_t n = strlen(buf); n < width && n + 1 < sizeof(buf); n++)
        buf[n] = ' ', buf[n + 1] = 0;
    printf("%s", buf);
}

/* Threads alive in the containers it watches, itself left out. */
static l4_word_t watched_alive(void)
{
    l4_word_t alive = 0;

    for (unsigned i = 1; i < nwatched; i++) {
        l4_word_t threads = 0, x;
        l4_container_inspect(watched[i].slot, &x, &threads, &x, &x, &x, &x);
        alive += threads;
    }
    return alive;
}

static void print_table(const char *when)
{
    l4_word_t ticks = 0;

    l4_time(&ticks, NULL, NULL, NULL, NULL);
    printf("monitor: %s, tick %lu; pool units, memory (KiB), threads waiting: used/total\n", when,
           ticks);
    printf("monitor: %-12s %-8s %-8s %-6s %-9s %-7s %-7s %-8s %-9s %-7s %-7s %-6s %s\n",
           "container", "state", "threads", "spaces", "endpoints", "notifs", "slots", "ptables",
           "memory", "waiting", "tables", "faults", "restarts");
    for (unsigned i = 0; i < nwatched; i++) {
        l4_word_t state = 0, faults = 0, restarts = 0, x;
        l4_err_t err =
            l4_container_inspect(watched[i].slot, &state, &x, &x, &faults, &restarts, &x);
        printf("monitor: %-12s %-8s ", watched[i].name,
               err     ? l4_strerror(err)
               : state ? "stopped"
                       : "running");
        static const size_t width[L4_USAGE_COUNT] = {8, 6, 9, 7, 7, 8, 9, 7, 7};
        for (l4_word_t what = 0; what < L4_USAGE_COUNT; what++)
            cell(watched[i].slot, what, width[what] + 1);
        printf("%-6lu %lu\n", faults, restarts);
    }
}

int main(const char *arg)
{
    parse_args(arg);
    printf("monitor: watching %u container(s), a table every %lu ticks\n", nwatched - 1, every);
    while (watched_alive()) {
        print_table("now");
        l4_word_t start = 0, now = 0;
        l4_time(&start, NULL, NULL, NULL, NULL);
        do {
            l4_thread_yield();
            l4_time(&now, NULL, NULL, NULL, NULL);
        } while (now - start < every);
    }
    print_table("final: every container it watches has finished");
    return 0;
}
