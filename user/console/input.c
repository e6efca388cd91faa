/* SPDX-License-Identifier: BSD-2-Clause */
/* The line discipline: pure code over struct input, no system calls, so the rules are plain. */
#include "input.h"

/* A full ring drops the new byte and counts it: what a reader has not taken yet came first. */
static void push(struct input *in, char c)
{
    if (in->count == CONSOLE_RX_SIZE) {
        in->dropped++;
        return;
    }
    in->ring[(in->head + in->count++) % CONSOLE_RX_SIZE] = c;
}

static void commit_line(struct input *in)
{
    for (size_t i = 0; i < in->line_len; i++)
        push(in, in->line[i]);
    in->line_len = 0;
}

void input_byte(struct input *in, char c, void (*echo)(const char *, size_t))
{
    if (in->mode == CONSOLE_RAW) {
        push(in, c);
        return;
    }
    if (c == '\r' || c == '\n') {        // Enter (a terminal sends '\r') ends the line as '\n'
        in->line[in->line_len++] = '\n'; // room kept: ordinary bytes stop one short
        echo("\r\n", 2);
        commit_line(in);
    } else if (c == 0x7f || c == '\b') { // DEL or backspace erases the last byte typed
        if (in->line_len) {
            in->line_len--;
            echo("\b \b", 3);
        }
    } else if (in->line_len < CONSOLE_LINE_MAX - 1) {
        in->line[in->line_len++] = c;
        echo(&c, 1);
    } else {
        in->dropped++; // the line is full: only Enter or an erase is taken
    }
}

void input_set_mode(struct input *in, int mode)
{
    if (mode == CONSOLE_RAW)
        commit_line(in);
    in->mode = mode;
}

static char at(const struct input *in, size_t i)
{
    return in->ring[(in->head + i) % CONSOLE_RX_SIZE];
}

bool input_ready(const struct input *in)
{
    if (in->mode == CONSOLE_RAW || in->count == CONSOLE_RX_SIZE)
        return in->count > 0; // a full ring is readable in any mode, or a reader could starve
    for (size_t i = 0; i < in->count; i++)
        if (at(in, i) == '\n')
            return true;
    return false;
}

size_t input_take(struct input *in, char *out, size_t max)
{
    size_t n = 0;

    while (n < max && n < in->count) {
        char c = at(in, n);
        out[n++] = c;
        if (c == '\n' && in->mode == CONSOLE_LINE)
            break;
    }
    in->head = (in->head + n) % CONSOLE_RX_SIZE;
    in->count -= n;
    return n;
}
