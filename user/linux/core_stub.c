/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * TEMPORARY while the parts are built in parallel: weak stand-ins for the fs, tty and signal
 * parts, so the core builds and runs one program alone. Each real definition replaces its
 * stand-in; this file goes when the last part has landed.
 */
#include "fs.h"
#include "mm.h"
#include "tty.h"

#define WEAK __attribute__((weak))

struct lx_file {
    int refs;
};
static struct lx_file the_file = {1};
WEAK struct lx_waitq lx_poll_wait;
WEAK const char lx_rootfs[1], lx_rootfs_end[1];
extern const char lx_stub_prog[], lx_stub_prog_end[];

WEAK int lx_fs_init(const void *image, size_t size)
{
    (void)image, (void)size;
    return 0;
}
WEAK struct lx_files *lx_files_new(void)
{
    return (struct lx_files *)&the_file;
}
WEAK struct lx_files *lx_files_dup(struct lx_files *f)
{
    return f;
}
WEAK void lx_files_get(struct lx_files *f)
{
    (void)f;
}
WEAK void lx_files_put(struct lx_files *f)
{
    (void)f;
}
WEAK void lx_files_cloexec(struct lx_files *f)
{
    (void)f;
}
WEAK int lx_files_console(struct lx_files *f)
{
    (void)f;
    return 0;
}
WEAK struct lx_fsctx *lx_fsctx_new(void)
{
    return (struct lx_fsctx *)&the_file;
}
WEAK struct lx_fsctx *lx_fsctx_dup(struct lx_fsctx *f)
{
    return f;
}
WEAK void lx_fsctx_put(struct lx_fsctx *f)
{
    (void)f;
}
WEAK int lx_exec_open(struct lx_task *t, const char *path, struct lx_file **out)
{
    (void)t;
    if (strcmp(path, "/bin/hello"))
        return -LX_ENOENT;
    *out = &the_file;
    return 0;
}
WEAK long lx_file_pread(struct lx_file *f, void *buf, size_t len, uint64_t off)
{
    uint64_t size = (uint64_t)(lx_stub_prog_end - lx_stub_prog);
    (void)f;
    if (off >= size)
        return 0;
    if (len > size - off)
        len = size - off;
    memcpy(buf, lx_stub_prog + off, len);
    return (long)len;
}
WEAK uint64_t lx_file_size(struct lx_file *f)
{
    (void)f;
    return (uint64_t)(lx_stub_prog_end - lx_stub_prog);
}
WEAK void lx_file_get(struct lx_file *f)
{
    (void)f;
}
WEAK void lx_file_put(struct lx_file *f)
{
    (void)f;
}
WEAK int lx_fd_file(struct lx_proc *p, int fd, struct lx_file **out)
{
    (void)p, (void)fd, (void)out;
    return -LX_EBADF;
}
WEAK long sys_write(struct lx_task *t, const uint64_t a[6])
{
    char buf[256];
    size_t n = a[2] < sizeof(buf) - 1 ? a[2] : sizeof(buf) - 1;
    if (lx_copy_in(t, buf, a[1], n))
        return -LX_EFAULT;
    buf[n] = 0;
    printf("%s", buf);
    return (long)n;
}
WEAK long sys_writev(struct lx_task *t, const uint64_t a[6])
{
    long total = 0;
    for (uint64_t i = 0; i < a[2]; i++) {
        uint64_t iov[2];
        if (lx_copy_in(t, iov, a[1] + i * 16, 16))
            return -LX_EFAULT;
        uint64_t b[6] = {a[0], iov[0], iov[1]};
        long n = sys_write(t, b);
        if (n < 0)
            return n;
        total += n;
    }
    return total;
}
