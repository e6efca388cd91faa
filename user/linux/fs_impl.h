/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The inside of the file system part (fs_*.c): nodes, mounts, open files, pipes, path walks.
 *
 * A node is a file, directory, symlink or device of one of three file systems: the image
 * (read-only, its nodes made once at start and never freed), the ram fs at /tmp (nodes made
 * and freed as files come and go) and the devices at /dev (fixed). A ram node lives while a
 * directory names it (links) or something holds it (refs: open files, working directories,
 * a call in progress); the last of both to go frees it and its pages.
 */
#ifndef LINUX_FS_IMPL_H
#define LINUX_FS_IMPL_H

#include "fs.h"
#include "tty.h"

/* Linux's numbers (asm-generic/fcntl.h, linux/stat.h, asm-generic/poll.h, ...). */
#define LX_PATH_MAX    4096
#define LX_NAME_MAX    255
#define LX_SYMLOOP_MAX 40
#define LX_PIPE_BUF    4096
#define LX_PIPE_SIZE   65536
#define LX_PIPE_QUOTA  (4u << 20) /* bytes of the server's heap all pipe rings may use */
#define LX_IOV_MAX     1024
#define LX_MAX_RW      0x7ffff000UL /* Linux's MAX_RW_COUNT: longer reads and writes are cut */

#define LX_S_IFMT     0170000
#define LX_S_IFSOCK   0140000
#define LX_S_IFLNK    0120000
#define LX_S_IFREG    0100000
#define LX_S_IFDIR    0040000
#define LX_S_IFCHR    0020000
#define LX_S_IFIFO    0010000
#define LX_S_ISDIR(m) (((m)&LX_S_IFMT) == LX_S_IFDIR)
#define LX_S_ISREG(m) (((m)&LX_S_IFMT) == LX_S_IFREG)
#define LX_S_ISLNK(m) (((m)&LX_S_IFMT) == LX_S_IFLNK)
#define LX_S_ISCHR(m) (((m)&LX_S_IFMT) == LX_S_IFCHR)

#define LX_O_ACCMODE  03
#define LX_O_RDONLY   00
#define LX_O_WRONLY   01
#define LX_O_RDWR     02
#define LX_O_CREAT    0100
#define LX_O_EXCL     0200
#define LX_O_NOCTTY   0400
#define LX_O_TRUNC    01000
#define LX_O_APPEND   02000
#define LX_O_NONBLOCK 04000
#define LX_O_DSYNC    010000
#define LX_O_ASYNC    020000
/* LX_O_DIRECT, LX_O_LARGEFILE, LX_O_DIRECTORY, LX_O_NOFOLLOW: the architecture's (lx_arch.h) */
#define LX_O_NOATIME  01000000
#define LX_O_CLOEXEC  02000000
#define LX_O_SYNC     04010000
#define LX_O_PATH     010000000
#define LX_O_TMPFILE  020000000

#define LX_AT_FDCWD            (-100)
#define LX_AT_SYMLINK_NOFOLLOW 0x100
#define LX_AT_REMOVEDIR        0x200
#define LX_AT_EACCESS          0x200
#define LX_AT_SYMLINK_FOLLOW   0x400
#define LX_AT_NO_AUTOMOUNT     0x800
#define LX_AT_EMPTY_PATH       0x1000
#define LX_AT_STATX_SYNC_TYPE  0x6000

#define LX_POLLPRI    0x002
#define LX_POLLERR    0x008
#define LX_POLLHUP    0x010
#define LX_POLLNVAL   0x020
#define LX_POLLRDNORM 0x040
#define LX_POLLWRNORM 0x100

enum { LX_FS_IMG = 1, LX_FS_RAM, LX_FS_DEV, LX_FS_PIPE, LX_FS_PROC }; /* also st_dev */
enum { LX_DEV_NONE, LX_DEV_NULL, LX_DEV_ZERO, LX_DEV_CONSOLE, LX_DEV_TTY };

/* A ram fs directory's entry; cookies rise in list order, so getdents resumes by cookie. */
struct lx_dirent {
    struct lx_dirent *next;
    struct lx_node *node;
    uint64_t cookie;
    uint8_t len;
    char name[];
};

struct lx_node {
    uint8_t fs;        /* LX_FS_* */
    uint8_t dev;       /* LX_DEV_* for a device */
    uint32_t mode;     /* st_mode: type and permission bits */
    uint32_t uid, gid; /* stored for chown; everything runs as root */
    uint64_t ino;
    uint64_t size;           /* a file's length, a link target's length */
    uint64_t mtime, ctime;   /* ns since 1970 */
    uint32_t links;          /* directory entries naming it (ram; image/dev: 1) */
    uint32_t subdirs;        /* a directory's subdirectories (for st_nlink) */
    int refs;                /* ram: references besides the links */
    struct lx_node *parent;  /* a directory's parent (a file system's root: itself) */
    struct lx_node *mounted; /* the root of the file system mounted here, or NULL */
    struct lx_node *covered; /* a mounted root: the directory it covers */
    union {
        struct {                 /* image */
            const uint8_t *data; /* contents / link target / directory entries */
            uint32_t index;      /* its inode number in the image */
        } img;
        struct {                            /* ram fs */
            uint8_t **pages;                /* a file's pages (NULL: a hole, reads as zeros) */
            size_t npages;                  /* entries of pages */
            char *target;                   /* a link's target */
            struct lx_dirent *first, *last; /* a directory's entries */
            uint64_t next_cookie;
        } ram;
        struct {                  /* /proc: contents made from the server's state when read */
            int pid;              /* the process it is about (0: none) */
            uint8_t kind;         /* what it shows (fs_proc.c) */
            struct lx_node *next; /* the cache of nodes about processes */
        } proc;
    };
};

