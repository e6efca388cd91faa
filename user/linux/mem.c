/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Linux processes' memory: the server is every process's pager. It keeps, per address space,
 * which frame of its region backs each page (a four-level table like the hardware's, "the
 * records") and, per frame, how many spaces share it. A page is filled at its first touch
 * (zeros, or bytes of a file), a fork shares every frame and write-protects the parent, and
 * the first write to a shared frame copies it (docs/linux.md, "Memory").
 *
 * The server reads and writes a process's memory only through these records and its own
 * window onto the frames, never through the process's mappings: a bad pointer is a missing
 * record or a forbidden access, so it is an -EFAULT, never a fault of the server.
 */
#include "fs.h"
#include "mm.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>

#define WIN        0x200000000ull /* frame f at WIN + f pages in our own space */
#define MAX_FRAMES 131072u        /* 512 MiB of region */
#define MEM        L4_SLOT_MEMORY

static uint16_t refs[MAX_FRAMES];
static uint32_t free_stack[MAX_FRAMES];
static uint32_t nfree, nframes;
static uint8_t in_window[MAX_FRAMES / 8];
uint64_t lx_commit_limit, lx_committed; /* pages */

int lx_mem_init(void)
{
    l4_word_t type = 0, rights, base = 0, size = 0, object, depth;

    l4_cap_read(MEM, &type, &rights, &base, &size, &object, &depth); /* a: base, b: size */
    uint64_t n = size / PAGE;

    if (n > MAX_FRAMES)
        n = MAX_FRAMES;
    if (n < 1024) {
        printf("linux: the region has %lu pages; at least 1024 (4 MiB) are needed\n", n);
        return -1;
    }
    nframes = (uint32_t)n;
    for (uint32_t f = 0; f < nframes; f++)
        free_stack[nfree++] = nframes - 1 - f; /* low frames first */
    /* what private writable memory all processes may hold at once: the region less a
     * quarter, kept for the heap, page tables of records and read-only file pages */
    lx_commit_limit = nframes - nframes / 4;
    return 0;
}

uint64_t lx_frames_free(void)
{
    return nfree;
}

uint64_t lx_frames_total(void)
{
    return nframes;
}

void lx_mm_usage(struct lx_mm *mm, uint64_t *vsize, uint64_t *rss_pages)
{
    *vsize = 0;
    for (struct lx_vma *v = mm->vmas; v; v = v->next)
        *vsize += v->end - v->start;
    *rss_pages = mm->committed;
}

void *lx_frame_ptr(uint32_t f)
{
    return (void *)(WIN + (uint64_t)f * PAGE);
}

/* A free frame, mapped in our window, with one reference; ~0u when none is left. */
uint32_t lx_frame_alloc(void)
{
    if (!nfree)
        return ~0u;
    uint32_t f = free_stack[--nfree];
    if (!(in_window[f / 8] & (1u << (f % 8)))) {
        if (l4_mem_map(MEM, (uint64_t)f * PAGE, L4_SLOT_SPACE, WIN + (uint64_t)f * PAGE,
                       L4_MAP_READ | L4_MAP_WRITE)) {
            free_stack[nfree++] = f;
            return ~0u;
        }
        in_window[f / 8] |= (uint8_t)(1u << (f % 8));
    }
    LX_ASSERT(refs[f] == 0);
    refs[f] = 1;
    return f;
}

void lx_frame_ref(uint32_t f)
{
    LX_ASSERT(f < nframes && refs[f] > 0 && refs[f] < 0xffff);
    refs[f]++;
}

void lx_frame_unref(uint32_t f)
{
    LX_ASSERT(f < nframes && refs[f] > 0);
    if (--refs[f] == 0)
        free_stack[nfree++] = f;
}

unsigned lx_frame_refs(uint32_t f)
{
    return refs[f];
}

int lx_frame_map_at(uint64_t va)
{
    uint32_t f = lx_frame_alloc();

    if (f == ~0u)
        return -LX_ENOMEM;
    /* the heap's frames are never given back, so they need no record */
    if (l4_mem_map(MEM, (uint64_t)f * PAGE, L4_SLOT_SPACE, va, L4_MAP_READ | L4_MAP_WRITE)) {
        lx_frame_unref(f);
        return -LX_ENOMEM;
    }
    return 0;
}

/* --- the records: four levels of 512, as the page tables -------------------------------- */

static unsigned idx(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * level)) & 511;
}

