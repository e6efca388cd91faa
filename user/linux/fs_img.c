/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The read-only root file system: the image scripts/mklinuxfs.py writes (its comment and
 * docs/linux-files.md give the layout), read in place. lx_img_mount checks every field once,
 * so that nothing after it can read outside the image: offsets and sizes in range, inode
 * numbers in range, names well-formed and sorted, each directory named by exactly one
 * directory (its parent).
 */
#include "fs_impl.h"

#define IMG_HEADER 64
#define IMG_INODE  32
#define IMG_DIRENT 8

static const uint8_t *img;     /* the image */
static size_t img_size;        /* its bytes */
static struct lx_node *inodes; /* one node per inode, made at mount */
static uint32_t ninodes;

size_t lx_img_size(void)
{
    return img_size;
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
    return get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* True when [off, off + len) is inside the image (no overflow). */
static bool in_image(uint64_t off, uint64_t len)
{
    return off <= img_size && len <= img_size - off;
}

static int bad(const char *why, uint32_t i)
{
    printf("linux: the root file system image is bad: %s (inode %u)\n", why, i);
    return -LX_EINVAL;
}

/* The name at offset off: its bytes and length, or NULL if malformed. */
static const char *img_name(uint32_t off, size_t *len)
{
    if (!in_image(off, 1))
        return NULL;
    *len = img[off];
    if (*len == 0 || !in_image((uint64_t)off + 1, *len))
        return NULL;
    return (const char *)img + off + 1;
}

static int name_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
    int c = memcmp(a, b, alen < blen ? alen : blen);
    return c ? c : (alen > blen) - (alen < blen);
}

static int check_dir(uint32_t i, uint8_t *named)
{
    struct lx_node *d = &inodes[i];
    const char *prev = NULL;
    size_t prevlen = 0;
    for (uint64_t e = 0; e < d->size; e++) {
        const uint8_t *ent = d->img.data + e * IMG_DIRENT;
        uint32_t child = get32(ent);
        size_t len;
        const char *name = img_name(get32(ent + 4), &len);
        if (!name)
            return bad("a name outside the image", i);
        if (child == 0 || child >= ninodes)
            return bad("an entry's inode number is out of range", i);
        for (size_t k = 0; k < len; k++)
            if (name[k] == '/' || name[k] == 0)
                return bad("a name holds '/' or NUL", i);
        if ((len == 1 && name[0] == '.') || (len == 2 && name[0] == '.' && name[1] == '.'))
            return bad("an entry named . or ..", i);
        if (prev && name_cmp(prev, prevlen, name, len) >= 0)
            return bad("entries not sorted or a name twice", i);
        prev = name;
        prevlen = len;
        if (LX_S_ISDIR(inodes[child].mode)) {
            if (named[child]++ || inodes[child].parent != d)
                return bad("a directory not named once, by its parent", child);
            d->subdirs++;
        }
    }
    return 0;
}

static int check_inode(uint32_t i, uint64_t table)
{
    const uint8_t *p = img + table + (uint64_t)i * IMG_INODE;
    struct lx_node *n = &inodes[i];
    uint32_t mode = get32(p), parent = get32(p + 4);
    uint64_t off = get64(p + 8), size = get64(p + 16);
    if (mode & ~(LX_S_IFMT | 07777))
        return bad("unknown mode bits", i);
    n->fs = LX_FS_IMG;
    n->mode = mode;
    n->ino = i + 1;
    n->links = 1;
    n->img.index = i;
    n->size = size;
    switch (mode & LX_S_IFMT) {
    case LX_S_IFREG:
        if (!in_image(off, size))
            return bad("a file's contents outside the image", i);
        break;
    case LX_S_IFLNK:
        if (size == 0 || size >= LX_PATH_MAX || !in_image(off, size))
            return bad("a link target empty, too long or outside the image", i);
        for (uint64_t k = 0; k < size; k++)
            if (img[off + k] == 0)
                return bad("a link target holds NUL", i);
        break;
    case LX_S_IFDIR:
        if (size > img_size / IMG_DIRENT || !in_image(off, size * IMG_DIRENT) || off % 4)
            return bad("a directory's entries outside the image", i);
        if (parent >= ninodes || !LX_S_ISDIR(get32(img + table + (uint64_t)parent * IMG_INODE)))
            return bad("a directory's parent is not a directory", i);
        if ((i == 0) != (parent == i))
            return bad("only the root is its own parent", i);
        n->parent = &inodes[parent];
        break;
    default:
        return bad("not a file, directory or symlink", i);
    }
    n->img.data = img + off;
    return 0;
}

int lx_img_mount(const void *image, size_t size)
{
    img = image;
    img_size = size;
    if (size < IMG_HEADER || memcmp(img, "CFLINUXF", 8) != 0 || get32(img + 8) != 1)
        return bad("no image header (magic CFLINUXF, version 1)", 0);
    ninodes = get32(img + 12);
    uint64_t table = get64(img + 16);
    if (get64(img + 24) != size)
        return bad("its size is not the size it was built with", 0);
    if (ninodes == 0 || ninodes > size / IMG_INODE || table % 8 ||
        !in_image(table, (uint64_t)ninodes * IMG_INODE))
        return bad("the inode table is outside the image", 0);
    inodes = lx_zalloc(ninodes * sizeof *inodes);
    uint8_t *named = lx_zalloc(ninodes);
    int err = inodes && named ? 0 : bad("out of memory for its inodes", 0);
    uint64_t mtime = get64(img + 32) * 1000000000ull;
    for (uint32_t i = 0; !err && i < ninodes; i++) {
        err = check_inode(i, table);
        inodes[i].mtime = inodes[i].ctime = mtime;
    }
    if (!err && !LX_S_ISDIR(inodes[0].mode))
        err = bad("the root is not a directory", 0);
    for (uint32_t i = 0; !err && i < ninodes; i++)
        if (LX_S_ISDIR(inodes[i].mode))
            err = check_dir(i, named);
    for (uint32_t i = 1; !err && i < ninodes; i++)
        if (LX_S_ISDIR(inodes[i].mode) && !named[i])
            err = bad("a directory no directory names", i);
    lx_free(named);
    if (err) {
        lx_free(inodes);
        inodes = NULL;
        return err;
    }
    lx_root = &inodes[0];
    return 0;
}

long lx_img_read(struct lx_node *n, void *buf, size_t len, uint64_t off)
{
    if (off >= n->size)
        return 0;
    if (len > n->size - off)
        len = n->size - off;
    memcpy(buf, n->img.data + off, len);
    return (long)len;
}

bool lx_img_dir_entry(struct lx_node *dir, uint64_t i, const char **name, size_t *len,
                      struct lx_node **node)
{
    if (i >= dir->size)
        return false;
    const uint8_t *ent = dir->img.data + i * IMG_DIRENT;
    *name = img_name(get32(ent + 4), len); /* checked at mount */
    *node = &inodes[get32(ent)];
    return true;
}

/* Entries are sorted: a binary search. */
struct lx_node *lx_img_lookup(struct lx_node *dir, const char *name, size_t len)
{
    uint64_t lo = 0, hi = dir->size;
    while (lo < hi) {
        uint64_t mid = lo + (hi - lo) / 2;
        const char *n;
        size_t nlen;
        struct lx_node *node;
        lx_img_dir_entry(dir, mid, &n, &nlen, &node);
        int c = name_cmp(name, len, n, nlen);
        if (c == 0)
            return node;
        if (c < 0)
            hi = mid;
        else
            lo = mid + 1;
    }
    return NULL;
}
