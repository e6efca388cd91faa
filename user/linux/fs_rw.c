/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The calls that move data: read, write and their vector and positioned forms, lseek,
 * sendfile. User data passes through a server buffer of LX_CHUNK bytes at a time, so a
 * read or write of any length costs the server one small allocation.
 */
#include "fs_impl.h"

#define SEEK_SET   0
#define SEEK_CUR   1
#define SEEK_END   2
#define SEEK_DATA  3
#define SEEK_HOLE  4
#define INT64_MAX_ ((int64_t)(~0ull >> 1))

/* The open file of fd for reading (writing): NULL with *err -EBADF otherwise. */
static struct lx_file *fd_for(struct lx_task *t, uint64_t fd, bool write, long *err)
{
    struct lx_file *f = lx_fd_get(t, (int)fd);
    if (f && (write ? lx_file_writable(f) : lx_file_readable(f)))
        return f;
    lx_file_put(f);
    *err = -LX_EBADF;
    return NULL;
}

/* Linux's access_ok: the buffer lies below the top of user space, without wrapping. A read
 * or write checks it before anything else of the buffer (a count of 2^63: EFAULT, not EINVAL). */
static bool user_range(uint64_t addr, uint64_t len)
{
    return len <= LX_TASK_SIZE && addr <= LX_TASK_SIZE - len;
}

static bool is_stream(const struct lx_file *f)
{
    return !f->node || !LX_S_ISREG(f->node->mode);
}

/*
 * Read up to len bytes of f at *pos to user memory at ubuf. Only the first chunk may wait
 * (and none when more: an earlier part of a readv has data); a stream gives what it has.
 */
static long read_user(struct lx_task *t, struct lx_file *f, uint64_t ubuf, size_t len,
                      uint64_t *pos, bool more)
{
    if (len > LX_MAX_RW)
        len = LX_MAX_RW;
    uint8_t *buf = lx_alloc(LX_CHUNK);
    if (!buf)
        return -LX_ENOMEM;
    size_t done = 0;
    long err = 0;
    do {
        size_t want = len - done < LX_CHUNK ? len - done : LX_CHUNK;
        if (is_stream(f) && lx_check_writable(t, ubuf + done, want)) {
            err = -LX_EFAULT; /* as Linux: the data stays in the pipe */
            break;
        }
        long r = lx_file_read(t, f, buf, want, pos, more || done > 0);
        if (r <= 0) {
            err = r;
            break;
        }
        if (lx_copy_out(t, ubuf + done, buf, (size_t)r)) {
            if (!is_stream(f))
                *pos -= (uint64_t)r; /* not delivered: not read */
            err = -LX_EFAULT;
            break;
        }
        done += (size_t)r;
        if ((size_t)r < want ||
            (f->node && LX_S_ISCHR(f->node->mode) && f->node->dev != LX_DEV_ZERO))
            break;
    } while (done < len);
    lx_free(buf);
    if (done)
        return (long)done;
    return err == -LX_EAGAIN && more ? 0 : err;
}

/* Write len bytes from user memory at ubuf to f at *pos; atomic: a pipe takes them whole. */
static long write_user(struct lx_task *t, struct lx_file *f, uint64_t ubuf, size_t len,
                       uint64_t *pos)
{
    if (len > LX_MAX_RW)
        len = LX_MAX_RW;
    uint8_t *buf = lx_alloc(LX_CHUNK);
    if (!buf)
        return -LX_ENOMEM;
    size_t done = 0;
    long err = 0;
    while (done < len) {
        size_t want = len - done < LX_CHUNK ? len - done : LX_CHUNK;
        if (lx_copy_in(t, buf, ubuf + done, want)) {
            err = -LX_EFAULT;
            break;
        }
        long r = lx_file_write(t, f, buf, want, pos, len <= LX_PIPE_BUF);
        if (r < 0) {
            err = r;
            break;
        }
        done += (size_t)r;
        if ((size_t)r < want)
            break;
    }
    lx_free(buf);
    return done ? (long)done : err;
}

long sys_read(struct lx_task *t, const uint64_t a[6])
{
    long err;
    struct lx_file *f = fd_for(t, a[0], false, &err);
    if (!f)
        return err;
    long r = user_range(a[1], a[2]) ? read_user(t, f, a[1], a[2], &f->pos, false) : -LX_EFAULT;
    lx_file_put(f);
    return r;
}

