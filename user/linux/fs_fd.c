/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Open file descriptions and file descriptor tables. A description (offset, status flags)
 * is shared by every descriptor dup or fork made from one open; a table is shared by the
 * threads of a process (and CLONE_FILES). Both are reference-counted; the last close of a
 * description lets go of its node or pipe end.
 */
#include "fs_impl.h"

struct lx_file *lx_file_new(struct lx_node *node, unsigned flags)
{
    struct lx_file *f = lx_zalloc(sizeof *f);
    if (f) {
        f->refs = 1;
        f->node = node;
        f->flags = flags;
    }
    return f;
}

void lx_file_get(struct lx_file *f)
{
    f->refs++;
}

void lx_file_put(struct lx_file *f)
{
    if (!f || --f->refs > 0)
        return;
    if (f->pipe)
        lx_pipe_close(f->pipe, f->pipe_writer);
    if (f->node)
        lx_node_put(f->node);
    lx_free(f);
}

bool lx_file_readable(const struct lx_file *f)
{
    unsigned acc = f->flags & LX_O_ACCMODE;
    return !(f->flags & LX_O_PATH) && (acc == LX_O_RDONLY || acc == LX_O_RDWR);
}

bool lx_file_writable(const struct lx_file *f)
{
    unsigned acc = f->flags & LX_O_ACCMODE;
    return !(f->flags & LX_O_PATH) && (acc == LX_O_WRONLY || acc == LX_O_RDWR);
}

static bool is_tty(const struct lx_node *n)
{
    return n && (n->dev == LX_DEV_CONSOLE || n->dev == LX_DEV_TTY);
}

bool lx_file_seekable(const struct lx_file *f)
{
    return f->node && !is_tty(f->node);
}

static long node_read(struct lx_task *t, struct lx_node *n, void *buf, size_t len, uint64_t off)
{
    switch (n->fs) {
    case LX_FS_IMG:
        return lx_img_read(n, buf, len, off);
    case LX_FS_PROC:
        return lx_proc_read(t, n, buf, len, off);
    }
    return lx_ram_read(n, buf, len, off);
}

long lx_file_read(struct lx_task *t, struct lx_file *f, void *buf, size_t len, uint64_t *pos,
                  bool nonblock)
{
    nonblock |= (f->flags & LX_O_NONBLOCK) != 0;
    if (f->pipe)
        return lx_pipe_read(t, f, buf, len, nonblock);
    struct lx_node *n = f->node;
    long r;
    switch (n->mode & LX_S_IFMT) {
    case LX_S_IFDIR:
        return -LX_EISDIR;
    case LX_S_IFREG:
        r = node_read(t, n, buf, len, *pos);
        if (r > 0)
            *pos += (uint64_t)r;
        return r;
    case LX_S_IFCHR:
        if (is_tty(n))
            return tty_read(t, buf, len, nonblock);
        if (n->dev == LX_DEV_ZERO) {
            memset(buf, 0, len);
            return (long)len;
        }
        return 0; /* null */
    }
    return -LX_EINVAL;
}

long lx_file_write(struct lx_task *t, struct lx_file *f, const void *buf, size_t len, uint64_t *pos,
                   bool atomic)
{
    if (f->pipe)
        return lx_pipe_write(t, f, buf, len, atomic);
    struct lx_node *n = f->node;
    long r;
    switch (n->mode & LX_S_IFMT) {
    case LX_S_IFREG:
        if (n->fs == LX_FS_PROC)
            return -LX_EIO; /* as Linux for root, who may open them for writing */
        if (n->fs != LX_FS_RAM)
            return -LX_EROFS; /* not opened for writing anyway */
        if (f->flags & LX_O_APPEND)
            *pos = n->size;
        r = lx_ram_write(n, buf, len, *pos);
        if (r > 0)
            *pos += (uint64_t)r;
        return r;
    case LX_S_IFCHR:
        return is_tty(n) ? tty_write(t, buf, len) : (long)len;
    }
    return -LX_EISDIR;
}

unsigned lx_file_poll(struct lx_file *f)
{
    if (f->pipe)
        return lx_pipe_poll(f);
    if (is_tty(f->node))
        return tty_poll();
    return LX_POLLIN | LX_POLLOUT | LX_POLLRDNORM | LX_POLLWRNORM;
}

long lx_file_pread(struct lx_file *f, void *buf, size_t len, uint64_t off)
{
    struct lx_node *n = f->node;
    if (!n)
        return -LX_EINVAL;
    if (LX_S_ISREG(n->mode))
        return node_read(NULL, n, buf, len, off);
    if (n->dev == LX_DEV_ZERO) {
        memset(buf, 0, len);
        return (long)len;
    }
    return -LX_EINVAL;
}

