// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-350..399, directories and names: mkdirat, getdents64, unlinkat with AT_REMOVEDIR,
 * renameat, getcwd and chdir, readlink, faccessat, and how paths resolve.
 */
#include "t.h"

#include <fcntl.h>
#include <stddef.h>
#include <string.h>
#include <sys/stat.h>

struct dent {
    uint64_t ino;
    int64_t off;
    unsigned short reclen;
    unsigned char type;
    char name[];
};
#define DT_DIR_ 4
#define DT_REG_ 8

static void mkdir_calls(void)
{
    EQ(SC(SYS_mkdirat, AT_FDCWD, "d", 0755), 0);
    ERR(EEXIST, SC(SYS_mkdirat, AT_FDCWD, "d", 0755));
    t_make_file("f", "");
    ERR(EEXIST, SC(SYS_mkdirat, AT_FDCWD, "f", 0755));
    ERR(ENOENT, SC(SYS_mkdirat, AT_FDCWD, "none/d", 0755));
    ERR(ENOTDIR, SC(SYS_mkdirat, AT_FDCWD, "f/d", 0755));
    ERR(EFAULT, SC(SYS_mkdirat, AT_FDCWD, (void *)1, 0755));
    ERR(ENOENT, SC(SYS_mkdirat, AT_FDCWD, "", 0755));
    int d = (int)OK(SC(SYS_openat, AT_FDCWD, "d", O_RDONLY | O_DIRECTORY));
    EQ(SC(SYS_mkdirat, d, "sub", 0700), 0);
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "d/sub", &st, 0), 0);
    CHECK(S_ISDIR(st.st_mode));
    EQ(st.st_mode & 0777, 0700);
    ERR(EBADF, SC(SYS_mkdirat, 999, "x", 0755));
    int f = (int)OK(SC(SYS_openat, AT_FDCWD, "f", O_RDONLY));
    ERR(ENOTDIR, SC(SYS_mkdirat, f, "x", 0755));
    close(f);
    close(d);
}

/* the names in directory fd, as "name/type name/type ..." sorted by the caller's order */
static int list(int fd, char names[][32], unsigned char *types, int max, size_t bufsize)
{
    char buf[4096];
    int n = 0;
    long got;
    CHECK(bufsize <= sizeof(buf));
    while ((got = SC(SYS_getdents64, fd, buf, bufsize)) > 0) {
        for (long off = 0; off < got;) {
            struct dent *d = (void *)(buf + off);
            CHECKF(d->reclen >= offsetof(struct dent, name) + 2 && d->reclen % 8 == 0 &&
                       off + d->reclen <= got,
                   "bad d_reclen %u", d->reclen);
            CHECK(d->ino != 0);
            CHECKF(n < max, "more than %d entries: a name twice?", max);
            snprintf(names[n], 32, "%s", d->name);
            types[n++] = d->type;
            off += d->reclen;
        }
    }
    CHECKF(got == 0, "getdents64: %s", t_errname(errno));
    return n;
}