long sys_write(struct lx_task *t, const uint64_t a[6])
{
    long err;
    struct lx_file *f = fd_for(t, a[0], true, &err);
    if (!f)
        return err;
    long r = !user_range(a[1], a[2]) ? -LX_EFAULT
             : a[2]                  ? write_user(t, f, a[1], a[2], &f->pos)
                                     : 0;
    lx_file_put(f);
    return r;
}

/* pread64 and pwrite64: the offset must be >= 0 and the file seekable. */
static long positioned(struct lx_task *t, const uint64_t a[6], bool write)
{
    int64_t off = (int64_t)a[3];
    if (off < 0)
        return -LX_EINVAL;
    long err;
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    if (!lx_file_seekable(f)) {
        lx_file_put(f);
        return -LX_ESPIPE;
    }
    lx_file_put(f);
    if (!(f = fd_for(t, a[0], write, &err)))
        return err;
    uint64_t pos = (uint64_t)off;
    long r;
    if (!user_range(a[1], a[2]))
        r = -LX_EFAULT;
    else if (a[2] > (uint64_t)(INT64_MAX_ - off))
        r = -LX_EINVAL;
    else if (write)
        r = a[2] ? write_user(t, f, a[1], a[2], &pos) : 0;
    else
        r = read_user(t, f, a[1], a[2], &pos, false);
    lx_file_put(f);
    return r;
}

long sys_pread64(struct lx_task *t, const uint64_t a[6])
{
    return positioned(t, a, false);
}

long sys_pwrite64(struct lx_task *t, const uint64_t a[6])
{
    return positioned(t, a, true);
}

/* The iovec array at uiov (cnt entries, total length checked): heap, or NULL and *err. */
static uint64_t *iov_in(struct lx_task *t, uint64_t uiov, uint64_t cnt, size_t *total, long *err)
{
    if (cnt > LX_IOV_MAX) {
        *err = -LX_EINVAL;
        return NULL;
    }
    uint64_t *iov = lx_alloc(cnt * 16 + 1);
    if (!iov) {
        *err = -LX_ENOMEM;
        return NULL;
    }
    if (lx_copy_in(t, iov, uiov, cnt * 16)) {
        lx_free(iov);
        *err = -LX_EFAULT;
        return NULL;
    }
    *total = 0;
    for (uint64_t i = 0; i < cnt; i++) {
        if ((int64_t)iov[2 * i + 1] < 0 || iov[2 * i + 1] > (uint64_t)INT64_MAX_ - *total) {
            lx_free(iov);
            *err = -LX_EINVAL;
            return NULL;
        }
        *total += iov[2 * i + 1];
    }
    return iov;
}

/* Each buffer of iov in turn, until one is not wholly read or written. */
static long each_iov(struct lx_task *t, struct lx_file *f, const uint64_t *iov, uint64_t cnt,
                     bool write)
{
    size_t done = 0;
    long r = 0;
    for (uint64_t i = 0; i < cnt && done < LX_MAX_RW; i++) {
        size_t len = iov[2 * i + 1];
        if (len > LX_MAX_RW - done)
            len = LX_MAX_RW - done;
        if (write)
            r = len ? write_user(t, f, iov[2 * i], len, &f->pos) : 0;
        else
            r = read_user(t, f, iov[2 * i], len, &f->pos, done > 0);
        if (r < 0)
            break;
        done += (size_t)r;
        if ((size_t)r < len)
            break;
    }
    return done ? (long)done : r;
}

/*
 * A short writev is gathered first, so that a pipe takes it whole (PIPE_BUF atomicity). A
 * bad buffer in the middle: Linux writes the ones before it to a file and returns their
 * length, but a pipe takes nothing (EFAULT), so only a pipe gives up on the whole gather.
 */
static long gather_write(struct lx_task *t, struct lx_file *f, const uint64_t *iov, uint64_t cnt,
                         size_t total)
{
    uint8_t *buf = lx_alloc(total);
    if (!buf)
        return -LX_ENOMEM;
    long r = 0;
    size_t at = 0;
    for (uint64_t i = 0; !r && i < cnt; i++) {
        if (lx_copy_in(t, buf + at, iov[2 * i], iov[2 * i + 1]))
            r = -LX_EFAULT;
        else
            at += iov[2 * i + 1];
    }
    if (!r || (at && !f->pipe))
        r = lx_file_write(t, f, buf, at, &f->pos, true);
    lx_free(buf);
    return r;
}

