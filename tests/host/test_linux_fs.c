/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Host tests of the Linux personality's file systems (user/linux/fs_*.c): the image check,
 * path walks, /tmp, /dev, descriptors, pipes, poll, and each call's errors. A small image is
 * built here in the format docs/linux-files.md gives; user memory is the host's (a "user
 * address" below 4096 faults).
 */
// uses: -Iuser/linux -Iuser/linux/arch/x86_64 -Iuser/lib lib/fmt.c user/linux/fs_proc.c user/linux/fs_statfs.c user/linux/fs_attr.c user/linux/fs_dev.c user/linux/fs_fd.c user/linux/fs_fdcalls.c user/linux/fs_img.c user/linux/fs_names.c user/linux/fs_open.c user/linux/fs_pipe.c user/linux/fs_poll.c user/linux/fs_ram.c user/linux/fs_rw.c user/linux/fs_stat.c user/linux/fs_vfs.c user/linux/fs_walk.c
#include "check.h"
#define main coffer_main /* l4.h declares a Coffer program's main(const char *arg) */
#include "fs_impl.h"
#undef main

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* --- stubs of the server -------------------------------------------------------------------- */

struct l4_mutex lx_lock;
static int sleeps, wakes, sigpipes;
void lx_wake(struct lx_waitq *q)
{
    (void)q;
    wakes++;
}
uint64_t lx_now(void)
{
    return 5000000000ull;
}
uint64_t lx_wall(void)
{
    return 1700000000ull * 1000000000ull;
}
/* A sleep without a deadline is cut by a signal; one with a deadline times out. */
int lx_sleep(struct lx_task *t, struct lx_waitq *q, uint64_t deadline)
{
    (void)t, (void)q;
    sleeps++;
    return deadline ? -LX_ETIMEDOUT : -LX_EINTR;
}
int lx_copy_in(struct lx_task *t, void *dst, uint64_t src, size_t len)
{
    (void)t;
    if (src < 4096)
        return -LX_EFAULT;
    memcpy(dst, (const void *)(uintptr_t)src, len);
    return 0;
}
int lx_copy_out(struct lx_task *t, uint64_t dst, const void *src, size_t len)
{
    (void)t;
    if (dst < 4096)
        return -LX_EFAULT;
    memcpy((void *)(uintptr_t)dst, src, len);
    return 0;
}
int lx_check_writable(struct lx_task *t, uint64_t dst, size_t len)
{
    (void)t, (void)len;
    return dst < 4096 ? -LX_EFAULT : 0;
}
long lx_strcpy_in(struct lx_task *t, char *dst, uint64_t src, size_t size)
{
    (void)t;
    if (src < 4096)
        return -LX_EFAULT;
    const char *s = (const char *)(uintptr_t)src;
    size_t n = 0;
    while (n < size && s[n])
        n++;
    if (n == size)
        return -LX_ENAMETOOLONG;
    memcpy(dst, (const char *)(uintptr_t)src, n + 1);
    return (long)n;
}
void *lx_alloc(size_t size)
{
    return malloc(size);
}
void *lx_zalloc(size_t size)
{
    return calloc(1, size);
}
void lx_free(void *p)
{
    free(p);
}
int lx_kill_proc(struct lx_proc *p, int sig)
{
    (void)p;
    sigpipes += sig == 13;
    return 0;
}
/* signal.c: no handlers here, the call's mask goes back at once */
long lx_sig_end_masked_call(struct lx_task *t, long result, uint64_t saved)
{
    t->sigmask = saved;
    return result;
}
/* proc.c and mem.c, for /proc: the processes are the test's (procs below) */
static struct lx_proc *procs;
struct lx_proc *lx_proc_first(void)
{
    return procs;
}
struct lx_proc *lx_proc_find(int pid)
{
    for (struct lx_proc *p = procs; p; p = p->next)
        if (p->pid == pid && p->state != LX_PROC_DEAD)
            return p;
    return NULL;
}
uint64_t lx_frames_total(void)
{
    return 1024;
}
uint64_t lx_frames_free(void)
{
    return 512;
}
void lx_mm_usage(struct lx_mm *mm, uint64_t *vsize, uint64_t *rss_pages)
{
    (void)mm;
    *vsize = 1 << 20;
    *rss_pages = 3;
}
/* The terminal (tty.c): what is written to it is kept. */
static char tty_out[256];
static size_t tty_len;
long tty_read(struct lx_task *t, void *buf, size_t len, bool nonblock)
{
    (void)t, (void)buf, (void)len, (void)nonblock;
    return 0;
}
long tty_write(struct lx_task *t, const void *buf, size_t len)
{
    (void)t;
    if (len > sizeof tty_out - tty_len)
        len = sizeof tty_out - tty_len;
    memcpy(tty_out + tty_len, buf, len);
    tty_len += len;
    return (long)len;
}
long tty_ioctl(struct lx_task *t, unsigned long cmd, uint64_t arg)
{
    (void)t, (void)cmd, (void)arg;
    return -LX_ENOTTY;
}
unsigned tty_poll(void)
{
    return LX_POLLOUT;
}

/* --- a small image: / with bin (prog 0755, sh -> prog), dev, etc (hello, noexec), loop -> loop,
 * proc, tmp ------------------------------------------------------------------------------------ */

struct ent {
    uint32_t child;
    const char *name;
};
static const struct inode {
    uint32_t mode, parent;
    const char *data; /* a file's contents, a link's target */
    struct ent ents[6];
} tree[] = {
    {LX_S_IFDIR | 0755,
     0,
     NULL,
     {{1, "bin"}, {2, "dev"}, {3, "etc"}, {4, "loop"}, {5, "proc"}, {6, "tmp"}}},
    {LX_S_IFDIR | 0755, 0, NULL, {{7, "prog"}, {8, "sh"}}},
    {LX_S_IFDIR | 0755, 0, NULL, {{0}}},
    {LX_S_IFDIR | 0755, 0, NULL, {{9, "hello"}, {10, "noexec"}}},
    {LX_S_IFLNK | 0777, 0, "loop", {{0}}},
    {LX_S_IFDIR | 0555, 0, NULL, {{0}}},
    {LX_S_IFDIR | 01777, 0, NULL, {{0}}},
    {LX_S_IFREG | 0755, 0, "\177ELF program", {{0}}},
    {LX_S_IFLNK | 0777, 0, "prog", {{0}}},
    {LX_S_IFREG | 0644, 0, "hello, world\n", {{0}}},
    {LX_S_IFREG | 0644, 0, "x", {{0}}},
};
#define NINODES (sizeof tree / sizeof tree[0])
static uint8_t image[16384];
static size_t image_size;

static void put32(uint8_t *p, uint64_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> 8 * i);
}
static void put64(uint8_t *p, uint64_t v)
{
    put32(p, v);
    put32(p + 4, v >> 32);
}

static void build_image(void)
{
    memset(image, 0, sizeof image);
    size_t at = 64 + 32 * NINODES;
    for (size_t i = 0; i < NINODES; i++) {
        const struct inode *n = &tree[i];
        uint8_t *ino = image + 64 + 32 * i;
        put32(ino, n->mode);
        uint64_t off, size;
        if (LX_S_ISDIR(n->mode)) {
            uint32_t names[6];
            size = 0;
            for (; size < 6 && n->ents[size].name; size++) {
                names[size] = (uint32_t)at;
                image[at] = (uint8_t)strlen(n->ents[size].name);
                memcpy(image + at + 1, n->ents[size].name, image[at]);
                at += 1 + image[at];
            }
            at = (at + 7) & ~7ul;
            off = at;
            for (size_t e = 0; e < size; e++, at += 8) {
                put32(image + at, n->ents[e].child);
                put32(image + at + 4, names[e]);
            }
            put32(ino + 4, 0); /* every directory is the root's child */
        } else {
            if (LX_S_ISREG(n->mode))
                at = (at + 4095) & ~4095ul;
            off = at;
            size = strlen(n->data);
            memcpy(image + at, n->data, size);
            at += size;
        }
        put64(ino + 8, off);
        put64(ino + 16, size);
    }
    image_size = (at + 4095) & ~4095ul;
    memcpy(image, "CFLINUXF", 8);
    put32(image + 8, 1);
    put32(image + 12, NINODES);
    put64(image + 16, 64);
    put64(image + 24, image_size);
}

