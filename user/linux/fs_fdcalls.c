/* SPDX-License-Identifier: BSD-2-Clause */
/* The calls on descriptors themselves: close, dup*, pipe*, fcntl, ioctl, fsync, getdents64. */
#include "fs_impl.h"

#define F_DUPFD         0
#define F_GETFD         1
#define F_SETFD         2
#define F_GETFL         3
#define F_SETFL         4
#define F_GETLK         5
#define F_SETLK         6
#define F_SETLKW        7
#define F_SETOWN        8
#define F_GETOWN        9
#define F_DUPFD_CLOEXEC 1030
#define F_SETPIPE_SZ    1031
#define F_GETPIPE_SZ    1032
#define FD_CLOEXEC      1
#define F_UNLCK         2

#define FIONREAD 0x541b
#define FIONBIO  0x5421
#define FIONCLEX 0x5450
#define FIOCLEX  0x5451
#define FIOASYNC 0x5452

long sys_close(struct lx_task *t, const uint64_t a[6])
{
    return lx_fd_close(t->proc->files, (int)a[0]);
}

/* Put a new descriptor for the open file of old at the lowest free one >= min. */
static long dup_from(struct lx_task *t, uint64_t old, uint64_t min, bool cloexec)
{
    struct lx_file *f = lx_fd_get(t, (int)old);
    if (!f)
        return -LX_EBADF;
    long fd = min >= (uint64_t)t->proc->files->limit
                  ? -LX_EINVAL
                  : lx_fd_install(t->proc->files, f, (int)min, cloexec);
    lx_file_put(f);
    return fd;
}

long sys_dup(struct lx_task *t, const uint64_t a[6])
{
    return dup_from(t, a[0], 0, false);
}

static long dup_to(struct lx_task *t, uint64_t old, uint64_t new, bool cloexec)
{
    struct lx_file *f = lx_fd_get(t, (int)old);
    if (!f)
        return -LX_EBADF;
    long r = (int)new;
    if ((int)new < 0 || (int)new >= t->proc->files->limit) /* RLIMIT_NOFILE, as Linux */
        r = -LX_EBADF;
    else
        lx_fd_replace(t->proc->files, (int)new, f, cloexec);
    lx_file_put(f);
    return r;
}

long sys_dup2(struct lx_task *t, const uint64_t a[6])
{
    if ((int)a[0] == (int)a[1]) {
        struct lx_file *f = lx_fd_get(t, (int)a[0]);
        lx_file_put(f);
        return f ? (int)a[1] : -LX_EBADF;
    }
    return dup_to(t, a[0], a[1], false);
}

long sys_dup3(struct lx_task *t, const uint64_t a[6])
{
    if (a[2] & ~(uint64_t)LX_O_CLOEXEC || (int)a[0] == (int)a[1])
        return -LX_EINVAL;
    return dup_to(t, a[0], a[1], a[2] & LX_O_CLOEXEC);
}

long sys_pipe2(struct lx_task *t, const uint64_t a[6])
{
    if (a[1] & ~(uint64_t)(LX_O_CLOEXEC | LX_O_NONBLOCK | LX_O_DIRECT))
        return -LX_EINVAL;
    struct lx_file *rd, *wr;
    int err = lx_pipe_new(&rd, &wr);
    if (err)
        return err;
    rd->flags |= a[1] & LX_O_NONBLOCK;
    wr->flags |= a[1] & LX_O_NONBLOCK;
    struct lx_files *fs = t->proc->files;
    bool cloexec = a[1] & LX_O_CLOEXEC;
    int fds[2] = {lx_fd_install(fs, rd, 0, cloexec), -1};
    if (fds[0] >= 0)
        fds[1] = lx_fd_install(fs, wr, 0, cloexec);
    lx_file_put(rd);
    lx_file_put(wr);
    err = fds[1] < 0 ? -LX_EMFILE : lx_copy_out(t, a[0], fds, sizeof fds);
    if (err) {
        lx_fd_close(fs, fds[0]);
        lx_fd_close(fs, fds[1]);
    }
    return err;
}

long sys_pipe(struct lx_task *t, const uint64_t a[6])
{
    const uint64_t b[6] = {a[0]};
    return sys_pipe2(t, b);
}

static long record_locks(struct lx_task *t, unsigned cmd, uint64_t uflock)
{
    int16_t type;
    if (lx_copy_in(t, &type, uflock, sizeof type))
        return -LX_EFAULT;
    if (type < 0 || type > F_UNLCK)
        return -LX_EINVAL;
    if (cmd != F_GETLK)
        return 0; /* one system, nothing to lock against: every lock is granted */
    type = F_UNLCK;
    return lx_copy_out(t, uflock, &type, sizeof type);
}

