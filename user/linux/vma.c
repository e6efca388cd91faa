/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Mappings of a Linux address space (VMAs, as Linux calls them) and the calls that change
 * them: brk, mmap, munmap, mprotect, madvise; and fork's copy of a space. Pages themselves
 * are mem.c's.
 *
 * The memory quota: every page a space maps is charged when mapped, to the space
 * (LX_MM_QUOTA) and to all spaces together (lx_commit_limit), so a process that maps too
 * much gets ENOMEM at mmap, brk or fork, never a frame missing at a later fault, and no
 * process can take another's memory. Unlike Linux's strict overcommit (private writable
 * pages only), read-only, shared and PROT_NONE mappings count too: here every touched page
 * is a frame of its own (no zero page, no page cache), a shared page is a frame in each
 * space that maps it, and a page made PROT_NONE keeps its frame; charging less would let a
 * process hold frames nobody paid for and starve the others' promised memory.
 */
#include "fs.h"
#include "mm.h"

#include <coffer/mem.h>

#define MEM L4_SLOT_MEMORY

/* Linux's mmap flags and advice (x86_64) */
#define LX_MAP_SHARED          0x01
#define LX_MAP_PRIVATE         0x02
#define LX_MAP_SHARED_VALIDATE 0x03
#define LX_MAP_TYPE            0x0f
#define LX_MAP_FIXED           0x10
#define LX_MAP_ANONYMOUS       0x20
#define LX_MAP_FIXED_NOREPLACE 0x100000
#define LX_MAP_KNOWN           0x1ff7f3 /* every flag Linux knows (others are ignored) */
#define LX_MADV_DONTNEED       4
#define LX_MADV_FREE           8

/* What v costs: all its pages, whatever its protection (the header says why) */
static uint64_t charge(const struct lx_vma *v)
{
    return (v->end - v->start) / PAGE;
}

/* Take pages of quota for mm; false (nothing taken) when over its quota or the system's. */
static bool commit(struct lx_mm *mm, uint64_t pages)
{
    if (pages > LX_MM_QUOTA - mm->committed || pages > lx_commit_limit - lx_committed)
        return false;
    mm->committed += pages;
    lx_committed += pages;
    return true;
}

static void uncommit(struct lx_mm *mm, uint64_t pages)
{
    LX_ASSERT(mm->committed >= pages && lx_committed >= pages);
    mm->committed -= pages;
    lx_committed -= pages;
}

struct lx_vma *lx_vma_find(struct lx_mm *mm, uint64_t va)
{
    for (struct lx_vma *v = mm->vmas; v && v->start <= va; v = v->next) {
        if (va < v->end)
            return v;
    }
    return NULL;
}

static struct lx_vma *overlap(struct lx_mm *mm, uint64_t start, uint64_t end)
{
    for (struct lx_vma *v = mm->vmas; v && v->start < end; v = v->next) {
        if (v->end > start)
            return v;
    }
    return NULL;
}

/*
 * The stack grows down as it is touched, as Linux's does, and is charged as it grows: a
 * process pays for the stack it uses, not for the 8 MiB it may use (so a shell's children
 * cost what they touch, and a fork bomb meets the process limit, not the memory quota).
 */
struct lx_vma *lx_vma_grow_stack(struct lx_mm *mm, uint64_t va)
{
    struct lx_vma *s = NULL;

    for (struct lx_vma *v = mm->vmas; v; v = v->next) {
        if ((v->flags & LX_VMA_STACK) && (!s || v->start < s->start))
            s = v;
    }
    uint64_t start = va & ~(PAGE - 1);
    if (!s || va >= s->start || s->end - start > LX_STACK_MAX || overlap(mm, start, s->start))
        return NULL;
    if (!commit(mm, (s->start - start) / PAGE))
        return NULL;
    s->start = start;
    return s;
}

static void insert(struct lx_mm *mm, struct lx_vma *n)
{
    struct lx_vma **p = &mm->vmas;

    while (*p && (*p)->start < n->start)
        p = &(*p)->next;
    n->next = *p;
    *p = n;
}

/* Unlink v and free it; its pages must be gone already (or the space is). */
void lx_vma_remove(struct lx_mm *mm, struct lx_vma *v)
{
    for (struct lx_vma **p = &mm->vmas; *p; p = &(*p)->next) {
        if (*p == v) {
            *p = v->next;
            break;
        }
    }
    uncommit(mm, charge(v));
    if (v->file)
        lx_file_put(v->file);
    lx_free(v);
}

