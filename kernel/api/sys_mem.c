/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory system calls: map pages of a memory capability into a space, and unmap them. */
#include "caller.h"
#include "errname.h"
#include "space.h"
#include "sys_handlers.h"

#include <coffer/mem.h>

_Static_assert(L4_MAP_READ == MAP_READ && L4_MAP_WRITE == MAP_WRITE && L4_MAP_EXEC == MAP_EXEC,
               "the ABI permission bits are the kernel's");

/* The memory rights a set of map permissions needs. */
static uint32_t rights_for(l4_word_t perms)
{
    return L4_MEM_READ | (perms & L4_MAP_WRITE ? L4_MEM_WRITE : 0) |
           (perms & L4_MAP_EXEC ? L4_MEM_EXEC : 0);
}

/*
 * Device memory (MMIO) is never executable: its capabilities never carry L4_MEM_EXEC, so
 * the rights check would refuse too, but with ERIGHTS, as if a stronger capability could
 * do it. No capability can: EINVAL, and the reason.
 */
static l4_err_t refuse_device_exec(l4_cap_t mem)
{
    struct cap *m = cap_slot(caller_table(), mem);
    const struct cap_origin *o = m && m->type == L4_CAP_MEMORY ? m->obj : NULL;

    if (!o || !o->device)
        return L4_OK;
    user_error("mem_map: the memory capability in slot %lu is device memory %lx..%lx, which is "
               "never mapped executable\n",
               mem, m->a, m->a + m->b - 1);
    return L4_EINVAL;
}

static l4_err_t check_vaddr(const char *call, l4_word_t vaddr)
{
    if (vaddr % PAGE_SIZE) {
        user_error("%s: address %lx is not page aligned\n", call, vaddr);
        return L4_EINVAL;
    }
    if (vaddr < PAGE_SIZE || vaddr >= USER_TOP) {
        user_error("%s: address %lx is outside user space (%x..%lx)\n", call, vaddr, PAGE_SIZE,
                   (l4_word_t)USER_TOP);
        return L4_ERANGE;
    }
    return L4_OK;
}

l4_err_t sys_mem_map(l4_cap_t mem, l4_word_t offset, l4_cap_t space, l4_word_t vaddr,
                     l4_word_t perms)
{
    struct cap *m, *s;
    l4_err_t err;

    if (!(perms & L4_MAP_READ) || (perms & ~(l4_word_t)L4_MAP_ALL)) {
        user_error("mem_map: permissions %lx: L4_MAP_READ is required, and only READ, WRITE "
                   "and EXEC are known\n",
                   perms);
        return L4_EINVAL;
    }
    if ((perms & L4_MAP_EXEC) && (err = refuse_device_exec(mem)))
        return err;
    if ((err = caller_cap("mem_map", mem, L4_CAP_MEMORY, rights_for(perms), &m)) ||
        (err = caller_cap("mem_map", space, L4_CAP_SPACE, L4_SPACE_MAP, &s)))
        return err;
    const struct cap_origin *o = m->obj;
    unsigned device = o && o->device ? MAP_DEVICE : 0;
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
    err = arch_pt_map(sp->root, sp, vaddr, m->a + offset,
                      (unsigned)perms | device | MAP_MAPPER(caller_container()->id));
    /* the kernel must never take a device page for RAM (copies, futexes): read the mapping
     * back as they would */
    DEBUG_ASSERT(err || !device || !arch_pt_lookup(sp->root, vaddr, MAP_READ, NULL));
    if (err)
        user_error("mem_map: mapping at %lx refused: %s\n", vaddr,
                   err == L4_ENOMEM  ? "the space's page-table pool has no unit left (ENOMEM)"
                   : err == L4_EBUSY ? "a page is mapped there already (EBUSY)"
                                     : l4_error_name(err));
    return err;
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
