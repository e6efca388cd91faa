/* SPDX-License-Identifier: BSD-2-Clause */
/* open, openat, creat: a path to a new descriptor, making a file in /tmp with O_CREAT. */
#include "fs_impl.h"

static bool table_full(struct lx_files *fs)
{
    for (int fd = 0; fd < LX_FD_MAX; fd++)
        if (!fs->fd[fd])
            return false;
    return true;
}

/* O_CREAT found nothing there: make a regular file (ram fs only). */
static int create(struct lx_task *t, struct lx_walk *w, uint64_t mode)
{
    if (w->slash)
        return -LX_EISDIR;
    if (w->dir->fs == LX_FS_PROC)
        return -LX_ENOENT; /* as Linux */
    if (w->dir->fs != LX_FS_RAM)
        return -LX_EROFS;
    if (w->dir->links == 0)
        return -LX_ENOENT; /* in a removed directory */
    int err;
    uint32_t perm = (uint32_t)mode & 07777 & ~t->proc->fs->umask;
    w->node = lx_ram_new(w->dir, w->name, w->len, LX_S_IFREG | perm, NULL, 0, &err);
    return w->node ? 0 : err;
}

/* May n be opened with flags? (Everything runs as root: only the kind of node and a
 * read-only file system say no.) */
static int may_open(struct lx_node *n, unsigned flags)
{
    unsigned acc = flags & LX_O_ACCMODE;
    if (LX_S_ISLNK(n->mode))
        return flags & LX_O_PATH ? 0 : -LX_ELOOP; /* O_NOFOLLOW met a link */
    if ((flags & LX_O_DIRECTORY) && !LX_S_ISDIR(n->mode))
        return -LX_ENOTDIR;
    if (flags & LX_O_PATH)
        return 0;
    if (LX_S_ISDIR(n->mode) && acc != LX_O_RDONLY)
        return -LX_EISDIR;
    if (LX_S_ISREG(n->mode) && n->fs == LX_FS_IMG && (acc != LX_O_RDONLY || (flags & LX_O_TRUNC)))
        return -LX_EROFS;
    return 0;
}

static long do_open(struct lx_task *t, int dirfd, uint64_t upath, uint64_t flags64, uint64_t mode)
{
    unsigned flags = (unsigned)flags64;
    if (flags & LX_O_TMPFILE)
        return -LX_EOPNOTSUPP;
    if (flags & LX_O_PATH)
        flags &= LX_O_PATH | LX_O_DIRECTORY | LX_O_NOFOLLOW | LX_O_CLOEXEC;
    if ((flags & LX_O_CREAT) && (flags & LX_O_DIRECTORY))
        return -LX_EINVAL;
    struct lx_files *fs = t->proc->files;
    if (table_full(fs))
        return -LX_EMFILE;
    int err;
    struct lx_walk *w = lx_walk_new(t, upath, &err);
    if (!w)
        return err;
    bool excl = (flags & LX_O_CREAT) && (flags & LX_O_EXCL);
    int wflags = (flags & LX_O_NOFOLLOW) || excl ? 0 : LX_WALK_FOLLOW;
    err = lx_walk(t, dirfd, w, wflags | (flags & LX_O_CREAT ? LX_WALK_PARENT : 0));
    bool created = false;
    if (!err && (flags & LX_O_CREAT)) {
        if (!w->node) {
            err = create(t, w, mode);
            created = !err;
        } else if (excl) {
            err = -LX_EEXIST;
        } else if (LX_S_ISDIR(w->node->mode)) {
            err = -LX_EISDIR;
        }
    }
    if (!err)
        err = may_open(w->node, flags);
    if (!err && !created && (flags & LX_O_TRUNC) && !(flags & LX_O_PATH) &&
        LX_S_ISREG(w->node->mode))
        err = lx_ram_truncate(w->node, 0);
    if (!err) {
        unsigned keep = LX_O_ACCMODE | LX_O_APPEND | LX_O_NONBLOCK | LX_O_PATH | LX_O_DIRECT |
                        LX_O_NOATIME | LX_O_DSYNC | LX_O_SYNC | LX_O_ASYNC | LX_O_DIRECTORY |
                        LX_O_NOFOLLOW;
        struct lx_file *f = lx_file_new(w->node, (flags & keep) | LX_O_LARGEFILE);
        if (!f) {
            err = -LX_ENOMEM;
        } else {
            w->node = NULL; /* the file holds it */
            err = lx_fd_install(fs, f, 0, flags & LX_O_CLOEXEC);
            lx_file_put(f);
        }
    }
    lx_walk_done(w);
    return err;
}

long sys_open(struct lx_task *t, const uint64_t a[6])
{
    return do_open(t, LX_AT_FDCWD, a[0], a[1], a[2]);
}

long sys_openat(struct lx_task *t, const uint64_t a[6])
{
    return do_open(t, (int)a[0], a[1], a[2], a[3]);
}

long sys_creat(struct lx_task *t, const uint64_t a[6])
{
    return do_open(t, LX_AT_FDCWD, a[0], LX_O_CREAT | LX_O_WRONLY | LX_O_TRUNC, a[1]);
}
