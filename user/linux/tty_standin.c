/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Weak stand-ins for the core's and the fs part's functions the terminal calls, so that the
 * server links on the tty branch before they exist. The real ones (main.c, mem.c, proc.c,
 * signal.c, fs_*.c) override these; delete this file once they are all merged.
 */
#include "tty.h"

#include <coffer/ipc.h>

#define WEAK __attribute__((weak))

WEAK struct lx_waitq lx_poll_wait;

WEAK int lx_sleep(struct lx_task *t, struct lx_waitq *q, uint64_t deadline)
{
    (void)t, (void)deadline;
    l4_cond_wait(&q->cond, &lx_lock);
    return 0;
}

WEAK void lx_wake(struct lx_waitq *q)
{
    l4_cond_broadcast(&q->cond);
}

WEAK uint64_t lx_now(void)
{
    return 0;
}

WEAK int lx_copy_in(struct lx_task *t, void *dst, uint64_t src, size_t len)
{
    (void)t, (void)dst, (void)src, (void)len;
    return -LX_EFAULT;
}

WEAK int lx_copy_out(struct lx_task *t, uint64_t dst, const void *src, size_t len)
{
    (void)t, (void)dst, (void)src, (void)len;
    return -LX_EFAULT;
}

WEAK int lx_kill_pgrp(int pgid, int sig)
{
    (void)pgid, (void)sig;
    return -LX_ESRCH;
}

WEAK struct lx_proc *lx_proc_first(void)
{
    return NULL;
}

WEAK struct lx_proc *lx_proc_find(int pid)
{
    (void)pid;
    return NULL;
}

WEAK struct l4_utcb *lx_utcb(void)
{
    return (struct l4_utcb *)L4_UTCB_MAIN;
}