/* A new mapping, charged; -ENOMEM over the quota. */
static int add(struct lx_mm *mm, uint64_t start, uint64_t end, int prot, int flags,
               struct lx_file *file, uint64_t off, uint64_t file_end)
{
    struct lx_vma *v = lx_zalloc(sizeof(*v));

    if (!v)
        return -LX_ENOMEM;
    *v = (struct lx_vma){start, end, prot, flags, file, off, file_end, NULL};
    if (!commit(mm, charge(v))) {
        lx_free(v);
        return -LX_ENOMEM;
    }
    if (file)
        lx_file_get(file);
    insert(mm, v);
    return 0;
}

/* Split v at va (inside it): v keeps the front, a new mapping takes the back. */
static int split(struct lx_mm *mm, struct lx_vma *v, uint64_t va)
{
    (void)mm;
    LX_ASSERT(va > v->start && va < v->end && !(va & (PAGE - 1)));
    struct lx_vma *b = lx_zalloc(sizeof(*b));
    if (!b)
        return -LX_ENOMEM;
    *b = *v;
    b->start = va;
    b->off = v->off + (va - v->start);
    v->end = va;
    v->next = b;
    if (b->file)
        lx_file_get(b->file);
    return 0; /* the charge is the same, split in two */
}

/* Split the mappings that straddle start or end, so that [start, end) is whole mappings. */
static int cut(struct lx_mm *mm, uint64_t start, uint64_t end)
{
    struct lx_vma *v = lx_vma_find(mm, start);

    if (v && v->start < start && split(mm, v, start))
        return -LX_ENOMEM;
    v = lx_vma_find(mm, end - 1);
    if (v && v->end > end && split(mm, v, end))
        return -LX_ENOMEM;
    return 0;
}

static void release(struct lx_mm *mm, uint64_t va, uint32_t *e, void *arg)
{
    (void)arg;
    if (*e & E_MAPPED)
        l4_mem_unmap(mm->space, va);
    lx_frame_unref((*e & E_FRAME) - 1);
    *e = 0;
}

/* Everything in [start, end) goes: pages and mappings. */
static int unmap_range(struct lx_mm *mm, uint64_t start, uint64_t end)
{
    if (!overlap(mm, start, end))
        return 0;
    if (cut(mm, start, end))
        return -LX_ENOMEM;
    lx_mm_walk(mm, start, end, release, NULL);
    for (struct lx_vma *v = overlap(mm, start, end); v; v = overlap(mm, start, end))
        lx_vma_remove(mm, v);
    return 0;
}

/* --- exec's layout ------------------------------------------------------------------------ */

int lx_mm_map_segment(struct lx_mm *mm, uint64_t addr, uint64_t len, int prot, struct lx_file *file,
                      uint64_t off, uint64_t filesz)
{
    if (!len || addr >= LX_USER_TOP || len > LX_USER_TOP - addr || overlap(mm, addr, addr + len))
        return -LX_ENOEXEC;
    return add(mm, addr, addr + len, prot, 0, filesz ? file : NULL, off, addr + filesz);
}

int lx_mm_map_code(struct lx_mm *mm, uint64_t addr, const void *code, size_t len)
{
    uint32_t f;

    LX_ASSERT(!(addr & (PAGE - 1)) && len <= PAGE);
    int err = lx_mm_map_segment(mm, addr, PAGE, LX_PROT_READ | LX_PROT_EXEC, NULL, 0, 0);
    if (!err)
        err = lx_mm_resolve(mm, addr, LX_PROT_READ, false, &f);
    if (!err)
        memcpy(lx_frame_ptr(f), code, len);
    return err;
}

int lx_mm_set_brk(struct lx_mm *mm, uint64_t start)
{
    mm->brk_start = mm->brk = start;
    return 0;
}

int lx_mm_map_stack(struct lx_mm *mm, uint64_t top, uint64_t size)
{
    return add(mm, top - size, top, LX_PROT_READ | LX_PROT_WRITE, LX_VMA_STACK, NULL, 0, 0);
}

/* --- fork --------------------------------------------------------------------------------- */

