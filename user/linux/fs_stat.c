/* SPDX-License-Identifier: BSD-2-Clause */
/* stat, lstat, fstat, newfstatat and statx: what a node (or a pipe) says about itself. */
#include "fs_impl.h"

#define STATX_BASIC_STATS 0x7ffu
#define STATX__RESERVED   0x80000000u

/* What both answers are made from. */
struct kstat {
    uint64_t dev, ino, nlink, rdev, size, blocks, mtime, ctime;
    uint32_t mode, uid, gid;
};

static void node_stat(const struct lx_node *n, const struct lx_file *f, struct kstat *k)
{
    memset(k, 0, sizeof *k);
    if (!n) { /* a pipe end */
        k->dev = LX_FS_PIPE;
        k->ino = lx_pipe_ino(f->pipe);
        k->nlink = 1;
        k->mode = LX_S_IFIFO | 0600;
        return;
    }
    k->dev = n->fs;
    k->ino = n->ino;
    k->mode = n->mode;
    k->uid = n->uid;
    k->gid = n->gid;
    k->mtime = n->mtime;
    k->ctime = n->ctime;
    k->nlink = LX_S_ISDIR(n->mode) ? (n->links ? 2 + n->subdirs : 0) : n->links;
    if (LX_S_ISCHR(n->mode)) {
        k->rdev = n->size;
    } else {
        k->size = n->size;
        k->blocks = (n->size + 511) / 512;
    }
    if (n->fs == LX_FS_RAM && LX_S_ISREG(n->mode)) {
        k->blocks = 0;
        for (size_t i = 0; i < n->ram.npages; i++)
            k->blocks += n->ram.pages[i] ? 8 : 0;
    }
}

int lx_stat_node(struct lx_task *t, struct lx_node *n, struct lx_file *f, uint64_t ustat)
{
    struct kstat k;
    node_stat(n, f, &k);
    struct lx_stat s = {.dev = k.dev,
                        .ino = k.ino,
                        .nlink = k.nlink,
                        .mode = k.mode,
                        .uid = k.uid,
                        .gid = k.gid,
                        .rdev = k.rdev,
                        .size = (int64_t)k.size,
                        .blksize = 4096,
                        .blocks = (int64_t)k.blocks,
                        .atime = k.mtime / 1000000000,
                        .atime_ns = k.mtime % 1000000000,
                        .mtime = k.mtime / 1000000000,
                        .mtime_ns = k.mtime % 1000000000,
                        .ctime = k.ctime / 1000000000,
                        .ctime_ns = k.ctime % 1000000000};
    return lx_copy_out(t, ustat, &s, sizeof s);
}

/* The node (or pipe) a stat-like call names: from dirfd itself (AT_EMPTY_PATH and an empty
 * or NULL path), else by walking the path. */
static int stat_target(struct lx_task *t, int dirfd, uint64_t upath, unsigned flags,
                       struct lx_walk **wp, struct lx_file **fp)
{
    *wp = NULL;
    *fp = NULL;
    char c = 0;
    if ((flags & LX_AT_EMPTY_PATH) && (!upath || (!lx_copy_in(t, &c, upath, 1) && !c))) {
        if (dirfd == LX_AT_FDCWD) {
            *fp = lx_file_new(t->proc->fs->cwd, LX_O_PATH);
            if (!*fp)
                return -LX_ENOMEM;
            lx_node_get(t->proc->fs->cwd);
            return 0;
        }
        return (*fp = lx_fd_get(t, dirfd)) ? 0 : -LX_EBADF;
    }
    int err;
    struct lx_walk *w = lx_walk_new(t, upath, &err);
    if (!w)
        return err;
    err = lx_walk(t, dirfd, w, flags & LX_AT_SYMLINK_NOFOLLOW ? 0 : LX_WALK_FOLLOW);
    if (err) {
        lx_walk_done(w);
        return err;
    }
    *wp = w;
    return 0;
}

static long fstatat(struct lx_task *t, int dirfd, uint64_t upath, uint64_t ustat, uint64_t flags)
{
    if (flags & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH | LX_AT_NO_AUTOMOUNT))
        return -LX_EINVAL;
    struct lx_walk *w;
    struct lx_file *f;
    int err = stat_target(t, dirfd, upath, (unsigned)flags, &w, &f);
    if (!err)
        err = lx_stat_node(t, w ? w->node : f->node, f, ustat);
    lx_walk_done(w);
    lx_file_put(f);
    return err;
}

long sys_stat(struct lx_task *t, const uint64_t a[6])
{
    return fstatat(t, LX_AT_FDCWD, a[0], a[1], 0);
}

long sys_lstat(struct lx_task *t, const uint64_t a[6])
{
    return fstatat(t, LX_AT_FDCWD, a[0], a[1], LX_AT_SYMLINK_NOFOLLOW);
}

long sys_fstat(struct lx_task *t, const uint64_t a[6])
{
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    int err = lx_stat_node(t, f->node, f, a[1]);
    lx_file_put(f);
    return err;
}

long sys_newfstatat(struct lx_task *t, const uint64_t a[6])
{
    return fstatat(t, (int)a[0], a[1], a[2], a[3]);
}

/* Linux's struct statx (linux/stat.h): 256 bytes. */
struct lx_statx_ts {
    int64_t sec;
    uint32_t nsec;
    int32_t reserved;
};
struct lx_statx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, spare0;
    uint64_t ino, size, blocks, attributes_mask;
    struct lx_statx_ts atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};
_Static_assert(sizeof(struct lx_statx) == 256, "struct statx is Linux's");

static struct lx_statx_ts ts(uint64_t ns)
{
    return (struct lx_statx_ts){.sec = (int64_t)(ns / 1000000000), .nsec = ns % 1000000000};
}

long sys_statx(struct lx_task *t, const uint64_t a[6])
{
    uint64_t flags = a[2];
    if (flags & ~(uint64_t)(LX_AT_SYMLINK_NOFOLLOW | LX_AT_EMPTY_PATH | LX_AT_NO_AUTOMOUNT |
                            LX_AT_STATX_SYNC_TYPE) ||
        (flags & LX_AT_STATX_SYNC_TYPE) == LX_AT_STATX_SYNC_TYPE || (a[3] & STATX__RESERVED))
        return -LX_EINVAL;
    struct lx_walk *w;
    struct lx_file *f;
    int err = stat_target(t, (int)a[0], a[1], (unsigned)flags, &w, &f);
    if (!err) {
        struct kstat k;
        node_stat(w ? w->node : f->node, f, &k);
        struct lx_statx s = {.mask = STATX_BASIC_STATS,
                             .blksize = 4096,
                             .nlink = (uint32_t)k.nlink,
                             .uid = k.uid,
                             .gid = k.gid,
                             .mode = (uint16_t)k.mode,
                             .ino = k.ino,
                             .size = k.size,
                             .blocks = k.blocks,
                             .atime = ts(k.mtime),
                             .ctime = ts(k.ctime),
                             .mtime = ts(k.mtime),
                             .rdev_major = (uint32_t)(k.rdev >> 8),
                             .rdev_minor = (uint32_t)(k.rdev & 0xff),
                             .dev_major = 0,
                             .dev_minor = (uint32_t)k.dev};
        err = lx_copy_out(t, a[4], &s, sizeof s);
    }
    lx_walk_done(w);
    lx_file_put(f);
    return err;
}
