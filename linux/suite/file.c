// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-300..349, files: openat, close, read, write, readv, writev, pread64, lseek, fstat,
 * newfstatat, statx, umask, unlinkat of files, and the flags O_APPEND, O_TRUNC, O_EXCL.
 */
#include "t.h"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/uio.h>

/* struct statx as the kernel fills it (musl 1.2.3's headers lack it) */
struct kstatx_ts {
    int64_t tv_sec;
    uint32_t tv_nsec;
    int32_t pad;
};
struct kstatx {
    uint32_t mask, blksize;
    uint64_t attributes;
    uint32_t nlink, uid, gid;
    uint16_t mode, pad1;
    uint64_t ino, size, blocks, attributes_mask;
    struct kstatx_ts atime, btime, ctime, mtime;
    uint32_t rdev_major, rdev_minor, dev_major, dev_minor;
    uint64_t spare[14];
};
#ifndef STATX_TYPE /* glibc's sys/stat.h has them; musl's does not */
#define STATX_BASIC_STATS 0x7ffU
#define STATX_TYPE        0x1U
#define STATX_SIZE        0x200U
#endif

static int open_at(const char *path, int flags, int mode)
{
    return (int)SC(SYS_openat, AT_FDCWD, path, flags, mode);
}

static void openat_errors(void)
{
    int fd = (int)OK(open_at("new", O_RDWR | O_CREAT | O_EXCL, 0644));
    CHECK(fd >= 0);
    ERR(EEXIST, open_at("new", O_RDWR | O_CREAT | O_EXCL, 0644));
    EQ(close(fd), 0);
    ERR(ENOENT, open_at("missing", O_RDONLY, 0));
    ERR(ENOENT, open_at("nodir/new", O_RDWR | O_CREAT, 0644));
    ERR(ENOENT, open_at("", O_RDONLY, 0));
    ERR(ENOTDIR, open_at("new/x", O_RDONLY, 0));
    ERR(ENOTDIR, open_at("new", O_RDONLY | O_DIRECTORY, 0));
    ERR(EISDIR, open_at(".", O_WRONLY, 0));
    ERR(EISDIR, open_at("/tmp", O_RDWR, 0));
    ERR(EFAULT, open_at((char *)1, O_RDONLY, 0));
    ERR(EBADF, SC(SYS_openat, 999, "new", O_RDONLY, 0));
    char longname[300];
    memset(longname, 'n', sizeof(longname) - 1);
    longname[sizeof(longname) - 1] = 0;
    ERR(ENAMETOOLONG, open_at(longname, O_RDONLY, 0));
    /* a relative path with a directory fd; an absolute one ignores the fd */
    int dir = (int)OK(open_at(".", O_RDONLY | O_DIRECTORY, 0));
    fd = (int)OK(SC(SYS_openat, dir, "new", O_RDONLY, 0));
    close(fd);
    int file = (int)OK(open_at("new", O_RDONLY, 0));
    ERR(ENOTDIR, SC(SYS_openat, file, "x", O_RDONLY, 0));
    fd = (int)OK(SC(SYS_openat, file, "/etc/passwd", O_RDONLY, 0));
    close(fd);
    close(file);
    close(dir);
    /* the lowest free number */
    int a = (int)OK(open_at("new", O_RDONLY, 0));
    int b = (int)OK(open_at("new", O_RDONLY, 0));
    EQ(b, a + 1);
    close(a);
    EQ(open_at("new", O_RDONLY, 0), a);
    close(a);
    close(b);
}

