/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Identity, limits and the small calls: uname, the user and group ids (everyone is root),
 * rlimits, getrandom, sysinfo, getrusage, the scheduler's trivia, robust lists, prctl.
 */
#include "fs.h"
#include "lx_sig.h"

/* --- per-process state ------------------------------------------------------------------- */

static const struct lx_rlimit rlim_default[LX_RLIM_NLIMITS] = {
    [LX_RLIMIT_STACK] = {8ull << 20, LX_RLIM_INFINITY},
    [LX_RLIMIT_NPROC] = {32, 32},
    [LX_RLIMIT_NOFILE] = {256, 256},
    [LX_RLIMIT_AS] = {64ull << 20, 64ull << 20},
    [0] = {LX_RLIM_INFINITY, LX_RLIM_INFINITY},  /* CPU */
    [1] = {LX_RLIM_INFINITY, LX_RLIM_INFINITY},  /* FSIZE */
    [2] = {LX_RLIM_INFINITY, LX_RLIM_INFINITY},  /* DATA */
    [4] = {0, LX_RLIM_INFINITY},                 /* CORE */
    [5] = {LX_RLIM_INFINITY, LX_RLIM_INFINITY},  /* RSS */
    [8] = {8ull << 20, 8ull << 20},              /* MEMLOCK */
    [10] = {LX_RLIM_INFINITY, LX_RLIM_INFINITY}, /* LOCKS */
    [11] = {64, 64},                             /* SIGPENDING: one of each */
    [12] = {819200, 819200},                     /* MSGQUEUE */
    [13] = {0, 0},                               /* NICE */
    [14] = {0, 0},                               /* RTPRIO */
    [15] = {LX_RLIM_INFINITY, LX_RLIM_INFINITY}, /* RTTIME */
};

struct lx_pmisc *lx_pmisc(struct lx_proc *p)
{
    if (!p->misc) {
        p->misc = lx_zalloc(sizeof(*p->misc));
        if (p->misc)
            memcpy(p->misc->rlim, rlim_default, sizeof(rlim_default));
    }
    return p->misc;
}

int lx_pmisc_fork(struct lx_proc *child, const struct lx_proc *parent)
{
    child->misc = NULL;
    if (!parent->misc)
        return 0;
    child->misc = lx_zalloc(sizeof(*child->misc));
    if (!child->misc)
        return -LX_ENOMEM;
    memcpy(child->misc->rlim, parent->misc->rlim, sizeof(rlim_default)); /* no timer */
    return 0;
}

void lx_pmisc_free(struct lx_proc *p)
{
    lx_free(p->misc);
    p->misc = NULL;
}

uint64_t lx_rlimit_cur(const struct lx_proc *p, int resource)
{
    if (resource < 0 || resource >= LX_RLIM_NLIMITS)
        return 0;
    return (p->misc ? p->misc->rlim : rlim_default)[resource].cur;
}

/* --- uname and ids ---------------------------------------------------------------------- */

long sys_uname(struct lx_task *t, const uint64_t a[6])
{
    static const char *const fields[6] = {"Linux",     "coffer",    "6.1.0-coffer",
                                          "#1 Coffer", LX_PLATFORM, "(none)"};
    char u[6][65];

    memset(u, 0, sizeof(u));
    for (int i = 0; i < 6; i++)
        memcpy(u[i], fields[i], strlen(fields[i]));
    return lx_copy_out(t, a[0], u, sizeof(u)) ? -LX_EFAULT : 0;
}

long sys_getuid(struct lx_task *t, const uint64_t a[6])
{
    (void)t, (void)a;
    return 0;
}

long sys_geteuid(struct lx_task *t, const uint64_t a[6]) __attribute__((alias("sys_getuid")));
long sys_getgid(struct lx_task *t, const uint64_t a[6]) __attribute__((alias("sys_getuid")));
long sys_getegid(struct lx_task *t, const uint64_t a[6]) __attribute__((alias("sys_getuid")));
long sys_sched_yield(struct lx_task *t, const uint64_t a[6]) __attribute__((alias("sys_getuid")));

