/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory system calls: map pages of a memory capability into a space, unmap them, change
 * their permissions over a range, and map a range of one space's pages into another. */
#include "caller.h"
#include "errname.h"
#include "range_step.h"
#include "sched.h"
#include "space.h"
#include "sys_handlers.h"
#include "syscall.h"
#include "thread.h"

#include <coffer/mem.h>
#include <coffer/syscall_nr.h>

_Static_assert(L4_MAP_READ == MAP_READ && L4_MAP_WRITE == MAP_WRITE && L4_MAP_EXEC == MAP_EXEC,
               "the ABI permission bits are the kernel's");

/*
 * Device memory (MMIO) is never executable: its capabilities never carry L4_MEM_EXEC, so
 * the rights check would refuse too, but with ERIGHTS, as if a stronger capability could
 * do it. No capability can: EINVAL, and the reason.
 */
static l4_err_t refuse_device_exec(const char *call, l4_cap_t mem)
{
    struct cap *m = cap_slot(caller_table(), mem);
    const struct cap_origin *o = m && m->type == L4_CAP_MEMORY ? m->obj : NULL;

    if (!o || !o->device)
        return L4_OK;
    user_error("%s: the memory capability in slot %lu is device memory %lx..%lx, which is "
               "never mapped executable\n",
               call, mem, m->a, m->a + m->b - 1);
    return L4_EINVAL;
}

/* MAP_DEVICE if m is device memory: its mappings are uncached and never taken for RAM. */
static unsigned device_bit(const struct cap *m)
{
    const struct cap_origin *o = m->obj;

    return o && o->device ? MAP_DEVICE : 0;
}

static l4_err_t check_perms(const char *call, l4_word_t perms)
{
    if (!(perms & L4_MAP_READ) || (perms & ~(l4_word_t)L4_MAP_ALL)) {
        user_error("%s: permissions %lx: L4_MAP_READ is required, and only READ, WRITE and EXEC "
                   "are known\n",
                   call, perms);
        return L4_EINVAL;
    }
    return L4_OK;
}

/* mem_map's report of arch_pt_map's refusal (cold: the common map keeps its shape). */
static __attribute__((cold, noinline)) l4_err_t map_refused(vaddr_t vaddr, l4_err_t err)
{
    user_error("mem_map: mapping at %lx refused: %s\n", vaddr,
               err == L4_ENOMEM  ? "the space's page-table pool has no unit left (ENOMEM)"
               : err == L4_EBUSY ? "a page is mapped there already (EBUSY)"
                                 : l4_error_name(err));
    return err;
}

/*
 * mem_map of device memory: uncached, and never taken for RAM by the kernel (copies,
 * futexes), which the debug build checks by reading the mapping back as they would. Out of
 * line and cold: RAM's map keeps nothing live across arch_pt_map for this.
 */
static __attribute__((cold, noinline)) l4_err_t map_device(struct space *sp, vaddr_t vaddr,
                                                           paddr_t pa, unsigned perms)
{
    l4_err_t err = arch_pt_map(sp->root, sp, vaddr, pa, perms | MAP_DEVICE);

    DEBUG_ASSERT(err || !arch_pt_lookup(sp->root, vaddr, MAP_READ, NULL));
    return err ? map_refused(vaddr, err) : L4_OK;
}

/*
 * mem_map's memory capability refused. Device memory asked for EXEC is told apart here, off
 * the common path (no call before the lookups): its capabilities never carry L4_MEM_EXEC
 * (sysdesc.c refuses them, and rights never grow), so the rights check always refuses it
 * first, and this turns that ERIGHTS into refuse_device_exec's EINVAL.
 */
static __attribute__((cold, noinline)) l4_err_t map_cap_refused(l4_cap_t mem, l4_word_t perms,
                                                                l4_err_t err)
{
    l4_err_t dev;

    if ((perms & L4_MAP_EXEC) && (dev = refuse_device_exec("mem_map", mem)))
        return dev;
    if (DEBUG_BUILD)
        cap_reject("mem_map", caller_table(), mem, L4_CAP_MEMORY,
                   space_map_rights((unsigned)perms));
    return err;
}