/* The record of va, made if create; NULL if absent (or no memory to make it). */
uint32_t *lx_mm_entry(struct lx_mm *mm, uint64_t va, bool create)
{
    void **node = (void **)&mm->root;

    for (int level = 3; level >= 0; level--) {
        if (!*node) {
            /* a table of the records stands for a page table of the space: the limit keeps
             * one process from using up the page tables all processes share */
            if (!create || mm->tables >= LX_MM_TABLES)
                return NULL;
            *node = lx_zalloc(level ? 512 * sizeof(void *) : 512 * sizeof(uint32_t));
            if (!*node)
                return NULL;
            mm->tables++;
        }
        if (!level)
            break;
        node = (void **)*node + idx(va, level);
    }
    return (uint32_t *)*node + idx(va, 0);
}

/* fn(mm, va, entry, arg) for every record with a frame in [start, end), skipping absent
 * tables; tables stay (they are freed with the space). Only the indices the range covers are
 * looked at, two records at a time in a leaf: fork and exit walk every page a process has. */
static void walk(struct lx_mm *mm, void *node, int level, uint64_t base, uint64_t start,
                 uint64_t end, void (*fn)(struct lx_mm *, uint64_t, uint32_t *, void *), void *arg)
{
    unsigned shift = 12 + 9 * (unsigned)level;
    unsigned first = start > base ? (unsigned)((start - base) >> shift) : 0;
    uint64_t last64 = (end - 1 - base) >> shift;
    unsigned last = last64 > 511 ? 511 : (unsigned)last64;

    if (level == 0) {
        uint32_t *e = node;
        for (unsigned i = first; i <= last; i++) {
            if (!(i & 1) && i < last && !((e[i] | e[i + 1]) & E_FRAME)) {
                i++; /* neither of the pair has a frame */
                continue;
            }
            if (e[i] & E_FRAME)
                fn(mm, base + ((uint64_t)i << 12), &e[i], arg);
        }
        return;
    }
    for (unsigned i = first; i <= last; i++) {
        void *child = ((void **)node)[i];
        if (child)
            walk(mm, child, level - 1, base + ((uint64_t)i << shift), start, end, fn, arg);
    }
}

void lx_mm_walk(struct lx_mm *mm, uint64_t start, uint64_t end,
                void (*fn)(struct lx_mm *, uint64_t, uint32_t *, void *), void *arg)
{
    if (mm->root && start < end && end <= (1ull << 48))
        walk(mm, mm->root, 3, 0, start, end, fn, arg);
}

static void free_tables(void *node, int level)
{
    if (!node)
        return;
    if (level > 0) {
        for (unsigned i = 0; i < 512; i++)
            free_tables(((void **)node)[i], level - 1);
    }
    lx_free(node);
}

/* --- address spaces ------------------------------------------------------------------------ */

struct lx_mm *lx_mm_new(void)
{
    struct lx_mm *mm = lx_zalloc(sizeof(*mm));
    l4_word_t id;

    if (!mm)
        return NULL;
    mm->space = lx_slot_alloc();
    if (!mm->space || l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES),
                                      L4_SLOT_POOL(L4_POOL_PAGETABLES), mm->space, &id)) {
        if (mm->space)
            lx_slot_free(mm->space);
        lx_free(mm);
        return NULL;
    }
    mm->refs = 1;
    mm->mmap_top = LX_MMAP_TOP;
    return mm;
}

l4_cap_t lx_mm_space(struct lx_mm *mm)
{
    return mm->space;
}

void lx_mm_get(struct lx_mm *mm)
{
    mm->refs++;
}

