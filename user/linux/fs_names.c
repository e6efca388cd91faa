/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The calls that change names: mkdir, rmdir, unlink, rename, link, symlink (and their *at
 * forms). Only the ram fs changes; the errors come in Linux's order: a name that exists
 * says EEXIST before a read-only file system says EROFS, but a removal says EROFS before
 * ENOENT.
 */
#include "fs_impl.h"

/* Walk upath for a call that makes or removes its last component. */
static struct lx_walk *parent_walk(struct lx_task *t, int dirfd, uint64_t upath, int flags,
                                   int *err)
{
    struct lx_walk *w = lx_walk_new(t, upath, err);
    if (w && (*err = lx_walk(t, dirfd, w, LX_WALK_PARENT | flags))) {
        lx_walk_done(w);
        return NULL;
    }
    return w;
}

/* Where a new name may go: EEXIST, EROFS or ENOENT (a removed directory, /proc) if not. */
static int may_create(struct lx_walk *w)
{
    if (w->node || w->last != LX_LAST_NORM)
        return -LX_EEXIST;
    if (w->dir->fs == LX_FS_PROC)
        return -LX_ENOENT; /* as Linux: a name /proc does not make is not there */
    if (w->dir->fs != LX_FS_RAM)
        return -LX_EROFS;
    return w->dir->links ? 0 : -LX_ENOENT;
}

static long mkdir_at(struct lx_task *t, int dirfd, uint64_t upath, uint64_t mode)
{
    int err;
    struct lx_walk *w = parent_walk(t, dirfd, upath, 0, &err);
    if (!w)
        return err;
    if (!(err = may_create(w))) {
        uint32_t perm = (uint32_t)mode & 01777 & ~t->proc->fs->umask;
        w->node = lx_ram_new(w->dir, w->name, w->len, LX_S_IFDIR | perm, NULL, 0, &err);
    }
    lx_walk_done(w);
    return err;
}

long sys_mkdir(struct lx_task *t, const uint64_t a[6])
{
    return mkdir_at(t, LX_AT_FDCWD, a[0], a[1]);
}

long sys_mkdirat(struct lx_task *t, const uint64_t a[6])
{
    return mkdir_at(t, (int)a[0], a[1], a[2]);
}

/* What a removal may remove: the last component's kind, then EROFS, then ENOENT. */
static int may_remove(struct lx_walk *w, bool dir)
{
    if (w->last == LX_LAST_DOT)
        return dir ? -LX_EINVAL : -LX_EISDIR;
    if (w->last == LX_LAST_DOTDOT)
        return dir ? -LX_ENOTEMPTY : -LX_EISDIR;
    if (w->last == LX_LAST_ROOT)
        return dir ? -LX_EBUSY : -LX_EISDIR;
    if (w->dir->fs != LX_FS_RAM)
        return -LX_EROFS;
    if (!w->node)
        return -LX_ENOENT;
    if (dir && !LX_S_ISDIR(w->node->mode))
        return -LX_ENOTDIR;
    if (!dir && LX_S_ISDIR(w->node->mode))
        return -LX_EISDIR;
    if (lx_is_mountpoint(w->node))
        return -LX_EBUSY;
    if (dir && !lx_dir_empty(w->node))
        return -LX_ENOTEMPTY;
    return 0;
}

static long remove_at(struct lx_task *t, int dirfd, uint64_t upath, bool dir)
{
    int err;
    struct lx_walk *w = parent_walk(t, dirfd, upath, 0, &err);
    if (!w)
        return err;
    if (!(err = may_remove(w, dir)))
        lx_ram_unlink(w->dir, w->name, w->len, w->node);
    lx_walk_done(w);
    return err;
}

long sys_rmdir(struct lx_task *t, const uint64_t a[6])
{
    return remove_at(t, LX_AT_FDCWD, a[0], true);
}

long sys_unlink(struct lx_task *t, const uint64_t a[6])
{
    return remove_at(t, LX_AT_FDCWD, a[0], false);
}

long sys_unlinkat(struct lx_task *t, const uint64_t a[6])
{
    if (a[2] & ~(uint64_t)LX_AT_REMOVEDIR)
        return -LX_EINVAL;
    return remove_at(t, (int)a[0], a[1], a[2] & LX_AT_REMOVEDIR);
}

/* Is dir n itself or below it? (Moving a directory under itself would cut it off.) */
static bool below(struct lx_node *dir, struct lx_node *n)
{
    for (int depth = 0; dir && depth < LX_PATH_MAX; depth++) {
        if (dir == n)
            return true;
        if (dir->parent == dir)
            return false;
        dir = dir->parent;
    }
    return false;
}

