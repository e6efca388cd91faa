/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * poll, ppoll, select, pselect6. A poller may wait on many files at once, so it sleeps on
 * one queue, lx_poll_wait, that every change of any file's readiness wakes (pipes here, the
 * terminal in tty.c), and looks at all its files again.
 */
#include "fs_impl.h"

struct lx_waitq lx_poll_wait;

#define NS 1000000000ull

struct pollfd_ {
    int32_t fd;
    int16_t events, revents;
};

/* Sleep on lx_poll_wait until ready() says something is, the deadline passes (0: none;
 * no_wait: do not sleep at all) or a signal comes: ready()'s count, or -EINTR. */
static long wait_ready(struct lx_task *t, uint64_t deadline, bool no_wait,
                       long (*ready)(struct lx_task *, void *), void *ctx)
{
    for (;;) {
        long n = ready(t, ctx);
        if (n || no_wait || (deadline && lx_now() >= deadline))
            return n;
        int r = lx_sleep(t, &lx_poll_wait, deadline);
        if (r == -LX_EINTR)
            return -LX_EINTR;
        if (r == -LX_ETIMEDOUT)
            return ready(t, ctx);
    }
}

struct poll_ctx {
    struct pollfd_ *fds;
    uint64_t n;
};

static long poll_ready(struct lx_task *t, void *ctx)
{
    struct poll_ctx *c = ctx;
    long ready = 0;
    for (uint64_t i = 0; i < c->n; i++) {
        struct pollfd_ *p = &c->fds[i];
        p->revents = 0;
        if (p->fd < 0)
            continue;
        struct lx_file *f = lx_fd_get(t, p->fd);
        if (!f) {
            p->revents = LX_POLLNVAL;
        } else {
            unsigned m = lx_file_poll(f);
            p->revents = (int16_t)(m & ((uint16_t)p->events | LX_POLLERR | LX_POLLHUP));
            lx_file_put(f);
        }
        ready += p->revents != 0;
    }
    return ready;
}

/* The deadline timeout_ns from now (0: none; saturates far in the future). */
static uint64_t deadline_in(uint64_t timeout_ns)
{
    uint64_t now = lx_now();
    return timeout_ns > ~0ull - now ? 0 : now + timeout_ns + !(now + timeout_ns);
}

/* Take the signal mask a ppoll/pselect6 waits with: 0, or -EINVAL / -EFAULT. */
static int swap_mask(struct lx_task *t, uint64_t umask, uint64_t size, uint64_t *saved)
{
    *saved = t->sigmask;
    if (!umask)
        return 0;
    if (size != 8)
        return -LX_EINVAL;
    uint64_t mask;
    if (lx_copy_in(t, &mask, umask, sizeof mask))
        return -LX_EFAULT;
    t->sigmask = mask & ~((1ull << (9 - 1)) | (1ull << (19 - 1))); /* never SIGKILL, SIGSTOP */
    return 0;
}

/* A timespec from user memory in ns: -EFAULT, or -EINVAL when out of range. */
static int timespec_in(struct lx_task *t, uint64_t uts, uint64_t *ns)
{
    int64_t ts[2];
    if (lx_copy_in(t, ts, uts, sizeof ts))
        return -LX_EFAULT;
    if (ts[0] < 0 || ts[1] < 0 || ts[1] >= (int64_t)NS)
        return -LX_EINVAL;
    *ns = (uint64_t)ts[0] > (~0ull - (uint64_t)ts[1]) / NS ? ~0ull
                                                           : (uint64_t)ts[0] * NS + (uint64_t)ts[1];
    return 0;
}

/* What is left of a timeout, for ppoll/select to write back. */
static uint64_t left(uint64_t deadline)
{
    uint64_t now = lx_now();
    return deadline > now ? deadline - now : 0;
}

static long do_poll(struct lx_task *t, uint64_t ufds, uint64_t nfds, uint64_t timeout_ns,
                    bool forever, uint64_t *deadline)
{
    if (nfds > LX_FD_MAX)
        return -LX_EINVAL;
    struct poll_ctx c = {.fds = lx_alloc(nfds * sizeof(struct pollfd_) + 1), .n = nfds};
    if (!c.fds)
        return -LX_ENOMEM;
    long r = 0;
    if (lx_copy_in(t, c.fds, ufds, nfds * sizeof(struct pollfd_)))
        r = -LX_EFAULT;
    *deadline = forever ? 0 : deadline_in(timeout_ns);
    if (!r)
        r = wait_ready(t, *deadline, !forever && timeout_ns == 0, poll_ready, &c);
    if (r >= 0 && lx_copy_out(t, ufds, c.fds, nfds * sizeof(struct pollfd_)))
        r = -LX_EFAULT;
    lx_free(c.fds);
    return r;
}

long sys_poll(struct lx_task *t, const uint64_t a[6])
{
    int ms = (int)a[2];
    uint64_t deadline;
    return do_poll(t, a[0], a[1], ms < 0 ? 0 : (uint64_t)ms * 1000000, ms < 0, &deadline);
}