static int find(char names[][32], int n, const char *name)
{
    for (int i = 0; i < n; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

static void getdents_lists(void)
{
    OK(mkdirat(AT_FDCWD, "ls", 0755));
    t_make_file("ls/a", "1");
    t_make_file("ls/bb", "22");
    OK(mkdirat(AT_FDCWD, "ls/sub", 0755));
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "ls", O_RDONLY | O_DIRECTORY));
    char names[16][32];
    unsigned char types[16];
    int n = list(fd, names, types, 16, 4096);
    EQ(n, 5);
    const char *want[] = {".", "..", "a", "bb", "sub"};
    for (int i = 0; i < 5; i++)
        CHECKF(find(names, n, want[i]) >= 0, "no entry %s", want[i]);
    EQ(types[find(names, n, "a")], DT_REG_);
    EQ(types[find(names, n, "sub")], DT_DIR_);
    EQ(types[find(names, n, ".")], DT_DIR_);
    /* again from the start, a few bytes at a time: the same entries, none twice */
    EQ(lseek(fd, 0, SEEK_SET), 0);
    EQ(list(fd, names, types, 16, 40), 5);
    /* a removed entry is gone */
    OK(unlinkat(AT_FDCWD, "ls/bb", 0));
    EQ(lseek(fd, 0, SEEK_SET), 0);
    n = list(fd, names, types, 16, 4096);
    EQ(n, 4);
    CHECK(find(names, n, "bb") < 0);
    char buf[512];
    EQ(lseek(fd, 0, SEEK_SET), 0);
    ERR(EINVAL, SC(SYS_getdents64, fd, buf, 10)); /* too small for one entry */
    ERR(EFAULT, SC(SYS_getdents64, fd, (void *)1, sizeof(buf)));
    close(fd);
    ERR(EBADF, SC(SYS_getdents64, fd, buf, sizeof(buf)));
    fd = (int)OK(SC(SYS_openat, AT_FDCWD, "ls/a", O_RDONLY));
    ERR(ENOTDIR, SC(SYS_getdents64, fd, buf, sizeof(buf)));
    close(fd);
    /* the root of the image lists its directories */
    fd = (int)OK(SC(SYS_openat, AT_FDCWD, "/", O_RDONLY | O_DIRECTORY));
    char many[64][32];
    unsigned char mt[64];
    n = list(fd, many, mt, 64, 4096);
    CHECK(find(many, n, "tmp") >= 0 && find(many, n, "etc") >= 0 && find(many, n, "dev") >= 0);
    close(fd);
}

static void rmdir_calls(void)
{
    OK(mkdirat(AT_FDCWD, "rd", 0755));
    t_make_file("rd/f", "");
    ERR(ENOTEMPTY, SC(SYS_unlinkat, AT_FDCWD, "rd", AT_REMOVEDIR));
    OK(unlinkat(AT_FDCWD, "rd/f", 0));
    ERR(EINVAL, SC(SYS_unlinkat, AT_FDCWD, "rd/.", AT_REMOVEDIR));
    EQ(SC(SYS_unlinkat, AT_FDCWD, "rd", AT_REMOVEDIR), 0);
    ERR(ENOENT, SC(SYS_unlinkat, AT_FDCWD, "rd", AT_REMOVEDIR));
    struct stat st;
    ERR(ENOENT, SC(SYS_newfstatat, AT_FDCWD, "rd", &st, 0));
    /* a directory fd for the parent */
    OK(mkdirat(AT_FDCWD, "rd2", 0755));
    OK(mkdirat(AT_FDCWD, "rd2/in", 0755));
    int d = (int)OK(SC(SYS_openat, AT_FDCWD, "rd2", O_RDONLY | O_DIRECTORY));
    EQ(SC(SYS_unlinkat, d, "in", AT_REMOVEDIR), 0);
    close(d);
    EQ(SC(SYS_unlinkat, AT_FDCWD, "rd2", AT_REMOVEDIR), 0);
}

