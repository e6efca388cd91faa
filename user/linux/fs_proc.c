/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * /proc: a read-only file system whose files are written from the server's state each time
 * they are read (meminfo, uptime, loadavg, mounts, stat, version; per process stat, status,
 * cmdline, comm and the exe link, whose empty target (no program) reads as ENOENT; self, a
 * link to the caller's process).
 *
 * The root and its fixed files are static nodes. A node about a process is made when a
 * lookup or a listing first names it and is kept in a cache, so a directory's entries and
 * lookups agree on one node; one whose process is gone goes at the next cache sweep once
 * nothing holds it (an open file, a working directory). Reading such a node: ESRCH.
 */
#include "fmt.h"
#include "fs_impl.h"

enum {
    K_ROOT,
    K_SELF,
    K_MEMINFO,
    K_UPTIME,
    K_LOADAVG,
    K_MOUNTS,
    K_STAT,
    K_VERSION,
    K_PID, /* /proc/<pid> */
    K_PSTAT,
    K_PSTATUS,
    K_PCMDLINE,
    K_PCOMM,
    K_PEXE,
    K_COUNT
};

struct pentry {
    const char *name;
    uint8_t kind;
    uint32_t mode;
};
static const struct pentry root_files[] = {
    {"loadavg", K_LOADAVG, LX_S_IFREG | 0444}, {"meminfo", K_MEMINFO, LX_S_IFREG | 0444},
    {"mounts", K_MOUNTS, LX_S_IFREG | 0444},   {"self", K_SELF, LX_S_IFLNK | 0777},
    {"stat", K_STAT, LX_S_IFREG | 0444},       {"uptime", K_UPTIME, LX_S_IFREG | 0444},
    {"version", K_VERSION, LX_S_IFREG | 0444},
};
#define NROOT (sizeof root_files / sizeof root_files[0])
static const struct pentry pid_files[] = {
    {"cmdline", K_PCMDLINE, LX_S_IFREG | 0444}, {"comm", K_PCOMM, LX_S_IFREG | 0644},
    {"exe", K_PEXE, LX_S_IFLNK | 0777},         {"stat", K_PSTAT, LX_S_IFREG | 0444},
    {"status", K_PSTATUS, LX_S_IFREG | 0444},
};
#define NPID (sizeof pid_files / sizeof pid_files[0])

static struct lx_node proc_root, fixed[NROOT];
static struct lx_node *cache; /* nodes about processes, through proc.next */

static struct lx_node init_node(uint8_t kind, uint32_t mode, int pid)
{
    uint64_t now = lx_fs_now();
    return (struct lx_node){.fs = LX_FS_PROC,
                            .mode = mode,
                            .ino =
                                ((uint64_t)pid << 5 | kind) + 2, /* K_COUNT <= 32; 1 is the root */
                            .links = 1,
                            .mtime = now,
                            .ctime = now,
                            .proc = {.pid = pid, .kind = kind}};
}

struct lx_node *lx_proc_mount(void)
{
    _Static_assert(K_COUNT <= 32, "a kind fits the inode number's low bits");
    proc_root = init_node(K_ROOT, LX_S_IFDIR | 0555, 0);
    proc_root.ino = 1;
    proc_root.parent = &proc_root;
    for (size_t i = 0; i < NROOT; i++) {
        fixed[i] = init_node(root_files[i].kind, root_files[i].mode, 0);
        fixed[i].parent = &proc_root;
    }
    return &proc_root;
}

/* Free the cached nodes nothing holds whose process is gone. A walk passes nodes without
 * references, but only ones of live processes (it looked them up) or held ones. */
static void sweep(void)
{
    for (struct lx_node **pp = &cache; *pp;) {
        struct lx_node *n = *pp;
        if (n->refs == 0 && !lx_proc_find(n->proc.pid)) {
            *pp = n->proc.next;
            lx_free(n);
        } else {
            pp = &n->proc.next;
        }
    }
}

void lx_proc_node_put(struct lx_node *n)
{
    if (n->proc.pid && --n->refs == 0 && !lx_proc_find(n->proc.pid))
        sweep();
}

/* The node of kind about pid (cached), NULL when out of memory. */
static struct lx_node *pid_node(int pid, uint8_t kind, uint32_t mode)
{
    for (struct lx_node *n = cache; n; n = n->proc.next)
        if (n->proc.pid == pid && n->proc.kind == kind)
            return n;
    sweep();
    struct lx_node *n = lx_alloc(sizeof *n);
    if (!n)
        return NULL;
    *n = init_node(kind, mode, pid);
    if (kind == K_PID) {
        n->parent = &proc_root;
        n->subdirs = 0;
    }
    n->proc.next = cache;
    cache = n;
    return n;
}

static bool parse_pid(const char *name, size_t len, int *pid)
{
    if (len == 0 || len > 9 || name[0] == '0')
        return false;
    int v = 0;
    for (size_t i = 0; i < len; i++) {
        if (name[i] < '0' || name[i] > '9')
            return false;
        v = v * 10 + (name[i] - '0');
    }
    *pid = v;
    return true;
}

static bool is(const char *name, size_t len, const char *s)
{
    return strlen(s) == len && memcmp(name, s, len) == 0;
}

struct lx_node *lx_proc_lookup(struct lx_node *dir, const char *name, size_t len)
{
    if (dir->proc.kind == K_ROOT) {
        for (size_t i = 0; i < NROOT; i++)
            if (is(name, len, root_files[i].name))
                return &fixed[i];
        int pid;
        if (!parse_pid(name, len, &pid) || !lx_proc_find(pid))
            return NULL;
        return pid_node(pid, K_PID, LX_S_IFDIR | 0555);
    }
    struct lx_proc *p = lx_proc_find(dir->proc.pid);
    if (dir->proc.kind != K_PID || !p)
        return NULL;
    for (size_t i = 0; i < NPID; i++)
        if (is(name, len, pid_files[i].name))
            return pid_node(p->pid, pid_files[i].kind, pid_files[i].mode);
    return NULL;
}

bool lx_proc_dir_entry(struct lx_node *dir, uint64_t i, const char **name, size_t *len,
                       struct lx_node **node)
{
    static char pidname[16]; /* a listing copies the name before it asks for the next */
    if (dir->proc.kind == K_PID) {
        if (i >= NPID || !lx_proc_find(dir->proc.pid))
            return false;
        *name = pid_files[i].name;
        *len = strlen(*name);
        *node = pid_node(dir->proc.pid, pid_files[i].kind, pid_files[i].mode);
        return *node != NULL;
    }
    if (i < NROOT) {
        *name = root_files[i].name;
        *len = strlen(*name);
        *node = &fixed[i];
        return true;
    }
    /* then the processes, in the order of the process list (new ones come first) */
    uint64_t k = NROOT;
    for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
        if (p->state != LX_PROC_LIVE && p->state != LX_PROC_ZOMBIE)
            continue;
        if (k++ < i)
            continue;
        *len = (size_t)fmt_snprintf(pidname, sizeof pidname, "%d", p->pid);
        *name = pidname;
        *node = pid_node(p->pid, K_PID, LX_S_IFDIR | 0555);
        return *node != NULL;
    }
    return false;
}

