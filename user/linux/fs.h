/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The file system part of the Linux personality: what the core calls (docs/linux-files.md).
 * The file system calls themselves are in syscall_table.c's FS_CALLS. Every function expects
 * lx_lock held.
 */
#ifndef LINUX_FS_H
#define LINUX_FS_H

#include "linux.h"

#define LX_FD_MAX 256 /* file descriptors per process (RLIMIT_NOFILE, as getrlimit says) */
/* RLIMIT_NOFILE's soft limit: no new descriptor at or above it (those open stay open). */
void lx_files_set_limit(struct lx_files *fs, uint64_t limit);

/* Mount the image (the root file system, read-only) at /, a ram fs at /tmp, devices at
 * /dev. 0, or -LX_EINVAL for a bad image (a message says why). Called once, first. */
int lx_fs_init(const void *image, size_t size);
/* The image linked into the server (fs_image.S). */
extern const char lx_rootfs[], lx_rootfs_end[];

/* File descriptor tables. */
struct lx_files *lx_files_new(void);              /* empty table, NULL on ENOMEM */
struct lx_files *lx_files_dup(struct lx_files *); /* fork: a copy sharing the open files */
void lx_files_get(struct lx_files *);             /* CLONE_FILES: one more user */
void lx_files_put(struct lx_files *);             /* the last user's put closes all */
void lx_files_cloexec(struct lx_files *);         /* execve: close the FD_CLOEXEC ones */
int lx_files_console(struct lx_files *);          /* open /dev/console as 0, 1, 2: 0 or -errno */

/* Working directory and umask. */
struct lx_fsctx *lx_fsctx_new(void); /* cwd "/", umask 022; NULL on ENOMEM */
struct lx_fsctx *lx_fsctx_dup(struct lx_fsctx *);
void lx_fsctx_put(struct lx_fsctx *);

struct lx_file; /* an open file description */
/*
 * execve: look up path for t's process (relative to its cwd), following symlinks: a regular
 * file with an x bit, else -ENOENT/-ENOTDIR/-EACCES/-ELOOP/-ENAMETOOLONG. *out holds a
 * reference (lx_file_put).
 */
int lx_exec_open(struct lx_task *t, const char *path, struct lx_file **out);
/* Read from a regular file at off without moving its offset: bytes (0 at the end) or -errno. */
long lx_file_pread(struct lx_file *f, void *buf, size_t len, uint64_t off);
uint64_t lx_file_size(struct lx_file *f);
void lx_file_get(struct lx_file *f);
void lx_file_put(struct lx_file *f);
/*
 * mmap of fd: a reference to its open file (-EBADF not open; -EACCES not open for reading;
 * -ENODEV a pipe, a terminal or a directory).
 */
int lx_fd_file(struct lx_proc *p, int fd, struct lx_file **out);

/* What /proc shows of the core's memory (mem.c): frames of the region, and a process's
 * mapped bytes and pages charged to it. */
uint64_t lx_frames_total(void);
uint64_t lx_frames_free(void);
void lx_mm_usage(struct lx_mm *mm, uint64_t *vsize, uint64_t *rss_pages);

/* Woken whenever any file may have become ready: poll and select sleep on it. */
extern struct lx_waitq lx_poll_wait;

#endif