/* An id to become: root stays root (0, or -1: "unchanged"); no other user exists */
static long set_ids(const uint64_t a[6], int n)
{
    long err = 0;

    for (int i = 0; i < n; i++) {
        uint32_t id = (uint32_t)a[i];
        if (id != 0 && id != UINT32_MAX)
            err = -LX_EPERM;
    }
    return err;
}

long sys_setuid(struct lx_task *t, const uint64_t a[6])
{
    (void)t;
    return (uint32_t)a[0] == UINT32_MAX ? -LX_EINVAL : set_ids(a, 1);
}

long sys_setgid(struct lx_task *t, const uint64_t a[6]) __attribute__((alias("sys_setuid")));

long sys_setreuid(struct lx_task *t, const uint64_t a[6])
{
    (void)t;
    return set_ids(a, 2);
}

long sys_setregid(struct lx_task *t, const uint64_t a[6]) __attribute__((alias("sys_setreuid")));

long sys_setresuid(struct lx_task *t, const uint64_t a[6])
{
    (void)t;
    return set_ids(a, 3);
}

long sys_setresgid(struct lx_task *t, const uint64_t a[6]) __attribute__((alias("sys_setresuid")));

long sys_getresuid(struct lx_task *t, const uint64_t a[6])
{
    const uint32_t zero = 0;

    for (int i = 0; i < 3; i++) {
        if (lx_copy_out(t, a[i], &zero, sizeof(zero)))
            return -LX_EFAULT;
    }
    return 0;
}

long sys_getresgid(struct lx_task *t, const uint64_t a[6]) __attribute__((alias("sys_getresuid")));

long sys_getgroups(struct lx_task *t, const uint64_t a[6])
{
    (void)t;
    return (int)a[0] < 0 ? -LX_EINVAL : 0; /* no supplementary groups */
}

#define LX_NGROUPS_MAX 65536

long sys_setgroups(struct lx_task *t, const uint64_t a[6])
{
    int n = (int)a[0];
    uint32_t gid;

    if (n < 0 || n > LX_NGROUPS_MAX)
        return -LX_EINVAL;
    /* root may set any list, but only root's group exists here */
    for (int i = 0; i < n; i++) {
        if (lx_copy_in(t, &gid, a[1] + 4 * (uint64_t)i, sizeof(gid)))
            return -LX_EFAULT;
        if (gid != 0)
            return -LX_EPERM;
    }
    return 0;
}

/* --- rlimits --------------------------------------------------------------------------------- */

/* The core of prlimit64, getrlimit and setrlimit: old (when wanted) before new is set */
static long rlimit(struct lx_task *t, struct lx_proc *p, unsigned res, uint64_t new_addr,
                   uint64_t old_addr)
{
    struct lx_rlimit new;

    if (res >= LX_RLIM_NLIMITS)
        return -LX_EINVAL;
    if (new_addr) {
        if (lx_copy_in(t, &new, new_addr, sizeof(new)))
            return -LX_EFAULT;
        if (new.cur > new.max)
            return -LX_EINVAL;
    }
    struct lx_rlimit old = (p->misc ? p->misc->rlim : rlim_default)[res];
    if (new_addr) {
        /* the limits are the system's real ones: even root cannot raise a hard limit */
        if (new.max > old.max)
            return -LX_EPERM;
        struct lx_pmisc *m = lx_pmisc(p);
        if (!m)
            return -LX_ENOMEM;
        m->rlim[res] = new;
        if (res == LX_RLIMIT_NOFILE && p->files) /* what opening and dup check */
            lx_files_set_limit(p->files, new.cur);
    }
    if (old_addr && lx_copy_out(t, old_addr, &old, sizeof(old)))
        return -LX_EFAULT;
    return 0;
}

long sys_prlimit64(struct lx_task *t, const uint64_t a[6])
{
    int pid = (int)a[0];
    struct lx_proc *p = pid ? lx_proc_find(pid) : t->proc;

    if (pid < 0 || !p || p->state != LX_PROC_LIVE)
        return -LX_ESRCH;
    return rlimit(t, p, (unsigned)a[1], a[2], a[3]);
}