const char *lx_proc_link(struct lx_node *n, size_t *len)
{
    static char target[256];
    target[0] = 0;
    if (n->proc.kind == K_SELF && lx_walker) {
        fmt_snprintf(target, sizeof target, "%d", lx_walker->proc->pid);
    } else if (n->proc.kind == K_PEXE) {
        struct lx_proc *p = lx_proc_find(n->proc.pid);
        if (p)
            lx_strlcpy(target, p->exe, sizeof target);
    }
    *len = strlen(target);
    return target;
}

/* ---- contents */

#define BUF_SIZE 4096
struct out {
    char *buf;
    size_t len;
};

__attribute__((format(printf, 2, 3))) static void put(struct out *o, const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = fmt_vsnprintf(o->buf + o->len, BUF_SIZE - o->len, f, ap);
    va_end(ap);
    o->len += (size_t)n < BUF_SIZE - o->len ? (size_t)n : BUF_SIZE - 1 - o->len;
}

#define TICKS_NS 10000000ull /* USER_HZ 100: clock ticks of stat */

static struct lx_proc *reader; /* whose read is writing the contents (NULL: none) */

static char state_of(const struct lx_proc *p)
{
    if (p->state == LX_PROC_ZOMBIE)
        return 'Z';
    return reader == p ? 'R' : 'S';
}

static const char *state_name(char c)
{
    return c == 'Z' ? "zombie" : c == 'R' ? "running" : "sleeping";
}

static void usage(const struct lx_proc *p, uint64_t *vsize, uint64_t *rss)
{
    *vsize = *rss = 0;
    if (p->mm && p->state == LX_PROC_LIVE)
        lx_mm_usage(p->mm, vsize, rss);
}

static void pid_stat(struct out *o, const struct lx_proc *p)
{
    uint64_t vsize, rss, ticks = p->utime_ns / TICKS_NS;
    usage(p, &vsize, &rss);
    /* Linux's fs/proc/array.c: 52 fields; what we do not keep is 0 */
    put(o, "%d (%s) %c %d %d %d 0 -1 4194304 0 0 0 0 %lu 0 0 0 20 0 %d 0 0 %lu %lu", p->pid,
        p->comm, state_of(p), p->ppid, p->pgid, p->sid, ticks, p->nthreads, vsize, rss);
    put(o, " 18446744073709551615 0 0 0 0 0 0 0 0 0 0 0 0 %d 0 0 0 0 0 0 0 0 0 0 0 0 0 %d\n",
        p->exit_signal, p->state == LX_PROC_ZOMBIE ? p->exit_status : 0);
}