static void rename_calls(void)
{
    t_make_file("r1", "one");
    t_make_file("r2", "two");
    EQ(SC(SYS_renameat, AT_FDCWD, "r1", AT_FDCWD, "r3"), 0);
    struct stat st;
    ERR(ENOENT, SC(SYS_newfstatat, AT_FDCWD, "r1", &st, 0));
    EQ(SC(SYS_renameat, AT_FDCWD, "r3", AT_FDCWD, "r2"), 0); /* replaces r2 */
    char b[8] = {0};
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "r2", O_RDONLY));
    EQ(read(fd, b, sizeof(b)), 3);
    CHECK(memcmp(b, "one", 3) == 0);
    close(fd);
    EQ(SC(SYS_renameat, AT_FDCWD, "r2", AT_FDCWD, "r2"), 0); /* onto itself: nothing */
    ERR(ENOENT, SC(SYS_renameat, AT_FDCWD, "nothing", AT_FDCWD, "x"));
    ERR(ENOENT, SC(SYS_renameat, AT_FDCWD, "r2", AT_FDCWD, "nodir/x"));
    OK(mkdirat(AT_FDCWD, "da", 0755));
    OK(mkdirat(AT_FDCWD, "db", 0755));
    t_make_file("db/f", "");
    ERR(ENOTEMPTY, SC(SYS_renameat, AT_FDCWD, "da", AT_FDCWD, "db"));
    ERR(EISDIR, SC(SYS_renameat, AT_FDCWD, "r2", AT_FDCWD, "da"));
    ERR(ENOTDIR, SC(SYS_renameat, AT_FDCWD, "da", AT_FDCWD, "r2"));
    ERR(EINVAL, SC(SYS_renameat, AT_FDCWD, "da", AT_FDCWD, "da/inside"));
    ERR(EFAULT, SC(SYS_renameat, AT_FDCWD, (void *)1, AT_FDCWD, "x"));
    /* a directory moves with what is in it; onto an empty directory it replaces it */
    EQ(SC(SYS_renameat, AT_FDCWD, "db", AT_FDCWD, "dc"), 0);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "dc/f", &st, 0), 0);
    EQ(SC(SYS_renameat, AT_FDCWD, "dc", AT_FDCWD, "da"), 0);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "da/f", &st, 0), 0);
    /* between directories, by fds */
    OK(mkdirat(AT_FDCWD, "dd", 0755));
    int from = (int)OK(SC(SYS_openat, AT_FDCWD, "da", O_RDONLY | O_DIRECTORY));
    int to = (int)OK(SC(SYS_openat, AT_FDCWD, "dd", O_RDONLY | O_DIRECTORY));
    EQ(SC(SYS_renameat, from, "f", to, "g"), 0);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "dd/g", &st, 0), 0);
    close(from);
    close(to);
}

static void cwd_calls(void)
{
    char start[256], buf[256];
    long n = OK(SC(SYS_getcwd, start, sizeof(start)));
    EQ(n, strlen(start) + 1); /* the raw call's length counts the NUL */
    CHECK(start[0] == '/');
    OK(mkdirat(AT_FDCWD, "cw", 0755));
    EQ(SC(SYS_chdir, "cw"), 0);
    OK(SC(SYS_getcwd, buf, sizeof(buf)));
    CHECKF(strncmp(buf, start, strlen(start)) == 0 && strcmp(buf + strlen(start), "/cw") == 0,
           "getcwd %s after chdir into %s/cw", buf, start);
    t_make_file("here", "x");
    EQ(SC(SYS_chdir, ".."), 0);
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "cw/here", &st, 0), 0);
    OK(SC(SYS_getcwd, buf, sizeof(buf)));
    EQ(strcmp(buf, start), 0);
    ERR(ERANGE, SC(SYS_getcwd, buf, 2));
    ERR(EFAULT, SC(SYS_getcwd, (void *)1, sizeof(buf)));
    ERR(ENOENT, SC(SYS_chdir, "nothing"));
    ERR(ENOTDIR, SC(SYS_chdir, "cw/here"));
    ERR(EFAULT, SC(SYS_chdir, (void *)1));
    ERR(ENOENT, SC(SYS_chdir, ""));
    EQ(SC(SYS_chdir, "/"), 0);
    OK(SC(SYS_getcwd, buf, sizeof(buf)));
    EQ(strcmp(buf, "/"), 0);
    EQ(SC(SYS_chdir, ".."), 0); /* the root's parent is the root */
    OK(SC(SYS_getcwd, buf, sizeof(buf)));
    EQ(strcmp(buf, "/"), 0);
    /* a child's chdir is its own */
    pid_t c = t_fork();
    if (c == 0) {
        EQ(SC(SYS_chdir, "/tmp"), 0);
        _exit(0);
    }
    t_wait_exit(c, 0);
    OK(SC(SYS_getcwd, buf, sizeof(buf)));
    EQ(strcmp(buf, "/"), 0);
    EQ(SC(SYS_chdir, start), 0);
}