static int may_rename(struct lx_walk *from, struct lx_walk *to)
{
    struct lx_node *n = from->node, *old = to->node;
    if (from->dir->fs != to->dir->fs)
        return -LX_EXDEV;
    if (from->last != LX_LAST_NORM || to->last != LX_LAST_NORM)
        return -LX_EBUSY;
    if (from->dir->fs != LX_FS_RAM)
        return -LX_EROFS;
    if (!n || !to->dir->links)
        return -LX_ENOENT;
    if (!LX_S_ISDIR(n->mode) && (from->slash || to->slash))
        return -LX_ENOTDIR;
    if (LX_S_ISDIR(n->mode) && below(to->dir, n))
        return -LX_EINVAL;
    if (old && LX_S_ISDIR(old->mode) && below(from->dir, old))
        return -LX_ENOTEMPTY;
    if (old == n)
        return 0;
    if (old && LX_S_ISDIR(n->mode) && !LX_S_ISDIR(old->mode))
        return -LX_ENOTDIR;
    if (old && !LX_S_ISDIR(n->mode) && LX_S_ISDIR(old->mode))
        return -LX_EISDIR;
    if (old && LX_S_ISDIR(old->mode) && !lx_dir_empty(old))
        return -LX_ENOTEMPTY;
    if (lx_is_mountpoint(n) || (old && lx_is_mountpoint(old)))
        return -LX_EBUSY;
    return 0;
}

static long rename_at(struct lx_task *t, int olddir, uint64_t oldpath, int newdir, uint64_t newpath)
{
    int err;
    struct lx_walk *from = parent_walk(t, olddir, oldpath, 0, &err), *to = NULL;
    if (from)
        to = parent_walk(t, newdir, newpath, 0, &err);
    if (to && !(err = may_rename(from, to)) && to->node != from->node) {
        /* the new entry first: when it cannot be made, nothing has changed */
        err = lx_ram_link(to->dir, to->name, to->len, from->node);
        if (!err && to->node)
            lx_ram_unlink(to->dir, to->name, to->len, to->node);
        if (!err)
            lx_ram_unlink(from->dir, from->name, from->len, from->node);
    }
    lx_walk_done(from);
    lx_walk_done(to);
    return err;
}

long sys_rename(struct lx_task *t, const uint64_t a[6])
{
    return rename_at(t, LX_AT_FDCWD, a[0], LX_AT_FDCWD, a[1]);
}

long sys_renameat(struct lx_task *t, const uint64_t a[6])
{
    return rename_at(t, (int)a[0], a[1], (int)a[2], a[3]);
}

long sys_renameat2(struct lx_task *t, const uint64_t a[6])
{
    if (a[4])
        return -LX_EINVAL; /* RENAME_NOREPLACE, _EXCHANGE, _WHITEOUT: not supported */
    return rename_at(t, (int)a[0], a[1], (int)a[2], a[3]);
}

static long link_at(struct lx_task *t, int olddir, uint64_t oldpath, int newdir, uint64_t newpath,
                    uint64_t flags)
{
    if (flags & ~(uint64_t)(LX_AT_SYMLINK_FOLLOW | LX_AT_EMPTY_PATH))
        return -LX_EINVAL;
    int err;
    struct lx_walk *from = lx_walk_new(t, oldpath, &err), *to = NULL;
    if (from &&
        !(err = lx_walk(t, olddir, from, flags & LX_AT_SYMLINK_FOLLOW ? LX_WALK_FOLLOW : 0)))
        to = parent_walk(t, newdir, newpath, 0, &err);
    if (to) {
        if (to->node || to->last != LX_LAST_NORM)
            err = -LX_EEXIST;
        else if (from->node->fs != to->dir->fs)
            err = -LX_EXDEV;
        else if (to->dir->fs != LX_FS_RAM)
            err = -LX_EROFS;
        else if (LX_S_ISDIR(from->node->mode))
            err = -LX_EPERM;
        else if (!to->dir->links || (from->node->links == 0))
            err = -LX_ENOENT;
        else
            err = lx_ram_link(to->dir, to->name, to->len, from->node);
    }
    lx_walk_done(from);
    lx_walk_done(to);
    return err;
}

long sys_link(struct lx_task *t, const uint64_t a[6])
{
    return link_at(t, LX_AT_FDCWD, a[0], LX_AT_FDCWD, a[1], 0);
}

long sys_linkat(struct lx_task *t, const uint64_t a[6])
{
    return link_at(t, (int)a[0], a[1], (int)a[2], a[3], a[4]);
}

static long symlink_at(struct lx_task *t, uint64_t utarget, int dirfd, uint64_t upath)
{
    char *target = lx_alloc(LX_PATH_MAX);
    if (!target)
        return -LX_ENOMEM;
    long len = lx_strcpy_in(t, target, utarget, LX_PATH_MAX);
    int err = len < 0 ? (int)len : len == 0 ? -LX_ENOENT : 0;
    struct lx_walk *w = err ? NULL : parent_walk(t, dirfd, upath, 0, &err);
    if (w && !(err = may_create(w)))
        w->node = lx_ram_new(w->dir, w->name, w->len, LX_S_IFLNK | 0777, target, (size_t)len, &err);
    lx_walk_done(w);
    lx_free(target);
    return err;
}

long sys_symlink(struct lx_task *t, const uint64_t a[6])
{
    return symlink_at(t, a[0], LX_AT_FDCWD, a[1]);
}

long sys_symlinkat(struct lx_task *t, const uint64_t a[6])
{
    return symlink_at(t, a[0], (int)a[1], a[2]);
}