static void share(struct lx_mm *mm, uint64_t va, uint32_t *e, void *arg)
{
    struct lx_mm *child = arg;
    uint32_t *c = lx_mm_entry(child, va, true);

    (void)mm;
    if (!c) {
        child->root_failed = true;
        return;
    }
    *c = *e & E_FRAME;
    lx_frame_ref((*e & E_FRAME) - 1);
}

static void unwrite(struct lx_mm *mm, uint64_t va, uint32_t *e, void *arg)
{
    (void)mm, (void)va;
    if (*e & E_WRITABLE) {
        *e &= ~E_WRITABLE;
        *(bool *)arg = true;
    }
}

/* The parent's writable private pages become read-only, a range call per 2 MiB at most. */
static void protect_parent(struct lx_mm *mm, struct lx_vma *v)
{
    int ro = v->prot & ~LX_PROT_WRITE;

    for (uint64_t va = v->start; va < v->end; va += L4_MEM_RANGE_MAX * PAGE) {
        uint64_t n =
            (v->end - va) / PAGE < L4_MEM_RANGE_MAX ? (v->end - va) / PAGE : L4_MEM_RANGE_MAX;
        bool any = false;
        lx_mm_walk(mm, va, va + n * PAGE, unwrite, &any);
        if (any) {
            l4_word_t changed = 0;
            l4_mem_protect(MEM, mm->space, va, n,
                           L4_MAP_READ | (ro & LX_PROT_EXEC ? L4_MAP_EXEC : 0), &changed);
        }
    }
}

struct lx_mm *lx_mm_fork(struct lx_mm *parent, int *err)
{
    struct lx_mm *child = lx_mm_new();

    *err = -LX_ENOMEM;
    if (!child)
        return NULL;
    child->brk_start = parent->brk_start;
    child->brk = parent->brk;
    child->mmap_top = parent->mmap_top;
    for (struct lx_vma *v = parent->vmas; v; v = v->next) {
        /* a shared mapping's pages must exist to be shared: make them now */
        for (uint64_t va = v->start; (v->flags & LX_VMA_SHARED) && va < v->end; va += PAGE) {
            uint32_t f;
            if (lx_mm_resolve(parent, va, LX_PROT_READ, false, &f) == -LX_ENOMEM)
                goto fail;
        }
        if (add(child, v->start, v->end, v->prot, v->flags, v->file, v->off, v->file_end))
            goto fail;
    }
    lx_mm_walk(parent, 0, LX_USER_TOP, share, child);
    if (child->root_failed)
        goto fail;
    for (struct lx_vma *v = parent->vmas; v; v = v->next) {
        if ((v->prot & LX_PROT_WRITE) && !(v->flags & LX_VMA_SHARED)) /* copy-on-write */
            protect_parent(parent, v);
    }
    *err = 0;
    return child;
fail:
    lx_mm_put(child);
    return NULL;
}

/* --- the calls ---------------------------------------------------------------------------- */

static uint64_t page_up(uint64_t x)
{
    return (x + PAGE - 1) & ~(PAGE - 1);
}

long sys_brk(struct lx_task *t, const uint64_t a[6])
{
    struct lx_mm *mm = t->proc->mm;
    uint64_t want = a[0], old_end = page_up(mm->brk), new_end = page_up(want);

    if (want < mm->brk_start || want > LX_MMAP_TOP / 2)
        return (long)mm->brk;
    if (new_end > old_end) {
        if (overlap(mm, old_end, new_end))
            return (long)mm->brk;
        struct lx_vma *heap = old_end > mm->brk_start ? lx_vma_find(mm, old_end - 1) : NULL;
        if (heap && (heap->flags & LX_VMA_HEAP) && heap->end == old_end) {
            if (!commit(mm, (new_end - old_end) / PAGE))
                return (long)mm->brk;
            heap->end = new_end;
        } else if (add(mm, old_end, new_end, LX_PROT_READ | LX_PROT_WRITE, LX_VMA_HEAP, NULL, 0,
                       0)) {
            return (long)mm->brk;
        }
    } else if (new_end < old_end && unmap_range(mm, new_end, old_end)) {
        return (long)mm->brk;
    }
    mm->brk = want;
    return (long)want;
}