long sys_getrlimit(struct lx_task *t, const uint64_t a[6])
{
    return rlimit(t, t->proc, (unsigned)a[0], 0, a[1]);
}

long sys_setrlimit(struct lx_task *t, const uint64_t a[6])
{
    return rlimit(t, t->proc, (unsigned)a[0], a[1], 0);
}

/* --- getrandom ------------------------------------------------------------------------------- */

/*
 * xoshiro256** with the clocks stirred in at every call: statistically good and not
 * predictable from outside without the clocks, but no cryptographic generator (what Linux
 * promises, the server has no entropy source to keep).
 */
static uint64_t rng[4];

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(void)
{
    uint64_t result = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;

    rng[2] ^= rng[0];
    rng[3] ^= rng[1];
    rng[1] ^= rng[2];
    rng[0] ^= rng[3];
    rng[2] ^= t;
    rng[3] = rotl(rng[3], 45);
    return result;
}

/* splitmix64: spreads a seed over the whole state */
static void rng_stir(uint64_t seed)
{
    for (int i = 0; i < 4; i++) {
        seed += 0x9e3779b97f4a7c15ull;
        uint64_t z = seed;
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        rng[i] ^= z ^ (z >> 31);
    }
    if (!(rng[0] | rng[1] | rng[2] | rng[3]))
        rng[0] = 1; /* the one state xoshiro never leaves */
}

#define GRND_NONBLOCK 1
#define GRND_RANDOM   2
#define GRND_INSECURE 4
#define GETRANDOM_MAX (1u << 20) /* per call; a short count is getrandom's to return */

long sys_getrandom(struct lx_task *t, const uint64_t a[6])
{
    uint64_t buf = a[0], len = a[1], done = 0;
    unsigned flags = (unsigned)a[2];
    uint64_t chunk[32];

    if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE) ||
        (flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
        return -LX_EINVAL;
    if (len > GETRANDOM_MAX)
        len = GETRANDOM_MAX;
    rng_stir(lx_now() ^ rotl(lx_wall(), 32) ^ buf ^ (uint64_t)t->tid << 48);
    while (done < len) {
        size_t n = len - done < sizeof(chunk) ? (size_t)(len - done) : sizeof(chunk);
        for (int i = 0; i < 32; i++)
            chunk[i] = rng_next();
        if (lx_copy_out(t, buf + done, chunk, n))
            return done ? (long)done : -LX_EFAULT;
        done += n;
    }
    return (long)done;
}

/* --- sysinfo, getrusage ------------------------------------------------------------------- */

struct lx_sysinfo {
    int64_t uptime;
    uint64_t loads[3];
    uint64_t totalram, freeram, sharedram, bufferram, totalswap, freeswap;
    uint16_t procs, pad;
    uint64_t totalhigh, freehigh;
    uint32_t mem_unit;
};
_Static_assert(sizeof(struct lx_sysinfo) == 112, "struct sysinfo");

long sys_sysinfo(struct lx_task *t, const uint64_t a[6])
{
    struct lx_sysinfo si = {
        .uptime = (int64_t)(lx_now() / LX_NS),
        .totalram = lx_frames_total() * 4096, /* the region, as /proc/meminfo says */
        .freeram = lx_frames_free() * 4096,
        .mem_unit = 1,
    };

    for (struct lx_proc *p = lx_proc_first(); p; p = p->next)
        si.procs += p->state == LX_PROC_LIVE ? (uint16_t)p->nthreads : 0;
    return lx_copy_out(t, a[0], &si, sizeof(si)) ? -LX_EFAULT : 0;
}

#define RUSAGE_SELF     0
#define RUSAGE_CHILDREN (-1)
#define RUSAGE_THREAD   1

long sys_getrusage(struct lx_task *t, const uint64_t a[6])
{
    int64_t ru[18] = {0}; /* ru_utime, ru_stime (timevals), then 14 counters */
    int who = (int)a[0];

    if (who != RUSAGE_SELF && who != RUSAGE_CHILDREN && who != RUSAGE_THREAD)
        return -LX_EINVAL;
    if (who != RUSAGE_CHILDREN) {
        ru[0] = (int64_t)(t->proc->utime_ns / LX_NS);
        ru[1] = (int64_t)(t->proc->utime_ns % LX_NS / 1000);
    }
    return lx_copy_out(t, a[1], ru, sizeof(ru)) ? -LX_EFAULT : 0;
}

