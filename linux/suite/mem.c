// SPDX-License-Identifier: BSD-2-Clause
/*
 * LINUX-200..299, memory: brk, mmap and munmap (anonymous, private file-backed, MAP_FIXED),
 * mprotect, madvise, copy-on-write across fork, and EFAULT for a buffer a call cannot use.
 */
#include "t.h"

#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>

#define PAGE 4096UL

/* A child that touches addr (writes when write); the signal that killed it, or 0. */
static int touch_in_child(volatile char *addr, int write)
{
    pid_t c = t_fork();
    if (c == 0) {
        if (write)
            *addr = 1;
        else
            (void)*addr;
        _exit(0);
    }
    int st = t_wait(c);
    if (WIFSIGNALED(st))
        return WTERMSIG(st);
    CHECKF(WIFEXITED(st) && WEXITSTATUS(st) == 0, "child status %#x", st);
    return 0;
}

static void *map_anon(size_t len, int prot)
{
    void *p = (void *)SC(SYS_mmap, NULL, len, prot, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    CHECKF(p != MAP_FAILED, "mmap anonymous %zu: %s", len, t_errname(errno));
    return p;
}

static void brk_moves(void)
{
    unsigned long cur = (unsigned long)SC(SYS_brk, 0);
    CHECK(cur != 0 && cur % 1 == 0);
    unsigned long want = cur + 64 * 1024;
    EQ(SC(SYS_brk, want), want);
    EQ(SC(SYS_brk, 0), want);
    memset((void *)cur, 0x5a, want - cur); /* the new memory is there, and writable */
    EQ(((volatile char *)cur)[want - cur - 1], 0x5a);
    pid_t c = t_fork();
    if (c == 0) { /* and copied by fork */
        EQ(((volatile char *)cur)[100], 0x5a);
        ((volatile char *)cur)[100] = 1;
        _exit(0);
    }
    t_wait_exit(c, 0);
    EQ(((volatile char *)cur)[100], 0x5a);
    /* shrink: gone; grow again: zero */
    EQ(SC(SYS_brk, cur), cur);
    EQ(SC(SYS_brk, want), want);
    unsigned long pg = (cur + PAGE - 1) & ~(PAGE - 1);
    if (pg + PAGE <= want)
        EQ(((volatile char *)pg)[0], 0);
    EQ(SC(SYS_brk, cur), cur);
    /* a break it cannot have: the call answers the current one, unchanged */
    EQ(SC(SYS_brk, 0x7fffffffffffUL), cur);
    EQ(SC(SYS_brk, 1), cur);
    EQ(SC(SYS_brk, 0), cur);
}

static void mmap_anon(void)
{
    size_t len = 16 * PAGE;
    char *p = map_anon(len, PROT_READ | PROT_WRITE);
    CHECK(((unsigned long)p & (PAGE - 1)) == 0);
    for (size_t i = 0; i < len; i += 512)
        CHECKF(p[i] == 0, "fresh memory not zero at %zu", i);
    memset(p, 7, len);
    EQ(p[len - 1], 7);
    char *q = map_anon(len, PROT_READ | PROT_WRITE);
    CHECK(q + len <= p || q >= p + len); /* no overlap */
    EQ(SC(SYS_munmap, p, len), 0);
    EQ(touch_in_child(p, 0), SIGSEGV);
    EQ(SC(SYS_munmap, q, len), 0);
    /* a large mapping is given lazily: only what is touched needs memory */
    size_t big = 48UL << 20; /* more than the linux container's own memory (16M); under the
                              * personality's 64 MiB quota (RLIMIT_AS) with the rest */
    char *b = map_anon(big, PROT_READ | PROT_WRITE);
    b[0] = 1, b[big / 2] = 2, b[big - 1] = 3;
    CHECK(b[0] == 1 && b[big / 2] == 2 && b[big - 1] == 3);
    EQ(SC(SYS_munmap, b, big), 0);
}

static void mmap_errors(void)
{
    ERR(EINVAL, SC(SYS_mmap, NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    ERR(EINVAL, SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_ANONYMOUS, -1, 0)); /* no type */
    ERR(EINVAL, SC(SYS_mmap, 0x100001000UL + 1, PAGE, PROT_READ,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0));
    ERR(EBADF, SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, -1, 0));
    ERR(EBADF, SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, 999, 0));
    ERR(ENOMEM, SC(SYS_mmap, NULL, 1UL << 62, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
    t_make_file("f", "abc");
    int fd = (int)OK(openat(AT_FDCWD, "f", O_RDONLY));
    ERR(EINVAL, SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 1)); /* unaligned offset */
    close(fd);
    fd = (int)OK(openat(AT_FDCWD, "f", O_WRONLY));
    ERR(EACCES, SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0)); /* not readable */
    close(fd);
    int p[2];
    OK(pipe2(p, 0));
    ERR(ENODEV, SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, p[0], 0));
    close(p[0]);
    close(p[1]);
}

