/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * execve: a static ELF64 program of the server's architecture (lx_arch.h) or a "#!" script
 * from the file system replaces a process's program. The new program gets a new space, laid
 * out from its program headers (pages are filled as touched: mem.c), and a stack as Linux
 * builds it (argc, argv, envp, the auxiliary vector); the calling thread is replaced by a new
 * Coffer thread in that space, with the same Linux tid. Nothing of the old program is touched
 * until the new one is ready, so a failing execve returns its error to a process that is as it
 * was.
 */
#include "fs.h"
#include "mm.h"

#define EI_NIDENT  16
#define ET_EXEC    2
#define ET_DYN     3
#define PT_LOAD    1
#define PT_INTERP  3
#define PT_PHDR    6
#define PF_X       1
#define PF_W       2
#define PF_R       4
#define MAX_PHDRS  64
#define DYN_BASE   0x555555554000ull /* where a static-pie program goes, as Linux puts it */
#define MAX_SCRIPT 4                 /* "#!" interpreters in a row: ELOOP beyond */

struct elf_ehdr {
    unsigned char ident[EI_NIDENT];
    uint16_t type, machine;
    uint32_t version;
    uint64_t entry, phoff, shoff;
    uint32_t flags;
    uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
    uint32_t type, flags;
    uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

/* The auxiliary vector's keys */
#define AT_NULL     0
#define AT_PHDR     3
#define AT_PHENT    4
#define AT_PHNUM    5
#define AT_PAGESZ   6
#define AT_BASE     7
#define AT_FLAGS    8
#define AT_ENTRY    9
#define AT_UID      11
#define AT_EUID     12
#define AT_GID      13
#define AT_EGID     14
#define AT_PLATFORM 15
#define AT_HWCAP    16
#define AT_CLKTCK   17
#define AT_SECURE   23
#define AT_RANDOM   25
#define AT_EXECFN   31

struct image {
    uint64_t entry, phdr, phnum, brk;
};

static uint64_t page_down(uint64_t x)
{
    return x & ~(PAGE - 1);
}

static uint64_t page_up(uint64_t x)
{
    return (x + PAGE - 1) & ~(PAGE - 1);
}

/* Lay the program out in mm; -ENOEXEC for anything that is not a program we can run. */
static int load(struct lx_mm *mm, struct lx_file *f, const struct elf_ehdr *eh, struct image *im)
{
    static struct elf_phdr ph[MAX_PHDRS];
    uint64_t size = lx_file_size(f);

    if (eh->ident[4] != 2 || eh->ident[5] != 1 || eh->machine != LX_ELF_MACHINE ||
        (eh->type != ET_EXEC && eh->type != ET_DYN) || eh->phentsize != sizeof(struct elf_phdr) ||
        eh->phnum == 0 || eh->phnum > MAX_PHDRS || eh->phoff > size ||
        eh->phnum * sizeof(struct elf_phdr) > size - eh->phoff)
        return -LX_ENOEXEC;
    size_t len = eh->phnum * sizeof(struct elf_phdr);
    if (lx_file_pread(f, ph, len, eh->phoff) != (long)len)
        return -LX_EIO;
    uint64_t base = eh->type == ET_DYN ? DYN_BASE : 0, end = 0;
    im->phdr = 0;
    for (unsigned i = 0; i < eh->phnum; i++) {
        if (ph[i].type == PT_INTERP)
            return -LX_ENOEXEC; /* dynamically linked: only static programs run here */
        if (ph[i].type == PT_PHDR)
            im->phdr = base + ph[i].vaddr;
        if (ph[i].type != PT_LOAD || !ph[i].memsz)
            continue;
        const struct elf_phdr *p = &ph[i];
        if (p->filesz > p->memsz || p->offset > size || p->filesz > size - p->offset ||
            (p->offset & (PAGE - 1)) != (p->vaddr & (PAGE - 1)) || p->vaddr >= LX_USER_TOP ||
            p->memsz > LX_USER_TOP - p->vaddr || base + p->vaddr + p->memsz > LX_USER_TOP)
            return -LX_ENOEXEC;
        uint64_t start = page_down(base + p->vaddr), stop = page_up(base + p->vaddr + p->memsz);
        int prot = (p->flags & PF_R ? LX_PROT_READ : 0) | (p->flags & PF_W ? LX_PROT_WRITE : 0) |
                   (p->flags & PF_X ? LX_PROT_EXEC : 0);
        int err = lx_mm_map_segment(mm, start, stop - start, prot, f, page_down(p->offset),
                                    base + p->vaddr - start + p->filesz);
        if (err)
            return err;
        if (!im->phdr && eh->phoff >= p->offset && eh->phoff - p->offset < p->filesz)
            im->phdr = base + p->vaddr + (eh->phoff - p->offset);
        if (stop > end)
            end = stop;
    }
    if (!end || eh->entry + base >= LX_USER_TOP)
        return -LX_ENOEXEC;
    im->entry = base + eh->entry;
    im->phnum = eh->phnum;
    im->brk = end;
    return 0;
}

/* A simple random value for AT_RANDOM: it only needs to differ between runs and processes. */
static uint64_t mix(uint64_t x)
{
    x ^= x >> 33;
    x *= 0xff51afd7ed558ccdull;
    x ^= x >> 33;
    return x;
}

/*
 * The initial stack, as Linux builds it (from the top): the strings, 16 random bytes, then
 * (16-byte aligned at the bottom) argc, argv[], NULL, envp[], NULL, auxv pairs, AT_NULL.
 */
static int build_stack(struct lx_mm *mm, const struct image *im, const char *path,
                       char *const *argv, int argc, char *const *envp, int envc, uint64_t *sp_out)
{
    uint64_t sp = LX_STACK_TOP, vec[2 * 20], nv = 0;
    uint64_t *ptrs = lx_alloc((size_t)(argc + envc + 2) * sizeof(uint64_t));
    static uint64_t seed;
    int err = -LX_EFAULT;

    if (!ptrs)
        return -LX_ENOMEM;
#define PUSH_STR(s, dst)                                                                           \
    do {                                                                                           \
        size_t n_ = strlen(s) + 1;                                                                 \
        sp -= n_;                                                                                  \
        if (lx_mm_copy_out(mm, sp, (s), n_))                                                       \
            goto out;                                                                              \
        (dst) = sp;                                                                                \
    } while (0)
    uint64_t execfn, rnd, platform;
    PUSH_STR(path, execfn);
    PUSH_STR(LX_PLATFORM, platform);
    for (int i = envc - 1; i >= 0; i--)
        PUSH_STR(envp[i], ptrs[argc + 1 + i]);
    for (int i = argc - 1; i >= 0; i--)
        PUSH_STR(argv[i], ptrs[i]);
    ptrs[argc] = 0;
    ptrs[argc + 1 + envc] = 0;
    uint64_t random[2] = {mix(lx_now() ^ ++seed), mix(seed * 0x9e3779b97f4a7c15ull ^ im->entry)};
    sp = (sp - 16) & ~15ull;
    rnd = sp;
    if (lx_mm_copy_out(mm, rnd, random, 16))
        goto out;
#define AUX(k, v) (vec[nv++] = (k), vec[nv++] = (v))
    AUX(AT_PHDR, im->phdr);
    AUX(AT_PHENT, sizeof(struct elf_phdr));
    AUX(AT_PHNUM, im->phnum);
    AUX(AT_PAGESZ, PAGE);
    AUX(AT_BASE, 0);
    AUX(AT_FLAGS, 0);
    AUX(AT_ENTRY, im->entry);
    AUX(AT_UID, 0);
    AUX(AT_EUID, 0);
    AUX(AT_GID, 0);
    AUX(AT_EGID, 0);
    AUX(AT_SECURE, 0);
    AUX(AT_CLKTCK, 100);
    AUX(AT_HWCAP, LX_HWCAP);
    AUX(AT_PLATFORM, platform);
    AUX(AT_RANDOM, rnd);
    AUX(AT_EXECFN, execfn);
    AUX(AT_NULL, 0);
    uint64_t words = 1 + (uint64_t)argc + 1 + (uint64_t)envc + 1 + nv;
    sp = (sp - words * 8) & ~15ull;
    uint64_t at = sp, n = (uint64_t)argc;
    if (lx_mm_copy_out(mm, at, &n, 8) ||
        lx_mm_copy_out(mm, at + 8, ptrs, ((uint64_t)argc + envc + 2) * 8) ||
        lx_mm_copy_out(mm, at + 8 + ((uint64_t)argc + envc + 2) * 8, vec, nv * 8))
        goto out;
    *sp_out = sp;
    err = 0;
out:
    lx_free(ptrs);
    return err;
}

/* "#!interpreter [one argument]": the new argv, in buf. */
static int script(struct lx_file *f, const char *path, char *const *argv, int argc, char **nargv,
                  int *nargc, char *line, size_t size)
{
    long n = lx_file_pread(f, line, size - 1, 0);

    if (n < 2)
        return -LX_ENOEXEC;
    line[n] = 0;
    char *nl = line;
    while (*nl && *nl != '\n')
        nl++;
    if (!*nl)
        return -LX_ENOEXEC; /* Linux: a first line longer than its buffer */
    *nl = 0;
    char *s = line + 2;
    while (*s == ' ' || *s == '\t')
        s++;
    if (!*s)
        return -LX_ENOEXEC;
    char *interp = s;
    while (*s && *s != ' ' && *s != '\t')
        s++;
    char *opt = NULL;
    if (*s) {
        *s++ = 0;
        while (*s == ' ' || *s == '\t')
            s++;
        if (*s) {
            opt = s;
            for (char *e = s + strlen(s); e > s && (e[-1] == ' ' || e[-1] == '\t'); e--)
                e[-1] = 0;
        }
    }
    int k = 0;
    nargv[k++] = interp;
    if (opt)
        nargv[k++] = opt;
    nargv[k++] = (char *)path;
    for (int i = 1; i < argc; i++)
        nargv[k++] = argv[i];
    nargv[k] = NULL;
    *nargc = k;
    return 0;
}

static const char *basename(const char *path)
{
    const char *b = path;

    for (const char *s = path; *s; s++) {
        if (*s == '/' && s[1])
            b = s + 1;
    }
    return b;
}

int lx_exec(struct lx_task *t, const char *path, char *const *argv, int argc, char *const *envp,
            int envc)
{
    struct lx_proc *p = t->proc;
    char **nargv = NULL, *line = NULL;
    struct lx_file *f = NULL;
    struct elf_ehdr eh;
    int err;

    for (int depth = 0;; depth++) {
        err = lx_exec_open(t, path, &f);
        if (err)
            goto out;
        long n = lx_file_pread(f, &eh, sizeof(eh), 0);
        if (n >= 2 && eh.ident[0] == '#' && eh.ident[1] == '!') {
            if (depth == MAX_SCRIPT) {
                err = -LX_ELOOP;
                goto out;
            }
            char **next = lx_alloc(((size_t)argc + 3) * sizeof(char *));
            char *nline = lx_alloc(256);
            int nargc;
            err = !next || !nline ? -LX_ENOMEM
                                  : script(f, path, argv, argc, next, &nargc, nline, 256);
            if (err) {
                lx_free(next);
                lx_free(nline);
                goto out;
            }
            lx_free(nargv);
            lx_free(line); /* argv's strings may point into the old line: kept until here */
            nargv = next, line = nline;
            argv = nargv, argc = nargc, path = nargv[0];
            lx_file_put(f);
            f = NULL;
            continue;
        }
        if (n != sizeof(eh) || eh.ident[0] != 0x7f || eh.ident[1] != 'E' || eh.ident[2] != 'L' ||
            eh.ident[3] != 'F') {
            err = -LX_ENOEXEC;
            goto out;
        }
        break;
    }
    struct lx_mm *mm = lx_mm_new();
    struct image im = {0};
    uint64_t sp = 0;
    if (!mm) {
        err = -LX_ENOMEM;
        goto out;
    }
    err = load(mm, f, &eh, &im);
    if (!err)
        err = lx_mm_map_stack(mm, LX_STACK_TOP, LX_STACK_SIZE);
#ifdef LX_SIGPAGE /* the architecture's handlers return through a page of ours (lx_arch.h) */
    static const uint32_t sigpage[] = LX_SIGPAGE_CODE;
    if (!err)
        err = lx_mm_map_code(mm, LX_SIGPAGE, sigpage, sizeof(sigpage));
#endif
    if (!err)
        err = build_stack(mm, &im, path, argv, argc, envp, envc, &sp);
    struct l4_regs r = {0};
    L4_REGS_IP(&r) = im.entry;
    L4_REGS_SP(&r) = sp;
    if (!err) {
        lx_mm_set_brk(mm, im.brk);
        /* the point of no return: the other threads go, and this one is replaced */
        for (struct lx_task *o = p->threads, *n; o; o = n) {
            n = o->next;
            if (o != t)
                lx_task_end(o);
        }
        err = lx_task_start(t, mm, &r);
    }
    if (err) {
        lx_mm_put(mm);
        goto out;
    }
    lx_mm_put(p->mm);
    p->mm = mm;
    t->regs = r;
    t->clear_child_tid = 0;
    lx_files_cloexec(p->files);
    struct lx_sig *own = lx_sig_dup(p->sig); /* shared (CLONE_SIGHAND) no more: Linux unshares */
    if (own) {
        lx_sig_put(p->sig);
        p->sig = own;
    }
    lx_sig_exec(p->sig);
    lx_sig_task_exec(t);
    lx_strlcpy(p->comm, basename(path), sizeof(p->comm));
    lx_strlcpy(p->exe, path, sizeof(p->exe));
    p->cmdline_len = 0;
    for (int i = 0; i < argc && p->cmdline_len < (int)sizeof(p->cmdline); i++) {
        int room = (int)sizeof(p->cmdline) - p->cmdline_len;
        lx_strlcpy(p->cmdline + p->cmdline_len, argv[i], (size_t)room);
        p->cmdline_len += (int)strlen(p->cmdline + p->cmdline_len) + 1;
    }
    if (p->cmdline_len > (int)sizeof(p->cmdline))
        p->cmdline_len = (int)sizeof(p->cmdline);
    p->vfork_done = true;
    p->did_exec = true;
    lx_wake(&p->vfork_wait);
out:
    if (f)
        lx_file_put(f);
    lx_free(nargv);
    lx_free(line);
    return err;
}

/* execve(path, argv, envp): the strings come into one buffer of at most LX_ARG_MAX bytes. */
#define LX_ARG_MAX  (128 * 1024)
#define LX_ARGS_MAX 4096

static int fetch_vector(struct lx_task *t, uint64_t vec, char **out, int max, char **buf,
                        size_t *room)
{
    int n = 0;

    for (; vec; n++) {
        uint64_t ptr;
        if (lx_copy_in(t, &ptr, vec + (uint64_t)n * 8, 8))
            return -LX_EFAULT;
        if (!ptr)
            break;
        if (n == max)
            return -LX_E2BIG;
        long len = lx_strcpy_in(t, *buf, ptr, *room);
        if (len == -LX_ENAMETOOLONG)
            return -LX_E2BIG;
        if (len < 0)
            return (int)len;
        out[n] = *buf;
        *buf += len + 1;
        *room -= (size_t)len + 1;
    }
    out[n] = NULL;
    return n;
}

long sys_execve(struct lx_task *t, const uint64_t a[6])
{
    char *path = lx_alloc(4096), *strings = lx_alloc(LX_ARG_MAX);
    char **argv = lx_alloc((LX_ARGS_MAX + 1) * sizeof(char *));
    char **envp = lx_alloc((LX_ARGS_MAX + 1) * sizeof(char *));
    long err = -LX_ENOMEM;

    if (!path || !strings || !argv || !envp)
        goto out;
    err = lx_strcpy_in(t, path, a[0], 4096);
    if (err < 0)
        goto out;
    if (!path[0]) {
        err = -LX_ENOENT;
        goto out;
    }
    char *buf = strings;
    size_t room = LX_ARG_MAX;
    int argc = fetch_vector(t, a[1], argv, LX_ARGS_MAX, &buf, &room);
    int envc = argc < 0 ? argc : fetch_vector(t, a[2], envp, LX_ARGS_MAX, &buf, &room);
    if (argc < 0 || envc < 0) {
        err = argc < 0 ? argc : envc;
        goto out;
    }
    err = lx_exec(t, path, argv, argc, envp, envc);
    if (!err)
        err = LX_NO_REPLY; /* the new program runs already, on a new thread */
out:
    lx_free(path);
    lx_free(strings);
    lx_free(argv);
    lx_free(envp);
    return err;
}