/* --- calling ---------------------------------------------------------------------------------- */

static struct lx_proc proc;
static struct lx_task task = {.tid = 1, .proc = &proc};
#define U(p)          ((uint64_t)(uintptr_t)(p))
#define BAD           16ull
#define SC(name, ...) sys_##name(&task, (const uint64_t[6]){__VA_ARGS__})
#define AT_FDCWD      ((uint64_t)(int64_t)LX_AT_FDCWD)

static long open_(const char *path, uint64_t flags)
{
    return SC(open, U(path), flags, 0644);
}

static long read_all(long fd, char *buf, size_t len)
{
    long n = SC(read, (uint64_t)fd, U(buf), len);
    if (n >= 0 && (size_t)n < len)
        buf[n] = 0;
    return n;
}

/* --- tests ------------------------------------------------------------------------------------ */

static void bad_images_are_refused(void)
{
    build_image();
    uint8_t save[64 + 32 * NINODES];
    memcpy(save, image, sizeof save);
    CHECK_EQ(lx_fs_init(image, 10), -LX_EINVAL);
    image[0] = 'X'; /* magic */
    CHECK_EQ(lx_fs_init(image, image_size), -LX_EINVAL);
    memcpy(image, save, sizeof save);
    CHECK_EQ(lx_fs_init(image, image_size - 4096), -LX_EINVAL); /* size */
    put32(image + 12, 100000);                                  /* inode count */
    CHECK_EQ(lx_fs_init(image, image_size), -LX_EINVAL);
    memcpy(image, save, sizeof save);
    put64(image + 64 + 32 * 9 + 8, image_size - 2); /* a file past the end */
    CHECK_EQ(lx_fs_init(image, image_size), -LX_EINVAL);
    memcpy(image, save, sizeof save);
    put32(image + 64 + 32 * 4, 0060000 | 0644); /* a block device */
    CHECK_EQ(lx_fs_init(image, image_size), -LX_EINVAL);
    memcpy(image, save, sizeof save);
    put32(image + 64 + 32 * 3 + 4, 9); /* /etc's parent a file */
    CHECK_EQ(lx_fs_init(image, image_size), -LX_EINVAL);
    memcpy(image, save, sizeof save);
    /* an entry of / pointing at inode 99 */
    uint64_t root_ents = image[64 + 8] | (uint64_t)image[64 + 9] << 8;
    put32(image + root_ents, 99);
    CHECK_EQ(lx_fs_init(image, image_size), -LX_EINVAL);
    put32(image + root_ents, 2); /* "bin" naming /dev: /dev named twice */
    CHECK_EQ(lx_fs_init(image, image_size), -LX_EINVAL);
    build_image();
    CHECK_EQ(lx_fs_init(image, image_size), 0);
    proc.files = lx_files_new();
    proc.fs = lx_fsctx_new();
    CHECK(proc.files && proc.fs);
    proc.pid = 1; /* the one process /proc knows of */
    procs = &proc;
}

static void image_files_read_seek_stat(void)
{
    char buf[64];
    long fd = open_("/etc/hello", LX_O_RDONLY);
    CHECK_EQ(fd, 0);
    CHECK_EQ(read_all(fd, buf, 5), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    CHECK_EQ(SC(lseek, (uint64_t)fd, 0, 1), 5);
    CHECK_EQ(read_all(fd, buf, sizeof buf), 8);
    CHECK(strcmp(buf, ", world\n") == 0);
    CHECK_EQ(read_all(fd, buf, sizeof buf), 0);
    CHECK_EQ(SC(lseek, (uint64_t)fd, (uint64_t)-2, 2), 11);
    CHECK_EQ(SC(lseek, (uint64_t)fd, (uint64_t)-20, 2), -LX_EINVAL);
    CHECK_EQ(SC(lseek, (uint64_t)fd, 0, 9), -LX_EINVAL);
    CHECK_EQ(SC(lseek, (uint64_t)fd, 0x7fffffffffffffff, 1), -LX_EINVAL); /* overflow */
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 5, 7), 5);
    CHECK(memcmp(buf, "world", 5) == 0);
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 5, (uint64_t)-1), -LX_EINVAL);
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 5, 0x7ffffffffffffffe), -LX_EINVAL);
    CHECK_EQ(SC(lseek, (uint64_t)fd, 0, 2), 13);
    CHECK_EQ(SC(read, (uint64_t)fd, BAD, 5), 0); /* at the end: nothing to copy */
    CHECK_EQ(SC(lseek, (uint64_t)fd, 0, 0), 0);
    CHECK_EQ(SC(read, (uint64_t)fd, BAD, 5), -LX_EFAULT);
    CHECK_EQ(SC(read, (uint64_t)fd, U(buf), 1ull << 63),
             -LX_EFAULT); /* past user space, as Linux */
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 1ull << 63, 0), -LX_EFAULT);
    CHECK_EQ(SC(lseek, (uint64_t)fd, 0, 1), 0); /* a read that faulted did not move it */
    CHECK_EQ(SC(write, (uint64_t)fd, U("x"), 1), -LX_EBADF);
    struct lx_stat_ {
        uint64_t dev, ino, nlink;
        uint32_t mode, uid, gid, pad;
        uint64_t rdev;
        int64_t size, blksize, blocks;
        uint64_t rest[9];
    } st;
    CHECK_EQ(SC(fstat, (uint64_t)fd, U(&st)), 0);
    CHECK_EQ(st.mode, LX_S_IFREG | 0644);
    CHECK_EQ(st.size, 13);
    CHECK_EQ(SC(fstat, (uint64_t)fd, BAD), -LX_EFAULT);
    CHECK_EQ(SC(stat, U("/bin/sh"), U(&st)), 0);
    CHECK_EQ(st.mode, LX_S_IFREG | 0755);
    CHECK_EQ(SC(lstat, U("/bin/sh"), U(&st)), 0);
    CHECK_EQ(st.mode, LX_S_IFLNK | 0777);
    CHECK_EQ(st.size, 4);
    CHECK_EQ(SC(newfstatat, (uint64_t)fd, U(""), U(&st), LX_AT_EMPTY_PATH), 0);
    CHECK_EQ(st.size, 13);
    CHECK_EQ(SC(newfstatat, (uint64_t)fd, U(""), U(&st), 0), -LX_ENOENT);
    CHECK_EQ(SC(newfstatat, AT_FDCWD, U("/"), U(&st), 0x8000), -LX_EINVAL);
    CHECK_EQ(SC(stat, U("/etc"), U(&st)), 0);
    CHECK_EQ(st.nlink, 2);
    uint8_t stx[256];
    CHECK_EQ(SC(statx, AT_FDCWD, U("/etc/hello"), 0, 0x7ff, U(stx)), 0);
    CHECK_EQ(stx[0] | stx[1] << 8, 0x7ff);
    CHECK_EQ(SC(statx, AT_FDCWD, U("/etc/hello"), 0x6000, 0x7ff, U(stx)), -LX_EINVAL);
    CHECK_EQ(SC(statx, AT_FDCWD, U("/etc/hello"), 0, 0x80000000, U(stx)), -LX_EINVAL);
    CHECK_EQ(SC(close, (uint64_t)fd), 0);
    CHECK_EQ(SC(close, (uint64_t)fd), -LX_EBADF);
    CHECK_EQ(SC(close, (uint64_t)-1), -LX_EBADF);
    CHECK_EQ(SC(close, 100000), -LX_EBADF);
    CHECK_EQ(SC(read, (uint64_t)fd, U(buf), 1), -LX_EBADF);
}