static void read_write(void)
{
    int fd = (int)OK(open_at("rw", O_RDWR | O_CREAT | O_TRUNC, 0644));
    EQ(write(fd, "hello, world", 12), 12);
    EQ(write(fd, "", 0), 0);
    EQ(lseek(fd, 0, SEEK_SET), 0);
    char buf[32] = {0};
    EQ(read(fd, buf, 5), 5);
    CHECK(memcmp(buf, "hello", 5) == 0);
    EQ(read(fd, buf, sizeof(buf)), 7); /* what is left */
    CHECK(memcmp(buf, ", world", 7) == 0);
    EQ(read(fd, buf, sizeof(buf)), 0); /* end of file */
    close(fd);
    ERR(EBADF, read(fd, buf, 1));
    ERR(EBADF, write(fd, "x", 1));
    ERR(EBADF, read(-1, buf, 1));
    fd = (int)OK(open_at("rw", O_RDONLY, 0));
    ERR(EBADF, write(fd, "x", 1));
    close(fd);
    fd = (int)OK(open_at("rw", O_WRONLY, 0));
    ERR(EBADF, read(fd, buf, 1));
    close(fd);
    fd = (int)OK(open_at(".", O_RDONLY | O_DIRECTORY, 0));
    ERR(EISDIR, read(fd, buf, 1));
    close(fd);
    /* a big write and read, more than a page at once */
    static char big[40000], back[40000];
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (char)(i * 7);
    fd = (int)OK(open_at("big", O_RDWR | O_CREAT | O_TRUNC, 0644));
    EQ(write(fd, big, sizeof(big)), sizeof(big));
    EQ(lseek(fd, 0, SEEK_SET), 0);
    size_t got = 0;
    while (got < sizeof(back)) {
        long n = OK(read(fd, back + got, sizeof(back) - got));
        CHECK(n > 0);
        got += (size_t)n;
    }
    CHECK(memcmp(big, back, sizeof(big)) == 0);
    close(fd);
}

static void vectors(void)
{
    int fd = (int)OK(open_at("vec", O_RDWR | O_CREAT | O_TRUNC, 0644));
    struct iovec w[3] = {{"abc", 3}, {"", 0}, {"defgh", 5}};
    EQ(SC(SYS_writev, fd, w, 3), 8);
    EQ(lseek(fd, 0, SEEK_SET), 0);
    char x[2], y[10] = {0};
    struct iovec r[2] = {{x, 2}, {y, sizeof(y)}};
    EQ(SC(SYS_readv, fd, r, 2), 8);
    CHECK(memcmp(x, "ab", 2) == 0 && memcmp(y, "cdefgh", 6) == 0);
    EQ(SC(SYS_readv, fd, r, 2), 0);
    EQ(SC(SYS_writev, fd, w, 0), 0);
    ERR(EINVAL, SC(SYS_writev, fd, w, -1));
    ERR(EINVAL, SC(SYS_readv, fd, r, 1025)); /* more than IOV_MAX */
    ERR(EFAULT, SC(SYS_writev, fd, (void *)1, 1));
    ERR(EFAULT, SC(SYS_readv, fd, (void *)1, 1));
    struct iovec bad[1] = {{(void *)1, 5}};
    ERR(EFAULT, SC(SYS_writev, fd, bad, 1));
    struct iovec huge[2] = {{x, 1}, {y, (size_t)-1}}; /* a length that is negative as ssize_t */
    ERR(EINVAL, SC(SYS_readv, fd, huge, 2));
    close(fd);
    ERR(EBADF, SC(SYS_writev, fd, w, 1));
    ERR(EBADF, SC(SYS_readv, fd, r, 1));
}

static void pread_offsets(void)
{
    t_make_file("pr", "0123456789");
    int fd = (int)OK(open_at("pr", O_RDONLY, 0));
    char b[4] = {0};
    EQ(SC(SYS_pread64, fd, b, 3, 4), 3);
    CHECK(memcmp(b, "456", 3) == 0);
    EQ(lseek(fd, 0, SEEK_CUR), 0); /* the offset did not move */
    EQ(SC(SYS_pread64, fd, b, 3, 9), 1);
    EQ(SC(SYS_pread64, fd, b, 3, 100), 0);
    ERR(EINVAL, SC(SYS_pread64, fd, b, 3, -1));
    int p[2];
    OK(pipe2(p, 0));
    ERR(ESPIPE, SC(SYS_pread64, p[0], b, 1, 0));
    close(p[0]);
    close(p[1]);
    close(fd);
    ERR(EBADF, SC(SYS_pread64, fd, b, 1, 0));
}