l4_err_t sys_mem_map(l4_cap_t mem, l4_word_t offset, l4_cap_t space, l4_word_t vaddr,
                     l4_word_t perms)
{
    struct cap *m, *s;
    struct captable *t = caller_table();
    l4_err_t err;

    if ((err = check_perms("mem_map", perms)))
        return err;
    if ((err = cap_lookup(t, mem, L4_CAP_MEMORY, space_map_rights((unsigned)perms), &m)))
        return map_cap_refused(mem, perms, err);
    if ((err = cap_lookup(t, space, L4_CAP_SPACE, L4_SPACE_MAP, &s))) {
        if (DEBUG_BUILD) // caller_cap's report, on the table read once above
            cap_reject("mem_map", t, space, L4_CAP_SPACE, L4_SPACE_MAP);
        return err;
    }
    if (offset % PAGE_SIZE) {
        user_error("mem_map: offset %lx is not page aligned (a byte offset into the range)\n",
                   offset);
        return L4_EINVAL;
    }
    if (offset >= m->b) {
        user_error("mem_map: offset %lx is past the end of the memory capability's %lx bytes\n",
                   offset, m->b);
        return L4_ERANGE;
    }
    if ((err = check_vaddr("mem_map", vaddr)))
        return err;
    struct space *sp = s->obj;
    /* the space's page-table pool pays for any table this needs; the mapping remembers who
     * made it: it stays while that container holds memory over the frame */
    unsigned how = (unsigned)perms | MAP_MAPPER(caller_container()->id);
    if (unlikely(device_bit(m)))
        return map_device(sp, vaddr, m->a + offset, how);
    err = arch_pt_map(sp->root, sp, vaddr, m->a + offset, how);
    return unlikely(err) ? map_refused(vaddr, err) : L4_OK;
}

l4_err_t sys_mem_unmap(l4_cap_t space, l4_word_t vaddr)
{
    struct cap *s;
    bool owned;
    l4_err_t err = caller_cap("mem_unmap", space, L4_CAP_SPACE, L4_SPACE_MAP, &s);

    if (err)
        return err;
    if (vaddr % PAGE_SIZE) {
        user_error("mem_unmap: address %lx is not page aligned\n", vaddr);
        return L4_EINVAL;
    }
    struct space *sp = s->obj;
    paddr_t pa = arch_pt_unmap(sp->root, vaddr, &owned);
    if (!pa) {
        user_error("mem_unmap: nothing is mapped at %lx\n", vaddr);
        return L4_ESTATE;
    }
    if (owned) // a frame of its program or stack goes back to its container
        space_free_frame(sp, pa);
    return L4_OK;
}

/* The pages [vaddr, vaddr + pages pages) of a range call: EINVAL or ERANGE otherwise. */
/*
 * The frame mapped at va in the space sp looks at, if it is a frame of the memory capability
 * m (never one the space owns): what a range call may act on. Another container's frames,
 * and the space's own program and stack, are not the caller's to change or to copy.
 */
static bool frame_of(struct pt_near *sp, vaddr_t va, const struct cap *m, paddr_t *pa)
{
    unsigned perms;

    return arch_pt_entry_near(sp, va, pa, &perms) && !(perms & MAP_OWNED) && *pa >= m->a &&
           *pa - m->a < m->b;
}

/* The checks both range calls share: memory rights for perms, L4_SPACE_MAP, the range. */
static l4_err_t range_call(const char *call, l4_cap_t mem, l4_cap_t space, l4_word_t vaddr,
                           l4_word_t pages, l4_word_t perms, struct cap **m, struct space **sp)
{
    struct cap *s;
    l4_err_t err;

    if ((err = check_perms(call, perms)) ||
        ((perms & L4_MAP_EXEC) && (err = refuse_device_exec(call, mem))) ||
        (err = caller_cap(call, mem, L4_CAP_MEMORY, space_map_rights((unsigned)perms), m)) ||
        (err = caller_cap(call, space, L4_CAP_SPACE, L4_SPACE_MAP, &s)) ||
        (err = check_range(call, vaddr, pages)))
        return err;
    *sp = s->obj;
    return L4_OK;
}

/*
 * The mapper becomes the caller: its memory capability now vouches for the new
 * permissions, so the mapping lasts while the caller holds memory over the frame.
 */
