/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * SERIAL-xxx: the console server's input (tests/qemu/systems/serial.toml). The runner types
 * into the serial port after each "serialtest: ready ..." line (tests/qemu/tests.toml input).
 * "reader" owns input (badge 7); "other" (badge 8) does not, and prints while reader waits.
 */
#include "l4.h"
#include "test.h"

#include <coffer/ipc.h>

#define CONSOLE 16

static char buf[512];

static bool same(const char *got, size_t n, const char *want)
{
    return n == strlen(want) && memcmp(got, want, n) == 0;
}

/* Read raw bytes until n have come (each read returns what is there). */
static size_t read_n(size_t n)
{
    size_t have = 0, got;

    while (have < n && !console_read(CONSOLE, buf + have, n - have, 0, &got))
        have += got;
    return have;
}

static l4_word_t call_label(l4_word_t tag, l4_word_t m0)
{
    l4_word_t rtag = 0, x;
    l4_err_t err = l4_ipc_call(CONSOLE, tag, m0, 0, 0, 0, &rtag, &x, &x, &x, &x, &x);

    return err ? (l4_word_t)err + 100 : L4_TAG_LABEL(rtag); // +100: the call itself failed
}

#define HELPER 30 /* a second thread of reader's, same capability (badge 7) */

/* CONSOLE_STATUS by a plain call: the library's functions are for the first thread only. */
static l4_word_t status_word(int i)
{
    l4_word_t m[4] = {0}, x;

    l4_ipc_call(CONSOLE, L4_TAG(CONSOLE_STATUS, 0, 0), 0, 0, 0, 0, &x, &m[0], &m[1], &m[2], &m[3],
                &x);
    return m[i];
}

/* While reader's first thread waits in a read: a second read is busy, then input goes to 8. */
static long helper(l4_word_t arg)
{
    (void)arg;
    for (int i = 0; i < 5000000 && !(status_word(3) & CONSOLE_READ_WAITING); i++)
        l4_thread_yield();
    l4_word_t busy = call_label(L4_TAG(CONSOLE_READ, 2, 0), 8);
    test_report("SERIAL-011", busy == L4_EBUSY, "a second read got %lu", busy);
    l4_word_t give = call_label(L4_TAG(CONSOLE_GIVE, 1, 0), 8);
    if (give != L4_OK)
        printf("serialtest: give failed: %lu\n", give);
    return 0;
}