static void lseek_whence(void)
{
    t_make_file("sk", "0123456789");
    int fd = (int)OK(open_at("sk", O_RDWR, 0));
    EQ(lseek(fd, 3, SEEK_SET), 3);
    EQ(lseek(fd, 2, SEEK_CUR), 5);
    EQ(lseek(fd, -1, SEEK_END), 9);
    char b;
    EQ(read(fd, &b, 1), 1);
    EQ(b, '9');
    ERR(EINVAL, lseek(fd, 0, 7));
    ERR(EINVAL, lseek(fd, -20, SEEK_END));
    ERR(EINVAL, lseek(fd, -1, SEEK_SET));
    EQ(lseek(fd, 0, SEEK_CUR), 10); /* unchanged by the failures */
    /* past the end: a hole that reads as zeros */
    EQ(lseek(fd, 20, SEEK_SET), 20);
    EQ(write(fd, "x", 1), 1);
    char buf[21];
    EQ(SC(SYS_pread64, fd, buf, sizeof(buf), 0), 21);
    CHECK(buf[10] == 0 && buf[19] == 0 && buf[20] == 'x');
    int p[2];
    OK(pipe2(p, 0));
    ERR(ESPIPE, lseek(p[0], 0, SEEK_SET));
    ERR(ESPIPE, lseek(p[1], 0, SEEK_CUR));
    close(p[0]);
    close(p[1]);
    close(fd);
    ERR(EBADF, lseek(fd, 0, SEEK_SET));
}

static void open_flags(void)
{
    t_make_file("ap", "abc");
    int fd = (int)OK(open_at("ap", O_WRONLY | O_APPEND, 0));
    EQ(lseek(fd, 0, SEEK_SET), 0);
    EQ(write(fd, "de", 2), 2); /* at the end all the same */
    EQ(lseek(fd, 0, SEEK_CUR), 5);
    close(fd);
    char b[8] = {0};
    fd = (int)OK(open_at("ap", O_RDONLY, 0));
    EQ(read(fd, b, sizeof(b)), 5);
    CHECK(memcmp(b, "abcde", 5) == 0);
    close(fd);
    fd = (int)OK(open_at("ap", O_RDWR | O_TRUNC, 0));
    EQ(read(fd, b, sizeof(b)), 0);
    close(fd);
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "ap", &st, 0), 0);
    EQ(st.st_size, 0);
    /* O_CREAT on an existing file keeps it */
    t_make_file("keep", "kept");
    fd = (int)OK(open_at("keep", O_RDWR | O_CREAT, 0600));
    EQ(read(fd, b, sizeof(b)), 4);
    close(fd);
}

static void fstat_fields(void)
{
    t_make_file("st", "12345");
    int fd = (int)OK(open_at("st", O_RDONLY, 0));
    struct stat st;
    memset(&st, 0xff, sizeof(st));
    EQ(SC(SYS_fstat, fd, &st), 0);
    CHECK(S_ISREG(st.st_mode));
    EQ(st.st_mode & 07777, 0644);
    EQ(st.st_size, 5);
    EQ(st.st_nlink, 1);
    CHECK(st.st_ino != 0 && st.st_blksize > 0);
    struct stat st2;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "st", &st2, 0), 0);
    CHECK(st2.st_ino == st.st_ino && st2.st_dev == st.st_dev);
    ERR(EFAULT, SC(SYS_fstat, fd, (void *)1));
    close(fd);
    ERR(EBADF, SC(SYS_fstat, fd, &st));
    int p[2];
    OK(pipe2(p, 0));
    EQ(SC(SYS_fstat, p[0], &st), 0);
    CHECK(S_ISFIFO(st.st_mode));
    close(p[0]);
    close(p[1]);
    fd = (int)OK(open_at("/dev/null", O_RDWR, 0));
    EQ(SC(SYS_fstat, fd, &st), 0);
    CHECK(S_ISCHR(st.st_mode));
    close(fd);
    EQ(SC(SYS_fstat, 1, &st), 0); /* stdout is there */
}

static void fstatat_paths(void)
{
    t_make_file("sa", "abc");
    OK(mkdirat(AT_FDCWD, "sd", 0755));
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "sa", &st, 0), 0);
    CHECK(S_ISREG(st.st_mode) && st.st_size == 3);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "sd", &st, AT_SYMLINK_NOFOLLOW), 0);
    CHECK(S_ISDIR(st.st_mode));
    EQ(st.st_mode & 07777, 0755);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/", &st, 0), 0);
    CHECK(S_ISDIR(st.st_mode));
    int fd = (int)OK(open_at("sa", O_RDONLY, 0));
    EQ(SC(SYS_newfstatat, fd, "", &st, AT_EMPTY_PATH), 0);
    CHECK(S_ISREG(st.st_mode) && st.st_size == 3);
    ERR(ENOENT, SC(SYS_newfstatat, fd, "", &st, 0));
    ERR(ENOTDIR, SC(SYS_newfstatat, fd, "x", &st, 0));
    close(fd);
    int dir = (int)OK(open_at(".", O_RDONLY | O_DIRECTORY, 0));
    EQ(SC(SYS_newfstatat, dir, "sa", &st, 0), 0);
    close(dir);
    ERR(ENOENT, SC(SYS_newfstatat, AT_FDCWD, "nothing", &st, 0));
    ERR(ENOTDIR, SC(SYS_newfstatat, AT_FDCWD, "sa/x", &st, 0));
    ERR(EFAULT, SC(SYS_newfstatat, AT_FDCWD, (void *)1, &st, 0));
    ERR(EFAULT, SC(SYS_newfstatat, AT_FDCWD, "sa", (void *)1, 0));
    ERR(EINVAL, SC(SYS_newfstatat, AT_FDCWD, "sa", &st, 0x12340000));
    ERR(EBADF, SC(SYS_newfstatat, 999, "sa", &st, 0));
}

