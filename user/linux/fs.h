/* SPDX-License-Identifier: BSD-2-Clause */
/* The file systems' interface to the core (placeholder until the fs part lands). */
#ifndef LINUX_FS_H
#define LINUX_FS_H

#include "linux.h"

int lx_fs_init(const void *image, size_t size);
struct lx_files *lx_files_new(void);
struct lx_files *lx_files_dup(struct lx_files *);
void lx_files_get(struct lx_files *);
void lx_files_put(struct lx_files *);
void lx_files_cloexec(struct lx_files *);
int lx_files_console(struct lx_files *);
struct lx_fsctx *lx_fsctx_new(void);
struct lx_fsctx *lx_fsctx_dup(struct lx_fsctx *);
void lx_fsctx_put(struct lx_fsctx *);
struct lx_file;
int lx_exec_open(struct lx_task *t, const char *path, struct lx_file **out);
long lx_file_pread(struct lx_file *f, void *buf, size_t len, uint64_t off);
uint64_t lx_file_size(struct lx_file *f);
void lx_file_get(struct lx_file *f);
void lx_file_put(struct lx_file *f);
int lx_fd_file(struct lx_proc *p, int fd, struct lx_file **out);
extern struct lx_waitq lx_poll_wait;

#endif