static long vector(struct lx_task *t, const uint64_t a[6], bool write)
{
    long err = 0;
    struct lx_file *f = fd_for(t, a[0], write, &err);
    if (!f)
        return err;
    size_t total;
    uint64_t *iov = iov_in(t, a[1], a[2], &total, &err);
    long r = err;
    if (iov && write && total > 0 && total <= LX_PIPE_BUF)
        r = gather_write(t, f, iov, a[2], total);
    else if (iov)
        r = each_iov(t, f, iov, a[2], write);
    lx_free(iov);
    lx_file_put(f);
    return r;
}

long sys_readv(struct lx_task *t, const uint64_t a[6])
{
    return vector(t, a, false);
}

long sys_writev(struct lx_task *t, const uint64_t a[6])
{
    return vector(t, a, true);
}

long sys_lseek(struct lx_task *t, const uint64_t a[6])
{
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    int64_t off = (int64_t)a[1], base = 0, to;
    long r = 0;
    struct lx_node *n = f->node;
    if (!lx_file_seekable(f)) {
        r = -LX_ESPIPE;
    } else if (LX_S_ISCHR(n->mode)) {
        r = a[2] <= SEEK_HOLE ? 0 : -LX_EINVAL; /* null and zero stay at 0 */
    } else {
        uint64_t size = LX_S_ISREG(n->mode) ? n->size : 0;
        switch (a[2]) {
        case SEEK_SET:
            break;
        case SEEK_CUR:
            base = (int64_t)f->pos;
            break;
        case SEEK_END:
            base = (int64_t)size;
            r = LX_S_ISDIR(n->mode) ? -LX_EINVAL : 0;
            break;
        case SEEK_DATA:
        case SEEK_HOLE:
            if (LX_S_ISDIR(n->mode))
                r = -LX_EINVAL;
            else if (off < 0 || (uint64_t)off >= size)
                r = -LX_ENXIO;
            else if (a[2] == SEEK_HOLE)
                off = (int64_t)size;
            break;
        default:
            r = -LX_EINVAL;
        }
        if (!r && (__builtin_add_overflow(base, off, &to) || to < 0))
            r = -LX_EINVAL;
        if (!r) {
            f->pos = (uint64_t)to;
            r = to;
        }
    }
    lx_file_put(f);
    return r;
}

long sys_sendfile(struct lx_task *t, const uint64_t a[6])
{
    long err;
    struct lx_file *in = fd_for(t, a[1], false, &err), *out = NULL;
    if (!in)
        return err;
    if (!(out = fd_for(t, a[0], true, &err))) {
        lx_file_put(in);
        return err;
    }
    int64_t off = 0;
    uint64_t *pos = &in->pos;
    size_t len = a[3] > LX_MAX_RW ? LX_MAX_RW : a[3];
    uint8_t *buf = NULL;
    err = 0;
    if (!in->node || !(LX_S_ISREG(in->node->mode) || in->node->dev == LX_DEV_ZERO) ||
        (out->flags & LX_O_APPEND))
        err = -LX_EINVAL;
    else if (a[2] && lx_copy_in(t, &off, a[2], sizeof off))
        err = -LX_EFAULT;
    else if (a[2] && off < 0)
        err = -LX_EINVAL;
    else if (!(buf = lx_alloc(LX_CHUNK)))
        err = -LX_ENOMEM;
    uint64_t upos = (uint64_t)off;
    if (a[2])
        pos = &upos;
    size_t done = 0;
    while (!err && done < len) {
        size_t want = len - done < LX_CHUNK ? len - done : LX_CHUNK;
        uint64_t at = *pos;
        long r = lx_file_read(t, in, buf, want, pos, false);
        if (r <= 0) {
            err = r;
            break;
        }
        long w = lx_file_write(t, out, buf, (size_t)r, &out->pos, false);
        if (w < 0) {
            *pos = at;
            err = w;
            break;
        }
        *pos = at + (uint64_t)w;
        done += (size_t)w;
        if (w < r || (size_t)r < want)
            break;
    }
    if (a[2] && (done || !err) && lx_copy_out(t, a[2], &upos, sizeof upos))
        err = -LX_EFAULT;
    lx_free(buf);
    lx_file_put(in);
    lx_file_put(out);
    return done ? (long)done : err;
}
