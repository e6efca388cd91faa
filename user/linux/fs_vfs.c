/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The file system tree: the image at /, the ram fs over the image's /tmp, the devices over
 * its /dev, the processes over its /proc; what is the same for every node (references, directory entries, "..", mounts);
 * working directories; execve's lookup.
 */
#include "fs_impl.h"

struct lx_node *lx_root;

uint64_t lx_fs_now(void)
{
    return lx_wall();
}

void lx_node_get(struct lx_node *n)
{
    if (n->fs == LX_FS_RAM || n->fs == LX_FS_PROC)
        n->refs++;
}

void lx_node_put(struct lx_node *n)
{
    if (n->fs == LX_FS_PROC) {
        lx_proc_node_put(n); /* may free it */
        return;
    }
    if (n->fs != LX_FS_RAM)
        return;
    if (--n->refs == 0 && n->links == 0)
        lx_ram_free(n);
}

static struct lx_node *cross_mounts(struct lx_node *n)
{
    while (n && n->mounted)
        n = n->mounted;
    return n;
}

struct lx_node *lx_dir_lookup(struct lx_node *dir, const char *name, size_t len)
{
    struct lx_node *n = NULL;
    const char *ename;
    size_t elen;
    switch (dir->fs) {
    case LX_FS_IMG:
        n = lx_img_lookup(dir, name, len);
        break;
    case LX_FS_RAM:
        for (struct lx_dirent *e = dir->ram.first; e; e = e->next)
            if (e->len == len && memcmp(e->name, name, len) == 0) {
                n = e->node;
                break;
            }
        break;
    case LX_FS_DEV:
        for (size_t i = 0; !n && lx_dev_entry(i, &ename, &elen, &n); i++)
            if (elen != len || memcmp(ename, name, len) != 0)
                n = NULL;
        break;
    case LX_FS_PROC:
        n = lx_proc_lookup(dir, name, len);
        break;
    }
    return cross_mounts(n);
}

struct lx_node *lx_dotdot(struct lx_node *dir)
{
    if (dir == lx_root)
        return dir;
    while (dir->covered)
        dir = dir->covered;
    return cross_mounts(dir->parent); /* NULL for a removed directory */
}

bool lx_is_mountpoint(struct lx_node *n)
{
    return n->mounted || n->covered;
}

static unsigned dtype(uint32_t mode)
{
    return (mode & LX_S_IFMT) >> 12; /* DT_* are the S_IF* type bits shifted down */
}

/* The i-th entry of dir past . and ..: false at the end; *next is where to go on. */
static bool own_entry(struct lx_node *dir, uint64_t i, const char **name, size_t *len,
                      struct lx_node **node, uint64_t *next)
{
    *next = i + 1;
    switch (dir->fs) {
    case LX_FS_IMG:
        return lx_img_dir_entry(dir, i, name, len, node);
    case LX_FS_DEV:
        return lx_dev_entry(i, name, len, node);
    case LX_FS_PROC:
        return lx_proc_dir_entry(dir, i, name, len, node);
    case LX_FS_RAM:
        for (struct lx_dirent *e = dir->ram.first; e; e = e->next)
            if (e->cookie - 2 >= i) {
                *name = e->name;
                *len = e->len;
                *node = e->node;
                *next = e->cookie - 1;
                return true;
            }
        return false;
    }
    return false;
}

bool lx_dir_entry(struct lx_node *dir, uint64_t pos, const char **name, size_t *len, uint64_t *ino,
                  unsigned *type, uint64_t *next)
{
    if (dir->fs == LX_FS_RAM && dir->links == 0)
        return false; /* a removed directory lists nothing, not even . and .. */
    if (pos < 2) {
        struct lx_node *n = pos == 0 ? dir : lx_dotdot(dir);
        *name = "..";
        *len = pos + 1;
        *ino = n ? n->ino : dir->ino;
        *type = dtype(LX_S_IFDIR);
        *next = pos + 1;
        return true;
    }
    struct lx_node *n;
    if (!own_entry(dir, pos - 2, name, len, &n, next))
        return false;
    *next += 2;
    *ino = n->ino;
    *type = dtype(n->mode);
    return true;
}

bool lx_dir_name_of(struct lx_node *dir, struct lx_node *node, const char **name, size_t *len)
{
    struct lx_node *n;
    uint64_t next;
    for (uint64_t i = 0; own_entry(dir, i, name, len, &n, &next); i = next)
        if (n == node)
            return true;
    return false;
}

bool lx_dir_empty(struct lx_node *dir)
{
    const char *name;
    size_t len;
    struct lx_node *n;
    uint64_t next;
    return !own_entry(dir, 0, &name, &len, &n, &next);
}

const char *lx_link_target(struct lx_node *n, size_t *len)
{
    if (n->fs == LX_FS_PROC)
        return lx_proc_link(n, len);
    *len = n->size;
    return n->fs == LX_FS_IMG ? (const char *)n->img.data : n->ram.target;
}

static void mount_on(const char *where, struct lx_node *root)
{
    struct lx_node *at = lx_img_lookup(lx_root, where, strlen(where));
    if (!at || !LX_S_ISDIR(at->mode) || !root) {
        printf("linux: no /%s: nothing mounted there\n", where);
        return;
    }
    at->mounted = root;
    root->covered = at;
}

int lx_fs_init(const void *image, size_t size)
{
    int err = lx_img_mount(image, size);
    if (err)
        return err;
    mount_on("tmp", lx_ram_mount());
    mount_on("dev", lx_dev_mount());
    mount_on("proc", lx_proc_mount());
    return 0;
}

struct lx_fsctx *lx_fsctx_new(void)
{
    struct lx_fsctx *c = lx_zalloc(sizeof *c);
    if (c) {
        c->refs = 1;
        c->cwd = lx_root;
        c->umask = 022;
    }
    return c;
}

struct lx_fsctx *lx_fsctx_dup(struct lx_fsctx *old)
{
    struct lx_fsctx *c = lx_zalloc(sizeof *c);
    if (c) {
        c->refs = 1;
        c->cwd = old->cwd;
        lx_node_get(c->cwd);
        c->umask = old->umask;
    }
    return c;
}

void lx_fsctx_put(struct lx_fsctx *c)
{
    if (c && --c->refs == 0) {
        lx_node_put(c->cwd);
        lx_free(c);
    }
}

int lx_exec_open(struct lx_task *t, const char *path, struct lx_file **out)
{
    size_t len = strlen(path);
    if (len == 0)
        return -LX_ENOENT;
    if (len >= LX_PATH_MAX)
        return -LX_ENAMETOOLONG;
    struct lx_walk *w = lx_alloc(sizeof *w);
    if (!w)
        return -LX_ENOMEM;
    memcpy(w->path, path, len + 1);
    int err = lx_walk(t, LX_AT_FDCWD, w, LX_WALK_FOLLOW);
    if (!err && (!LX_S_ISREG(w->node->mode) || !(w->node->mode & 0111)))
        err = -LX_EACCES;
    if (!err) {
        *out = lx_file_new(w->node, LX_O_RDONLY | LX_O_LARGEFILE);
        if (*out)
            w->node = NULL; /* the file holds it now */
        else
            err = -LX_ENOMEM;
    }
    lx_walk_done(w);
    return err;
}