static void statx_fields(void)
{
    t_make_file("sx", "abcdef");
    struct kstatx sx;
    memset(&sx, 0xff, sizeof(sx));
    EQ(SC(SYS_statx, AT_FDCWD, "sx", 0, STATX_BASIC_STATS, &sx), 0);
    CHECK((sx.mask & (STATX_TYPE | STATX_SIZE)) == (STATX_TYPE | STATX_SIZE));
    CHECK(S_ISREG(sx.mode));
    EQ(sx.size, 6);
    EQ(sx.nlink, 1);
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "sx", &st, 0), 0);
    EQ(sx.ino, st.st_ino);
    int fd = (int)OK(open_at("sx", O_RDONLY, 0));
    EQ(SC(SYS_statx, fd, "", AT_EMPTY_PATH, STATX_BASIC_STATS, &sx), 0);
    EQ(sx.size, 6);
    close(fd);
    ERR(ENOENT, SC(SYS_statx, AT_FDCWD, "nothing", 0, STATX_BASIC_STATS, &sx));
    ERR(EINVAL, SC(SYS_statx, AT_FDCWD, "sx", 0, 0x80000000U, &sx)); /* reserved mask bit */
    ERR(EINVAL, SC(SYS_statx, AT_FDCWD, "sx", 0x12340000, STATX_BASIC_STATS, &sx));
    ERR(EFAULT, SC(SYS_statx, AT_FDCWD, "sx", 0, STATX_BASIC_STATS, (void *)1));
    ERR(EFAULT, SC(SYS_statx, AT_FDCWD, (void *)1, 0, STATX_BASIC_STATS, &sx));
}

static void umask_modes(void)
{
    EQ(SC(SYS_umask, 077), 022);
    int fd = (int)OK(open_at("um", O_WRONLY | O_CREAT, 0666));
    close(fd);
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "um", &st, 0), 0);
    EQ(st.st_mode & 0777, 0600);
    OK(mkdirat(AT_FDCWD, "umd", 0777));
    EQ(SC(SYS_newfstatat, AT_FDCWD, "umd", &st, 0), 0);
    EQ(st.st_mode & 0777, 0700);
    EQ(SC(SYS_umask, 0777 | 070000), 077); /* only the permission bits are kept */
    EQ(SC(SYS_umask, 022), 0777);
}

static void unlink_files(void)
{
    t_make_file("ul", "still here");
    int fd = (int)OK(open_at("ul", O_RDONLY, 0));
    EQ(SC(SYS_unlinkat, AT_FDCWD, "ul", 0), 0);
    ERR(ENOENT, open_at("ul", O_RDONLY, 0));
    ERR(ENOENT, SC(SYS_unlinkat, AT_FDCWD, "ul", 0));
    char b[16] = {0};
    EQ(read(fd, b, sizeof(b)), 10); /* an open file outlives its name */
    CHECK(memcmp(b, "still here", 10) == 0);
    close(fd);
    OK(mkdirat(AT_FDCWD, "uld", 0755));
    ERR(EISDIR, SC(SYS_unlinkat, AT_FDCWD, "uld", 0));
    t_make_file("ulf", "");
    ERR(ENOTDIR, SC(SYS_unlinkat, AT_FDCWD, "ulf", AT_REMOVEDIR));
    ERR(ENOTDIR, SC(SYS_unlinkat, AT_FDCWD, "ulf/x", 0));
    ERR(EINVAL, SC(SYS_unlinkat, AT_FDCWD, "ulf", 0x1));
    ERR(EFAULT, SC(SYS_unlinkat, AT_FDCWD, (void *)1, 0));
    EQ(SC(SYS_unlinkat, AT_FDCWD, "ulf", 0), 0);
    /* the name can be used again at once */
    t_make_file("ulf", "new");
    EQ(SC(SYS_unlinkat, AT_FDCWD, "ulf", 0), 0);
}