/* --- scheduler, cpus ----------------------------------------------------------------------- */

static struct lx_task *task_by_tid(struct lx_task *self, int tid)
{
    if (tid == 0)
        return self;
    for (struct lx_proc *p = lx_proc_first(); p; p = p->next) {
        for (struct lx_task *t = p->threads; t; t = t->next) {
            if (t->tid == tid)
                return t;
        }
    }
    return NULL;
}

long sys_getcpu(struct lx_task *t, const uint64_t a[6])
{
    const uint32_t zero = 0;

    for (int i = 0; i < 2; i++) { /* cpu, node; the third (a cache) is unused since 2.6.24 */
        if (a[i] && lx_copy_out(t, a[i], &zero, sizeof(zero)))
            return -LX_EFAULT;
    }
    return 0;
}

long sys_sched_getaffinity(struct lx_task *t, const uint64_t a[6])
{
    const uint64_t mask = 1; /* one CPU */

    if ((int)a[0] < 0 || !task_by_tid(t, (int)a[0]))
        return -LX_ESRCH;
    if (a[1] < sizeof(mask) || a[1] % sizeof(mask))
        return -LX_EINVAL;
    return lx_copy_out(t, a[2], &mask, sizeof(mask)) ? -LX_EFAULT : (long)sizeof(mask);
}

long sys_sched_setaffinity(struct lx_task *t, const uint64_t a[6])
{
    uint8_t first = 0;

    if ((int)a[0] < 0 || !task_by_tid(t, (int)a[0]))
        return -LX_ESRCH;
    if (a[1] && lx_copy_in(t, &first, a[2], 1))
        return -LX_EFAULT;
    return first & 1 ? 0 : -LX_EINVAL; /* a set without CPU 0 has no CPU we have */
}

/* --- robust lists, prctl ------------------------------------------------------------------- */

#define ROBUST_LIST_HEAD_SIZE 24

long sys_set_robust_list(struct lx_task *t, const uint64_t a[6])
{
    if (a[1] != ROBUST_LIST_HEAD_SIZE)
        return -LX_EINVAL;
    t->robust_list = a[0]; /* kept for get_robust_list; a dying owner's locks are not freed */
    return 0;
}

long sys_get_robust_list(struct lx_task *t, const uint64_t a[6])
{
    struct lx_task *of = (int)a[0] < 0 ? NULL : task_by_tid(t, (int)a[0]);
    const uint64_t len = ROBUST_LIST_HEAD_SIZE;

    if (!of)
        return -LX_ESRCH;
    if (lx_copy_out(t, a[1], &of->robust_list, sizeof(uint64_t)) ||
        lx_copy_out(t, a[2], &len, sizeof(len)))
        return -LX_EFAULT;
    return 0;
}

#define PR_GET_DUMPABLE 3
#define PR_SET_DUMPABLE 4
#define PR_SET_NAME     15
#define PR_GET_NAME     16

long sys_prctl(struct lx_task *t, const uint64_t a[6])
{
    char name[16] = {0};

    switch ((int)a[0]) {
    case PR_SET_NAME:
        /* at most 15 bytes, silently cut, as Linux does */
        for (size_t i = 0; i < sizeof(name) - 1; i++) {
            if (lx_copy_in(t, &name[i], a[1] + i, 1))
                return -LX_EFAULT;
            if (!name[i])
                break;
        }
        memcpy(t->proc->comm, name, sizeof(name));
        return 0;
    case PR_GET_NAME:
        memcpy(name, t->proc->comm, sizeof(name) - 1);
        return lx_copy_out(t, a[1], name, sizeof(name)) ? -LX_EFAULT : 0;
    case PR_GET_DUMPABLE:
        return 1;
    case PR_SET_DUMPABLE:
        return a[1] <= 1 ? 0 : -LX_EINVAL;
    default:
        return -LX_EINVAL;
    }
}