static void open_errors(void)
{
    char longname[300], longpath[5000];
    memset(longname, 'a', sizeof longname);
    memcpy(longname, "/tmp/", 5);
    longname[5 + 256] = 0;
    memset(longpath, 'b', sizeof longpath);
    longpath[sizeof longpath - 1] = 0;
    CHECK_EQ(open_("/nope", LX_O_RDONLY), -LX_ENOENT);
    CHECK_EQ(open_("", LX_O_RDONLY), -LX_ENOENT);
    CHECK_EQ(open_("/etc/hello/x", LX_O_RDONLY), -LX_ENOTDIR);
    CHECK_EQ(open_("/etc/hello/", LX_O_RDONLY), -LX_ENOTDIR);
    CHECK_EQ(open_("/etc", LX_O_WRONLY), -LX_EISDIR);
    CHECK_EQ(open_("/etc", LX_O_RDONLY | LX_O_CREAT), -LX_EISDIR);
    CHECK_EQ(open_("/etc/hello", LX_O_RDWR), -LX_EROFS);
    CHECK_EQ(open_("/etc/hello", LX_O_RDONLY | LX_O_TRUNC), -LX_EROFS);
    CHECK_EQ(open_("/etc/new", LX_O_WRONLY | LX_O_CREAT), -LX_EROFS);
    CHECK_EQ(open_("/etc/hello", LX_O_WRONLY | LX_O_CREAT | LX_O_EXCL), -LX_EEXIST);
    CHECK_EQ(open_("/tmp/new/", LX_O_WRONLY | LX_O_CREAT), -LX_EISDIR);
    CHECK_EQ(open_("/etc/hello", LX_O_DIRECTORY), -LX_ENOTDIR);
    CHECK_EQ(open_("/tmp/x", LX_O_CREAT | LX_O_DIRECTORY), -LX_EINVAL);
    CHECK_EQ(open_("/loop", LX_O_RDONLY), -LX_ELOOP);
    CHECK_EQ(open_("/bin/sh", LX_O_RDONLY | LX_O_NOFOLLOW), -LX_ELOOP);
    CHECK_EQ(open_(longname, LX_O_RDONLY), -LX_ENAMETOOLONG);
    CHECK_EQ(open_(longpath, LX_O_RDONLY), -LX_ENAMETOOLONG);
    CHECK_EQ(SC(open, BAD, 0, 0), -LX_EFAULT);
    CHECK_EQ(SC(openat, 77, U("etc"), 0, 0), -LX_EBADF);
    long fd = open_("/etc/hello", LX_O_RDONLY);
    CHECK_EQ(SC(openat, (uint64_t)fd, U("x"), 0, 0), -LX_ENOTDIR);
    SC(close, (uint64_t)fd);
    long dir = open_("/etc", LX_O_RDONLY | LX_O_DIRECTORY);
    CHECK(dir >= 0);
    fd = SC(openat, (uint64_t)dir, U("hello"), 0, 0);
    CHECK(fd >= 0);
    CHECK_EQ(SC(openat, (uint64_t)dir, U("../bin/./sh"), 0, 0), fd + 1);
    CHECK_EQ(SC(close, (uint64_t)fd + 1), 0);
    CHECK_EQ(SC(close, (uint64_t)fd), 0);
    long path = SC(openat, AT_FDCWD, U("/bin/sh"), LX_O_PATH | LX_O_NOFOLLOW, 0);
    CHECK(path >= 0);
    char c;
    CHECK_EQ(SC(read, (uint64_t)path, U(&c), 1), -LX_EBADF);
    SC(close, (uint64_t)path);
    SC(close, (uint64_t)dir);
}

static void tmp_files(void)
{
    char buf[64];
    long fd = open_("/tmp/f", LX_O_RDWR | LX_O_CREAT | LX_O_EXCL);
    CHECK(fd >= 0);
    CHECK_EQ(SC(write, (uint64_t)fd, U("abcdef"), 6), 6);
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 10, 2), 4);
    CHECK(memcmp(buf, "cdef", 4) == 0);
    CHECK_EQ(SC(pwrite64, (uint64_t)fd, U("XY"), 2, 8192), 2); /* a hole */
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 4, 8190), 4);
    CHECK(memcmp(buf, "\0\0XY", 4) == 0);
    CHECK_EQ(SC(ftruncate, (uint64_t)fd, 3), 0);
    CHECK_EQ(SC(ftruncate, (uint64_t)fd, (uint64_t)-1), -LX_EINVAL);
    CHECK_EQ(SC(ftruncate, (uint64_t)fd, 1ull << 40), -LX_EFBIG);
    CHECK_EQ(SC(truncate, U("/tmp/f"), 5), 0);
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 10, 0), 5);
    CHECK(memcmp(buf, "abc\0\0", 5) == 0);
    CHECK_EQ(SC(truncate, U("/etc/hello"), 0), -LX_EROFS);
    CHECK_EQ(SC(truncate, U("/tmp"), 0), -LX_EISDIR);
    CHECK_EQ(SC(write, (uint64_t)fd, BAD, 3), -LX_EFAULT);
    CHECK_EQ(SC(write, (uint64_t)fd, BAD, 0), 0);
    long ap = open_("/tmp/f", LX_O_WRONLY | LX_O_APPEND);
    CHECK_EQ(SC(write, (uint64_t)ap, U("!"), 1), 1);
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 10, 0), 6);
    CHECK_EQ(buf[5], '!');
    /* unlinked while open: the data stays until the last close */
    CHECK_EQ(SC(unlink, U("/tmp/f")), 0);
    CHECK_EQ(SC(unlink, U("/tmp/f")), -LX_ENOENT);
    CHECK_EQ(open_("/tmp/f", LX_O_RDONLY), -LX_ENOENT);
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 10, 0), 6);
    SC(close, (uint64_t)ap);
    SC(close, (uint64_t)fd);
    /* O_TRUNC, creat */
    fd = SC(creat, U("/tmp/g"), 0600);
    CHECK(fd >= 0);
    CHECK_EQ(SC(write, (uint64_t)fd, U("12345"), 5), 5);
    SC(close, (uint64_t)fd);
    fd = open_("/tmp/g", LX_O_WRONLY | LX_O_TRUNC);
    struct {
        uint64_t dev, ino, nlink;
        uint32_t mode, uid, gid, pad;
        uint64_t rdev;
        int64_t size, rest[12];
    } st;
    CHECK_EQ(SC(fstat, (uint64_t)fd, U(&st)), 0);
    CHECK_EQ(st.size, 0);
    CHECK_EQ(st.mode, LX_S_IFREG | 0600);
    CHECK_EQ(SC(fchmod, (uint64_t)fd, 0640), 0);
    CHECK_EQ(SC(fstat, (uint64_t)fd, U(&st)), 0);
    CHECK_EQ(st.mode, LX_S_IFREG | 0640);
    CHECK_EQ(SC(chmod, U("/etc/hello"), 0600), -LX_EROFS);
    CHECK_EQ(SC(chown, U("/tmp/g"), 5, (uint64_t)-1), 0);
    CHECK_EQ(SC(stat, U("/tmp/g"), U(&st)), 0);
    CHECK_EQ(st.uid, 5);
    SC(close, (uint64_t)fd);
    /* umask */
    CHECK_EQ(SC(umask, 077), 022);
    fd = open_("/tmp/m", LX_O_WRONLY | LX_O_CREAT);
    CHECK_EQ(SC(fstat, (uint64_t)fd, U(&st)), 0);
    CHECK_EQ(st.mode, LX_S_IFREG | 0600);
    CHECK_EQ(SC(umask, 022), 077);
    SC(close, (uint64_t)fd);
    CHECK_EQ(SC(unlink, U("/tmp/m")), 0);
}

