/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Pipes: a ring of LX_PIPE_SIZE bytes between a read end and a write end. A write of at
 * most PIPE_BUF bytes goes in whole or not at all (POSIX); a longer one goes in as room
 * comes. The ring is allocated at the first write, so that idle pipes cost little.
 *
 * Rings come from the server's heap, whose frames are those every process was promised at
 * mmap time (vma.c keeps only a quarter of the region back): uncounted, twenty processes of
 * 126 full pipes each took 160 MiB and a process died for a page it had been promised
 * (linux/attack/pipehog.c). So all rings together get LX_PIPE_QUOTA bytes, as Linux's
 * pipe-user-pages limits do for one user (here everyone is one user): past half of it a new
 * ring is one page (PIPE_BUF, so small writes stay atomic), past all of it a write that needs
 * a ring gets ENOMEM, Linux's answer when a pipe cannot get a page.
 */
#include "fs_impl.h"

struct lx_pipe {
    uint8_t *buf;         /* size bytes, or NULL before the first write */
    uint32_t size;        /* the ring's bytes (LX_PIPE_SIZE until it is allocated) */
    uint32_t head, count; /* the first unread byte, the number unread */
    int readers, writers; /* open descriptions of each end */
    uint64_t ino;
    struct lx_waitq wait; /* readers and writers waiting for each other */
};

static uint64_t next_ino = 1;
static uint64_t rings_used; /* bytes of every ring allocated (LX_PIPE_QUOTA) */

/* Give p its ring, as large as the quota allows: 0 or -ENOMEM. */
static int ring_alloc(struct lx_pipe *p)
{
    uint32_t size = rings_used < LX_PIPE_QUOTA / 2 ? LX_PIPE_SIZE : LX_PIPE_BUF;
    if (size > LX_PIPE_QUOTA - rings_used || !(p->buf = lx_alloc(size)))
        return -LX_ENOMEM;
    p->size = size;
    rings_used += size;
    return 0;
}

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
    p->size = LX_PIPE_SIZE;
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
        if (p->buf)
            rings_used -= p->size; /* ring_alloc added it */
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
        size_t step = p->size - p->head; /* up to the ring's end */
        if (step > n - done)
            step = n - done;
        memcpy(out + done, p->buf + p->head, step);
        p->head = (p->head + step) % p->size;
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
        size_t tail = (p->head + p->count) % p->size;
        size_t step = p->size - tail;
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
    if (!p->buf && ring_alloc(p))
        return -LX_ENOMEM;
    for (;;) {
        if (p->readers == 0) {
            if (done)
                return (long)done;
            lx_kill_proc(t->proc, 13 /* SIGPIPE */);
            return -LX_EPIPE;
        }
        size_t room = p->size - p->count;
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
        if (p->size - p->count >= LX_PIPE_BUF)
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

uint32_t lx_pipe_size(struct lx_pipe *p)
{
    return p->size;
}

uint32_t lx_pipe_unread(struct lx_pipe *p)
{
    return p->count;
}