uint64_t lx_file_size(struct lx_file *f)
{
    return f->node && LX_S_ISREG(f->node->mode) ? f->node->size : 0;
}

/* ---- descriptor tables */

struct lx_files *lx_files_new(void)
{
    struct lx_files *fs = lx_zalloc(sizeof *fs);
    if (fs) {
        fs->refs = 1;
        fs->limit = LX_FD_MAX;
    }
    return fs;
}

struct lx_files *lx_files_dup(struct lx_files *old)
{
    struct lx_files *fs = lx_files_new();
    if (!fs)
        return NULL;
    for (int i = 0; i < LX_FD_MAX; i++)
        if ((fs->fd[i] = old->fd[i]))
            lx_file_get(fs->fd[i]);
    memcpy(fs->cloexec, old->cloexec, sizeof fs->cloexec);
    fs->limit = old->limit;
    return fs;
}

void lx_files_get(struct lx_files *fs)
{
    fs->refs++;
}

void lx_files_put(struct lx_files *fs)
{
    if (!fs || --fs->refs > 0)
        return;
    for (int i = 0; i < LX_FD_MAX; i++)
        lx_file_put(fs->fd[i]);
    lx_free(fs);
}

void lx_files_cloexec(struct lx_files *fs)
{
    for (int i = 0; i < LX_FD_MAX; i++)
        if (lx_fd_cloexec(fs, i))
            lx_fd_close(fs, i);
}

static bool fd_valid(int fd)
{
    return fd >= 0 && fd < LX_FD_MAX;
}

bool lx_fd_cloexec(struct lx_files *fs, int fd)
{
    return fd_valid(fd) && (fs->cloexec[fd / 64] >> (fd % 64) & 1);
}

void lx_fd_set_cloexec(struct lx_files *fs, int fd, bool on)
{
    if (!fd_valid(fd))
        return;
    if (on)
        fs->cloexec[fd / 64] |= 1ull << (fd % 64);
    else
        fs->cloexec[fd / 64] &= ~(1ull << (fd % 64));
}

struct lx_file *lx_fd_get(struct lx_task *t, int fd)
{
    struct lx_files *fs = t->proc->files;
    if (!fd_valid(fd) || !fs->fd[fd])
        return NULL;
    lx_file_get(fs->fd[fd]);
    return fs->fd[fd];
}

void lx_files_set_limit(struct lx_files *fs, uint64_t limit)
{
    fs->limit = limit < LX_FD_MAX ? (int)limit : LX_FD_MAX;
}

int lx_fd_install(struct lx_files *fs, struct lx_file *f, int min, bool cloexec)
{
    for (int fd = min < 0 ? 0 : min; fd < fs->limit; fd++)
        if (!fs->fd[fd]) {
            lx_fd_replace(fs, fd, f, cloexec);
            return fd;
        }
    return -LX_EMFILE;
}

void lx_fd_replace(struct lx_files *fs, int fd, struct lx_file *f, bool cloexec)
{
    struct lx_file *old = fs->fd[fd];
    lx_file_get(f);
    fs->fd[fd] = f;
    lx_fd_set_cloexec(fs, fd, cloexec);
    lx_file_put(old); /* after: it may be f itself */
}

int lx_fd_close(struct lx_files *fs, int fd)
{
    if (!fd_valid(fd) || !fs->fd[fd])
        return -LX_EBADF;
    struct lx_file *f = fs->fd[fd];
    fs->fd[fd] = NULL;
    lx_fd_set_cloexec(fs, fd, false);
    lx_file_put(f);
    return 0;
}

int lx_fd_file(struct lx_proc *p, int fd, struct lx_file **out)
{
    if (!fd_valid(fd) || !p->files->fd[fd] || (p->files->fd[fd]->flags & LX_O_PATH))
        return -LX_EBADF;
    struct lx_file *f = p->files->fd[fd];
    if (!f->node || LX_S_ISDIR(f->node->mode) ||
        (!LX_S_ISREG(f->node->mode) && f->node->dev != LX_DEV_ZERO))
        return -LX_ENODEV;
    if (!lx_file_readable(f))
        return -LX_EACCES;
    lx_file_get(f);
    *out = f;
    return 0;
}

int lx_files_console(struct lx_files *fs)
{
    struct lx_node *console = lx_dev_find("console");
    if (!console)
        return -LX_ENOENT;
    struct lx_file *f = lx_file_new(console, LX_O_RDWR | LX_O_LARGEFILE);
    if (!f)
        return -LX_ENOMEM;
    for (int fd = 0; fd < 3; fd++)
        lx_fd_replace(fs, fd, f, false);
    lx_file_put(f);
    return 0;
}