static void names_in_tmp(void)
{
    char buf[64];
    CHECK_EQ(SC(mkdir, U("/tmp/d"), 0755), 0);
    CHECK_EQ(SC(mkdir, U("/tmp/d"), 0755), -LX_EEXIST);
    CHECK_EQ(SC(mkdir, U("/etc"), 0755), -LX_EEXIST); /* before EROFS */
    CHECK_EQ(SC(mkdir, U("/etc/x"), 0755), -LX_EROFS);
    CHECK_EQ(SC(mkdir, U("/nope/x"), 0755), -LX_ENOENT);
    CHECK_EQ(SC(mkdir, U("/tmp/d/e/"), 0755), 0);
    CHECK_EQ(SC(rename, U("/tmp/g"), U("/tmp/d/e/h")), 0);
    CHECK_EQ(SC(rmdir, U("/tmp/d")), -LX_ENOTEMPTY);
    CHECK_EQ(SC(rmdir, U("/tmp/d/e/h")), -LX_ENOTDIR);
    CHECK_EQ(SC(unlink, U("/tmp/d")), -LX_EISDIR);
    CHECK_EQ(SC(rmdir, U("/tmp/d/.")), -LX_EINVAL);
    CHECK_EQ(SC(rmdir, U("/tmp/d/..")), -LX_ENOTEMPTY);
    CHECK_EQ(SC(rmdir, U("/")), -LX_EBUSY);
    CHECK_EQ(SC(rmdir, U("/tmp")), -LX_EROFS);
    CHECK_EQ(SC(rmdir, U("/etc/nope")), -LX_EROFS); /* before ENOENT */
    CHECK_EQ(SC(unlinkat, AT_FDCWD, U("/tmp/d"), 1), -LX_EINVAL);
    CHECK_EQ(SC(rename, U("/tmp/d"), U("/tmp/d/e/f")), -LX_EINVAL);
    CHECK_EQ(SC(rename, U("/tmp/d/e/h"), U("/x")), -LX_EXDEV);
    CHECK_EQ(SC(rename, U("/etc/hello"), U("/etc/x")), -LX_EROFS);
    CHECK_EQ(SC(rename, U("/tmp/nope"), U("/tmp/x")), -LX_ENOENT);
    CHECK_EQ(SC(rename, U("/tmp/d/e/h"), U("/tmp/d")), -LX_ENOTEMPTY); /* as Linux: an ancestor */
    CHECK_EQ(SC(mkdir, U("/tmp/empty"), 0755), 0);
    CHECK_EQ(SC(rename, U("/tmp/d/e/h"), U("/tmp/empty")), -LX_EISDIR);
    CHECK_EQ(SC(rename, U("/tmp/d/e"), U("/tmp/d/e/h")), -LX_EINVAL);
    CHECK_EQ(SC(rename, U("/tmp/empty"), U("/tmp/d/e/h")), -LX_ENOTDIR);
    CHECK_EQ(SC(rmdir, U("/tmp/empty")), 0);
    CHECK_EQ(SC(rename, U("/tmp/d"), U("/tmp/d/e/h")), -LX_EINVAL);
    CHECK_EQ(SC(renameat2, AT_FDCWD, U("/tmp/d"), AT_FDCWD, U("/tmp/q"), 1), -LX_EINVAL);
    CHECK_EQ(SC(rename, U("/tmp/d/."), U("/tmp/q")), -LX_EBUSY);
    /* links */
    CHECK_EQ(SC(link, U("/tmp/d/e/h"), U("/tmp/h2")), 0);
    CHECK_EQ(SC(link, U("/tmp/d/e/h"), U("/tmp/h2")), -LX_EEXIST);
    CHECK_EQ(SC(link, U("/tmp/d"), U("/tmp/d2")), -LX_EPERM);
    CHECK_EQ(SC(link, U("/etc/hello"), U("/tmp/h3")), -LX_EXDEV);
    CHECK_EQ(SC(link, U("/etc/hello"), U("/etc/h3")), -LX_EROFS);
    CHECK_EQ(SC(symlink, U("d/e/h"), U("/tmp/s")), 0);
    CHECK_EQ(SC(symlink, U("x"), U("/tmp/s")), -LX_EEXIST);
    CHECK_EQ(SC(symlink, U(""), U("/tmp/s2")), -LX_ENOENT);
    CHECK_EQ(SC(symlink, U("x"), U("/etc/s")), -LX_EROFS);
    CHECK_EQ(SC(readlink, U("/tmp/s"), U(buf), 3), 3);
    CHECK(memcmp(buf, "d/e", 3) == 0);
    CHECK_EQ(SC(readlink, U("/tmp/s"), U(buf), 0), -LX_EINVAL);
    CHECK_EQ(SC(readlink, U("/tmp/d"), U(buf), 10), -LX_EINVAL);
    CHECK_EQ(SC(readlink, U("/tmp/s"), BAD, 10), -LX_EFAULT);
    memcpy(proc.exe, "/bin/prog", 10);
    CHECK_EQ(SC(readlink, U("/proc/self/exe"), U(buf), sizeof buf), 9);
    CHECK(memcmp(buf, "/bin/prog", 9) == 0);
    long fd = open_("/tmp/s", LX_O_RDONLY);
    CHECK(fd >= 0);
    SC(close, (uint64_t)fd);
    /* O_CREAT through a dangling link makes its target */
    CHECK_EQ(SC(symlink, U("made"), U("/tmp/dangle")), 0);
    fd = open_("/tmp/dangle", LX_O_WRONLY | LX_O_CREAT);
    CHECK(fd >= 0);
    SC(close, (uint64_t)fd);
    CHECK_EQ(SC(access, U("/tmp/made"), 0), 0);
    CHECK_EQ(open_("/tmp/dangle", LX_O_WRONLY | LX_O_CREAT | LX_O_EXCL), -LX_EEXIST);
    /* a directory's listing */
    long dir = open_("/tmp", LX_O_RDONLY | LX_O_DIRECTORY);
    char ents[512];
    long n = SC(getdents64, (uint64_t)dir, U(ents), sizeof ents);
    CHECK(n > 0);
    int count = 0;
    bool saw_s = false;
    for (long at = 0; at < n;) {
        uint16_t reclen;
        memcpy(&reclen, ents + at + 16, 2);
        saw_s |= strcmp(ents + at + 19, "s") == 0;
        count++;
        at += reclen;
    }
    CHECK_EQ(count, 7); /* . .. d h2 s dangle made */
    CHECK(saw_s);
    CHECK_EQ(SC(getdents64, (uint64_t)dir, U(ents), sizeof ents), 0);
    CHECK_EQ(SC(lseek, (uint64_t)dir, 0, 0), 0);
    CHECK_EQ(SC(getdents64, (uint64_t)dir, U(ents), 10), -LX_EINVAL);
    CHECK_EQ(SC(getdents64, (uint64_t)dir, U(ents), 0xffffffffull), -LX_EINVAL); /* -1 as an int */
    CHECK_EQ(SC(getdents64, (uint64_t)dir, BAD, sizeof ents), -LX_EFAULT);
    CHECK_EQ(SC(read, (uint64_t)dir, U(ents), 10), -LX_EISDIR);
    fd = open_("/etc/hello", LX_O_RDONLY);
    CHECK_EQ(SC(getdents64, (uint64_t)fd, U(ents), sizeof ents), -LX_ENOTDIR);
    SC(close, (uint64_t)fd);
    SC(close, (uint64_t)dir);
    /* clean up */
    CHECK_EQ(SC(unlink, U("/tmp/dangle")), 0);
    CHECK_EQ(SC(unlink, U("/tmp/made")), 0);
    CHECK_EQ(SC(unlink, U("/tmp/s")), 0);
    CHECK_EQ(SC(unlink, U("/tmp/h2")), 0);
    CHECK_EQ(SC(unlink, U("/tmp/d/e/h")), 0);
    CHECK_EQ(SC(rmdir, U("/tmp/d/e")), 0);
    CHECK_EQ(SC(rename, U("/tmp/d"), U("/tmp/d2")), 0);
    CHECK_EQ(SC(rmdir, U("/tmp/d2")), 0);
}

static void cwd_and_dotdot(void)
{
    char buf[64];
    CHECK_EQ(SC(getcwd, U(buf), sizeof buf), 2);
    CHECK(strcmp(buf, "/") == 0);
    CHECK_EQ(SC(mkdir, U("/tmp/w"), 0755), 0);
    CHECK_EQ(SC(chdir, U("/tmp/w")), 0);
    CHECK_EQ(SC(getcwd, U(buf), sizeof buf), 7);
    CHECK(strcmp(buf, "/tmp/w") == 0);
    CHECK_EQ(SC(getcwd, U(buf), 6), -LX_ERANGE);
    CHECK_EQ(SC(getcwd, BAD, sizeof buf), -LX_EFAULT);
    long fd = open_("../../etc/hello", LX_O_RDONLY); /* across the mount, back to the image */
    CHECK(fd >= 0);
    CHECK_EQ(SC(chdir, U("../../etc/hello")), -LX_ENOTDIR);
    CHECK_EQ(SC(fchdir, (uint64_t)fd), -LX_ENOTDIR);
    SC(close, (uint64_t)fd);
    CHECK_EQ(SC(rmdir, U("/tmp/w")), 0); /* the cwd, removed */
    CHECK_EQ(SC(getcwd, U(buf), sizeof buf), -LX_ENOENT);
    CHECK_EQ(open_("x", LX_O_CREAT | LX_O_WRONLY), -LX_ENOENT);
    CHECK_EQ(open_("..", LX_O_RDONLY), -LX_ENOENT);
    long root = open_("/", LX_O_RDONLY);
    CHECK_EQ(SC(fchdir, (uint64_t)root), 0);
    CHECK_EQ(SC(fchdir, (uint64_t)(int64_t)LX_AT_FDCWD), -LX_EBADF); /* not a descriptor */
    SC(close, (uint64_t)root);
    CHECK_EQ(SC(getcwd, U(buf), sizeof buf), 2);
    CHECK_EQ(SC(chdir, U("/..")), 0);
    CHECK_EQ(SC(getcwd, U(buf), sizeof buf), 2);
}

