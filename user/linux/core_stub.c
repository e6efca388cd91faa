/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TEMPORARY (branch lx-sig only; delete when merging with the core): the core's functions
 * that signal.c, time.c, futex.c and misc.c call, so that the server links before the core
 * lands. Each fails safely: no process exists and no user memory can be reached.
 */
#include "linux.h"

int lx_sleep(struct lx_task *t, struct lx_waitq *q, uint64_t deadline)
{
    (void)t, (void)q, (void)deadline;
    return -LX_EINTR;
}

void lx_wake(struct lx_waitq *q)
{
    (void)q;
}

uint64_t lx_now(void)
{
    return 0;
}

uint64_t lx_wall(void)
{
    return 0;
}

int lx_copy_in(struct lx_task *t, void *dst, uint64_t src, size_t len)
{
    (void)t, (void)dst, (void)src, (void)len;
    return -LX_EFAULT;
}

int lx_copy_out(struct lx_task *t, uint64_t dst, const void *src, size_t len)
{
    (void)t, (void)dst, (void)src, (void)len;
    return -LX_EFAULT;
}

void *lx_alloc(size_t size)
{
    (void)size;
    return NULL;
}

void *lx_zalloc(size_t size)
{
    (void)size;
    return NULL;
}

void lx_free(void *p)
{
    (void)p;
}

struct lx_proc *lx_proc_find(int pid)
{
    (void)pid;
    return NULL;
}

struct lx_proc *lx_proc_first(void)
{
    return NULL;
}

void lx_proc_exit(struct lx_proc *p, int status)
{
    (void)p, (void)status;
}

void lx_task_kick(struct lx_task *t)
{
    (void)t;
}

void lx_clock_kick(void)
{
}
