/* SPDX-License-Identifier: BSD-2-Clause */
/* cache_control: cache maintenance over the RAM pages mapped in a range of a space. */
#include "caller.h"
#include "printk.h"
#include "range_step.h"
#include "space.h"
#include "sys_handlers.h"
#include "syscall.h"

#include <coffer/mem.h>
#include <coffer/syscall_nr.h>

_Static_assert(L4_CACHE_SYNC_INSN == CACHE_SYNC_INSN && L4_CACHE_CLEAN == CACHE_CLEAN &&
                   L4_CACHE_FLUSH == CACHE_FLUSH,
               "the ABI's operations are the kernel's");

/*
 * Maintenance never changes what memory holds as any thread sees it (a clean writes back what
 * is there already; nothing is invalidated without being cleaned first), so a page another
 * container shares, or device memory skipped, gives nobody anything: the space's map right is
 * asked only so that the call names a space its caller may act on.
 */
l4_err_t sys_cache_control(l4_cap_t space, l4_word_t vaddr, l4_word_t pages, l4_word_t op,
                           l4_word_t *done)
{
    struct cap *s;
    l4_word_t n;
    vaddr_t va = range_resume(L4_SYS_CACHE_CONTROL, vaddr, pages, &n), end;
    l4_err_t err = caller_cap("cache_control", space, L4_CAP_SPACE, L4_SPACE_MAP, &s);

    if (err || (err = check_range("cache_control", vaddr, pages)))
        return err;
    if (op != L4_CACHE_SYNC_INSN && op != L4_CACHE_CLEAN && op != L4_CACHE_FLUSH) {
        user_error("cache_control: op %lu is none of L4_CACHE_SYNC_INSN (1), L4_CACHE_CLEAN (2) "
                   "and L4_CACHE_FLUSH (3)\n",
                   op);
        return L4_EINVAL;
    }
    struct space *sp = s->obj;
    struct pt_near near;
    paddr_t pa;
    unsigned perms;

    end = vaddr + pages * PAGE_SIZE;
    do {
        arch_pt_near_init(&near, sp->root); // the tables may have changed since the last step
        for (vaddr_t stop = step_end(va, end); va < stop; va += PAGE_SIZE) {
            if (arch_pt_entry_near(&near, va, &pa, &perms) && !(perms & MAP_DEVICE)) {
                arch_cache_maintain(phys_to_virt(pa), PAGE_SIZE, (unsigned)op);
                n++;
            }
        }
        if (range_stop(L4_SYS_CACHE_CONTROL, va, end, n))
            return syscall_again(L4_SYS_CACHE_CONTROL);
    } while (va < end);
    *done = n;
    return L4_OK;
}