/* The highest free range of len bytes below the mmap top, or 0. */
static uint64_t find_gap(struct lx_mm *mm, uint64_t len)
{
    uint64_t floor = page_up(mm->brk) + (256ull << 20); /* leave the heap room to grow */
    uint64_t cand = mm->mmap_top - len;

    if (len > mm->mmap_top - floor)
        return 0;
    for (struct lx_vma *v = overlap(mm, cand, cand + len); v; v = overlap(mm, cand, cand + len)) {
        if (v->start - floor < len)
            return 0;
        cand = v->start - len;
    }
    return cand;
}

long sys_mmap(struct lx_task *t, const uint64_t a[6])
{
    struct lx_mm *mm = t->proc->mm;
    uint64_t addr = a[0], len = a[1], prot = a[2], flags = a[3], off = a[5];
    int fd = (int)a[4];
    struct lx_file *file = NULL;

    if (!len || (off & (PAGE - 1)) || (prot & ~7ull))
        return -LX_EINVAL;
    uint64_t type = flags & LX_MAP_TYPE;
    if (type != LX_MAP_SHARED && type != LX_MAP_PRIVATE && type != LX_MAP_SHARED_VALIDATE)
        return -LX_EINVAL;
    if (type == LX_MAP_SHARED_VALIDATE && (flags & ~(uint64_t)LX_MAP_KNOWN))
        return -LX_EOPNOTSUPP;
    if (len > LX_USER_TOP)
        return -LX_ENOMEM;
    len = page_up(len);
    bool fixed = flags & (LX_MAP_FIXED | LX_MAP_FIXED_NOREPLACE);
    if (fixed &&
        ((addr & (PAGE - 1)) || addr >= LX_USER_TOP || len > LX_USER_TOP - addr || addr < PAGE))
        return (addr & (PAGE - 1)) ? -LX_EINVAL : -LX_ENOMEM;
    if (!(flags & LX_MAP_ANONYMOUS)) {
        int err = lx_fd_file(t->proc, fd, &file);
        if (err)
            return err;
        if (type != LX_MAP_PRIVATE && (prot & LX_PROT_WRITE)) {
            lx_file_put(file);
            return -LX_ENODEV; /* shared writable file mappings: not done (docs/linux.md) */
        }
        if (off > lx_file_size(file) + (1ull << 40)) {
            lx_file_put(file);
            return -LX_EOVERFLOW;
        }
    }
    long r;
    if ((flags & LX_MAP_FIXED_NOREPLACE) && overlap(mm, addr, addr + len)) {
        r = -LX_EEXIST;
    } else {
        if (!fixed) {
            addr = page_up(addr);
            if (!addr || addr >= LX_USER_TOP || len > LX_USER_TOP - addr ||
                overlap(mm, addr, addr + len) || addr < PAGE)
                addr = find_gap(mm, len);
        }
        if (!addr) {
            r = -LX_ENOMEM;
        } else if (fixed && unmap_range(mm, addr, addr + len)) {
            r = -LX_ENOMEM;
        } else {
            uint64_t size = file ? lx_file_size(file) : 0;
            uint64_t data = size > off ? size - off : 0;
            r = add(mm, addr, addr + len, (int)prot, type == LX_MAP_PRIVATE ? 0 : LX_VMA_SHARED,
                    file && data ? file : NULL, off, addr + (data < len ? data : len));
            if (!r)
                r = (long)addr;
        }
    }
    if (file)
        lx_file_put(file);
    return r;
}

long sys_munmap(struct lx_task *t, const uint64_t a[6])
{
    uint64_t addr = a[0], len = a[1];

    if ((addr & (PAGE - 1)) || !len || addr >= LX_USER_TOP || page_up(len) > LX_USER_TOP - addr)
        return -LX_EINVAL;
    return unmap_range(t->proc->mm, addr, addr + page_up(len));
}

/* Every page of [start, start + len) is user address space and in some mapping. */
static bool covered(struct lx_mm *mm, uint64_t start, uint64_t len)
{
    if (start >= LX_USER_TOP || len > LX_USER_TOP - start)
        return false;
    uint64_t at = start, end = start + len;

    for (struct lx_vma *v = mm->vmas; v && at < end; v = v->next) {
        if (v->end <= at)
            continue;
        if (v->start > at)
            return false;
        at = v->end;
    }
    return at >= end;
}