/* All of a small file (a /proc one: st_size 0, read to the end), NUL-terminated. */
static size_t read_small(const char *path, char *b, size_t size)
{
    int fd = (int)OK(open_at(path, O_RDONLY, 0));
    size_t n = 0;
    long r;
    while (n < size - 1 && (r = OK(read(fd, b + n, size - 1 - n))) > 0)
        n += (size_t)r;
    close(fd);
    b[n] = 0;
    return n;
}

static void proc_self(void)
{
    char b[1024];
    read_small("/proc/self/stat", b, sizeof(b));
    EQ(atoi(b), getpid());
    char *r = strrchr(b, ')'); /* after the (comm), which may hold anything */
    CHECK(r && r[1] == ' ');
    char state = 0;
    int ppid = 0, pgrp = 0, fields = 2;
    CHECK(sscanf(r + 2, "%c %d %d", &state, &ppid, &pgrp) == 3);
    EQ(state, 'R'); /* the reader is running */
    EQ(ppid, getppid());
    EQ(pgrp, getpgrp());
    for (char *c = r + 1; *c; c++)
        fields += *c == ' ';
    CHECKF(fields >= 44, "/proc/self/stat has %d fields", fields);
    char l[32] = {0};
    OK(readlink("/proc/self", l, sizeof(l) - 1));
    EQ(atoi(l), getpid());
    read_small("/proc/self/status", b, sizeof(b));
    char want[32];
    snprintf(want, sizeof(want), "\nPid:\t%d\n", getpid());
    CHECKF(strstr(b, want), "/proc/self/status: %s", b);
    read_small("/proc/meminfo", b, sizeof(b));
    unsigned long total = 0;
    CHECK(sscanf(b, "MemTotal: %lu kB", &total) == 1 && total > 0);
    double up = -1;
    read_small("/proc/uptime", b, sizeof(b));
    CHECK(sscanf(b, "%lf", &up) == 1 && up >= 0);
    if (geteuid() == 0) { /* root may open it: the write fails */
        int fd = (int)OK(open_at("/proc/uptime", O_WRONLY, 0));
        ERR(EIO, write(fd, "1", 1));
        close(fd);
    } else {
        ERR(EACCES, open_at("/proc/uptime", O_WRONLY, 0));
    }
    ERR(ENOENT, open_at("/proc/new-lxsuite", O_WRONLY | O_CREAT, 0644));
    ERR(ENOENT, open_at("/proc/self/nothing", O_RDONLY, 0));
}

static void statfs_calls(void)
{
    struct statfs s;
    OK(statfs("/tmp", &s));
    CHECK(s.f_bsize > 0 && s.f_blocks > 0 && s.f_bfree <= s.f_blocks);
    OK(statfs("/proc", &s));
    EQ(s.f_type, 0x9fa0); /* PROC_SUPER_MAGIC */
    int fd = (int)OK(open_at("/proc/self/stat", O_RDONLY, 0));
    OK(fstatfs(fd, &s));
    EQ(s.f_type, 0x9fa0);
    ERR(EFAULT, SC(SYS_fstatfs, fd, (void *)1));
    close(fd);
    ERR(EBADF, SC(SYS_fstatfs, fd, &s));
    ERR(EFAULT, SC(SYS_statfs, "/tmp", (void *)1));
    ERR(EFAULT, SC(SYS_statfs, (void *)1, &s));
    ERR(ENOENT, SC(SYS_statfs, "/nonexistent-lxsuite", &s));
}

T_AREA(file, {300, "openat", openat_errors}, {301, "read and write", read_write},
       {302, "readv and writev", vectors}, {303, "pread64", pread_offsets},
       {304, "lseek", lseek_whence}, {305, "O_APPEND, O_TRUNC, O_CREAT", open_flags},
       {306, "fstat", fstat_fields}, {307, "newfstatat", fstatat_paths},
       {308, "statx", statx_fields}, {309, "umask", umask_modes},
       {310, "unlinkat of files", unlink_files}, {311, "/proc/self and /proc/meminfo", proc_self},
       {312, "statfs and fstatfs", statfs_calls});