static void descriptors(void)
{
    long fd = open_("/etc/hello", LX_O_RDONLY);
    CHECK_EQ(fd, 0);
    CHECK_EQ(SC(dup, (uint64_t)fd), 1);
    char c;
    CHECK_EQ(SC(read, 1, U(&c), 1), 1);
    CHECK_EQ(SC(lseek, 0, 0, 1), 1); /* the offset is shared */
    CHECK_EQ(SC(dup2, 0, 9), 9);
    CHECK_EQ(SC(dup2, 9, 9), 9);
    CHECK_EQ(SC(dup2, 50, 9), -LX_EBADF);
    CHECK_EQ(SC(dup2, 0, 256), -LX_EBADF);
    CHECK_EQ(SC(dup3, 0, 9, 0), 9);
    CHECK_EQ(SC(dup3, 9, 9, 0), -LX_EINVAL);
    CHECK_EQ(SC(dup3, 0, 9, 1), -LX_EINVAL);
    CHECK_EQ(SC(dup3, 0, 9, LX_O_CLOEXEC), 9);
    CHECK_EQ(SC(fcntl, 9, 1, 0), 1); /* F_GETFD */
    CHECK_EQ(SC(fcntl, 0, 0, 0), 2); /* F_DUPFD: the lowest free one */
    CHECK_EQ(SC(close, 2), 0);
    CHECK_EQ(SC(fcntl, 0, 1030, 5), 5);
    CHECK_EQ(SC(fcntl, 5, 1, 0), 1);
    CHECK_EQ(SC(fcntl, 5, 2, 0), 0);
    CHECK_EQ(SC(fcntl, 5, 1, 0), 0);
    CHECK_EQ(SC(fcntl, 0, 0, 256), -LX_EINVAL);
    CHECK_EQ(SC(fcntl, 0, 3, 0), LX_O_RDONLY | LX_O_LARGEFILE);
    CHECK_EQ(SC(fcntl, 0, 4, LX_O_NONBLOCK | LX_O_APPEND | LX_O_CREAT), 0);
    CHECK_EQ(SC(fcntl, 1, 3, 0), LX_O_RDONLY | LX_O_LARGEFILE | LX_O_NONBLOCK | LX_O_APPEND);
    CHECK_EQ(SC(fcntl, 0, 12345, 0), -LX_EINVAL);
    CHECK_EQ(SC(fcntl, 77, 1, 0), -LX_EBADF);
    CHECK_EQ(SC(ioctl, 0, 0x5401, 0), -LX_ENOTTY); /* TCGETS on a file */
    CHECK_EQ(SC(ioctl, 0, 0x5451, 0), 0);          /* FIOCLEX */
    CHECK_EQ(SC(fcntl, 0, 1, 0), 1);
    int on = 0;
    CHECK_EQ(SC(ioctl, 0, 0x5421, U(&on)), 0); /* FIONBIO */
    CHECK_EQ(SC(fcntl, 0, 3, 0) & LX_O_NONBLOCK, 0);
    CHECK_EQ(SC(ioctl, 0, 0x5421, BAD), -LX_EFAULT);
    /* fork: a copy of the table sharing the open files */
    struct lx_files *saved = proc.files, *child = lx_files_dup(proc.files);
    CHECK(child != NULL);
    proc.files = child;
    CHECK_EQ(SC(read, 5, U(&c), 1), 1);
    CHECK_EQ(SC(close, 1), 0);
    lx_files_cloexec(child); /* execve: 0 and 9 go */
    CHECK_EQ(SC(fcntl, 0, 1, 0), -LX_EBADF);
    CHECK_EQ(SC(fcntl, 9, 1, 0), -LX_EBADF);
    lx_files_put(child);
    proc.files = saved;
    CHECK_EQ(SC(lseek, 1, 0, 1), 2); /* the child's read moved the shared offset */
    /* the table's limit */
    long last = 0;
    for (int i = 0; i < LX_FD_MAX; i++) {
        long r = SC(dup, 0);
        if (r < 0) {
            CHECK_EQ(r, -LX_EMFILE);
            break;
        }
        last = r;
    }
    CHECK_EQ(last, LX_FD_MAX - 1);
    CHECK_EQ(open_("/etc/hello", 0), -LX_EMFILE);
    long p[1];
    CHECK_EQ(SC(pipe, U(p)), -LX_EMFILE);
    for (int i = 0; i < LX_FD_MAX; i++)
        SC(close, (uint64_t)i);
}

static void pipes(void)
{
    int fds[2];
    char buf[8192];
    CHECK_EQ(SC(pipe2, U(fds), LX_O_NONBLOCK), 0);
    CHECK_EQ(fds[0], 0);
    CHECK_EQ(fds[1], 1);
    CHECK_EQ(SC(read, 0, U(buf), 10), -LX_EAGAIN);
    CHECK_EQ(SC(write, 1, U("ping"), 4), 4);
    CHECK_EQ(SC(ioctl, 0, 0x541b, U(&fds[0])), 0); /* FIONREAD */
    CHECK_EQ(fds[0], 4);
    fds[0] = 0;
    CHECK_EQ(SC(read, 0, U(buf), 10), 4);
    CHECK_EQ(SC(lseek, 0, 0, 1), -LX_ESPIPE);
    CHECK_EQ(SC(pread64, 0, U(buf), 1, 0), -LX_ESPIPE);
    CHECK_EQ(SC(read, 1, U(buf), 1), -LX_EBADF);
    CHECK_EQ(SC(write, 0, U(buf), 1), -LX_EBADF);
    /* fill it: 64 KiB, then an atomic write that does not fit is refused whole */
    memset(buf, 'x', sizeof buf);
    long total = 0, n;
    while ((n = SC(write, 1, U(buf), 5000)) > 0)
        total += n;
    CHECK_EQ(n, -LX_EAGAIN);
    CHECK_EQ(total, LX_PIPE_SIZE); /* the last 5000 went in part (not atomic) */
    CHECK_EQ(SC(read, 0, U(buf), 100), 100);
    CHECK_EQ(SC(write, 1, U(buf), LX_PIPE_BUF), -LX_EAGAIN); /* 4096 atomic: no room */
    CHECK_EQ(SC(write, 1, U(buf), LX_PIPE_BUF + 1), 100);    /* not atomic: what fits */
    /* poll */
    struct {
        int32_t fd;
        int16_t events, revents;
    } pfd[3] = {{0, LX_POLLIN, 0}, {1, LX_POLLOUT, 0}, {42, LX_POLLIN, 0}};
    CHECK_EQ(SC(poll, U(pfd), 3, 0), 2);
    CHECK_EQ(pfd[0].revents, LX_POLLIN);
    CHECK_EQ(pfd[1].revents, 0);
    CHECK_EQ(pfd[2].revents, LX_POLLNVAL);
    CHECK_EQ(SC(poll, U(pfd), 1000, 0), -LX_EINVAL);
    CHECK_EQ(SC(poll, BAD, 1, 0), -LX_EFAULT);
    /* drain; the blocking kind of read on an empty pipe is cut by a signal */
    while (SC(read, 0, U(buf), sizeof buf) > 0)
        ;
    CHECK_EQ(SC(fcntl, 0, 4, 0), 0);
    int before = sleeps;
    CHECK_EQ(SC(read, 0, U(buf), 1), -LX_EINTR);
    CHECK_EQ(sleeps, before + 1);
    /* poll with a timeout: nothing to read, the time runs out */
    pfd[1].fd = -1;
    CHECK_EQ(SC(poll, U(pfd), 2, 10), 0);
    uint64_t readset = 1, writeset = 2;
    int64_t tv[2] = {0, 0};
    CHECK_EQ(SC(select, 2, U(&readset), U(&writeset), 0, U(tv)), 1);
    CHECK_EQ(readset, 0);
    CHECK_EQ(writeset, 2);
    readset = 1ull << 40;
    CHECK_EQ(SC(select, 41, U(&readset), 0, 0, U(tv)), -LX_EBADF);
    CHECK_EQ(SC(select, (uint64_t)-1, 0, 0, 0, U(tv)), -LX_EINVAL);
    tv[0] = -1;
    CHECK_EQ(SC(select, 1, 0, 0, 0, U(tv)), -LX_EINVAL);
    int64_t ts[2] = {0, 1000000000};
    CHECK_EQ(SC(ppoll, U(pfd), 1, U(ts), 0, 8), -LX_EINVAL);
    uint64_t mask = 0;
    ts[1] = 0;
    CHECK_EQ(SC(ppoll, U(pfd), 1, U(ts), U(&mask), 4), -LX_EINVAL);
    CHECK_EQ(SC(ppoll, U(pfd), 1, U(ts), U(&mask), 8), 0);
    /* no writers: end of file; no readers: EPIPE and SIGPIPE */
    CHECK_EQ(SC(close, 1), 0);
    CHECK_EQ(SC(read, 0, U(buf), 1), 0);
    CHECK_EQ(SC(poll, U(pfd), 1, 0), 1);
    CHECK_EQ(pfd[0].revents, LX_POLLHUP);
    CHECK_EQ(SC(pipe, U(fds)), 0);
    CHECK_EQ(SC(close, (uint64_t)fds[0]), 0);
    int pipes_before = sigpipes;
    CHECK_EQ(SC(write, (uint64_t)fds[1], U("x"), 1), -LX_EPIPE);
    CHECK_EQ(sigpipes, pipes_before + 1);
    CHECK_EQ(SC(pipe2, U(fds), 1), -LX_EINVAL);
    CHECK_EQ(SC(pipe2, BAD, 0), -LX_EFAULT);
    CHECK_EQ(SC(fcntl, 0, 0, 0), 1); /* nothing leaked from the failed pipe2 */
    for (int i = 0; i < 4; i++)
        SC(close, (uint64_t)i);
}