long sys_ppoll(struct lx_task *t, const uint64_t a[6])
{
    uint64_t ns = 0, saved, deadline;
    int err = a[2] ? timespec_in(t, a[2], &ns) : 0;
    if (!err)
        err = swap_mask(t, a[3], a[4], &saved);
    if (err)
        return err;
    long r = do_poll(t, a[0], a[1], ns, !a[2], &deadline);
    t->sigmask = saved;
    if (a[2] && r != -LX_EFAULT) {
        uint64_t rest = deadline ? left(deadline) : 0;
        int64_t ts[2] = {(int64_t)(rest / NS), (int64_t)(rest % NS)};
        lx_copy_out(t, a[2], ts, sizeof ts); /* as Linux: a failure here is not reported */
    }
    return r;
}

struct select_ctx {
    int nfds;
    uint64_t in[3][LX_FD_MAX / 64];  /* read, write, except: asked */
    uint64_t out[3][LX_FD_MAX / 64]; /* ready */
};

static long select_ready(struct lx_task *t, void *ctx)
{
    struct select_ctx *c = ctx;
    long ready = 0;
    memset(c->out, 0, sizeof c->out);
    for (int fd = 0; fd < c->nfds; fd++) {
        uint64_t bit = 1ull << (fd % 64);
        int w = fd / 64;
        if (!((c->in[0][w] | c->in[1][w] | c->in[2][w]) & bit))
            continue;
        struct lx_file *f = lx_fd_get(t, fd);
        if (!f)
            return -LX_EBADF;
        unsigned m = lx_file_poll(f);
        lx_file_put(f);
        bool is[3] = {m & (LX_POLLIN | LX_POLLHUP | LX_POLLERR), m & (LX_POLLOUT | LX_POLLERR),
                      m & LX_POLLPRI};
        for (int k = 0; k < 3; k++)
            if (is[k] && (c->in[k][w] & bit)) {
                c->out[k][w] |= bit;
                ready++;
            }
    }
    return ready;
}

static long do_select(struct lx_task *t, const uint64_t a[6], uint64_t ns, bool forever,
                      uint64_t *deadline)
{
    if ((int)a[0] < 0)
        return -LX_EINVAL;
    struct select_ctx *c = lx_zalloc(sizeof *c);
    if (!c)
        return -LX_ENOMEM;
    c->nfds = (int)a[0] > LX_FD_MAX ? LX_FD_MAX : (int)a[0]; /* as Linux: past the table */
    size_t bytes = ((size_t)c->nfds + 63) / 64 * 8;
    long r = 0;
    for (int k = 0; k < 3 && !r; k++)
        if (a[1 + k] && lx_copy_in(t, c->in[k], a[1 + k], bytes))
            r = -LX_EFAULT;
    *deadline = forever ? 0 : deadline_in(ns);
    if (!r)
        r = wait_ready(t, *deadline, !forever && ns == 0, select_ready, c);
    for (int k = 0; k < 3 && r >= 0; k++)
        if (a[1 + k] && lx_copy_out(t, a[1 + k], c->out[k], bytes))
            r = -LX_EFAULT;
    lx_free(c);
    return r;
}

long sys_select(struct lx_task *t, const uint64_t a[6])
{
    uint64_t ns = 0, deadline;
    int64_t tv[2];
    if (a[4]) {
        if (lx_copy_in(t, tv, a[4], sizeof tv))
            return -LX_EFAULT;
        if (tv[0] < 0 || tv[1] < 0)
            return -LX_EINVAL;
        /* Linux carries whole seconds out of tv_usec */
        uint64_t sec = (uint64_t)tv[0] + (uint64_t)tv[1] / 1000000;
        ns = sec > ~0ull / NS - 1 ? ~0ull : sec * NS + (uint64_t)tv[1] % 1000000 * 1000;
    }
    long r = do_select(t, a, ns, !a[4], &deadline);
    if (a[4] && r != -LX_EFAULT) {
        uint64_t rest = deadline ? left(deadline) : 0;
        tv[0] = (int64_t)(rest / NS);
        tv[1] = (int64_t)(rest % NS / 1000);
        lx_copy_out(t, a[4], tv, sizeof tv);
    }
    return r;
}

long sys_pselect6(struct lx_task *t, const uint64_t a[6])
{
    uint64_t ns = 0, saved, deadline, sig[2] = {0, 0};
    int err = a[4] ? timespec_in(t, a[4], &ns) : 0;
    if (!err && a[5] && lx_copy_in(t, sig, a[5], sizeof sig))
        err = -LX_EFAULT;
    if (!err)
        err = swap_mask(t, sig[0], sig[1], &saved);
    if (err)
        return err;
    long r = do_select(t, a, ns, !a[4], &deadline);
    t->sigmask = saved;
    if (a[4] && r != -LX_EFAULT) {
        uint64_t rest = deadline ? left(deadline) : 0;
        int64_t ts[2] = {(int64_t)(rest / NS), (int64_t)(rest % NS)};
        lx_copy_out(t, a[4], ts, sizeof ts);
    }
    return r;
}
