/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC-087's two sides (ntfspace.c): "ntfping" and "ntfpong". */
#ifndef IPCTEST_NTFSPACE_H
#define IPCTEST_NTFSPACE_H

int ntfspace_main(const char *arg);

#endif
