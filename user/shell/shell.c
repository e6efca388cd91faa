/* SPDX-License-Identifier: BSD-2-Clause */
/* A demo for systems/shell.toml: reads typed lines from the console and echoes them back. */
#include "l4.h"

#include <coffer/ipc.h>

#define CONSOLE 16

int main(const char *arg)
{
    char line[CONSOLE_LINE_MAX + 1];
    size_t got;

    (void)arg;
    console_printf(CONSOLE, "Coffer shell demo: type a line and press Enter; 'exit' ends.\n");
    for (;;) {
        console_write(CONSOLE, "> ", 2);
        l4_err_t err = console_getline(CONSOLE, line, sizeof(line), &got);
        if (err) {
            printf("shell: read failed: %s\n", l4_strerror(err));
            break;
        }
        if (strcmp(line, "exit\n") == 0)
            break;
        console_printf(CONSOLE, "you typed %lu byte(s): %s", got, line);
    }
    l4_word_t x;
    l4_ipc_call(CONSOLE, L4_TAG(CONSOLE_STOP, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    return 0;
}