static void pid_status(struct out *o, const struct lx_proc *p)
{
    char c = state_of(p);
    put(o, "Name:\t%s\nState:\t%c (%s)\nTgid:\t%d\nPid:\t%d\nPPid:\t%d\n", p->comm, c,
        state_name(c), p->pid, p->pid, p->ppid);
    put(o, "Uid:\t0\t0\t0\t0\nGid:\t0\t0\t0\t0\nThreads:\t%d\n", p->nthreads);
    if (p->state == LX_PROC_LIVE && p->mm) { /* as on Linux, a zombie has no memory lines */
        uint64_t vsize, rss;
        usage(p, &vsize, &rss);
        put(o, "VmSize:\t%8lu kB\nVmRSS:\t%8lu kB\n", vsize >> 10, rss * 4);
    }
}

static void meminfo(struct out *o)
{
    uint64_t total = lx_frames_total() * 4, free = lx_frames_free() * 4;
    put(o, "MemTotal:       %8lu kB\nMemFree:        %8lu kB\nMemAvailable:   %8lu kB\n", total,
        free, free);
    put(o, "Buffers:        %8lu kB\nCached:         %8lu kB\nSwapCached:     %8lu kB\n", 0ul, 0ul,
        0ul);
    put(o, "SwapTotal:      %8lu kB\nSwapFree:       %8lu kB\nShmem:          %8lu kB\n", 0ul, 0ul,
        0ul);
}

static void loadavg(struct out *o)
{
    int n = 0, last = 0;
    for (struct lx_proc *p = lx_proc_first(); p; p = p->next)
        if (p->state == LX_PROC_LIVE) {
            n += p->nthreads;
            last = p->pid > last ? p->pid : last;
        }
    put(o, "0.00 0.00 0.00 1/%d %d\n", n, last);
}

static void kernel_stat(struct out *o)
{
    uint64_t user = 0;
    int running = 0;
    for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
        user += p->utime_ns / TICKS_NS;
        running += p->state == LX_PROC_LIVE;
    }
    uint64_t up = lx_now() / TICKS_NS, idle = up > user ? up - user : 0;
    for (int i = 0; i < 2; i++)
        put(o, "cpu%s %lu 0 0 %lu 0 0 0 0 0 0\n", i ? "0" : " ", user, idle);
    put(o, "intr 0\nctxt 0\nbtime %lu\nprocesses %d\nprocs_running 1\nprocs_blocked 0\n",
        (unsigned long)((lx_wall() - lx_now()) / 1000000000ull), running);
}

/* Write n's contents into o: 0, or -ESRCH when its process is gone. */
static int contents(struct lx_node *n, struct out *o)
{
    uint64_t t;
    switch (n->proc.kind) {
    case K_MEMINFO:
        meminfo(o);
        return 0;
    case K_UPTIME:
        t = lx_now() / TICKS_NS;
        put(o, "%lu.%02lu 0.00\n", t / 100, t % 100);
        return 0;
    case K_LOADAVG:
        loadavg(o);
        return 0;
    case K_MOUNTS:
        put(o, "/dev/root / squashfs ro 0 0\ntmpfs /tmp tmpfs rw 0 0\n"
               "devtmpfs /dev devtmpfs rw 0 0\nproc /proc proc ro 0 0\n");
        return 0;
    case K_STAT:
        kernel_stat(o);
        return 0;
    case K_VERSION:
        put(o, "Linux version 6.1.0-coffer (coffer) #1 Coffer's Linux personality\n");
        return 0;
    }
    struct lx_proc *p = lx_proc_find(n->proc.pid);
    if (!p)
        return -LX_ESRCH;
    switch (n->proc.kind) {
    case K_PSTAT:
        pid_stat(o, p);
        break;
    case K_PSTATUS:
        pid_status(o, p);
        break;
    case K_PCMDLINE:
        if (p->state == LX_PROC_LIVE) {
            memcpy(o->buf, p->cmdline, (size_t)p->cmdline_len);
            o->len = (size_t)p->cmdline_len;
        }
        break;
    case K_PCOMM:
        put(o, "%s\n", p->comm);
        break;
    }
    return 0;
}

long lx_proc_read(struct lx_task *t, struct lx_node *n, void *buf, size_t len, uint64_t off)
{
    _Static_assert(sizeof((struct lx_proc *)0)->cmdline <= BUF_SIZE, "a cmdline fits");
    struct out o = {lx_alloc(BUF_SIZE), 0};
    if (!o.buf)
        return -LX_ENOMEM;
    reader = t ? t->proc : NULL;
    long r = contents(n, &o);
    reader = NULL;
    if (r == 0 && off < o.len) {
        r = off < o.len ? (long)(o.len - off < len ? o.len - off : len) : 0;
        memcpy(buf, o.buf + off, (size_t)r);
    }
    lx_free(o.buf);
    return r;
}
