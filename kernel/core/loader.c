/* SPDX-License-Identifier: BSD-2-Clause */
/* Start boot modules: each ELF image gets a new space and one thread. */
#include "loader.h"

#include "arch.h"
#include "elf.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"
#include "thread.h"

#include <coffer/ipc.h>

static unsigned perms_of(const struct elf_segment *s)
{
    return MAP_READ | (s->perms & ELF_W ? MAP_WRITE : 0) | (s->perms & ELF_X ? MAP_EXEC : 0);
}

/* Map fresh frames for every segment and copy its file bytes in. */
static l4_err_t load_segments(struct space *sp, const char *img, const struct elf_image *e)
{
    for (unsigned i = 0; i < e->nsegments; i++) {
        const struct elf_segment *s = &e->seg[i];
        l4_err_t err = space_alloc_range(sp, s->vaddr, s->memsz, perms_of(s));
        if (err)
            return err;
        for (uint64_t off = 0; off < s->filesz;) {
            vaddr_t va = s->vaddr + s->skip + off;
            uint64_t n = PAGE_SIZE - (va & (PAGE_SIZE - 1));
            if (n > s->filesz - off)
                n = s->filesz - off;
            memcpy(space_kaddr(sp, va, MAP_READ), img + s->offset + off, n);
            off += n;
        }
    }
    return L4_OK;
}

l4_err_t loader_load(struct space *sp, struct tcb *t, const struct boot_module *m, const char *args)
{
    const char *img = phys_to_virt(m->start);
    struct elf_image e;
    const char *why =
        elf_check(img, m->end - m->start, ARCH_ELF_MACHINE, USER_STACK_BASE - USER_STACK_GUARD, &e);

    if (why) {
        kprintf("loader: module %s: %s\n", m->name, why);
        return L4_EINVAL;
    }
    l4_err_t err = load_segments(sp, img, &e);
    if (!err)
        err = space_alloc_range(sp, USER_STACK_BASE, USER_STACK_SIZE, MAP_READ | MAP_WRITE);
    if (!err) // the first thread's UTCB, so that it can do any IPC from the start
        err = space_alloc_range(sp, L4_UTCB_MAIN, PAGE_SIZE, MAP_READ | MAP_WRITE);
    if (err) {
        kprintf("loader: module %s: out of memory\n", m->name);
        return err;
    }
    /* the argument string goes at the top of the stack; rdi points at it */
    size_t len = strlen(args) + 1;
    vaddr_t arg = USER_STACK_TOP - ALIGN_UP(len, 16);
    copy_to_user(sp, arg, args, len);
    arch_frame_init_user(arch_frame_of(t->kstack), e.entry, arg, arg);
    t->utcb = L4_UTCB_MAIN;
    sp->loaded = true;
    return L4_OK;
}