static void vectors_and_sendfile(void)
{
    int fds[2];
    CHECK_EQ(SC(pipe, U(fds)), 0);
    uint64_t iov[4] = {U("ab"), 2, U("cde"), 3};
    CHECK_EQ(SC(writev, (uint64_t)fds[1], U(iov), 2), 5);
    char a[2], b[10];
    uint64_t riov[4] = {U(a), 2, U(b), 10};
    CHECK_EQ(SC(readv, (uint64_t)fds[0], U(riov), 2), 5);
    CHECK(memcmp(a, "ab", 2) == 0 && memcmp(b, "cde", 3) == 0);
    /* a read into a bad buffer takes nothing from the pipe (Linux leaves the data there) */
    CHECK_EQ(SC(write, (uint64_t)fds[1], U("kept"), 4), 4);
    CHECK_EQ(SC(read, (uint64_t)fds[0], BAD, 4), -LX_EFAULT);
    CHECK_EQ(SC(read, (uint64_t)fds[0], U(b), 10), 4);
    CHECK(memcmp(b, "kept", 4) == 0);
    CHECK_EQ(SC(writev, (uint64_t)fds[1], U(iov), LX_IOV_MAX + 1), -LX_EINVAL);
    uint64_t neg[2] = {U("x"), (uint64_t)-1};
    CHECK_EQ(SC(writev, (uint64_t)fds[1], U(neg), 1), -LX_EINVAL);
    CHECK_EQ(SC(writev, (uint64_t)fds[1], BAD, 1), -LX_EFAULT);
    CHECK_EQ(SC(writev, (uint64_t)fds[1], U(iov), 0), 0);
    long in = open_("/etc/hello", LX_O_RDONLY);
    int64_t off = 7;
    CHECK_EQ(SC(sendfile, (uint64_t)fds[1], (uint64_t)in, U(&off), 100), 6);
    CHECK_EQ(off, 13);
    CHECK_EQ(SC(lseek, (uint64_t)in, 0, 1), 0);
    CHECK_EQ(SC(sendfile, (uint64_t)fds[1], (uint64_t)in, 0, 5), 5);
    CHECK_EQ(SC(lseek, (uint64_t)in, 0, 1), 5);
    CHECK_EQ(read_all(fds[0], b, 10), 10);
    CHECK(memcmp(b, "world\nhell", 10) == 0);
    CHECK_EQ(SC(sendfile, (uint64_t)in, (uint64_t)fds[0], 0, 5), -LX_EBADF);
    CHECK_EQ(SC(sendfile, (uint64_t)fds[1], (uint64_t)fds[0], 0, 5), -LX_EINVAL);
    off = -1;
    CHECK_EQ(SC(sendfile, (uint64_t)fds[1], (uint64_t)in, U(&off), 5), -LX_EINVAL);
    for (int i = 0; i < 3; i++)
        SC(close, (uint64_t)i);
}

static void devices(void)
{
    char buf[8] = "abcdefg";
    long null = open_("/dev/null", LX_O_RDWR), zero = open_("/dev/zero", LX_O_RDONLY);
    CHECK_EQ(SC(read, (uint64_t)null, U(buf), 8), 0);
    CHECK_EQ(SC(write, (uint64_t)null, U(buf), 8), 8);
    CHECK_EQ(SC(read, (uint64_t)zero, U(buf), 8), 8);
    CHECK(memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0);
    CHECK_EQ(SC(lseek, (uint64_t)zero, 100, 0), 0);
    CHECK_EQ(open_("/dev/nope", LX_O_RDONLY), -LX_ENOENT);
    CHECK_EQ(open_("/dev/new", LX_O_CREAT | LX_O_WRONLY), -LX_EROFS);
    SC(close, (uint64_t)null);
    SC(close, (uint64_t)zero);
    CHECK_EQ(lx_files_console(proc.files), 0);
    tty_len = 0;
    CHECK_EQ(SC(write, 2, U("out"), 3), 3);
    CHECK(tty_len == 3 && memcmp(tty_out, "out", 3) == 0);
    CHECK_EQ(SC(lseek, 1, 0, 0), -LX_ESPIPE);
    CHECK_EQ(SC(ioctl, 0, 0x5401, 0), -LX_ENOTTY); /* from the tty stub */
    struct lx_file *f;
    CHECK_EQ(lx_fd_file(&proc, 0, &f), -LX_ENODEV);
    for (int i = 0; i < 3; i++)
        SC(close, (uint64_t)i);
}

static void exec_and_mmap_lookups(void)
{
    struct lx_file *f;
    CHECK_EQ(lx_exec_open(&task, "/bin/sh", &f), 0); /* through the link */
    char buf[8];
    CHECK_EQ(lx_file_pread(f, buf, 4, 0), 4);
    CHECK(memcmp(buf, "\177ELF", 4) == 0);
    CHECK_EQ(lx_file_size(f), 12);
    lx_file_put(f);
    CHECK_EQ(lx_exec_open(&task, "/etc/noexec", &f), -LX_EACCES);
    CHECK_EQ(lx_exec_open(&task, "/etc", &f), -LX_EACCES);
    CHECK_EQ(lx_exec_open(&task, "/dev/null", &f), -LX_EACCES);
    CHECK_EQ(lx_exec_open(&task, "/nope", &f), -LX_ENOENT);
    CHECK_EQ(lx_exec_open(&task, "/etc/hello/x", &f), -LX_ENOTDIR);
    CHECK_EQ(lx_exec_open(&task, "/loop", &f), -LX_ELOOP);
    CHECK_EQ(lx_exec_open(&task, "", &f), -LX_ENOENT);
    long fd = open_("/etc/hello", LX_O_RDONLY);
    CHECK_EQ(lx_fd_file(&proc, (int)fd, &f), 0);
    CHECK_EQ(lx_file_pread(f, buf, 8, 7), 6);
    SC(close, (uint64_t)fd); /* the mapping's reference keeps it */
    CHECK_EQ(lx_file_pread(f, buf, 5, 0), 5);
    lx_file_put(f);
    CHECK_EQ(lx_fd_file(&proc, 200, &f), -LX_EBADF);
    CHECK_EQ(lx_fd_file(&proc, -1, &f), -LX_EBADF);
    int fds[2];
    SC(pipe, U(fds));
    CHECK_EQ(lx_fd_file(&proc, fds[0], &f), -LX_ENODEV);
    SC(close, 0);
    SC(close, 1);
    fd = open_("/tmp/wo", LX_O_WRONLY | LX_O_CREAT);
    CHECK_EQ(lx_fd_file(&proc, (int)fd, &f), -LX_EACCES);
    SC(close, (uint64_t)fd);
    SC(unlink, U("/tmp/wo"));
    /* access */
    CHECK_EQ(SC(access, U("/etc/hello"), 4), 0);
    CHECK_EQ(SC(access, U("/etc/hello"), 2), -LX_EROFS);
    CHECK_EQ(SC(access, U("/etc/hello"), 1), -LX_EACCES);
    CHECK_EQ(SC(access, U("/bin/sh"), 1), 0);
    CHECK_EQ(SC(access, U("/etc"), 1), 0);
    CHECK_EQ(SC(access, U("/etc/hello"), 8), -LX_EINVAL);
    CHECK_EQ(SC(faccessat2, AT_FDCWD, U("/etc/hello"), 0, 1), -LX_EINVAL);
    CHECK_EQ(SC(access, U("/nope"), 0), -LX_ENOENT);
}

