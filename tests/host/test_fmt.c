/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the printf engine, mostly checked against the host C library's snprintf. */
// uses: lib/fmt.c
#include "check.h"
#include "fmt.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#define CHECK_STR(got, want)                                                                       \
    do {                                                                                           \
        const char *g_ = (got), *w_ = (want);                                                      \
        if (strcmp(g_, w_) != 0) {                                                                 \
            printf("    %s:%d: %s == \"%s\", expected \"%s\"\n", __FILE__, __LINE__, #got, g_,     \
                   w_);                                                                            \
            check_failures++;                                                                      \
        }                                                                                          \
    } while (0)

/* --- a table compared with libc -------------------------------------------------------------- */

enum kind { NONE, INT, UINT, LONG, ULONG, LLONG, ULLONG, SIZE, STR };

struct row {
    const char *f;
    enum kind kind;
    long long i;          /* INT, LONG, LLONG */
    unsigned long long u; /* UINT, ULONG, ULLONG, SIZE */
    const char *s;        /* STR */
};

static const struct row rows[] = {
    {.f = "plain text", .kind = NONE},
    {.f = "%%", .kind = NONE},
    {.f = "100%% sure", .kind = NONE},
    {.f = "%c", .kind = INT, .i = 'A'},
    {.f = "[%3c]", .kind = INT, .i = 'z'},
    {.f = "[%-3c]", .kind = INT, .i = 'z'},
    {.f = "%d", .kind = INT, .i = 0},
    {.f = "%d", .kind = INT, .i = 42},
    {.f = "%d", .kind = INT, .i = -42},
    {.f = "%i", .kind = INT, .i = -7},
    {.f = "%d", .kind = INT, .i = INT_MAX},
    {.f = "%d", .kind = INT, .i = INT_MIN},
    {.f = "[%5d]", .kind = INT, .i = 42},
    {.f = "[%-5d]", .kind = INT, .i = 42},
    {.f = "[%05d]", .kind = INT, .i = 42},
    {.f = "[%05d]", .kind = INT, .i = -42},
    {.f = "[%-05d]", .kind = INT, .i = -42},
    {.f = "[%0-5d]", .kind = INT, .i = -42},
    {.f = "[%5d]", .kind = INT, .i = -42},
    {.f = "[%2d]", .kind = INT, .i = 12345},
    {.f = "[%02d]", .kind = INT, .i = -12345},
    {.f = "[%012d]", .kind = INT, .i = INT_MIN},
    {.f = "%u", .kind = UINT, .u = 0},
    {.f = "%u", .kind = UINT, .u = 3000000000u},
    {.f = "%u", .kind = UINT, .u = UINT_MAX},
    {.f = "%x", .kind = UINT, .u = 0},
    {.f = "%x", .kind = UINT, .u = 0xdeadbeef},
    {.f = "%X", .kind = UINT, .u = 0xdeadbeef},
    {.f = "[%08x]", .kind = UINT, .u = 0xbeef},
    {.f = "[%-8X]", .kind = UINT, .u = 0xbeef},
    {.f = "[%3x]", .kind = UINT, .u = 0xabcdef},
    {.f = "%ld", .kind = LONG, .i = 0},
    {.f = "%ld", .kind = LONG, .i = LONG_MAX},
    {.f = "%ld", .kind = LONG, .i = LONG_MIN},
    {.f = "%li", .kind = LONG, .i = -1},
    {.f = "[%022ld]", .kind = LONG, .i = LONG_MIN},
    {.f = "[%-22ld]", .kind = LONG, .i = LONG_MIN},
    {.f = "%lld", .kind = LLONG, .i = INT64_MIN},
    {.f = "%lld", .kind = LLONG, .i = INT64_MAX},
    {.f = "%lld", .kind = LLONG, .i = -4294967296ll},
    {.f = "%zd", .kind = LONG, .i = -5},
    {.f = "%lu", .kind = ULONG, .u = ULONG_MAX},
    {.f = "%lx", .kind = ULONG, .u = 0x123456789abcdefull},
    {.f = "%lX", .kind = ULONG, .u = 0xfedcba9876543210ull},
    {.f = "%llu", .kind = ULLONG, .u = UINT64_MAX},
    {.f = "[%018llx]", .kind = ULLONG, .u = 0x1000000000ull},
    {.f = "%zu", .kind = SIZE, .u = SIZE_MAX},
    {.f = "%zx", .kind = SIZE, .u = 0xabcdef0123ull},
    {.f = "[%5zu]", .kind = SIZE, .u = 7},
    {.f = "%s", .kind = STR, .s = "hello"},
    {.f = "%s", .kind = STR, .s = ""},
    {.f = "[%4s]", .kind = STR, .s = ""},
    {.f = "[%8s]", .kind = STR, .s = "hi"},
    {.f = "[%-8s]", .kind = STR, .s = "hi"},
    {.f = "[%3s]", .kind = STR, .s = "toolong"},
    {.f = "%s", .kind = STR, .s = NULL},
    {.f = "[%8s]", .kind = STR, .s = NULL},
    {.f = "[%-8s]", .kind = STR, .s = NULL},
    {.f = "x%sy%%z", .kind = STR, .s = "-"},
};

