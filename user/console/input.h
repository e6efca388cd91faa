/* SPDX-License-Identifier: BSD-2-Clause */
/* The console's input: a ring of bytes ready to read and, in line mode, the line being edited. */
#ifndef CONSOLE_INPUT_H
#define CONSOLE_INPUT_H

#include <coffer/console.h>
#include <coffer/types.h>
#include <stdbool.h>
#include <stddef.h>

struct input {
    char ring[CONSOLE_RX_SIZE];
    size_t head, count;          /* bytes ready: ring[head .. head + count), wrapping */
    char line[CONSOLE_LINE_MAX]; /* line mode: the line being typed, not yet readable */
    size_t line_len;
    l4_word_t dropped; /* bytes lost because the ring or the line was full */
    int mode;          /* CONSOLE_LINE or CONSOLE_RAW */
};

/* One byte from the UART; echo(text, len) prints what the line editor shows the typist. */
void input_byte(struct input *in, char c, void (*echo)(const char *, size_t));
/* Change the mode; a half-typed line becomes readable as it is when going raw. */
void input_set_mode(struct input *in, int mode);
/* Whether a read would return something: any byte when raw, a whole line in line mode. */
bool input_ready(const struct input *in);
/* Take at most max ready bytes (in line mode up to the first '\n'); returns how many. */
size_t input_take(struct input *in, char *out, size_t max);

#endif