static void quota(void)
{
    uint64_t before = lx_ram_used;
    long fd = open_("/tmp/big", LX_O_WRONLY | LX_O_CREAT);
    static char chunk[65536];
    long r = 0, total = 0;
    while ((r = SC(write, (uint64_t)fd, U(chunk), sizeof chunk)) > 0)
        total += r;
    CHECK_EQ(r, -LX_ENOSPC);
    CHECK(total > (long)LX_RAM_QUOTA - 65536 * 2 && total <= (long)LX_RAM_QUOTA);
    char name[32];
    int files = 0;
    for (; files < 100; files++) { /* even an empty file costs some of the quota */
        snprintf(name, sizeof name, "/tmp/m%d", files);
        long r2 = SC(mkdir, U(name), 0755);
        if (r2 < 0) {
            CHECK_EQ(r2, -LX_ENOSPC);
            break;
        }
    }
    CHECK(files < 100);
    CHECK_EQ(open_("/tmp/one-more", LX_O_CREAT | LX_O_WRONLY), -LX_ENOSPC);
    CHECK_EQ(SC(symlink, U("x"), U("/tmp/one-more")), -LX_ENOSPC);
    while (files-- > 0) {
        snprintf(name, sizeof name, "/tmp/m%d", files);
        CHECK_EQ(SC(rmdir, U(name)), 0);
    }
    SC(close, (uint64_t)fd);
    CHECK_EQ(SC(unlink, U("/tmp/big")), 0);
    CHECK_EQ(lx_ram_used, before);
    /* a file's largest size */
    fd = open_("/tmp/far", LX_O_WRONLY | LX_O_CREAT);
    CHECK_EQ(SC(pwrite64, (uint64_t)fd, U("x"), 1, LX_RAM_FILE_MAX), -LX_EFBIG);
    CHECK_EQ(SC(pwrite64, (uint64_t)fd, U("xy"), 2, LX_RAM_FILE_MAX - 1), 1);
    SC(close, (uint64_t)fd);
    CHECK_EQ(SC(unlink, U("/tmp/far")), 0);
    CHECK_EQ(lx_ram_used, before);
}

static void deep_links_and_long_walks(void)
{
    /* a chain of 41 links: ELOOP; 40 are fine */
    char name[32], target[32];
    for (int i = 1; i <= 41; i++) {
        snprintf(name, sizeof name, "/tmp/l%d", i);
        snprintf(target, sizeof target, i == 1 ? "/etc/hello" : "l%d", i - 1);
        CHECK_EQ(SC(symlink, U(target), U(name)), 0);
    }
    long fd = open_("/tmp/l40", LX_O_RDONLY);
    CHECK(fd >= 0);
    SC(close, (uint64_t)fd);
    CHECK_EQ(open_("/tmp/l41", LX_O_RDONLY), -LX_ELOOP);
    for (int i = 1; i <= 41; i++) {
        snprintf(name, sizeof name, "/tmp/l%d", i);
        CHECK_EQ(SC(unlink, U(name)), 0);
    }
    /* a link whose target makes the path too long */
    static char longtarget[LX_PATH_MAX];
    memset(longtarget, 'x', sizeof longtarget - 100);
    for (size_t i = 200; i < sizeof longtarget - 100; i += 200)
        longtarget[i] = '/';
    longtarget[sizeof longtarget - 100] = 0;
    CHECK_EQ(SC(symlink, U(longtarget), U("/tmp/long")), 0);
    static char path[LX_PATH_MAX];
    memset(path, 0, sizeof path);
    memcpy(path, "/tmp/long/", 10);
    memset(path + 10, 'y', 150);
    CHECK_EQ(open_(path, LX_O_RDONLY), -LX_ENAMETOOLONG);
    CHECK_EQ(SC(unlink, U("/tmp/long")), 0);
}

/* Does s hold sub? (lib/string.h has no strstr.) */
static bool has(const char *s, const char *sub)
{
    for (size_t n = strlen(sub); *s; s++)
        if (strncmp(s, sub, n) == 0)
            return true;
    return false;
}

static long read_file(const char *path, char *buf, size_t len)
{
    long fd = open_(path, LX_O_RDONLY);
    if (fd < 0)
        return fd;
    long n = read_all(fd, buf, len);
    SC(close, (uint64_t)fd);
    return n;
}

