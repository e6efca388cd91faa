/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the console's line discipline (user/console/input.c). */
// uses: -Iuser/console user/console/input.c
#include "check.h"
#include "input.h"

#include <string.h>

static char echoed[1024]; /* what the line editor showed the typist */
static size_t echoed_len;

static void echo(const char *text, size_t n)
{
    memcpy(echoed + echoed_len, text, n);
    echoed_len += n;
}

static void type(struct input *in, const char *text)
{
    for (; *text; text++)
        input_byte(in, *text, echo);
}

static struct input fresh(int mode)
{
    echoed_len = 0;
    return (struct input){.mode = mode};
}

/* Take what is ready (one read) as a NUL-terminated string. */
static const char *take(struct input *in)
{
    static char out[CONSOLE_RX_SIZE + 1];
    size_t n = input_take(in, out, CONSOLE_RX_SIZE);
    out[n] = 0;
    return out;
}

static void line_mode_echoes_and_erases(void)
{
    struct input in = fresh(CONSOLE_LINE);
    type(&in, "helx\x7fo");
    CHECK(!input_ready(&in)); // no Enter yet: nothing readable
    CHECK_EQ(in.count, 0);
    type(&in, "\r");
    CHECK(input_ready(&in));
    CHECK(strcmp(take(&in), "helo\n") == 0);
    CHECK(echoed_len == 10 && memcmp(echoed, "helx\b \bo\r\n", 10) == 0);
    CHECK(!input_ready(&in));
}

static void erase_of_nothing_is_silent(void)
{
    struct input in = fresh(CONSOLE_LINE);
    type(&in, "\b\x7f");
    CHECK_EQ(echoed_len, 0);
    CHECK_EQ(in.line_len, 0);
}

static void a_read_returns_one_line(void)
{
    struct input in = fresh(CONSOLE_LINE);
    type(&in, "one\ntwo\r");
    CHECK(strcmp(take(&in), "one\n") == 0);
    CHECK(strcmp(take(&in), "two\n") == 0);
    CHECK_EQ(in.count, 0);
}

static void raw_mode_takes_every_byte_without_echo(void)
{
    struct input in = fresh(CONSOLE_RAW);
    type(&in, "a\x7f"
              "b\rc");
    CHECK_EQ(echoed_len, 0);
    CHECK(input_ready(&in));
    CHECK(strcmp(take(&in), "a\x7f"
                            "b\rc") == 0);
}

static void going_raw_makes_the_line_readable(void)
{
    struct input in = fresh(CONSOLE_LINE);
    type(&in, "half");
    input_set_mode(&in, CONSOLE_RAW);
    CHECK_EQ(in.line_len, 0);
    CHECK(strcmp(take(&in), "half") == 0);
}

static void a_full_ring_drops_new_bytes_and_counts_them(void)
{
    struct input in = fresh(CONSOLE_RAW);
    for (int i = 0; i < CONSOLE_RX_SIZE; i++)
        input_byte(&in, 'a', echo);
    for (int i = 0; i < 10; i++)
        input_byte(&in, 'z', echo); // no room: dropped, the 'a's stay
    CHECK_EQ(in.count, CONSOLE_RX_SIZE);
    CHECK_EQ(in.dropped, 10);
    const char *got = take(&in);
    CHECK_EQ(strlen(got), CONSOLE_RX_SIZE);
    for (int i = 0; i < CONSOLE_RX_SIZE; i++)
        CHECK(got[i] == 'a');
}

static void a_full_ring_is_readable_in_line_mode(void)
{
    struct input in = fresh(CONSOLE_LINE);
    for (int i = 0; i < 3; i++) {
        for (int j = 0; j < 100; j++)
            input_byte(&in, 'x', echo);
        input_byte(&in, '\r', echo);
    }
    CHECK_EQ(in.count, CONSOLE_RX_SIZE); // 303 committed, 47 dropped
    CHECK_EQ(in.dropped, 3 * 101 - CONSOLE_RX_SIZE);
    CHECK(input_ready(&in));
}

static void a_full_line_takes_only_enter_or_erase(void)
{
    struct input in = fresh(CONSOLE_LINE);
    for (int i = 0; i < CONSOLE_LINE_MAX + 5; i++)
        input_byte(&in, 'y', echo);
    CHECK_EQ(in.line_len, CONSOLE_LINE_MAX - 1);
    CHECK_EQ(in.dropped, 6);
    type(&in, "\x7fz\r"); // an erase makes room for one more
    const char *got = take(&in);
    CHECK_EQ(strlen(got), CONSOLE_LINE_MAX);
    CHECK(got[CONSOLE_LINE_MAX - 2] == 'z' && got[CONSOLE_LINE_MAX - 1] == '\n');
}

static void the_ring_wraps(void)
{
    struct input in = fresh(CONSOLE_RAW);
    char out[CONSOLE_RX_SIZE];
    for (int i = 0; i < 200; i++)
        input_byte(&in, 'p', echo);
    CHECK_EQ(input_take(&in, out, 200), 200);
    type(&in, "wrapping around the end");
    CHECK(strcmp(take(&in), "wrapping around the end") == 0);
    CHECK_EQ(in.dropped, 0);
}

int main(void)
{
    RUN("console_input", line_mode_echoes_and_erases);
    RUN("console_input", erase_of_nothing_is_silent);
    RUN("console_input", a_read_returns_one_line);
    RUN("console_input", raw_mode_takes_every_byte_without_echo);
    RUN("console_input", going_raw_makes_the_line_readable);
    RUN("console_input", a_full_ring_drops_new_bytes_and_counts_them);
    RUN("console_input", a_full_ring_is_readable_in_line_mode);
    RUN("console_input", a_full_line_takes_only_enter_or_erase);
    RUN("console_input", the_ring_wraps);
    return CHECK_DONE();
}
