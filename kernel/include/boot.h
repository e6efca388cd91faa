/* SPDX-License-Identifier: BSD-2-Clause */
/* What the boot loader told us, in a form that does not depend on the loader. */
#ifndef KERNEL_BOOT_H
#define KERNEL_BOOT_H

#include "config.h"
#include "types.h"

#define BOOT_MAX_RANGES 32

struct boot_range {
    paddr_t base;
    uint64_t len;
};

struct boot_module {
    paddr_t start, end; /* [start, end) physical */
    char name[32];      /* file name of the module, without directory or extension */
    char args[64];      /* the rest of its command line, given to the program */
};

struct boot_info {
    struct boot_range ram[BOOT_MAX_RANGES]; /* usable RAM from the firmware map */
    unsigned nram;
    struct boot_module modules[CONFIG_MAX_BOOT_MODULES];
    unsigned nmodules;
    paddr_t reserved_end; /* highest byte of loader data (info, strings) to keep */
    char cmdline[128];
    size_t cmdline_len; /* the loader's whole command line: longer than cmdline keeps? */
};

extern struct boot_info boot_info;

/* true if the kernel command line holds word as a whole space-separated word */
bool cmdline_has(const char *word);

#endif
