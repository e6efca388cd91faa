/* SPDX-License-Identifier: BSD-2-Clause */
/* statfs and fstatfs: what a file system says about itself (df). */
#include "fs_impl.h"

/* linux/magic.h: what f_type says; the image is read-only and compressed-like: squashfs's */
#define SQUASHFS_MAGIC   0x73717368
#define TMPFS_MAGIC      0x01021994
#define PROC_SUPER_MAGIC 0x9fa0
#define PIPEFS_MAGIC     0x50495045
/* f_flags (bits/statvfs.h): ST_VALID says the field is filled in */
#define ST_RDONLY        0x0001
#define ST_NOSUID        0x0002
#define ST_NODEV         0x0004
#define ST_NOEXEC        0x0008
#define ST_VALID         0x0020

/* Linux's x86_64 struct statfs (asm-generic/statfs.h with 64-bit longs): 120 bytes. */
struct lx_statfs {
    int64_t type, bsize;
    uint64_t blocks, bfree, bavail, files, ffree;
    int32_t fsid[2];
    int64_t namelen, frsize, flags, spare[4];
};
_Static_assert(sizeof(struct lx_statfs) == 120, "struct statfs is Linux's");

static int put_statfs(struct lx_task *t, struct lx_node *n, uint64_t ubuf)
{
    struct lx_statfs s = {.bsize = 4096, .frsize = 4096, .namelen = LX_NAME_MAX};
    uint8_t fs = n ? n->fs : LX_FS_PIPE;
    s.fsid[0] = fs;
    switch (fs) {
    case LX_FS_IMG:
        s.type = SQUASHFS_MAGIC;
        s.blocks = lx_img_size() / 4096;
        s.flags = ST_VALID | ST_RDONLY;
        break;
    case LX_FS_RAM:
        s.type = TMPFS_MAGIC;
        s.blocks = LX_RAM_QUOTA / 4096;
        s.bfree = s.bavail = (LX_RAM_QUOTA - lx_ram_used) / 4096;
        s.flags = ST_VALID;
        break;
    case LX_FS_DEV:
        s.type = TMPFS_MAGIC; /* devtmpfs says tmpfs's */
        s.flags = ST_VALID | ST_NOSUID;
        break;
    case LX_FS_PROC:
        s.type = PROC_SUPER_MAGIC;
        s.flags = ST_VALID | ST_NOSUID | ST_NODEV | ST_NOEXEC;
        break;
    default:
        s.type = PIPEFS_MAGIC;
        s.flags = ST_VALID;
        break;
    }
    return lx_copy_out(t, ubuf, &s, sizeof s);
}

long sys_statfs(struct lx_task *t, const uint64_t a[6])
{
    int err;
    struct lx_walk *w = lx_walk_new(t, a[0], &err);
    if (!w)
        return err;
    err = lx_walk(t, LX_AT_FDCWD, w, LX_WALK_FOLLOW);
    if (!err)
        err = put_statfs(t, w->node, a[1]);
    lx_walk_done(w);
    return err;
}

long sys_fstatfs(struct lx_task *t, const uint64_t a[6])
{
    struct lx_file *f = lx_fd_get(t, (int)a[0]);
    if (!f)
        return -LX_EBADF;
    int err = put_statfs(t, f->node, a[1]);
    lx_file_put(f);
    return err;
}
