/* SPDX-License-Identifier: BSD-2-Clause */
/* Start boot modules: each ELF image gets a new space and one thread. */
#include "loader.h"

#include "arch.h"
#include "cap.h"
#include "elf.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"
#include "thread.h"
#include "thread_utcb.h"

#include <coffer/ipc.h>

static unsigned perms_of(const struct elf_segment *s)
{
    return MAP_READ | (s->perms & ELF_W ? MAP_WRITE : 0) | (s->perms & ELF_X ? MAP_EXEC : 0);
}

/*
 * The parts a program's load maps, in order: each loadable segment (its file bytes copied in),
 * then the stack, then the first thread's UTCB (so that it can do any IPC from the start).
 * Part i of e: where it starts, its pages and their permissions; false past the last.
 */
static bool part_of(const struct elf_image *e, uint32_t i, vaddr_t *va, uint64_t *pages,
                    unsigned *perms)
{
    if (i < e->nsegments) {
        *va = e->seg[i].vaddr;
        *pages = e->seg[i].memsz / PAGE_SIZE;
        *perms = perms_of(&e->seg[i]);
    } else if (i == e->nsegments) {
        *va = USER_STACK_BASE;
        *pages = USER_STACK_SIZE / PAGE_SIZE;
        *perms = MAP_READ | MAP_WRITE;
    } else if (i == e->nsegments + 1) {
        *va = L4_UTCB_MAIN;
        *pages = 1;
        *perms = MAP_READ | MAP_WRITE;
    } else {
        return false;
    }
    return true;
}

/* A fresh page at va, and the file bytes of segment s (if any) that fall in it. */
static l4_err_t load_page(struct space *sp, const char *img, const struct elf_segment *s,
                          vaddr_t va, unsigned perms)
{
    l4_err_t err = space_alloc_range(sp, va, PAGE_SIZE, perms);

    if (err || !s)
        return err; // (a page without file bytes is zeros: mapping it executable synced it,
                    // arch_pt_map's pte_exec_sync)
    vaddr_t lo = s->vaddr + s->skip, hi = lo + s->filesz; // where its file bytes go
    vaddr_t from = va > lo ? va : lo, to = va + PAGE_SIZE < hi ? va + PAGE_SIZE : hi;
    if (from < to) {
        memcpy(space_kaddr(sp, from, MAP_READ), img + s->offset + (from - lo), to - from);
        if (perms & MAP_EXEC) // where instruction fetch does not see data writes (AArch64)
            arch_cache_maintain(space_kaddr(sp, va, MAP_READ), PAGE_SIZE, CACHE_SYNC_INSN);
    }
    return L4_OK;
}

static const char *check(const struct boot_module *m, struct elf_image *e)
{
    return elf_check(phys_to_virt(m->start), m->end - m->start, ARCH_ELF_MACHINE,
                     USER_STACK_BASE - USER_STACK_GUARD, e);
}

l4_err_t loader_load_step(struct space *sp, const struct boot_module *m, struct loader_cursor *cur,
                          unsigned budget)
{
    const char *img = phys_to_virt(m->start);
    struct elf_image e;
    const char *why = check(m, &e);
    vaddr_t va;
    uint64_t pages;
    unsigned perms;

    if (why) {
        kprintf("loader: module %s: %s\n", m->name, why);
        return L4_EINVAL;
    }
    for (; part_of(&e, cur->part, &va, &pages, &perms); cur->part++, cur->page = 0) {
        const struct elf_segment *s = cur->part < e.nsegments ? &e.seg[cur->part] : NULL;
        for (; cur->page < pages; cur->page++) {
            if (!budget--)
                return CAP_MORE;
            l4_err_t err = load_page(sp, img, s, va + cur->page * PAGE_SIZE, perms);
            if (err) {
                kprintf("loader: module %s: out of memory\n", m->name);
                return err;
            }
        }
    }
    return L4_OK;
}

l4_err_t loader_start(struct space *sp, struct tcb *t, const struct boot_module *m,
                      const char *args)
{
    struct elf_image e;

    if (check(m, &e))
        return L4_EINVAL; // loader_load_step said why
    /* the argument string goes at the top of the stack; rdi points at it */
    size_t len = strlen(args) + 1;
    vaddr_t arg = USER_STACK_TOP - ALIGN_UP(len, 16);
    copy_to_user(sp, arg, args, len);
    arch_frame_init_user(arch_frame_of(t->kstack), e.entry, arg, arg);
    thread_set_utcb(t, L4_UTCB_MAIN);
    sp->loaded = true;
    return L4_OK;
}