static void mmap_fixed(void)
{
    char *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
    memset(p, 1, 4 * PAGE);
    char *q = (char *)SC(SYS_mmap, p + PAGE, PAGE, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
    CHECK(q == p + PAGE);
    EQ(q[0], 0); /* replaced by a fresh page */
    EQ(p[0], 1);
    EQ(p[2 * PAGE], 1);
    EQ(SC(SYS_munmap, p, 4 * PAGE), 0);
}

static void mprotect_faults(void)
{
    char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
    p[PAGE] = 9;
    EQ(SC(SYS_mprotect, p + PAGE, PAGE, PROT_READ), 0);
    EQ(p[PAGE], 9);
    EQ(touch_in_child(p + PAGE, 1), SIGSEGV);
    EQ(touch_in_child(p, 1), 0); /* the neighbours keep theirs */
    EQ(touch_in_child(p + 2 * PAGE, 1), 0);
    EQ(SC(SYS_mprotect, p + PAGE, PAGE, PROT_NONE), 0);
    EQ(touch_in_child(p + PAGE, 0), SIGSEGV);
    EQ(SC(SYS_mprotect, p + PAGE, PAGE, PROT_READ | PROT_WRITE), 0);
    EQ(p[PAGE], 9); /* the contents survived */
    p[PAGE] = 10;
    ERR(EINVAL, SC(SYS_mprotect, p + 1, PAGE, PROT_READ));
    ERR(EINVAL, SC(SYS_mprotect, p, PAGE, 0x100)); /* no such PROT bit */
    EQ(SC(SYS_munmap, p + PAGE, PAGE), 0);
    ERR(ENOMEM, SC(SYS_mprotect, p, 3 * PAGE, PROT_READ)); /* a hole in the range */
    EQ(SC(SYS_munmap, p, 3 * PAGE), 0);
}

static void munmap_parts(void)
{
    char *p = map_anon(3 * PAGE, PROT_READ | PROT_WRITE);
    memset(p, 3, 3 * PAGE);
    EQ(SC(SYS_munmap, p + PAGE, PAGE), 0); /* the middle */
    EQ(touch_in_child(p + PAGE, 0), SIGSEGV);
    EQ(p[0], 3);
    EQ(p[2 * PAGE], 3);
    EQ(SC(SYS_munmap, p, 3 * PAGE), 0); /* a range with a hole in it is fine */
    EQ(SC(SYS_munmap, p, 3 * PAGE), 0); /* and so is one with nothing */
    ERR(EINVAL, SC(SYS_munmap, p + 1, PAGE));
    ERR(EINVAL, SC(SYS_munmap, p, 0));
    ERR(EINVAL, SC(SYS_munmap, 0xffff800000000000UL, PAGE));
}

static void mmap_file(void)
{
    char text[6000];
    for (size_t i = 0; i < sizeof(text); i++)
        text[i] = (char)('a' + i % 26);
    int fd = (int)OK(openat(AT_FDCWD, "data", O_RDWR | O_CREAT | O_TRUNC, 0644));
    EQ(write(fd, text, sizeof(text)), sizeof(text));
    char *p = (char *)SC(SYS_mmap, NULL, 3 * PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    CHECKF(p != MAP_FAILED, "mmap file: %s", t_errname(errno));
    CHECK(memcmp(p, text, sizeof(text)) == 0);
    EQ(p[sizeof(text)], 0); /* the rest of the last page is zero */
    p[0] = 'X';             /* private: the file does not change */
    char b;
    EQ(SC(SYS_pread64, fd, &b, 1, 0), 1);
    EQ(b, 'a');
    EQ(SC(SYS_munmap, p, 3 * PAGE), 0);
    /* an offset */
    p = (char *)SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, PAGE);
    CHECKF(p != MAP_FAILED, "mmap file at offset: %s", t_errname(errno));
    CHECK(memcmp(p, text + PAGE, sizeof(text) - PAGE) == 0);
    EQ(SC(SYS_munmap, p, PAGE), 0);
    close(fd);
    /* a file of the read-only image, read-only */
    fd = (int)OK(openat(AT_FDCWD, "/etc/passwd", O_RDONLY));
    char buf[256];
    long n = OK(read(fd, buf, sizeof(buf)));
    CHECK(n > 0);
    p = (char *)SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_PRIVATE, fd, 0);
    CHECKF(p != MAP_FAILED, "mmap /etc/passwd: %s", t_errname(errno));
    CHECK(memcmp(p, buf, (size_t)n) == 0);
    EQ(touch_in_child(p, 1), SIGSEGV);
    EQ(SC(SYS_munmap, p, PAGE), 0);
    close(fd);
}