/* Format r with fmt_snprintf (is_libc false) or snprintf into buf[size]; returns the length. */
static int format_row(int is_libc, char *buf, size_t size, const struct row *r)
{
    int (*f)(char *, size_t, const char *, ...) = is_libc ? snprintf : fmt_snprintf;

    switch (r->kind) {
    case NONE:
        return f(buf, size, r->f, 0);
    case INT:
        return f(buf, size, r->f, (int)r->i);
    case UINT:
        return f(buf, size, r->f, (unsigned)r->u);
    case LONG:
        return f(buf, size, r->f, (long)r->i);
    case ULONG:
        return f(buf, size, r->f, (unsigned long)r->u);
    case LLONG:
        return f(buf, size, r->f, r->i);
    case ULLONG:
        return f(buf, size, r->f, r->u);
    case SIZE:
        return f(buf, size, r->f, (size_t)r->u);
    case STR:
        return f(buf, size, r->f, r->s);
    }
    return -1;
}

/* Every row, in a roomy buffer and in buffers that cut it short, must match libc byte for byte. */
static void table_matches_libc(void)
{
    static const size_t sizes[] = {64, 4, 1, 0};

    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        for (size_t k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
            char got[64], want[64];
            memset(got, '#', sizeof(got));
            memset(want, '#', sizeof(want));
            int ngot = format_row(0, got, sizes[k], &rows[i]);
            int nwant = format_row(1, want, sizes[k], &rows[i]);
            if (ngot != nwant || memcmp(got, want, sizeof(got)) != 0) {
                printf("    row %zu \"%s\" size %zu: got %d \"%.*s\", libc %d \"%.*s\"\n", i,
                       rows[i].f, sizes[k], ngot, (int)sizes[k], got, nwant, (int)sizes[k], want);
                check_failures++;
            }
        }
    }
}

/* Several arguments of mixed widths: each conversion must take exactly its own argument. */
static void mixed_arguments_match_libc(void)
{
    char got[128], want[128];
    int ngot =
        fmt_snprintf(got, sizeof(got), "%d|%ld|%c|%lld|%s|%u|%zu|%x|%li|%X", -1, (long)INT64_MIN,
                     'q', 1ll << 40, "str", 7u, (size_t)99, 0xffu, -2l, 0xabcu);
    int nwant =
        snprintf(want, sizeof(want), "%d|%ld|%c|%lld|%s|%u|%zu|%x|%li|%X", -1, (long)INT64_MIN, 'q',
                 1ll << 40, "str", 7u, (size_t)99, 0xffu, -2l, 0xabcu);
    CHECK_EQ(ngot, nwant);
    CHECK_STR(got, want);
}

/* --- fixed expectations ---------------------------------------------------------------------- */

static void zero_padded_negative_keeps_sign_first(void)
{
    char buf[32];
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%05d", -42), 5);
    CHECK_STR(buf, "-0042");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%08ld", -1l), 8);
    CHECK_STR(buf, "-0000001");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%-5d|", -42), 6);
    CHECK_STR(buf, "-42  |");
}

static void extreme_integers(void)
{
    char buf[32];
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%lld", (long long)INT64_MIN), 20);
    CHECK_STR(buf, "-9223372036854775808");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%llu", (unsigned long long)UINT64_MAX), 20);
    CHECK_STR(buf, "18446744073709551615");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%d", 0), 1);
    CHECK_STR(buf, "0");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%x", 0u), 1);
    CHECK_STR(buf, "0");
}

static void null_string_prints_null(void)
{
    char buf[32];
    const char *volatile none = NULL; /* hidden from -Wformat-overflow */
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "<%s>", none), 8);
    CHECK_STR(buf, "<(null)>");
}

static void pointer_is_plain_hex(void)
{
    char buf[32];
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%p", (void *)0x1234abcd), 8);
    CHECK_STR(buf, "1234abcd");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%p", (void *)0), 1);
    CHECK_STR(buf, "0");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%p", (void *)UINTPTR_MAX), 16);
    CHECK_STR(buf, "ffffffffffffffff");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "[%10p]", (void *)0xbeef), 12);
    CHECK_STR(buf, "[      beef]");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "[%-6p]", (void *)0xbeef), 8);
    CHECK_STR(buf, "[beef  ]");
}

static void nul_character_is_emitted(void)
{
    char buf[8];
    memset(buf, '#', sizeof(buf));
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "a%cb", 0), 3);
    CHECK(memcmp(buf, "a\0b\0##", 6) == 0);
}

/* --- truncation ------------------------------------------------------------------------------ */