l4_err_t sys_mem_protect(l4_cap_t mem, l4_cap_t space, l4_word_t vaddr, l4_word_t pages,
                         l4_word_t perms, l4_word_t *changed)
{
    struct cap *m;
    struct space *sp;
    l4_word_t n;
    vaddr_t va = range_resume(L4_SYS_MEM_PROTECT, vaddr, pages, &n), end;
    l4_err_t err = range_call("mem_protect", mem, space, vaddr, pages, perms, &m, &sp);
    paddr_t pa;
    struct pt_near near;

    if (err)
        return err;
    end = vaddr + pages * PAGE_SIZE;
    unsigned how = (unsigned)perms | MAP_MAPPER(caller_container()->id);
    do {
        arch_pt_near_init(&near, sp->root); // the tables may have changed since the last step
        for (vaddr_t stop = step_end(va, end); va < stop; va += PAGE_SIZE) {
            if (frame_of(&near, va, m, &pa)) {
                arch_pt_protect_near(&near, va, how);
                n++;
            }
        }
        if (range_stop(L4_SYS_MEM_PROTECT, va, end, n))
            return syscall_again(L4_SYS_MEM_PROTECT);
    } while (va < end);
    if (!n) {
        user_error("mem_protect: no page of %lx..%lx is mapped from the memory capability\n", vaddr,
                   vaddr + pages * PAGE_SIZE);
        return L4_ESTATE;
    }
    *changed = n;
    return L4_OK;
}

/* Take back what mem_share mapped in [from, to) before it failed. */
static void unshare(struct space *src, struct space *dst, const struct cap *m, vaddr_t from,
                    vaddr_t to)
{
    struct pt_near near;
    paddr_t pa;

    arch_pt_near_init(&near, src->root);
    for (vaddr_t va = from; va < to; va += PAGE_SIZE) {
        if (frame_of(&near, va, m, &pa))
            arch_pt_clear(dst->root, va);
    }
}

/*
 * All or nothing: a step checks each of its pages before it maps one, and when a page is
 * taken (EBUSY) or the page-table pool runs dry (ENOMEM), what the call mapped in earlier
 * steps is taken back (the tables made stay, as they do after mem_map). Between two steps
 * another thread may see the pages mapped so far (a call under way).
 */
l4_err_t sys_mem_share(l4_cap_t mem, l4_cap_t src, l4_cap_t dst, l4_word_t vaddr, l4_word_t pages,
                       l4_word_t perms, l4_word_t *shared)
{
    struct cap *m, *d;
    struct space *from, *to;
    l4_word_t n;
    vaddr_t va = range_resume(L4_SYS_MEM_SHARE, vaddr, pages, &n), v, stop;
    l4_err_t err = range_call("mem_share", mem, src, vaddr, pages, perms, &m, &from);
    vaddr_t end = vaddr + pages * PAGE_SIZE;
    paddr_t pa, there;
    unsigned unused;
    struct pt_near src_near, dst_near;

    if (err || (err = caller_cap("mem_share", dst, L4_CAP_SPACE, L4_SPACE_MAP, &d)))
        return err;
    to = d->obj;
    unsigned how = (unsigned)perms | device_bit(m) | MAP_MAPPER(caller_container()->id);
    do {
        stop = step_end(va, end);
        arch_pt_near_init(&src_near, from->root);
        arch_pt_near_init(&dst_near, to->root); // nothing is mapped into to while it is used
        for (v = va; v < stop; v += PAGE_SIZE) {
            if (frame_of(&src_near, v, m, &pa) &&
                arch_pt_entry_near(&dst_near, v, &there, &unused)) {
                user_error("mem_share: %lx is mapped already in the destination space\n", v);
                unshare(from, to, m, vaddr, va);
                return L4_EBUSY;
            }
        }
        /* src_near stays true: to is another space (were it the same, every page would have
         * been EBUSY above) */
        for (; va < stop && !err; va += PAGE_SIZE) {
            if (!frame_of(&src_near, va, m, &pa))
                continue;
            err = arch_pt_map(to->root, to, va, pa, how);
            n += !err;
            /* a device page stays one: never taken for RAM by the kernel (see mem_map) */
            DEBUG_ASSERT(err || !device_bit(m) || !arch_pt_lookup(to->root, va, MAP_READ, NULL));
        }
        if (err) {
            DEBUG_ASSERT(err == L4_ENOMEM); // every page was free, and the addresses are checked
            unshare(from, to, m, vaddr, va - PAGE_SIZE);
            user_error("mem_share: the destination space's page-table pool has no unit left "
                       "(ENOMEM)\n");
            return err;
        }
        if (range_stop(L4_SYS_MEM_SHARE, va, end, n))
            return syscall_again(L4_SYS_MEM_SHARE);
    } while (va < end);
    if (!n) {
        user_error("mem_share: no page of %lx..%lx is mapped from the memory capability in the "
                   "source space\n",
                   vaddr, end);
        return L4_ESTATE;
    }
    *shared = n;
    return L4_OK;
}
