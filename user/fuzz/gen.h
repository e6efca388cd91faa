/* SPDX-License-Identifier: BSD-2-Clause */
/* The fuzzer's randomness: a seeded generator and the argument values it draws. */
#ifndef FUZZ_GEN_H
#define FUZZ_GEN_H

#include "fuzz.h"

#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/regs.h>

#define USER_TOP L4_USER_TOP       /* the architecture's: the first address that is no user's */
#define MAP_TOP  (USER_TOP - 4096) /* the last page of user space is never mapped */
#define EDGE_VA  0x20000000ull /* a page of the region, writable, with nothing mapped after it */
#define NRECENT  16

/* One fuzzing thread: its generator, its UTCB, and whether it may block. */
struct fz {
    uint64_t rng;
    struct l4_utcb *utcb;
    bool main;                   /* the main thread never blocks and never ends */
    volatile l4_word_t progress; /* calls made, for the main thread's watchdog */
    bool ext_send_bad;           /* the UTCB's ext_send is a buffer the kernel must refuse */
};

/* splitmix64: tiny, and every seed gives a good stream. */
static inline uint64_t rnd(struct fz *f)
{
    uint64_t z = (f->rng += 0x9e3779b97f4a7c15ull);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static inline uint64_t below(struct fz *f, uint64_t n)
{
    return n ? rnd(f) % n : 0;
}

static inline bool chance(struct fz *f, unsigned percent)
{
    return below(f, 100) < percent;
}

/* A seed for a stream of its own from a seed and a number. */
uint64_t seed_mix(uint64_t seed, uint64_t n);

/*
 * How a slot argument is used: read from; changed for good or given away
 * (destroy, deduce, grant: MUT); divided or emptied of what derives from it,
 * which comes back (split, revoke: TAKE); or filled (DEST).
 */
enum use { USE_READ, USE_MUT, USE_TAKE, USE_DEST };
l4_cap_t gen_slot(struct fz *f, enum use use);
/* Mostly a slot that held a capability of this type when last looked (shadow_refresh). */
l4_cap_t gen_typed(struct fz *f, enum use use, unsigned type);
/* Look at every slot again (the main thread, now and then: calls change the table). */
void shadow_refresh(void);
/* A pool capability of this kind to pay with: mostly the part the fuzzer spends from. */
l4_cap_t gen_pool(struct fz *f, unsigned kind);
/* Remember a slot a call just filled: later calls pick it more often. */
void recent_add(l4_cap_t slot);
l4_cap_t recent_pick(struct fz *f);

/* Where a pointer points: what the kernel must do with it. */
enum ptr_class { P_GOOD, P_EDGE, P_RO, P_NULL, P_UNMAPPED, P_KERNEL, P_NONCANON };
/* A buffer the kernel reads (len bytes), or one it writes: only scratch memory or bad ones. */
l4_word_t gen_buf(struct fz *f, bool kernel_writes, l4_word_t *len, enum ptr_class *cls);
/* Interesting words: boundaries, sizes, huge and random values. */
l4_word_t gen_word(struct fz *f);
l4_word_t gen_rights(struct fz *f);
l4_word_t gen_prio(struct fz *f);
l4_word_t gen_vaddr(struct fz *f);
/* A message tag; the main thread's never block. */
l4_word_t gen_tag(struct fz *f, bool nonblock);
/* Fill the UTCB with random words, buffers and slots, as a hostile sender or receiver would. */
void scramble_utcb(struct fz *f);
/* Thread entry points and stacks: stubs that need no stack, or addresses that fault. */
l4_word_t gen_ip(struct fz *f, bool *bad);
l4_word_t gen_sp(struct fz *f);
/* A UTCB address: one of our spare pages, or one the kernel must refuse. */
l4_word_t gen_utcb(struct fz *f);

/* stubs.S: entry points that touch no stack, and where their code starts and ends */
extern char fz_code_start[], fz_code_end[], fz_spin[], fz_exit[], fz_yield[], fz_serve[], fz_ud2[],
    fz_null[], fz_kread[], fz_int3[], fz_hlt[];
/* The argument for a thread starting at ip: fz_serve takes an endpoint slot. */
l4_word_t gen_arg(struct fz *f, l4_word_t ip);

/*
 * The architecture's part (arch_x86_64.c, arch_aarch64.c): pointers into the kernel's half
 * (mapped there: its image, its RAM; the last page), pointers that are neither half's
 * (x86_64: non-canonical; AArch64: between the halves), and the flags word of a register set.
 */
#define FZ_NKERNEL  6
#define FZ_NBETWEEN 5
extern const l4_word_t fz_kernel_ptrs[FZ_NKERNEL];
extern const l4_word_t fz_between_ptrs[FZ_NBETWEEN];
/* An address in the kernel's image, which every space maps (for EL1 or ring 0 only). */
extern const l4_word_t fz_kernel_text;
/* Set r's flags word (rflags, pstate) at random, mostly to what a thread may set; whether
 * thread_regs must refuse it. */
bool arch_gen_flags(struct fz *f, struct l4_regs *r);

/* fuzzer.c: scratch memory the kernel may write, and a harmless text to print */
extern char scratch[2 * 4096];
extern char noise[L4_EXT_MAX];

#endif