/* An open file description: shared by dup and fork, freed at its last close. */
struct lx_file {
    int refs;
    unsigned flags;       /* O_ACCMODE, O_APPEND, O_NONBLOCK, O_PATH, O_LARGEFILE (F_GETFL) */
    struct lx_node *node; /* a file, directory or device (referenced); NULL for a pipe end */
    struct lx_pipe *pipe; /* a pipe end */
    bool pipe_writer;     /* which end */
    uint64_t pos;         /* the offset; for a directory, getdents' position */
};

struct lx_files {
    int refs;
    int limit; /* descriptors from here on are refused: RLIMIT_NOFILE (at most LX_FD_MAX) */
    struct lx_file *fd[LX_FD_MAX];
    uint64_t cloexec[LX_FD_MAX / 64];
};

struct lx_fsctx {
    int refs;
    struct lx_node *cwd; /* referenced */
    unsigned umask;
};

/* ---- nodes and file systems (fs_vfs.c, fs_img.c, fs_ram.c, fs_dev.c) */
extern struct lx_node *lx_root; /* the image's root: "/" */
void lx_node_get(struct lx_node *n);
void lx_node_put(struct lx_node *n);
/* The entry name of dir (not . or ..), NULL if none; crosses onto a file system mounted
 * there. */
struct lx_node *lx_dir_lookup(struct lx_node *dir, const char *name, size_t len);
/* The entry of dir at or after position pos (0 ".", 1 "..", then the file system's own):
 * true with *name, *len, *ino, *type (DT_*) and *next, or false at the end. */
bool lx_dir_entry(struct lx_node *dir, uint64_t pos, const char **name, size_t *len, uint64_t *ino,
                  unsigned *type, uint64_t *next);
/* The name node has in directory dir (to build getcwd's answer), false if none. */
bool lx_dir_name_of(struct lx_node *dir, struct lx_node *node, const char **name, size_t *len);
/* A symlink's target (not NUL-terminated) and its length. */
const char *lx_link_target(struct lx_node *n, size_t *len);
/* A directory's parent for "..": crosses back over a mount, stays at "/" at "/". */
struct lx_node *lx_dotdot(struct lx_node *dir);
bool lx_dir_empty(struct lx_node *dir);
bool lx_is_mountpoint(struct lx_node *n); /* a mount point or a mounted root */

/* image */
int lx_img_mount(const void *image, size_t size); /* sets lx_root */
long lx_img_read(struct lx_node *n, void *buf, size_t len, uint64_t off);
bool lx_img_dir_entry(struct lx_node *dir, uint64_t i, const char **name, size_t *len,
                      struct lx_node **node);
struct lx_node *lx_img_lookup(struct lx_node *dir, const char *name, size_t len);

/* ram fs */
#define LX_RAM_QUOTA    (8u << 20)    /* bytes of the server's heap all of /tmp may use */
#define LX_RAM_FILE_MAX (64ull << 20) /* the largest file (EFBIG past it) */
extern uint64_t lx_ram_used;
struct lx_node *lx_ram_mount(void); /* its root */
struct lx_node *lx_ram_new(struct lx_node *dir, const char *name, size_t len, uint32_t mode,
                           const char *target, size_t tlen, int *err);
int lx_ram_link(struct lx_node *dir, const char *name, size_t len, struct lx_node *n);
/* Drop dir's entry name for n (a rename briefly has two entries of one name); n goes when
 * nothing else names or holds it. */
void lx_ram_unlink(struct lx_node *dir, const char *name, size_t len, struct lx_node *n);
long lx_ram_read(struct lx_node *n, void *buf, size_t len, uint64_t off);
long lx_ram_write(struct lx_node *n, const void *buf, size_t len, uint64_t off);
int lx_ram_truncate(struct lx_node *n, uint64_t size);
void lx_ram_free(struct lx_node *n);

/* /dev */
struct lx_node *lx_dev_mount(void); /* its root */
/* The i-th device: false past the last. A device node's size holds its st_rdev. */
struct lx_node *lx_dev_find(const char *name); /* NULL if none */
bool lx_dev_entry(size_t i, const char **name, size_t *len, struct lx_node **node);

/* /proc (fs_proc.c): made on the fly from the processes, nodes about a process cached while
 * the process lives or something holds them (refs, as a ram node's). */
struct lx_node *lx_proc_mount(void); /* its root */
struct lx_node *lx_proc_lookup(struct lx_node *dir, const char *name, size_t len);
bool lx_proc_dir_entry(struct lx_node *dir, uint64_t i, const char **name, size_t *len,
                       struct lx_node **node);