static void madvise_calls(void)
{
    char *p = map_anon(4 * PAGE, PROT_READ | PROT_WRITE);
    memset(p, 5, 4 * PAGE);
    EQ(SC(SYS_madvise, p, 4 * PAGE, MADV_NORMAL), 0);
    EQ(SC(SYS_madvise, p, 4 * PAGE, MADV_WILLNEED), 0);
    EQ(p[0], 5);
    EQ(SC(SYS_madvise, p, 2 * PAGE, MADV_DONTNEED), 0);
    EQ(p[0], 0); /* private anonymous: zero-fill on the next touch */
    EQ(p[PAGE], 0);
    EQ(p[2 * PAGE], 5);
    ERR(EINVAL, SC(SYS_madvise, p + 1, PAGE, MADV_NORMAL));
    ERR(EINVAL, SC(SYS_madvise, p, PAGE, 9999));
    EQ(SC(SYS_munmap, p, 4 * PAGE), 0);
    ERR(ENOMEM, SC(SYS_madvise, p, PAGE, MADV_NORMAL));
}

static void cow_mmap(void)
{
    char *p = map_anon(2 * PAGE, PROT_READ | PROT_WRITE);
    p[0] = 'p';
    int go[2];
    OK(pipe2(go, 0));
    pid_t c = t_fork();
    if (c == 0) {
        char b;
        close(go[1]);
        EQ(read(go[0], &b, 1), 0);
        EQ(p[0], 'p'); /* the parent's later write is not seen */
        p[0] = 'c';
        p[PAGE] = 'c';
        _exit(0);
    }
    close(go[0]);
    p[0] = 'P';
    close(go[1]);
    t_wait_exit(c, 0);
    EQ(p[0], 'P');
    EQ(p[PAGE], 0);
    EQ(SC(SYS_munmap, p, 2 * PAGE), 0);
}

/* the bad buffers are the point: glibc's headers tell the compiler read's and write's sizes */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#pragma GCC diagnostic ignored "-Wstringop-overread"
static void efault(void)
{
    char *p = map_anon(PAGE, PROT_NONE);
    int fd = (int)OK(openat(AT_FDCWD, "/etc/passwd", O_RDONLY));
    ERR(EFAULT, read(fd, p, 10));
    ERR(EFAULT, read(fd, (void *)1, 10));
    ERR(EFAULT, read(fd, (void *)0xffff800000000000UL, 10));
    close(fd);
    fd = (int)OK(openat(AT_FDCWD, "w", O_WRONLY | O_CREAT, 0644));
    ERR(EFAULT, write(fd, p, 10));
    ERR(EFAULT, write(fd, (void *)1, 10));
    close(fd);
    OK(SC(SYS_mprotect, p, PAGE, PROT_READ));
    fd = (int)OK(openat(AT_FDCWD, "/etc/passwd", O_RDONLY));
    ERR(EFAULT, read(fd, p, 10)); /* read-only memory cannot be read into */
    close(fd);
    EQ(SC(SYS_munmap, p, PAGE), 0);
}
#pragma GCC diagnostic pop

/* the stack grows as it is touched, as far as RLIMIT_STACK (8 MiB): 2 MiB more is there */
static int deep(int n, volatile char *seen)
{
    volatile char frame[4096];
    frame[0] = (char)n;
    frame[4095] = (char)n;
    if (n == 0)
        return seen[0] + frame[0];
    return deep(n - 1, frame) + (frame[4095] == (char)n);
}

static void stack_grows(void)
{
    char top = 1;
    EQ(deep(512, &top), 1 + 512); /* 512 frames of 4 KiB and more */
}

/* a shared mapping of a file open read-only may not become writable */
static void shared_file_write(void)
{
    int fd = (int)OK(SC(SYS_openat, AT_FDCWD, "/etc/passwd", O_RDONLY));
    char *p = (char *)SC(SYS_mmap, NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
    CHECK(p != MAP_FAILED);
    ERR(EACCES, SC(SYS_mprotect, p, PAGE, PROT_READ | PROT_WRITE));
    EQ(SC(SYS_munmap, p, PAGE), 0);
    close(fd);
}

T_AREA(mem, {200, "brk", brk_moves}, {201, "mmap anonymous", mmap_anon},
       {202, "mmap errors", mmap_errors}, {203, "mmap MAP_FIXED", mmap_fixed},
       {204, "mprotect", mprotect_faults}, {205, "munmap", munmap_parts},
       {206, "mmap private file", mmap_file}, {207, "madvise", madvise_calls},
       {208, "copy-on-write of mappings", cow_mmap}, {209, "EFAULT for bad buffers", efault},
       {210, "the stack grows", stack_grows},
       {211, "shared file mapping stays read-only", shared_file_write});
