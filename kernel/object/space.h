/* SPDX-License-Identifier: BSD-2-Clause */
/* Address space object: a page-table root, paid by a space pool; its tables by a page-table pool. */
#ifndef OBJECT_SPACE_H
#define OBJECT_SPACE_H

#include "list.h"
#include "pool.h"
#include "types.h"

struct container;

struct space {
    struct paid paid;            /* the space pool capability that pays for it */
    paddr_t root;                /* page-table root */
    struct container *container; /* made it: frames of its programs come from its memory */
    struct cap *ptpayer;         /* the page-table pool capability paying for all its tables */
    unsigned threads;            /* threads bound to it */
    unsigned caps;               /* capabilities naming it; it lives while either is non-zero */
    uint32_t id;
    bool dying;     /* space_destroy is taking it apart */
    bool retired;   /* out of use, taken apart in steps by its maker's restart (space_retire) */
    bool loaded;    /* the loader put its container's program and stack in it (loader_start) */
    uint64_t swept; /* the latest restart sweep that took its mappings (container.c sweep_step) */

    /* its threads in futex_wait, on any of its words, in wake order (kernel/core/futex.c) */
    struct list_node futex_waiters;
};

/* A new space of container c, paid by payer (a space pool capability); its tables, the
 * root included, are paid by ptpayer (a page-table pool capability). ENOMEM if either
 * has no unit left. */
l4_err_t space_create(struct container *c, struct cap *payer, struct cap *ptpayer,
                      struct space **out);
/* Destroy s now: every capability to it and every thread in it go. */
void space_destroy(struct space *s);
/*
 * Take s apart in steps (its maker's restart, container.c): space_retire takes it out of use
 * (its threads killed; none may be bound to it, thread_create and thread_configure refuse with
 * ESTATE; no capability naming it may be copied or moved, cap_hooks closing), the caller
 * removes every capability naming it (a pass over the tables, in batches), then
 * space_retire_tables gives its page tables back, budget tables a call, and frees it with
 * the last: false then. A space_destroy meanwhile (its payer going) finishes it whole.
 */
void space_retire(struct space *s);
bool space_retire_tables(struct space *s, unsigned budget);
/* ESTATE (said for call) if s is retired: no thread may be bound to it. */
l4_err_t space_bindable(const struct space *s, const char *call);
/* Back [va, va+len) with zeroed frames of the container's memory, mapped with perms (MAP_*). */
l4_err_t space_alloc_range(struct space *s, vaddr_t va, uint64_t len, unsigned perms);
/* Give back a frame the space owned (one from its container's memory). */
void space_free_frame(struct space *s, paddr_t pa);
/* Is va mapped in s from device memory (MMIO)? The kernel never reads or writes it. */
bool space_device_page(struct space *s, vaddr_t va);
/* Kernel pointer to the byte at user address va, if mapped with perms. */
void *space_kaddr(struct space *s, vaddr_t va, unsigned perms);
void space_bind(struct space *s);
void space_unbind(struct space *s);
void space_cap_ref(struct space *s, bool added);
/* Nothing holds s, just made (no capability, no thread): it goes. */
void space_drop(struct space *s);
/* Unmap, in every space, mapped frames in [base, base+size) for which covered(mapper, frame,
 * perms) says the container that mapped them no longer holds the memory with the rights the
 * mapping's permissions need. */
void spaces_unmap_uncovered(paddr_t base, uint64_t size,
                            bool (*covered)(unsigned, paddr_t, unsigned));
/* The memory capability rights (L4_MEM_*) a mapping with perms (MAP_*) needs. */
uint32_t space_map_rights(unsigned perms);

/* Copy between the caller's space and the kernel; L4_EFAULT if any byte is unmapped. */
l4_err_t copy_from_user(struct space *s, void *dst, vaddr_t src, size_t len);
l4_err_t copy_to_user(struct space *s, vaddr_t dst, const void *src, size_t len);

#endif