static void truncation_returns_full_length(void)
{
    char buf[16];
    memset(buf, '#', sizeof(buf));
    CHECK_EQ(fmt_snprintf(buf, 5, "%s world", "hello"), 11);
    CHECK(memcmp(buf, "hell\0#", 6) == 0); /* NUL at size - 1, nothing written after it */

    memset(buf, '#', sizeof(buf));
    CHECK_EQ(fmt_snprintf(buf, 6, "%d", 123456), 6); /* one short: last digit dropped */
    CHECK(memcmp(buf, "12345\0#", 7) == 0);

    memset(buf, '#', sizeof(buf));
    CHECK_EQ(fmt_snprintf(buf, 7, "%d", 123456), 6); /* exact fit */
    CHECK(memcmp(buf, "123456\0#", 8) == 0);

    memset(buf, '#', sizeof(buf));
    CHECK_EQ(fmt_snprintf(buf, 1, "%05d", -42), 5); /* room for the NUL only */
    CHECK(memcmp(buf, "\0#", 2) == 0);

    memset(buf, '#', sizeof(buf));
    CHECK_EQ(fmt_snprintf(buf, 3, "[%-6s]", "ab"), 8); /* cut inside the padding */
    CHECK(memcmp(buf, "[a\0#", 4) == 0);
}

static void size_zero_writes_nothing(void)
{
    char buf[8];
    memset(buf, '#', sizeof(buf));
    CHECK_EQ(fmt_snprintf(buf, 0, "%s=%d", "answer", 42), 9);
    CHECK(memcmp(buf, "########", 8) == 0);
    CHECK_EQ(fmt_snprintf(NULL, 0, "%lu", ULONG_MAX), 20); /* measuring, as with snprintf */
}

/* --- malformed formats ----------------------------------------------------------------------- */

/* The format attribute would (rightly) refuse these at compile time. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"

static void unknown_conversion_printed_verbatim(void)
{
    char buf[32];
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%q"), 2);
    CHECK_STR(buf, "%q");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "a%qb"), 4);
    CHECK_STR(buf, "a%qb");
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "[%-5lq]"), 7);
    CHECK_STR(buf, "[%-5lq]");
    /* an unknown conversion takes no argument, so the next one gets it */
    CHECK_EQ(fmt_snprintf(buf, sizeof(buf), "%q %d", 7), 4);
    CHECK_STR(buf, "%q 7");
}

/* f is copied to a heap block of exactly its size, so reading past its NUL trips ASan. */
static int format_exact(char *buf, size_t size, const char *f)
{
    size_t n = strlen(f) + 1;
    char *copy = malloc(n);

    if (!copy)
        abort();
    memcpy(copy, f, n);
    int len = fmt_snprintf(buf, size, copy, 1, 2, 3);
    free(copy);
    return len;
}

static void trailing_percent_stops_at_end(void)
{
    char buf[32];
    memset(buf, '#', sizeof(buf));
    CHECK_EQ(format_exact(buf, sizeof(buf), "abc%"), 4);
    CHECK(memcmp(buf, "abc%\0#", 6) == 0);
    CHECK_EQ(format_exact(buf, sizeof(buf), "%"), 1);
    CHECK_STR(buf, "%");
    CHECK_EQ(format_exact(buf, sizeof(buf), "x%-07"), 5);
    CHECK_STR(buf, "x%-07");
    CHECK_EQ(format_exact(buf, sizeof(buf), "%d%ll"), 4);
    CHECK_STR(buf, "1%ll");
}

#pragma GCC diagnostic pop

/* --- fmt_vformat with a caller's sink -------------------------------------------------------- */

struct sink {
    char buf[64];
    int calls;
};

static void sink_putc(char c, void *ctx)
{
    struct sink *s = ctx;

    if (s->calls < (int)sizeof(s->buf) - 1)
        s->buf[s->calls] = c;
    s->calls++;
}

static int to_sink(struct sink *s, const char *f, ...)
{
    va_list ap;

    va_start(ap, f);
    int n = fmt_vformat(sink_putc, s, f, ap);
    va_end(ap);
    return n;
}

static void vformat_counts_each_character(void)
{
    struct sink s = {{0}, 0};

    CHECK_EQ(to_sink(&s, "%s:%04x:%-3c|%%", "id", 0x2au, 'k'), 13);
    CHECK_EQ(s.calls, 13);
    CHECK_STR(s.buf, "id:002a:k  |%");

    struct sink empty = {{0}, 0};
    CHECK_EQ(to_sink(&empty, "%s", ""), 0);
    CHECK_EQ(empty.calls, 0);
}

int main(void)
{
    RUN("fmt", table_matches_libc);
    RUN("fmt", mixed_arguments_match_libc);
    RUN("fmt", zero_padded_negative_keeps_sign_first);
    RUN("fmt", extreme_integers);
    RUN("fmt", null_string_prints_null);
    RUN("fmt", pointer_is_plain_hex);
    RUN("fmt", nul_character_is_emitted);
    RUN("fmt", truncation_returns_full_length);
    RUN("fmt", size_zero_writes_nothing);
    RUN("fmt", unknown_conversion_printed_verbatim);
    RUN("fmt", trailing_percent_stops_at_end);
    RUN("fmt", vformat_counts_each_character);
    return CHECK_DONE();
}