static void readlink_calls(void)
{
    char buf[64];
    t_make_file("plain", "x");
    ERR(EINVAL, SC(SYS_readlink, "plain", buf, sizeof(buf)));
    ERR(EINVAL, SC(SYS_readlinkat, AT_FDCWD, "plain", buf, sizeof(buf)));
    ERR(ENOENT, SC(SYS_readlink, "nothing", buf, sizeof(buf)));
    ERR(ENOTDIR, SC(SYS_readlink, "plain/x", buf, sizeof(buf)));
    ERR(EFAULT, SC(SYS_readlink, (void *)1, buf, sizeof(buf)));
    ERR(EINVAL, SC(SYS_readlink, "/bin/sh", buf, 0));
    /* /bin/sh is a symbolic link, here and on a Debian host */
    memset(buf, '#', sizeof(buf));
    long n = OK(SC(SYS_readlink, "/bin/sh", buf, sizeof(buf)));
    CHECK(n > 0 && n < (long)sizeof(buf));
    EQ(buf[n], '#'); /* no NUL is added */
    CHECK(memchr(buf, 0, (size_t)n) == NULL);
    memset(buf, '#', sizeof(buf));
    EQ(SC(SYS_readlink, "/bin/sh", buf, 2), n < 2 ? n : 2); /* cut short, silently */
    EQ(buf[2], '#');
    EQ(SC(SYS_readlinkat, AT_FDCWD, "/bin/sh", buf, sizeof(buf)), n);
    ERR(EFAULT, SC(SYS_readlink, "/bin/sh", (void *)1, sizeof(buf)));
    /* and it leads to a program */
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/bin/sh", &st, 0), 0);
    CHECK(S_ISREG(st.st_mode) && (st.st_mode & 0111));
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/bin/sh", &st, AT_SYMLINK_NOFOLLOW), 0);
    CHECK(S_ISLNK(st.st_mode));
}

static void access_calls(void)
{
    t_make_file("ac", "");
    EQ(SC(SYS_faccessat, AT_FDCWD, "ac", F_OK), 0);
    EQ(SC(SYS_faccessat, AT_FDCWD, "ac", R_OK | W_OK), 0);
    ERR(EACCES, SC(SYS_faccessat, AT_FDCWD, "ac", X_OK)); /* no x bit: not even for root */
    EQ(SC(SYS_faccessat, AT_FDCWD, "/bin/sh", X_OK), 0);
    EQ(SC(SYS_faccessat, AT_FDCWD, "/tmp", X_OK | W_OK), 0);
    ERR(ENOENT, SC(SYS_faccessat, AT_FDCWD, "nothing", F_OK));
    ERR(ENOTDIR, SC(SYS_faccessat, AT_FDCWD, "ac/x", F_OK));
    ERR(EINVAL, SC(SYS_faccessat, AT_FDCWD, "ac", 0x10));
    ERR(EFAULT, SC(SYS_faccessat, AT_FDCWD, (void *)1, F_OK));
    ERR(EBADF, SC(SYS_faccessat, 999, "ac", F_OK));
}

static void resolution(void)
{
    struct stat a, b;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/etc/passwd", &a, 0), 0);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/./etc/../etc//passwd", &b, 0), 0);
    EQ(a.st_ino, b.st_ino);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/../../etc/passwd", &b, 0), 0);
    EQ(a.st_ino, b.st_ino);
    OK(mkdirat(AT_FDCWD, "p", 0755));
    t_make_file("p/q", "");
    EQ(SC(SYS_newfstatat, AT_FDCWD, "p/../p/./q", &a, 0), 0);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "p/", &a, 0), 0);
    ERR(ENOTDIR, SC(SYS_newfstatat, AT_FDCWD, "p/q/", &a, 0));
    ERR(ENOTDIR, SC(SYS_openat, AT_FDCWD, "p/q/", O_RDONLY));
    ERR(ENOENT, SC(SYS_newfstatat, AT_FDCWD, "p/nothing/..", &a, 0));
    ERR(EBADF, SC(SYS_fchdir, AT_FDCWD)); /* a descriptor, not "the working directory" */
}

T_AREA(dir, {350, "mkdirat", mkdir_calls}, {351, "getdents64", getdents_lists},
       {352, "unlinkat AT_REMOVEDIR", rmdir_calls}, {353, "renameat", rename_calls},
       {354, "getcwd and chdir", cwd_calls}, {355, "readlink", readlink_calls},
       {356, "faccessat", access_calls}, {357, "path resolution", resolution});
