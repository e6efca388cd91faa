/* SPDX-License-Identifier: BSD-2-Clause */
/* arch_prctl: x86_64's own call, the fs and gs bases (the thread pointer is fs's). */
#include "linux.h"

#define LX_ARCH_SET_GS 0x1001
#define LX_ARCH_SET_FS 0x1002
#define LX_ARCH_GET_FS 0x1003
#define LX_ARCH_GET_GS 0x1004

long sys_arch_prctl(struct lx_task *t, const uint64_t a[6])
{
    switch (a[0]) {
    case LX_ARCH_SET_FS:
    case LX_ARCH_SET_GS:
        if (a[1] >= LX_CANONICAL_TOP)
            return -LX_EPERM;
        if (a[0] == LX_ARCH_SET_FS)
            t->regs.fs_base = a[1];
        else
            t->regs.gs_base = a[1];
        return 0;
    case LX_ARCH_GET_FS:
        return lx_copy_out(t, a[1], &t->regs.fs_base, 8);
    case LX_ARCH_GET_GS:
        return lx_copy_out(t, a[1], &t->regs.gs_base, 8);
    default:
        return -LX_EINVAL;
    }
}
