/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Path lookup. A walk goes one component at a time through a heap copy of the path; a
 * symlink met on the way is replaced in that copy by its target (so there is no recursion,
 * and at most LX_SYMLOOP_MAX of them: then ELOOP). Nothing sleeps during a walk, so the
 * nodes it passes need no references; what it ends on gets them.
 */
#include "fs_impl.h"

struct lx_task *lx_walker;

struct lx_walk *lx_walk_new(struct lx_task *t, uint64_t upath, int *err)
{
    struct lx_walk *w = lx_alloc(sizeof *w);
    if (!w) {
        *err = -LX_ENOMEM;
        return NULL;
    }
    w->dir = w->node = NULL;
    long n = lx_strcpy_in(t, w->path, upath, sizeof w->path);
    if (n < 0) {
        lx_free(w);
        *err = (int)n;
        return NULL;
    }
    return w;
}

void lx_walk_done(struct lx_walk *w)
{
    if (!w)
        return;
    if (w->dir)
        lx_node_put(w->dir);
    if (w->node)
        lx_node_put(w->node);
    lx_free(w);
}

int lx_walk_base(struct lx_task *t, int dirfd, struct lx_node **out)
{
    if (dirfd == LX_AT_FDCWD) {
        *out = t->proc->fs->cwd;
        return 0;
    }
    struct lx_file *f = lx_fd_get(t, dirfd);
    if (!f)
        return -LX_EBADF;
    int err = f->node && LX_S_ISDIR(f->node->mode) ? 0 : -LX_ENOTDIR;
    *out = f->node; /* the descriptor table keeps it */
    lx_file_put(f);
    return err;
}

/* Put the target of link in place of the component that named it: the path goes on from
 * rest (an index into w->path). */
static int expand(struct lx_walk *w, struct lx_node *link, size_t rest)
{
    size_t tlen, rlen = strlen(w->path + rest);
    const char *target = lx_link_target(link, &tlen);
    if (tlen == 0)
        return -LX_ENOENT; /* /proc/<pid>/exe of a process without a program */
    if (tlen + rlen >= sizeof w->path)
        return -LX_ENAMETOOLONG;
    memmove(w->path + tlen, w->path + rest, rlen + 1);
    memcpy(w->path, target, tlen);
    return 0;
}

static int found(struct lx_walk *w, struct lx_node *dir, struct lx_node *node, int flags)
{
    if (flags & LX_WALK_PARENT) {
        w->dir = dir;
        lx_node_get(dir);
    }
    w->node = node;
    if (node)
        lx_node_get(node);
    return 0;
}

int lx_walk(struct lx_task *t, int dirfd, struct lx_walk *w, int flags)
{
    char *p = w->path;
    lx_walker = t;
    w->dir = w->node = NULL;
    w->slash = false;
    if (!*p)
        return -LX_ENOENT;
    struct lx_node *cur;
    if (*p == '/') {
        cur = lx_root;
    } else {
        int err = lx_walk_base(t, dirfd, &cur);
        if (err)
            return err;
    }
    int links = 0;
    size_t i = 0;
    for (;;) {
        while (p[i] == '/')
            i++;
        if (!p[i]) { /* only slashes: "/" */
            w->last = LX_LAST_ROOT;
            w->len = 0;
            w->name[0] = 0;
            return found(w, cur, cur, flags);
        }
        size_t start = i;
        while (p[i] && p[i] != '/')
            i++;
        size_t len = i - start, end = i;
        if (len > LX_NAME_MAX)
            return -LX_ENAMETOOLONG;
        while (p[i] == '/')
            i++;
        bool final = !p[i];
        if (!LX_S_ISDIR(cur->mode))
            return -LX_ENOTDIR;
        struct lx_node *next;
        int last = LX_LAST_NORM;
        if (len == 1 && p[start] == '.') {
            next = cur;
            last = LX_LAST_DOT;
        } else if (len == 2 && p[start] == '.' && p[start + 1] == '.') {
            next = lx_dotdot(cur);
            last = LX_LAST_DOTDOT;
            if (!next)
                return -LX_ENOENT; /* in a removed directory */
        } else {
            next = lx_dir_lookup(cur, p + start, len);
        }
        if (final) {
            memcpy(w->name, p + start, len);
            w->name[len] = 0;
            w->len = len;
            w->last = last;
            w->slash = end != i;
        }
        if (next && LX_S_ISLNK(next->mode) && (!final || (flags & LX_WALK_FOLLOW) || w->slash)) {
            if (++links > LX_SYMLOOP_MAX)
                return -LX_ELOOP;
            int err = expand(w, next, end);
            if (err)
                return err;
            if (p[0] == '/')
                cur = lx_root;
            i = 0;
            continue;
        }
        if (!next && (!final || !(flags & LX_WALK_PARENT)))
            return -LX_ENOENT;
        if (!final) {
            cur = next;
            continue;
        }
        if (next && w->slash && !LX_S_ISDIR(next->mode))
            return -LX_ENOTDIR;
        return found(w, cur, next, flags);
    }
}