static void proc_files(void)
{
    static struct lx_proc zombie = {.pid = 8,
                                    .ppid = 7,
                                    .pgid = 7,
                                    .sid = 7,
                                    .comm = "true",
                                    .state = LX_PROC_ZOMBIE,
                                    .exit_status = 3 << 8};
    proc = (struct lx_proc){.pid = 7,
                            .ppid = 1,
                            .pgid = 7,
                            .sid = 7,
                            .comm = "sh",
                            .exe = "/bin/sh",
                            .cmdline = "sh\0-c\0",
                            .cmdline_len = 6,
                            .nthreads = 1,
                            .utime_ns = 250000000,
                            .files = proc.files,
                            .fs = proc.fs,
                            .mm = (struct lx_mm *)&zombie,
                            .next = &zombie};
    procs = &proc;
    char buf[1024];
    CHECK_EQ(SC(readlink, U("/proc/self"), U(buf), sizeof buf), 1);
    CHECK(buf[0] == '7');
    CHECK_EQ(SC(readlink, U("/proc/self/exe"), U(buf), sizeof buf), 7);
    CHECK(memcmp(buf, "/bin/sh", 7) == 0);
    CHECK_EQ(SC(readlink, U("/proc/8/exe"), U(buf), sizeof buf), -LX_ENOENT); /* none */
    CHECK_EQ(open_("/proc/8/exe", LX_O_RDONLY), -LX_ENOENT);
    CHECK(read_file("/proc/self/stat", buf, sizeof buf) > 0);
    CHECK(strncmp(buf, "7 (sh) R 1 7 7 0 -1 4194304 0 0 0 0 25 0 0 0 20 0 1 0 0 1048576 3 ", 66) ==
          0);
    int fields = 1;
    for (char *c = buf; *c; c++)
        fields += *c == ' ';
    CHECK_EQ(fields, 52);
    CHECK(read_file("/proc/7/status", buf, sizeof buf) > 0);
    CHECK(has(buf, "Name:\tsh\nState:\tR (running)\nTgid:\t7\nPid:\t7\nPPid:\t1\n"));
    CHECK(has(buf, "Threads:\t1\nVmSize:\t    1024 kB\nVmRSS:\t      12 kB\n"));
    CHECK_EQ(read_file("/proc/self/cmdline", buf, sizeof buf), 6);
    CHECK(memcmp(buf, "sh\0-c\0", 6) == 0);
    CHECK_EQ(read_file("/proc/8/comm", buf, sizeof buf), 5);
    CHECK(strcmp(buf, "true\n") == 0);
    CHECK(read_file("/proc/8/status", buf, sizeof buf) > 0);
    CHECK(has(buf, "State:\tZ (zombie)") && !has(buf, "VmSize"));
    CHECK(read_file("/proc/8/stat", buf, sizeof buf) > 0);
    CHECK(strncmp(buf, "8 (true) Z 7 7 7 ", 17) == 0);
    CHECK_EQ(read_file("/proc/8/cmdline", buf, sizeof buf), 0);
    CHECK(read_file("/proc/meminfo", buf, sizeof buf) > 0);
    CHECK(has(buf, "MemTotal:           4096 kB\nMemFree:            2048 kB\n"));
    CHECK(has(buf, "SwapTotal:             0 kB\n"));
    CHECK(read_file("/proc/uptime", buf, sizeof buf) > 0);
    CHECK(strcmp(buf, "5.00 0.00\n") == 0);
    CHECK(read_file("/proc/loadavg", buf, sizeof buf) > 0);
    CHECK(strcmp(buf, "0.00 0.00 0.00 1/1 7\n") == 0);
    CHECK(read_file("/proc/mounts", buf, sizeof buf) > 0);
    CHECK(has(buf, "tmpfs /tmp tmpfs rw 0 0\n") && has(buf, "proc /proc proc "));
    CHECK(read_file("/proc/stat", buf, sizeof buf) > 0 && strncmp(buf, "cpu  25 ", 8) == 0);
    CHECK(read_file("/proc/version", buf, sizeof buf) > 0 &&
          strncmp(buf, "Linux version", 13) == 0);
    /* a read from an offset; errors */
    long fd = open_("/proc/uptime", LX_O_RDONLY);
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 3, 2), 3);
    CHECK(memcmp(buf, "00 ", 3) == 0);
    CHECK_EQ(SC(pread64, (uint64_t)fd, U(buf), 3, 100), 0);
    CHECK_EQ(SC(write, (uint64_t)fd, U("x"), 1), -LX_EBADF);
    SC(close, (uint64_t)fd);
    fd = open_("/proc/uptime", LX_O_WRONLY); /* root may: writing is what fails */
    CHECK(fd >= 0);
    CHECK_EQ(SC(write, (uint64_t)fd, U("x"), 1), -LX_EIO);
    SC(close, (uint64_t)fd);
    CHECK_EQ(open_("/proc/99/stat", LX_O_RDONLY), -LX_ENOENT);
    CHECK_EQ(open_("/proc/07", LX_O_RDONLY), -LX_ENOENT);
    CHECK_EQ(open_("/proc/7/nothing", LX_O_RDONLY), -LX_ENOENT);
    CHECK_EQ(open_("/proc/new", LX_O_WRONLY | LX_O_CREAT), -LX_ENOENT);
    CHECK_EQ(SC(mkdir, U("/proc/7/d"), 0755), -LX_ENOENT);
    /* a listing names the fixed files and every process; .. of a process is /proc */
    fd = open_("/proc", LX_O_RDONLY | LX_O_DIRECTORY);
    long n = SC(getdents64, (uint64_t)fd, U(buf), sizeof buf);
    CHECK(n > 0);
    int seen = 0;
    for (long at = 0; at < n;) {
        const char *name = buf + at + 19;
        seen |= (strcmp(name, "self") == 0) | (strcmp(name, "meminfo") == 0) << 1 |
                (strcmp(name, "7") == 0) << 2 | (strcmp(name, "8") == 0) << 3;
        at += *(uint16_t *)(buf + at + 16);
    }
    CHECK_EQ(seen, 15);
    SC(close, (uint64_t)fd);
    CHECK_EQ(SC(chdir, U("/proc/self")), 0);
    CHECK_EQ(read_file("comm", buf, sizeof buf), 3);
    CHECK_EQ(SC(getcwd, U(buf), sizeof buf), 8);
    CHECK(strcmp(buf, "/proc/7") == 0);
    CHECK_EQ(SC(chdir, U("..")), 0);
    CHECK_EQ(SC(getcwd, U(buf), sizeof buf), 6);
    /* a process reaped while its file is open: ESRCH, and its nodes go at the last close */
    fd = open_("/proc/8/status", LX_O_RDONLY);
    CHECK(fd >= 0);
    CHECK_EQ(SC(chdir, U("8")), 0);
    proc.next = NULL;
    CHECK_EQ(read_all(fd, buf, sizeof buf), -LX_ESRCH);
    CHECK_EQ(read_file("status", buf, sizeof buf), -LX_ENOENT);
    CHECK_EQ(SC(chdir, U("/")), 0);
    SC(close, (uint64_t)fd);
    CHECK_EQ(open_("/proc/8", LX_O_RDONLY), -LX_ENOENT);
    proc.mm = NULL;
}

static void statfs_calls(void)
{
    struct {
        int64_t type, bsize;
        uint64_t blocks, bfree, bavail, files, ffree;
        int32_t fsid[2];
        int64_t namelen, frsize, flags, spare[4];
    } s;
    CHECK_EQ(SC(statfs, U("/tmp"), U(&s)), 0);
    CHECK_EQ(s.type, 0x01021994);
    CHECK_EQ(s.bsize, 4096);
    CHECK_EQ(s.blocks, (8u << 20) / 4096);
    CHECK(s.bfree > 0 && s.bfree <= s.blocks && s.namelen == 255);
    CHECK_EQ(SC(statfs, U("/etc/hello"), U(&s)), 0);
    CHECK_EQ(s.type, 0x73717368);
    CHECK_EQ(s.blocks, image_size / 4096);
    CHECK_EQ(s.bfree, 0);
    CHECK_EQ(SC(statfs, U("/proc/self"), U(&s)), 0);
    CHECK_EQ(s.type, 0x9fa0);
    CHECK_EQ(SC(statfs, U("/dev/null"), U(&s)), 0);
    CHECK_EQ(s.type, 0x01021994);
    CHECK_EQ(SC(statfs, U("/tmp"), BAD), -LX_EFAULT);
    CHECK_EQ(SC(statfs, BAD, U(&s)), -LX_EFAULT);
    CHECK_EQ(SC(statfs, U("/nothing"), U(&s)), -LX_ENOENT);
    CHECK_EQ(SC(statfs, U("/etc/hello/x"), U(&s)), -LX_ENOTDIR);
    long fd = open_("/tmp", LX_O_RDONLY);
    CHECK_EQ(SC(fstatfs, (uint64_t)fd, U(&s)), 0);
    CHECK_EQ(s.type, 0x01021994);
    CHECK_EQ(SC(fstatfs, (uint64_t)fd, BAD), -LX_EFAULT);
    SC(close, (uint64_t)fd);
    CHECK_EQ(SC(fstatfs, (uint64_t)fd, U(&s)), -LX_EBADF);
    CHECK_EQ(SC(fstatfs, 999, U(&s)), -LX_EBADF);
}

static void last_close_frees_everything(void)
{
    int fds[2];
    CHECK_EQ(SC(pipe, U(fds)), 0);
    CHECK_EQ(SC(write, (uint64_t)fds[1], U("z"), 1), 1);
    long fd = open_("/tmp/keep", LX_O_RDWR | LX_O_CREAT);
    CHECK_EQ(SC(write, (uint64_t)fd, U("data"), 4), 4);
    CHECK_EQ(SC(unlink, U("/tmp/keep")), 0);
    lx_files_put(proc.files); /* closes all: ASan reports a leaked pipe, file or node */
    lx_fsctx_put(proc.fs);
    proc.files = NULL;
    proc.fs = NULL;
}

int main(void)
{
    RUN("linux_fs", bad_images_are_refused);
    RUN("linux_fs", image_files_read_seek_stat);
    RUN("linux_fs", open_errors);
    RUN("linux_fs", tmp_files);
    RUN("linux_fs", names_in_tmp);
    RUN("linux_fs", cwd_and_dotdot);
    RUN("linux_fs", descriptors);
    RUN("linux_fs", pipes);
    RUN("linux_fs", vectors_and_sendfile);
    RUN("linux_fs", devices);
    RUN("linux_fs", exec_and_mmap_lookups);
    RUN("linux_fs", quota);
    RUN("linux_fs", deep_links_and_long_walks);
    RUN("linux_fs", proc_files);
    RUN("linux_fs", statfs_calls);
    RUN("linux_fs", last_close_frees_everything);
    return CHECK_DONE();
}
