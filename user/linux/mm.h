/* SPDX-License-Identifier: BSD-2-Clause */
/* Address spaces of Linux processes (mem.c: pages and copies; vma.c: mappings and calls). */
#ifndef LINUX_MM_H
#define LINUX_MM_H

#include "server.h"

#define PAGE          4096ull
#define LX_USER_TOP   LX_TASK_SIZE
#define LX_MMAP_TOP   0x7f0000000000ull /* mmap without an address: top-down from here */
#define LX_STACK_TOP  0x7ffffffde000ull
#define LX_STACK_SIZE (128ull << 10) /* the stack mapping at exec; it grows down as touched */
#define LX_STACK_MAX  (8ull << 20)   /* to here at most (RLIMIT_STACK), as Linux's stack */

/* A record: frame + 1 (0: none yet) and whether the process's page tables have it. */
#define E_FRAME    0x00ffffffu
#define E_MAPPED   (1u << 24)
#define E_WRITABLE (1u << 25)

/* A mapping: [start, end), pages from a file or zero-filled. */
struct lx_vma {
    uint64_t start, end;
    int prot;             /* LX_PROT_* */
    int flags;            /* LX_VMA_* */
    struct lx_file *file; /* NULL: anonymous */
    uint64_t off;         /* file offset of start */
    uint64_t file_end;    /* bytes from the file below this address, zeros from it on */
    struct lx_vma *next;  /* sorted by address */
};
#define LX_VMA_SHARED 1 /* MAP_SHARED: a fork shares the frames, writes are not copied */
#define LX_VMA_STACK  2
#define LX_VMA_HEAP   4

struct lx_mm {
    int refs;       /* processes using it (threads share their process's) */
    l4_cap_t space; /* the Coffer space, in our table */
    void *root;     /* the records */
    struct lx_vma *vmas;
    uint64_t brk_start, brk; /* the heap: [brk_start, brk) */
    uint64_t mmap_top;
    uint64_t committed; /* pages of private writable mappings (the memory quota) */
    bool root_failed;   /* fork: a record could not be made */
    unsigned tables;    /* tables of the records (LX_MM_TABLES at most) */
};

/* Quotas, in pages: one space, and all together (lx_mem_init sets the limit). */
#define LX_MM_QUOTA (64ull << 20 >> 12)
extern uint64_t lx_commit_limit, lx_committed;
/* Tables of the records one space may have: as many page tables as its space may use. A
 * space of 64 MiB in one piece needs 32 leaf tables and a few above; every process's limit
 * times LX_MAX_PROCS fits the container's page-table pool (systems/linux.toml). */
#define LX_MM_TABLES 80

#define LX_ASSERT(c)                                                                               \
    do {                                                                                           \
        if (!(c))                                                                                  \
            lx_assert_failed(#c, __FILE__, __LINE__);                                              \
    } while (0)
_Noreturn void lx_assert_failed(const char *what, const char *file, int line);

uint32_t lx_frame_alloc(void);
void lx_frame_ref(uint32_t f);
void lx_frame_unref(uint32_t f);
unsigned lx_frame_refs(uint32_t f);
void *lx_frame_ptr(uint32_t f);
uint64_t lx_frames_free(void);
uint32_t *lx_mm_entry(struct lx_mm *mm, uint64_t va, bool create);
void lx_mm_walk(struct lx_mm *mm, uint64_t start, uint64_t end,
                void (*fn)(struct lx_mm *, uint64_t, uint32_t *, void *), void *arg);
int lx_mm_resolve(struct lx_mm *mm, uint64_t va, int access, bool map, uint32_t *frame);
long lx_mm_strcpy_in(struct lx_mm *mm, char *dst, uint64_t src, size_t size);

struct lx_vma *lx_vma_find(struct lx_mm *mm, uint64_t va);
/* A touch of va just below the stack: the stack mapping grown down to it (charged), or NULL
 * (too far, something mapped in between, or over the quota). */
struct lx_vma *lx_vma_grow_stack(struct lx_mm *mm, uint64_t va);
void lx_vma_remove(struct lx_mm *mm, struct lx_vma *v);

#endif