static void count_mapped(struct lx_mm *mm, uint64_t va, uint32_t *e, void *arg)
{
    (void)mm, (void)va;
    if (*e & E_MAPPED)
        *(bool *)arg = true;
}

static void unmap_page(struct lx_mm *mm, uint64_t va, uint32_t *e, void *arg)
{
    (void)arg;
    if (*e & E_MAPPED)
        l4_mem_unmap(mm->space, va);
    *e &= ~(E_MAPPED | E_WRITABLE);
}

long sys_mprotect(struct lx_task *t, const uint64_t a[6])
{
    struct lx_mm *mm = t->proc->mm;
    uint64_t addr = a[0], len = page_up(a[1]), prot = a[2] & ~0x3000000ull; /* GROWSDOWN/UP */

    if ((addr & (PAGE - 1)) || (prot & ~7ull) || a[1] > LX_USER_TOP)
        return -LX_EINVAL;
    if (!len)
        return 0;
    if (!covered(mm, addr, len))
        return -LX_ENOMEM;
    /* the charge does not depend on the protection: nothing to take or give back */
    /* a shared file mapping is never written back: it may not become writable (Linux says
     * EACCES for a file not open for writing, which is what this is, in effect) */
    for (struct lx_vma *v = overlap(mm, addr, addr + len); v && v->start < addr + len;
         v = v->next) {
        if ((prot & LX_PROT_WRITE) && (v->flags & LX_VMA_SHARED) && v->file)
            return -LX_EACCES;
    }
    if (cut(mm, addr, addr + len))
        return -LX_ENOMEM;
    for (struct lx_vma *v = overlap(mm, addr, addr + len); v && v->start < addr + len; v = v->next)
        v->prot = (int)prot;
    if (!prot) {
        lx_mm_walk(mm, addr, addr + len, unmap_page, NULL);
        return 0;
    }
    /* mapped pages lose write until a write fault gives it back (copying if shared) */
    for (uint64_t va = addr; va < addr + len; va += L4_MEM_RANGE_MAX * PAGE) {
        uint64_t n = (addr + len - va) / PAGE < L4_MEM_RANGE_MAX ? (addr + len - va) / PAGE
                                                                 : L4_MEM_RANGE_MAX;
        bool any = false;
        lx_mm_walk(mm, va, va + n * PAGE, unwrite, &any);
        lx_mm_walk(mm, va, va + n * PAGE, count_mapped, &any);
        l4_word_t changed = 0;
        if (any)
            l4_mem_protect(MEM, mm->space, va, n,
                           L4_MAP_READ | (prot & LX_PROT_EXEC ? L4_MAP_EXEC : 0), &changed);
    }
    return 0;
}

long sys_madvise(struct lx_task *t, const uint64_t a[6])
{
    struct lx_mm *mm = t->proc->mm;
    uint64_t addr = a[0], len = page_up(a[1]), advice = a[2];

    if ((addr & (PAGE - 1)) || a[1] > LX_USER_TOP)
        return -LX_EINVAL;
    switch (advice) {
    case 0:
    case 1:
    case 2:
    case 3: /* NORMAL, RANDOM, SEQUENTIAL, WILLNEED */
    case 9:
    case 10:
    case 11:
    case 12:
    case 13:
    case 14:
    case 15:
    case 16:
    case 17:
    case 18:
    case 19:
    case 20:
    case 21:
    case 22:
    case 23:
    case 100:
    case 101:
        break;
    case LX_MADV_DONTNEED:
    case LX_MADV_FREE:
        if (!len)
            return 0;
        if (!covered(mm, addr, len))
            return -LX_ENOMEM;
        /* private pages are dropped: the next touch finds zeros (or the file's bytes) */
        for (struct lx_vma *v = overlap(mm, addr, addr + len); v && v->start < addr + len;
             v = v->next) {
            if (v->flags & LX_VMA_SHARED)
                continue;
            uint64_t lo = v->start > addr ? v->start : addr;
            uint64_t hi = v->end < addr + len ? v->end : addr + len;
            lx_mm_walk(mm, lo, hi, release, NULL);
        }
        return 0;
    default:
        return -LX_EINVAL;
    }
    if (len && !covered(mm, addr, len))
        return -LX_ENOMEM;
    return 0;
}