static void reader(void)
{
    struct console_status st;
    size_t got;
    l4_err_t err;

    console_status(CONSOLE, &st); // the console is up before the runner types
    printf("serialtest: ready line\n");
    err = console_getline(CONSOLE, buf, sizeof(buf), &got);
    test_report("SERIAL-001", !err && same(buf, got, "hello\n"), "%s, %lu bytes '%s'",
                l4_strerror(err), got, buf);
    printf("serialtest: ready edit\n");
    err = console_getline(CONSOLE, buf, sizeof(buf), &got);
    test_report("SERIAL-002", !err && same(buf, got, "helo\n"), "%s, %lu bytes '%s'",
                l4_strerror(err), got, buf);
    err = console_read(CONSOLE, buf, sizeof(buf), CONSOLE_NONBLOCK, &got);
    test_report("SERIAL-003", !err && got == 0, "%s, %lu bytes", l4_strerror(err), got);

    err = console_set_mode(CONSOLE, CONSOLE_RAW);
    printf("serialtest: ready raw\n");
    size_t n = read_n(5);
    test_report("SERIAL-004",
                !err && same(buf, n,
                             "a\x7f"
                             "b\rc"),
                "%s, %lu bytes", l4_strerror(err), n);

    /* a full ring: 300 bytes come while nobody reads; the last 44 are dropped and counted */
    console_status(CONSOLE, &st);
    l4_word_t dropped = st.dropped;
    printf("serialtest: ready full\n");
    for (int i = 0; i < 2000000 && st.buffered + st.dropped - dropped < 300; i++) {
        l4_thread_yield();
        console_status(CONSOLE, &st);
    }
    n = read_n(CONSOLE_RX_SIZE);
    bool all_x = n == CONSOLE_RX_SIZE;
    for (size_t i = 0; i < n; i++)
        all_x = all_x && buf[i] == 'x';
    err = console_read(CONSOLE, buf, sizeof(buf), CONSOLE_NONBLOCK, &got);
    test_report("SERIAL-005",
                st.buffered == CONSOLE_RX_SIZE && st.dropped - dropped == 300 - CONSOLE_RX_SIZE &&
                    all_x && !err && got == 0,
                "buffered %lu, dropped %lu, read %lu, then %lu", st.buffered, st.dropped - dropped,
                n, got);

    /* malformed requests get an error reply, and the server goes on */
    bool ok = call_label(L4_TAG(99, 0, 0), 0) == L4_ENOSYS &&
              call_label(L4_TAG(CONSOLE_READ, 2, 0), 0) == L4_EINVAL &&           // 0 bytes
              call_label(L4_TAG(CONSOLE_READ, 1, 0), 10) == L4_EINVAL &&          // no flags word
              call_label(L4_TAG(CONSOLE_MODE, 1, 0), 7) == L4_EINVAL &&           // no such mode
              call_label(L4_TAG(CONSOLE_WRITE, 0, 0), 0) == L4_EINVAL &&          // no text
              call_label(L4_TAG(CONSOLE_STATUS, 3, 0), 0) == L4_EINVAL &&         // extra words
              console_read(CONSOLE, buf, L4_EXT_MAX + 1, 0, &got) == L4_EINVAL && // too much
              console_read(CONSOLE, buf, 8, 2, &got) == L4_EINVAL &&              // unknown flag
              console_status(CONSOLE, &st) == L4_OK;
    test_report("SERIAL-006", ok, "a malformed request was not refused as documented");

    /* only badge 8 (the console's "stop=8") may stop it: the owner of input may not */
    l4_word_t stop = call_label(L4_TAG(CONSOLE_STOP, 0, 0), 0);
    err = console_write(CONSOLE, "reader: the console still serves\n", 33);
    test_report("SERIAL-010", stop == L4_ERIGHTS && !err && console_status(CONSOLE, &st) == L4_OK,
                "stop %lu, then write %s", stop, l4_strerror(err));

    /* back to line mode and wait for a line; the helper thread's read meanwhile is refused
     * (one read waits at a time), then it gives input to "other", which ends this read */
    console_set_mode(CONSOLE, CONSOLE_LINE);
    err = l4_thread_spawn(helper, 0, 100, HELPER);
    err = err ? err : console_getline(CONSOLE, buf, sizeof(buf), &got);
    test_report("SERIAL-012", err == L4_ERIGHTS, "the read ended with %s", l4_strerror(err));
    err = console_read(CONSOLE, buf, 8, CONSOLE_NONBLOCK, &got);
    test_report("SERIAL-013",
                err == L4_ERIGHTS && console_status(CONSOLE, &st) == L4_OK && st.owner == 8,
                "the old owner's read: %s, owner %lu", l4_strerror(err), st.owner);
    printf("serialtest: ready new owner\n"); // the runner types a line for "other"
    for (int i = 0; i < 5000000 && (console_status(CONSOLE, &st) || st.owner != 7); i++)
        l4_thread_yield(); // "other" reads its line and gives input back

    /* then wait for a line that never comes: "other" prints meanwhile and then stops the
     * console, which ends this read */
    printf("serialtest: reader waits\n");
    err = console_getline(CONSOLE, buf, sizeof(buf), &got);
    test_report("SERIAL-008", err == L4_ESTATE, "the endless read ended with %s", l4_strerror(err));
}

static void other(void)
{
    struct console_status st = {0};
    size_t got;

    /* reader's helper gives input to this client (badge 8): it reads what is typed next */
    for (int i = 0; i < 5000000 && (console_status(CONSOLE, &st) || st.owner != 8); i++)
        l4_thread_yield();
    l4_err_t e = console_getline(CONSOLE, buf, sizeof(buf), &got);
    test_report("SERIAL-014", !e && same(buf, got, "mine\n"), "%s, %lu bytes '%s'", l4_strerror(e),
                got, buf);
    e = console_give(CONSOLE, 7);
    test_report("SERIAL-015", e == L4_OK, "giving input back: %s", l4_strerror(e));

    /* wait (bounded) until the owner sits in its endless read (the last one: after the full
     * ring, in line mode: no echo of typed text can mix with these lines), then print past it */
    for (int i = 0; i < 5000000; i++) {
        console_status(CONSOLE, &st);
        if ((st.flags & CONSOLE_READ_WAITING) && !(st.flags & CONSOLE_RAW_MODE) && st.owner == 7)
            break;
        l4_thread_yield();
    }
    l4_err_t r = console_read(CONSOLE, buf, 8, CONSOLE_NONBLOCK, &got);
    l4_err_t m = console_set_mode(CONSOLE, CONSOLE_RAW);
    l4_err_t g = console_give(CONSOLE, 8);
    test_report("SERIAL-007", r == L4_ERIGHTS && m == L4_ERIGHTS && g == L4_ERIGHTS,
                "read %s, mode %s, give %s", l4_strerror(r), l4_strerror(m), l4_strerror(g));
    l4_err_t w = console_write(CONSOLE, "other: printed while the owner waits\n", 37);
    test_report("SERIAL-009", w == L4_OK && (st.flags & CONSOLE_READ_WAITING), "write %s",
                l4_strerror(w));
    l4_word_t x;
    l4_ipc_call(CONSOLE, L4_TAG(CONSOLE_STOP, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
}

int main(const char *arg)
{
    if (strcmp(arg, "reader") == 0)
        reader();
    else
        other();
    printf("serialtest: %s done\n", arg);
    return 0;
}