long sys_fcntl(struct lx_task *t, const uint64_t a[6])
{
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    struct lx_files *fs = t->proc->files;
    int fd = (int)a[0];
    unsigned cmd = (unsigned)a[1];
    long r = 0;
    if ((f->flags & LX_O_PATH) && cmd != F_DUPFD && cmd != F_DUPFD_CLOEXEC && cmd != F_GETFD &&
        cmd != F_SETFD && cmd != F_GETFL) {
        lx_file_put(f);
        return -LX_EBADF;
    }
    switch (cmd) {
    case F_DUPFD:
    case F_DUPFD_CLOEXEC:
        r = a[2] >= LX_FD_MAX ? -LX_EINVAL
                              : lx_fd_install(fs, f, (int)a[2], cmd == F_DUPFD_CLOEXEC);
        break;
    case F_GETFD:
        r = lx_fd_cloexec(fs, fd) ? FD_CLOEXEC : 0;
        break;
    case F_SETFD:
        lx_fd_set_cloexec(fs, fd, a[2] & FD_CLOEXEC);
        break;
    case F_GETFL:
        r = f->flags;
        break;
    case F_SETFL:
        f->flags = (f->flags & ~(unsigned)(LX_O_APPEND | LX_O_NONBLOCK)) |
                   (a[2] & (LX_O_APPEND | LX_O_NONBLOCK));
        break;
    case F_GETLK:
    case F_SETLK:
    case F_SETLKW:
        r = record_locks(t, cmd, a[2]);
        break;
    case F_SETOWN:
    case F_GETOWN:
        break;
    case F_GETPIPE_SZ:
    case F_SETPIPE_SZ:
        r = f->pipe ? (long)lx_pipe_size(f->pipe) : -LX_EBADF;
        break;
    default:
        r = -LX_EINVAL;
    }
    lx_file_put(f);
    return r;
}

long sys_ioctl(struct lx_task *t, const uint64_t a[6])
{
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    long r = 0;
    int on;
    bool tty = f->node && (f->node->dev == LX_DEV_CONSOLE || f->node->dev == LX_DEV_TTY);
    if (f->flags & LX_O_PATH) {
        r = -LX_EBADF;
    } else if (a[1] == FIOCLEX || a[1] == FIONCLEX) {
        lx_fd_set_cloexec(t->proc->files, (int)a[0], a[1] == FIOCLEX);
    } else if (a[1] == FIONBIO || a[1] == FIOASYNC) {
        r = lx_copy_in(t, &on, a[2], sizeof on);
        if (!r && a[1] == FIONBIO)
            f->flags = on ? f->flags | LX_O_NONBLOCK : f->flags & ~(unsigned)LX_O_NONBLOCK;
    } else if (a[1] == FIONREAD && !tty) {
        uint64_t n = 0;
        if (f->pipe)
            n = lx_pipe_unread(f->pipe);
        else if (LX_S_ISREG(f->node->mode))
            n = f->node->size > f->pos ? f->node->size - f->pos : 0;
        else
            r = -LX_ENOTTY;
        on = n > 0x7fffffff ? 0x7fffffff : (int)n;
        if (!r)
            r = lx_copy_out(t, a[2], &on, sizeof on);
    } else {
        r = tty ? tty_ioctl(t, a[1], a[2]) : -LX_ENOTTY;
    }
    lx_file_put(f);
    return r;
}

static long sync_fd(struct lx_task *t, const uint64_t a[6])
{
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    long r = f->pipe || LX_S_ISCHR(f->node->mode) ? -LX_EINVAL : 0; /* nothing to write back */
    lx_file_put(f);
    return r;
}

long sys_fsync(struct lx_task *t, const uint64_t a[6])
{
    return sync_fd(t, a);
}

long sys_fdatasync(struct lx_task *t, const uint64_t a[6])
{
    return sync_fd(t, a);
}

/* Linux's struct linux_dirent64: d_ino, d_off, d_reclen, d_type, d_name. */
#define DIRENT_HEAD 19

long sys_getdents64(struct lx_task *t, const uint64_t a[6])
{
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    if ((f->flags & LX_O_PATH) || !f->node || !LX_S_ISDIR(f->node->mode)) {
        long r = f->flags & LX_O_PATH ? -LX_EBADF : -LX_ENOTDIR;
        lx_file_put(f);
        return r;
    }
    uint8_t *buf = lx_alloc(LX_CHUNK);
    if (!buf) {
        lx_file_put(f);
        return -LX_ENOMEM;
    }
    if ((uint32_t)a[2] > 0x7fffffff) { /* Linux: a negative count (as an int) is EINVAL */
        lx_free(buf);
        lx_file_put(f);
        return -LX_EINVAL;
    }
    size_t count = (uint32_t)a[2];
    size_t fill = 0, flushed = 0; /* bytes in buf; bytes copied out before them */
    uint64_t pos = f->pos, next, ino;
    long err = 0;
    const char *name;
    size_t len;
    unsigned type;
    while (lx_dir_entry(f->node, pos, &name, &len, &ino, &type, &next)) {
        size_t reclen = (DIRENT_HEAD + len + 1 + 7) & ~(size_t)7;
        if (flushed + fill + reclen > count) {
            if (flushed + fill == 0)
                err = -LX_EINVAL; /* not even one entry fits */
            break;
        }
        if (fill + reclen > LX_CHUNK) {
            if (lx_copy_out(t, a[1] + flushed, buf, fill)) {
                err = -LX_EFAULT;
                break;
            }
            flushed += fill;
            fill = 0;
            f->pos = pos;
        }
        uint8_t *d = buf + fill;
        uint16_t rl = (uint16_t)reclen;
        memset(d, 0, reclen);
        memcpy(d, &ino, 8);
        memcpy(d + 8, &next, 8);
        memcpy(d + 16, &rl, 2);
        d[18] = (uint8_t)type;
        memcpy(d + DIRENT_HEAD, name, len);
        fill += reclen;
        pos = next;
    }
    if (!err && fill) {
        if (lx_copy_out(t, a[1] + flushed, buf, fill))
            err = -LX_EFAULT;
        else
            flushed += fill;
    }
    if (!err)
        f->pos = pos;
    lx_free(buf);
    lx_file_put(f);
    return flushed ? (long)flushed : err;
}