static void drop_frame(struct lx_mm *mm, uint64_t va, uint32_t *e, void *arg)
{
    (void)mm, (void)va, (void)arg;
    lx_frame_unref((*e & E_FRAME) - 1);
    *e = 0;
}

void lx_mm_put(struct lx_mm *mm)
{
    LX_ASSERT(mm->refs > 0);
    if (--mm->refs)
        return;
    /* the space goes with every mapping in it; its threads are gone already */
    l4_cap_destroy(mm->space);
    lx_slot_free(mm->space);
    lx_mm_walk(mm, 0, LX_USER_TOP, drop_frame, NULL);
    free_tables(mm->root, 3);
    while (mm->vmas)
        lx_vma_remove(mm, mm->vmas);
    LX_ASSERT(mm->committed == 0);
    lx_free(mm);
}

/* --- pages -------------------------------------------------------------------------------- */

static l4_word_t l4_perms(int prot, bool writable)
{
    return L4_MAP_READ | (writable && (prot & LX_PROT_WRITE) ? L4_MAP_WRITE : 0) |
           (prot & LX_PROT_EXEC ? L4_MAP_EXEC : 0);
}

/* Fill a fresh frame for va of v: bytes of its file, zeros after. */
static int fill(struct lx_vma *v, uint64_t va, uint32_t f)
{
    char *p = lx_frame_ptr(f);
    uint64_t n = 0;

    if (v->file && va < v->file_end) {
        uint64_t want = v->file_end - va < PAGE ? v->file_end - va : PAGE;
        long got = lx_file_pread(v->file, p, want, v->off + (va - v->start));
        if (got < 0)
            return (int)got;
        n = (uint64_t)got;
    }
    memset(p + n, 0, PAGE - n);
    return 0;
}

/*
 * Make the page at va ready for an access (LX_PROT_READ, _WRITE or _EXEC) as the process
 * itself would find it: a frame of its own for a write, any frame for a read. With map, the
 * process's own page tables are brought up to date too (a fault); without, only the
 * records (the server's copies). *frame: the frame. 0, -EFAULT (no such access there) or
 * -ENOMEM (no frame).
 */
int lx_mm_resolve(struct lx_mm *mm, uint64_t va, int access, bool map, uint32_t *frame)
{
    va &= ~(PAGE - 1);
    struct lx_vma *v = lx_vma_find(mm, va);
    if (!v)
        v = lx_vma_grow_stack(mm, va);
    if (!v || (access & ~v->prot) || !(v->prot & (LX_PROT_READ | LX_PROT_WRITE | LX_PROT_EXEC)))
        return -LX_EFAULT;
    uint32_t *e = lx_mm_entry(mm, va, true);
    if (!e)
        return -LX_ENOMEM;
    bool shared = v->flags & LX_VMA_SHARED;
    if (!(*e & E_FRAME)) {
        uint32_t f = lx_frame_alloc();
        if (f == ~0u)
            return -LX_ENOMEM;
        int err = fill(v, va, f);
        if (err) {
            lx_frame_unref(f);
            return err;
        }
        *e = f + 1;
    } else if ((access & LX_PROT_WRITE) && !shared && lx_frame_refs((*e & E_FRAME) - 1) > 1) {
        uint32_t old = (*e & E_FRAME) - 1, f = lx_frame_alloc();
        if (f == ~0u)
            return -LX_ENOMEM;
        memcpy(lx_frame_ptr(f), lx_frame_ptr(old), PAGE);
        if (*e & E_MAPPED)
            l4_mem_unmap(mm->space, va);
        lx_frame_unref(old);
        *e = f + 1;
    }
    uint32_t f = (*e & E_FRAME) - 1;
    *frame = f;
    if (!map)
        return 0;
    bool writable = (v->prot & LX_PROT_WRITE) && (shared || lx_frame_refs(f) == 1);
    if ((*e & E_MAPPED) && (!writable || (*e & E_WRITABLE)))
        return 0; /* already as it should be (another thread of the space got here first) */
    l4_err_t err;
    if (*e & E_MAPPED) {
        l4_word_t changed = 0;
        err = l4_mem_protect(MEM, mm->space, va, 1, l4_perms(v->prot, true), &changed);
    } else {
        err = l4_mem_map(MEM, (uint64_t)f * PAGE, mm->space, va, l4_perms(v->prot, writable));
    }
    if (err)
        return -LX_ENOMEM; /* our page-table pool is used up */
    *e |= E_MAPPED | (writable ? E_WRITABLE : 0);
    return 0;
}

