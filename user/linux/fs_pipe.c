/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pipes: a ring of LX_PIPE_SIZE bytes between a read end and a write end. A write of at
 * most PIPE_BUF bytes goes in whole or not at all (POSIX); a longer one goes in as room
 * comes. The ring is allocated at the first write, so that idle pipes cost little.
 */
#include "fs_impl.h"

struct lx_pipe {
    uint8_t *buf;         /* LX_PIPE_SIZE bytes, or NULL before the first write */
    uint32_t head, count; /* the first unread byte, the number unread */
    int readers, writers; /* open descriptions of each end */
    uint64_t ino;
    struct lx_waitq wait; /* readers and writers waiting for each other */
};

static uint64_t next_ino = 1;

int lx_pipe_new(struct lx_file **rd, struct lx_file **wr)
{
    struct lx_pipe *p = lx_zalloc(sizeof *p);
    struct lx_file *r = lx_file_new(NULL, LX_O_RDONLY);
    struct lx_file *w = lx_file_new(NULL, LX_O_WRONLY);
    if (!p || !r || !w) {
        lx_free(p);
        lx_free(r);
        lx_free(w);
        return -LX_ENOMEM;
    }
    p->ino = next_ino++;
    p->readers = p->writers = 1;
    r->pipe = w->pipe = p;
    w->pipe_writer = true;
    *rd = r;
    *wr = w;
    return 0;
}

static void changed(struct lx_pipe *p)
{
    lx_wake(&p->wait);
    lx_wake(&lx_poll_wait);
}

void lx_pipe_close(struct lx_pipe *p, bool writer)
{
    if (writer)
        p->writers--;
    else
        p->readers--;
    changed(p);
    if (p->readers == 0 && p->writers == 0) {
        lx_free(p->buf);
        lx_free(p);
    }
}

long lx_pipe_read(struct lx_task *t, struct lx_file *f, void *buf, size_t len, bool nonblock)
{
    struct lx_pipe *p = f->pipe;
    if (len == 0)
        return 0;
    while (p->count == 0) {
        if (p->writers == 0)
            return 0;
        if (nonblock)
            return -LX_EAGAIN;
        if (lx_sleep(t, &p->wait, 0) == -LX_EINTR)
            return -LX_EINTR;
    }
    size_t n = len < p->count ? len : p->count;
    uint8_t *out = buf;
    for (size_t done = 0; done < n;) {
        size_t step = LX_PIPE_SIZE - p->head; /* up to the ring's end */
        if (step > n - done)
            step = n - done;
        memcpy(out + done, p->buf + p->head, step);
        p->head = (p->head + step) % LX_PIPE_SIZE;
        done += step;
    }
    p->count -= n;
    changed(p);
    return (long)n;
}

/* Put n bytes (n <= the room) at the ring's tail. */
static void put(struct lx_pipe *p, const uint8_t *in, size_t n)
{
    for (size_t done = 0; done < n;) {
        size_t tail = (p->head + p->count) % LX_PIPE_SIZE;
        size_t step = LX_PIPE_SIZE - tail;
        if (step > n - done)
            step = n - done;
        memcpy(p->buf + tail, in + done, step);
        p->count += step;
        done += step;
    }
}

long lx_pipe_write(struct lx_task *t, struct lx_file *f, const void *buf, size_t len, bool atomic)
{
    struct lx_pipe *p = f->pipe;
    bool nonblock = f->flags & LX_O_NONBLOCK;
    size_t done = 0;
    if (len == 0)
        return 0;
    if (!p->buf && !(p->buf = lx_alloc(LX_PIPE_SIZE)))
        return -LX_ENOMEM;
    for (;;) {
        if (p->readers == 0) {
            if (done)
                return (long)done;
            lx_kill_proc(t->proc, 13 /* SIGPIPE */);
            return -LX_EPIPE;
        }
        size_t room = LX_PIPE_SIZE - p->count;
        if (room > 0 && (!atomic || room >= len)) {
            size_t n = len - done < room ? len - done : room;
            put(p, (const uint8_t *)buf + done, n);
            done += n;
            changed(p);
            if (done == len)
                return (long)done;
            continue;
        }
        if (nonblock)
            return done ? (long)done : -LX_EAGAIN;
        if (lx_sleep(t, &p->wait, 0) == -LX_EINTR)
            return done ? (long)done : -LX_EINTR;
    }
}

unsigned lx_pipe_poll(struct lx_file *f)
{
    struct lx_pipe *p = f->pipe;
    unsigned m = 0;
    if (f->pipe_writer) {
        if (LX_PIPE_SIZE - p->count >= LX_PIPE_BUF)
            m |= LX_POLLOUT | LX_POLLWRNORM;
        if (p->readers == 0)
            m |= LX_POLLERR;
    } else {
        if (p->count)
            m |= LX_POLLIN | LX_POLLRDNORM;
        if (p->writers == 0)
            m |= LX_POLLHUP;
    }
    return m;
}

uint64_t lx_pipe_ino(struct lx_pipe *p)
{
    return p->ino;
}

uint32_t lx_pipe_unread(struct lx_pipe *p)
{
    return p->count;
}
