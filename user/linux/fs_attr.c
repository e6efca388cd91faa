/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The calls that look at or change a node without opening it (readlink, access, truncate,
 * chmod, chown, utimensat) and the working directory (chdir, fchdir, getcwd, umask).
 */
#include "fs_impl.h"

#define R_OK 4
#define W_OK 2
#define X_OK 1

/* Walk upath (following a final symlink when follow): NULL and *err on failure. */
static struct lx_walk *walk(struct lx_task *t, int dirfd, uint64_t upath, bool follow, int *err)
{
    struct lx_walk *w = lx_walk_new(t, upath, err);
    if (w && (*err = lx_walk(t, dirfd, w, follow ? LX_WALK_FOLLOW : 0))) {
        lx_walk_done(w);
        return NULL;
    }
    return w;
}

static long readlink_at(struct lx_task *t, int dirfd, uint64_t upath, uint64_t ubuf, int64_t size)
{
    if (size <= 0 || size > 0x7fffffff)
        return -LX_EINVAL;
    int err;
    struct lx_walk *w = lx_walk_new(t, upath, &err);
    if (!w)
        return err;
    if ((err = lx_walk(t, dirfd, w, 0))) {
        lx_walk_done(w);
        return err;
    }
    long r = -LX_EINVAL;
    if (LX_S_ISLNK(w->node->mode)) {
        size_t len;
        const char *target = lx_link_target(w->node, &len);
        if (len > (uint64_t)size)
            len = (size_t)size;
        r = !len                                ? -LX_ENOENT /* /proc/<pid>/exe: no program */
            : lx_copy_out(t, ubuf, target, len) ? -LX_EFAULT
                                                : (long)len;
    }
    lx_walk_done(w);
    return r;
}

long sys_readlink(struct lx_task *t, const uint64_t a[6])
{
    return readlink_at(t, LX_AT_FDCWD, a[0], a[1], (int)a[2]);
}

long sys_readlinkat(struct lx_task *t, const uint64_t a[6])
{
    return readlink_at(t, (int)a[0], a[1], a[2], (int)a[3]);
}