int lx_mm_fault(struct lx_mm *mm, uint64_t addr, uint64_t error)
{
    int access = error & L4_PF_WRITE   ? LX_PROT_WRITE
                 : error & L4_PF_FETCH ? LX_PROT_EXEC
                                       : LX_PROT_READ;
    uint32_t f;

    if (addr >= LX_USER_TOP)
        return -LX_EFAULT;
    return lx_mm_resolve(mm, addr, access, true, &f);
}

/* --- copies ------------------------------------------------------------------------------ */

int lx_mm_copy_in(struct lx_mm *mm, void *dst, uint64_t src, size_t len)
{
    char *d = dst;

    if (src >= LX_USER_TOP || len > LX_USER_TOP - src)
        return -LX_EFAULT;
    while (len) {
        uint64_t off = src & (PAGE - 1), n = PAGE - off < len ? PAGE - off : len;
        uint32_t f;
        if (lx_mm_resolve(mm, src, LX_PROT_READ, false, &f))
            return -LX_EFAULT;
        memcpy(d, (char *)lx_frame_ptr(f) + off, n);
        d += n, src += n, len -= n;
    }
    return 0;
}

int lx_mm_copy_out(struct lx_mm *mm, uint64_t dst, const void *src, size_t len)
{
    const char *s = src;

    if (dst >= LX_USER_TOP || len > LX_USER_TOP - dst)
        return -LX_EFAULT;
    while (len) {
        uint64_t off = dst & (PAGE - 1), n = PAGE - off < len ? PAGE - off : len;
        uint32_t f;
        if (lx_mm_resolve(mm, dst, LX_PROT_WRITE, false, &f))
            return -LX_EFAULT;
        memcpy((char *)lx_frame_ptr(f) + off, s, n);
        s += n, dst += n, len -= n;
    }
    return 0;
}

long lx_mm_strcpy_in(struct lx_mm *mm, char *dst, uint64_t src, size_t size)
{
    size_t n = 0;

    while (n < size) {
        if (src + n >= LX_USER_TOP)
            return -LX_EFAULT;
        uint64_t off = (src + n) & (PAGE - 1);
        uint32_t f;
        if (lx_mm_resolve(mm, src + n, LX_PROT_READ, false, &f))
            return -LX_EFAULT;
        const char *p = (const char *)lx_frame_ptr(f) + off;
        for (uint64_t i = 0; i < PAGE - off && n < size; i++, n++) {
            dst[n] = p[i];
            if (!p[i])
                return (long)n;
        }
    }
    return -LX_ENAMETOOLONG;
}

int lx_check_writable(struct lx_task *t, uint64_t dst, size_t len)
{
    struct lx_mm *mm = t->proc->mm;
    uint32_t f;

    if (dst >= LX_USER_TOP || len > LX_USER_TOP - dst)
        return -LX_EFAULT;
    for (uint64_t va = dst & ~(PAGE - 1); va < dst + len; va += PAGE) {
        if (lx_mm_resolve(mm, va, LX_PROT_WRITE, false, &f))
            return -LX_EFAULT;
    }
    return 0;
}

int lx_copy_in(struct lx_task *t, void *dst, uint64_t src, size_t len)
{
    return lx_mm_copy_in(t->proc->mm, dst, src, len);
}

int lx_copy_out(struct lx_task *t, uint64_t dst, const void *src, size_t len)
{
    return lx_mm_copy_out(t->proc->mm, dst, src, len);
}

long lx_strcpy_in(struct lx_task *t, char *dst, uint64_t src, size_t size)
{
    return lx_mm_strcpy_in(t->proc->mm, dst, src, size);
}