/* A link's target (/proc/self, /proc/<pid>/exe) in a buffer valid until the next call. */
const char *lx_proc_link(struct lx_node *n, size_t *len);
/* n's contents from off, as t sees them (t NULL: no reader; its process shows as running). */
long lx_proc_read(struct lx_task *t, struct lx_node *n, void *buf, size_t len, uint64_t off);
void lx_proc_node_put(struct lx_node *n);

/* statfs (fs_statfs.c) needs the image's size */
size_t lx_img_size(void);

/* ---- paths (fs_walk.c) */
/* The task whose walk is in progress: /proc/self names its process. Walks never sleep and
 * run under lx_lock, so it stays right until the walk's caller is done with the result (a
 * readlink); it is only read during a walk and right after one in the same call. */
extern struct lx_task *lx_walker;
enum { LX_LAST_NORM, LX_LAST_DOT, LX_LAST_DOTDOT, LX_LAST_ROOT };
#define LX_WALK_FOLLOW 1 /* follow a symlink at the end */
#define LX_WALK_PARENT 2 /* the end may be missing: *dir and name tell where it would be */
struct lx_walk {
    char path[LX_PATH_MAX];     /* the path still to walk; symlink targets expand into it */
    char name[LX_NAME_MAX + 1]; /* the last component */
    size_t len;                 /* its length */
    struct lx_node *dir;        /* the directory it is in (referenced; LX_WALK_PARENT) */
    struct lx_node *node;       /* what it names (referenced), NULL if missing */
    int last;                   /* LX_LAST_* */
    bool slash;                 /* the path ended in '/' */
};
/* A heap walk holding the user's path at upath: NULL with *err on failure. */
struct lx_walk *lx_walk_new(struct lx_task *t, uint64_t upath, int *err);
/* Walk w->path from dirfd (or the cwd for AT_FDCWD): 0 or -errno; lx_walk_done drops what
 * it holds and frees it. */
int lx_walk(struct lx_task *t, int dirfd, struct lx_walk *w, int flags);
void lx_walk_done(struct lx_walk *w);
/* Where dirfd starts a relative walk (referenced): a directory, or -EBADF / -ENOTDIR. */
int lx_walk_base(struct lx_task *t, int dirfd, struct lx_node **out);

/* ---- open files and descriptors (fs_fd.c) */
struct lx_file *lx_file_new(struct lx_node *node, unsigned flags); /* takes a node ref */
/* The open file of fd with a reference, or NULL (EBADF). */
struct lx_file *lx_fd_get(struct lx_task *t, int fd);
/* Install f (taking a reference) at the lowest free fd ≥ min: the fd, or -EMFILE. */
int lx_fd_install(struct lx_files *fs, struct lx_file *f, int min, bool cloexec);
/* Put f at fd (taking a reference), closing what was there: dup2. */
void lx_fd_replace(struct lx_files *fs, int fd, struct lx_file *f, bool cloexec);
int lx_fd_close(struct lx_files *fs, int fd);
bool lx_fd_cloexec(struct lx_files *fs, int fd);
void lx_fd_set_cloexec(struct lx_files *fs, int fd, bool on);
bool lx_file_readable(const struct lx_file *f);
bool lx_file_writable(const struct lx_file *f);
/*
 * Read or write f at *pos (regular files; streams ignore it) into or from server memory:
 * bytes or -errno. A pipe or terminal may sleep unless nonblock or O_NONBLOCK; a pipe write
 * of atomic data goes in whole or waits.
 */
long lx_file_read(struct lx_task *t, struct lx_file *f, void *buf, size_t len, uint64_t *pos,
                  bool nonblock);
long lx_file_write(struct lx_task *t, struct lx_file *f, const void *buf, size_t len, uint64_t *pos,
                   bool atomic);
unsigned lx_file_poll(struct lx_file *f);
bool lx_file_seekable(const struct lx_file *f);

/* ---- pipes (fs_pipe.c) */
struct lx_pipe;
int lx_pipe_new(struct lx_file **rd, struct lx_file **wr); /* 0 or -ENOMEM */
long lx_pipe_read(struct lx_task *t, struct lx_file *f, void *buf, size_t len, bool nonblock);
long lx_pipe_write(struct lx_task *t, struct lx_file *f, const void *buf, size_t len, bool atomic);
void lx_pipe_close(struct lx_pipe *p, bool writer);
unsigned lx_pipe_poll(struct lx_file *f);
uint64_t lx_pipe_ino(struct lx_pipe *p);
uint32_t lx_pipe_unread(struct lx_pipe *p);
uint32_t lx_pipe_size(struct lx_pipe *p); /* F_GETPIPE_SZ */

/* ---- shared by the calls */
#define LX_CHUNK 4096     /* user data moves through the server in buffers of this size */
uint64_t lx_fs_now(void); /* the wall clock for mtimes */
int lx_stat_node(struct lx_task *t, struct lx_node *n, struct lx_file *f, uint64_t ustat);

#endif