static long access_at(struct lx_task *t, int dirfd, uint64_t upath, uint64_t mode, uint64_t flags)
{
    if (mode & ~(uint64_t)(R_OK | W_OK | X_OK) ||
        flags & ~(uint64_t)(LX_AT_EACCESS | LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
        return -LX_EINVAL;
    int err;
    struct lx_walk *w = walk(t, dirfd, upath, !(flags & LX_AT_SYMLINK_NOFOLLOW), &err);
    if (!w)
        return err;
    struct lx_node *n = w->node;
    /* root may read and write anything, and run what has an x bit or is a directory */
    if ((mode & W_OK) && n->fs == LX_FS_IMG)
        err = -LX_EROFS;
    else if ((mode & X_OK) && !LX_S_ISDIR(n->mode) && !(n->mode & 0111))
        err = -LX_EACCES;
    lx_walk_done(w);
    return err;
}

long sys_access(struct lx_task *t, const uint64_t a[6])
{
    return access_at(t, LX_AT_FDCWD, a[0], a[1], 0);
}

long sys_faccessat(struct lx_task *t, const uint64_t a[6])
{
    return access_at(t, (int)a[0], a[1], a[2], 0);
}

long sys_faccessat2(struct lx_task *t, const uint64_t a[6])
{
    return access_at(t, (int)a[0], a[1], a[2], a[3]);
}

static void set_cwd(struct lx_task *t, struct lx_node *n)
{
    struct lx_fsctx *c = t->proc->fs;
    lx_node_get(n);
    lx_node_put(c->cwd);
    c->cwd = n;
}

long sys_chdir(struct lx_task *t, const uint64_t a[6])
{
    int err;
    struct lx_walk *w = walk(t, LX_AT_FDCWD, a[0], true, &err);
    if (!w)
        return err;
    if (LX_S_ISDIR(w->node->mode))
        set_cwd(t, w->node);
    else
        err = -LX_ENOTDIR;
    lx_walk_done(w);
    return err;
}

long sys_fchdir(struct lx_task *t, const uint64_t a[6])
{
    struct lx_node *n;

    if ((int)a[0] == LX_AT_FDCWD)
        return -LX_EBADF; /* a descriptor, not the *at calls' "the working directory" */
    int err = lx_walk_base(t, (int)a[0], &n);
    if (!err)
        set_cwd(t, n);
    return err;
}

long sys_getcwd(struct lx_task *t, const uint64_t a[6])
{
    char *buf = lx_alloc(LX_PATH_MAX);
    if (!buf)
        return -LX_ENOMEM;
    size_t at = LX_PATH_MAX - 1; /* the path is built backwards from the end */
    buf[at] = 0;
    struct lx_node *n = t->proc->fs->cwd;
    long err = 0;
    while (!err && n != lx_root) {
        if (n->covered) {
            n = n->covered;
            continue;
        }
        const char *name;
        size_t len;
        if (!n->parent || !lx_dir_name_of(n->parent, n, &name, &len))
            err = -LX_ENOENT; /* removed */
        else if (len + 1 > at)
            err = -LX_ENAMETOOLONG;
        else {
            at -= len;
            memcpy(buf + at, name, len);
            buf[--at] = '/';
            n = n->parent;
        }
    }
    if (!err && at == LX_PATH_MAX - 1)
        buf[--at] = '/';
    size_t len = LX_PATH_MAX - at; /* with the NUL */
    if (!err && len > a[1])
        err = -LX_ERANGE;
    if (!err)
        err = lx_copy_out(t, a[0], buf + at, len) ? -LX_EFAULT : (long)len;
    lx_free(buf);
    return err;
}

long sys_umask(struct lx_task *t, const uint64_t a[6])
{
    struct lx_fsctx *c = t->proc->fs;
    long old = c->umask;
    c->umask = a[0] & 0777;
    return old;
}

static int truncate_node(struct lx_node *n, int64_t len)
{
    if (LX_S_ISDIR(n->mode))
        return -LX_EISDIR;
    if (!LX_S_ISREG(n->mode))
        return -LX_EINVAL;
    if (n->fs != LX_FS_RAM)
        return -LX_EROFS;
    return lx_ram_truncate(n, (uint64_t)len);
}

long sys_truncate(struct lx_task *t, const uint64_t a[6])
{
    if ((int64_t)a[1] < 0)
        return -LX_EINVAL;
    int err;
    struct lx_walk *w = walk(t, LX_AT_FDCWD, a[0], true, &err);
    if (!w)
        return err;
    err = truncate_node(w->node, (int64_t)a[1]);
    lx_walk_done(w);
    return err;
}

long sys_ftruncate(struct lx_task *t, const uint64_t a[6])
{
    if ((int64_t)a[1] < 0)
        return -LX_EINVAL;
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    int err;
    if (f->flags & LX_O_PATH)
        err = -LX_EBADF;
    else if (!f->node || !LX_S_ISREG(f->node->mode) || !lx_file_writable(f))
        err = -LX_EINVAL;
    else
        err = truncate_node(f->node, (int64_t)a[1]);
    lx_file_put(f);
    return err;
}

/* Change n's mode bits (mode >= 0) or owner (uid, gid; -1 keeps one): ram fs and devices. */
static int set_attr(struct lx_node *n, int64_t mode, uint32_t uid, uint32_t gid)
{
    if (n->fs == LX_FS_IMG)
        return -LX_EROFS;
    if (n->fs != LX_FS_RAM)
        return 0; /* devices: accepted, not kept */
    if (mode >= 0)
        n->mode = (n->mode & LX_S_IFMT) | ((uint32_t)mode & 07777);
    if (uid != (uint32_t)-1)
        n->uid = uid;
    if (gid != (uint32_t)-1)
        n->gid = gid;
    n->ctime = lx_fs_now();
    return 0;
}

static long attr_at(struct lx_task *t, int dirfd, uint64_t upath, uint64_t flags, int64_t mode,
                    uint32_t uid, uint32_t gid)
{
    if (flags & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
        return -LX_EINVAL;
    int err;
    struct lx_walk *w = walk(t, dirfd, upath, !(flags & LX_AT_SYMLINK_NOFOLLOW), &err);
    if (!w)
        return err;
    err = set_attr(w->node, mode, uid, gid);
    lx_walk_done(w);
    return err;
}

static long attr_fd(struct lx_task *t, uint64_t fd, int64_t mode, uint32_t uid, uint32_t gid)
{
    struct lx_file *f = lx_fd_get(t, (int)fd);
    if (!f)
        return -LX_EBADF;
    int err = f->flags & LX_O_PATH ? -LX_EBADF : f->node ? set_attr(f->node, mode, uid, gid) : 0;
    lx_file_put(f);
    return err;
}

long sys_chmod(struct lx_task *t, const uint64_t a[6])
{
    return attr_at(t, LX_AT_FDCWD, a[0], 0, (int64_t)(a[1] & 07777), (uint32_t)-1, (uint32_t)-1);
}

long sys_fchmodat(struct lx_task *t, const uint64_t a[6])
{
    return attr_at(t, (int)a[0], a[1], 0, (int64_t)(a[2] & 07777), (uint32_t)-1, (uint32_t)-1);
}

long sys_fchmod(struct lx_task *t, const uint64_t a[6])
{
    return attr_fd(t, a[0], (int64_t)(a[1] & 07777), (uint32_t)-1, (uint32_t)-1);
}

long sys_chown(struct lx_task *t, const uint64_t a[6])
{
    return attr_at(t, LX_AT_FDCWD, a[0], 0, -1, (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_lchown(struct lx_task *t, const uint64_t a[6])
{
    return attr_at(t, LX_AT_FDCWD, a[0], LX_AT_SYMLINK_NOFOLLOW, -1, (uint32_t)a[1],
                   (uint32_t)a[2]);
}

long sys_fchown(struct lx_task *t, const uint64_t a[6])
{
    return attr_fd(t, a[0], -1, (uint32_t)a[1], (uint32_t)a[2]);
}

long sys_fchownat(struct lx_task *t, const uint64_t a[6])
{
    return attr_at(t, (int)a[0], a[1], a[4], -1, (uint32_t)a[2], (uint32_t)a[3]);
}

#define UTIME_NOW  ((1l << 30) - 1)
#define UTIME_OMIT ((1l << 30) - 2)

/* One modification time is kept (atime shows it too): times[1], or now. */
long sys_utimensat(struct lx_task *t, const uint64_t a[6])
{
    int64_t ts[4] = {0, UTIME_NOW, 0, UTIME_NOW};
    if (a[3] & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH))
        return -LX_EINVAL;
    if (a[2] && lx_copy_in(t, ts, a[2], sizeof ts))
        return -LX_EFAULT;
    for (int i = 1; i < 4; i += 2)
        if (ts[i] != UTIME_NOW && ts[i] != UTIME_OMIT &&
            (ts[i] < 0 || ts[i] >= 1000000000 || ts[i - 1] < 0))
            return -LX_EINVAL;
    struct lx_node *n;
    struct lx_walk *w = NULL;
    struct lx_file *f = NULL;
    int err = 0;
    if (!a[1]) { /* futimens: the file of dirfd */
        f = lx_fd_get(t, (int)a[0]);
        err = f ? 0 : -LX_EBADF;
        n = f ? f->node : NULL;
    } else {
        w = walk(t, (int)a[0], a[1], !(a[3] & LX_AT_SYMLINK_NOFOLLOW), &err);
        n = w ? w->node : NULL;
    }
    if (!err && n && n->fs == LX_FS_IMG)
        err = -LX_EROFS;
    else if (!err && n && n->fs == LX_FS_RAM && ts[3] != UTIME_OMIT) {
        n->mtime =
            ts[3] == UTIME_NOW ? lx_fs_now() : (uint64_t)ts[2] * 1000000000 + (uint64_t)ts[3];
        n->ctime = lx_fs_now();
    }
    lx_walk_done(w);
    lx_file_put(f);
    return err;
}
