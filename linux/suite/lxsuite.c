// SPDX-License-Identifier: BSD-2-Clause
/*
 * lxsuite: the POSIX/Linux conformance suite of Coffer's Linux personality, a static musl
 * program that runs on Linux and in Coffer alike (docs/linux-suite.md).
 *   lxsuite [ID | FROM-TO]...   the tests given, or all; one "TEST LINUX-NNN ..." line each
 */
#include "t.h"

extern const struct t_area proc_area, signal_area, mem_area, file_area, dir_area, fd_area,
    pipe_area, image_area, tty_area, time_area, poll_area, thread_area;

int main(int argc, char **argv)
{
    static const struct t_area *const areas[] = {
        &proc_area,  &signal_area, &mem_area,  &file_area, &dir_area,    &fd_area, &pipe_area,
        &image_area, &tty_area,    &time_area, &poll_area, &thread_area, NULL};
    return t_main("lxsuite", areas, argc, argv);
}
