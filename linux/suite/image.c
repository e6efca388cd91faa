// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-480..499, the file systems as Coffer sets them up: the read-only image at /, the
 * writable /tmp, /dev/null, /dev/console. Those that only hold in Coffer (the image's own
 * files, EROFS under /) are skipped elsewhere: a host's / is writable.
 */
#include "t.h"

#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>

static void need_coffer(void)
{
    if (!t_is_coffer())
        t_skip("not Coffer (the host's / is another image)");
}

static void hostname_file(void)
{
    need_coffer();
    char b[32] = {0};
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "/etc/hostname", O_RDONLY));
    EQ(read(fd, b, sizeof(b) - 1), 7);
    CHECKF(strcmp(b, "coffer\n") == 0, "/etc/hostname is \"%s\"", b);
    close(fd);
}

static void image_programs(void)
{
    need_coffer();
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/bin/busybox", &st, 0), 0);
    CHECK(S_ISREG(st.st_mode) && (st.st_mode & 0111) && st.st_size > 100000);
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/bin/lxsuite", &st, 0), 0);
    char b[64] = {0};
    long n = OK(SC(SYS_readlink, "/bin/sh", b, sizeof(b) - 1));
    CHECKF(strcmp(b, "busybox") == 0 || strcmp(b, "/bin/busybox") == 0, "/bin/sh -> %.*s", (int)n,
           b);
}

static void read_only_root(void)
{
    need_coffer();
    ERR(EROFS, SC(SYS_mkdirat, AT_FDCWD, "/newdir", 0755));
    ERR(EROFS, SC(SYS_openat, AT_FDCWD, "/newfile", O_WRONLY | O_CREAT, 0644));
    ERR(EROFS, SC(SYS_openat, AT_FDCWD, "/etc/passwd", O_WRONLY));
    ERR(EROFS, SC(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDWR | O_TRUNC));
    ERR(EROFS, SC(SYS_unlinkat, AT_FDCWD, "/etc/passwd", 0));
    ERR(EROFS, SC(SYS_unlinkat, AT_FDCWD, "/etc", AT_REMOVEDIR));
    ERR(EROFS, SC(SYS_renameat, AT_FDCWD, "/etc/passwd", AT_FDCWD, "/etc/p2"));
    ERR(EROFS, SC(SYS_faccessat, AT_FDCWD, "/etc/passwd", W_OK));
    /* the errors that come before the file system's own still do */
    ERR(EEXIST, SC(SYS_mkdirat, AT_FDCWD, "/etc", 0755));
    ERR(ENOENT, SC(SYS_openat, AT_FDCWD, "/nodir/newfile", O_WRONLY | O_CREAT, 0644));
    /* reading is fine */
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY));
    close(fd);
}

static void passwd_file(void)
{
    char b[512] = {0};
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY));
    long n = OK(read(fd, b, sizeof(b) - 1));
    CHECK(n > 0);
    CHECKF(strncmp(b, "root:", 5) == 0, "/etc/passwd starts \"%.10s\"", b);
    close(fd);
}

static void dev_null(void)
{
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR));
    char b[8];
    EQ(read(fd, b, sizeof(b)), 0);
    EQ(write(fd, "gone", 4), 4);
    EQ(lseek(fd, 0, SEEK_SET), 0);
    close(fd);
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/dev/null", &st, 0), 0);
    CHECK(S_ISCHR(st.st_mode));
    ERR(EEXIST, SC(SYS_openat, AT_FDCWD, "/dev/null", O_RDWR | O_CREAT | O_EXCL, 0644));
}

static void tmp_writable(void)
{
    struct stat st;
    EQ(SC(SYS_newfstatat, AT_FDCWD, "/tmp", &st, 0), 0);
    CHECK(S_ISDIR(st.st_mode));
    char name[64];
    snprintf(name, sizeof(name), "/tmp/lxsuite-%d-tmpcheck", (int)getpid());
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, name, O_RDWR | O_CREAT | O_EXCL, 0600));
    EQ(write(fd, "t", 1), 1);
    close(fd);
    EQ(SC(SYS_unlinkat, AT_FDCWD, name, 0), 0);
}

static void console(void)
{
    need_coffer();
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "/dev/console", O_RDWR));
    EQ(isatty(fd), 1);
    struct stat a, b;
    EQ(SC(SYS_fstat, fd, &a), 0);
    CHECK(S_ISCHR(a.st_mode));
    EQ(SC(SYS_fstat, 0, &b), 0); /* stdin is the console */
    EQ(a.st_rdev, b.st_rdev);
    close(fd);
}

T_AREA(image, {480, "/etc/hostname", hostname_file}, {481, "the image's programs", image_programs},
       {482, "EROFS under /", read_only_root}, {483, "/etc/passwd", passwd_file},
       {484, "/dev/null", dev_null}, {485, "/tmp is writable", tmp_writable},
       {486, "/dev/console", console});
