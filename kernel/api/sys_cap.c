/* SPDX-License-Identifier: BSD-2-Clause */
/* The capability-control system calls: read, list, replicate, share, grant, split, deduce, destroy, revoke. */
#include "caller.h"
#include "errname.h"
#include "space.h"
#include "sys_handlers.h"
#include "trace.h"

#include <coffer/syscall_nr.h>

/* The id user space knows an object by. */
static l4_word_t object_id(const struct cap *k)
{
    switch (k->type) {
    case L4_CAP_THREAD:
        return ((const struct tcb *)k->obj)->id;
    case L4_CAP_SPACE:
        return ((const struct space *)k->obj)->id;
    case L4_CAP_CONTAINER:
        return ((const struct container *)k->obj)->id;
    case L4_CAP_POOL:
        return k->used; // a pool names no object: its units in use are what a holder wants
    default:
        return 0;
    }
}

/* What a capability operation's error code means, for its rejection line. */
static const char *cap_refusal(l4_err_t err)
{
    switch (err) {
    case L4_ECAP:
        return "empty, out of the table, or of a type the call does not take (ECAP)";
    case L4_ERIGHTS:
        return "lacks the copy or grant right the operation needs, or is immutable (ERIGHTS)";
    case L4_EBUSY:
        return "busy: a destination slot not empty, or units that pay for objects (EBUSY)";
    case L4_EINVAL:
        return "an argument is out of its range, or rights not a subset (EINVAL)";
    default:
        return l4_error_name(err);
    }
}

/*
 * Print the reason for a refused capability operation in debug builds, and
 * after one that changed something, check every table and pool: a broken
 * invariant stops the kernel at the operation that broke it.
 */
static l4_err_t report(const char *call, l4_word_t nr, l4_word_t slot, l4_err_t err)
{
    TRACE_CAP(caller(), nr, slot, err);
    if (err)
        user_error("%s: slot %lu: %s\n", call, slot, cap_refusal(err));
    return checked(err);
}

l4_err_t sys_cap_read(l4_cap_t slot, l4_word_t *type, l4_word_t *rights, l4_word_t *a, l4_word_t *b,
                      l4_word_t *object, l4_word_t *depth)
{
    struct cap *k = cap_slot(caller_table(), slot);

    if (!k || k->type == L4_CAP_NULL)
        return report("cap_read", L4_SYS_CAP_READ, slot, L4_ECAP);
    *type = k->type;
    *rights = cap_rights_held(k);
    *a = k->a;
    *b = k->b;
    *object = object_id(k);
    *depth = cap_depth(k);
    return L4_OK;
}

l4_err_t sys_cap_next(l4_word_t start, l4_word_t *slot)
{
    struct captable *t = caller_table();

    for (l4_word_t s = start; s < t->nslots; s++) {
        if (t->slots[s].type != L4_CAP_NULL) {
            *slot = s;
            return L4_OK;
        }
    }
    return L4_ERANGE;
}

l4_err_t sys_cap_replicate(l4_cap_t src, l4_cap_t dest)
{
    return report("cap_replicate", L4_SYS_CAP_REPLICATE, src,
                  cap_replicate(caller_table(), src, dest));
}

l4_err_t sys_cap_share(l4_cap_t src, l4_cap_t dest)
{
    return report("cap_share", L4_SYS_CAP_SHARE, src, cap_share(caller_table(), src, dest));
}

l4_err_t sys_cap_grant(l4_cap_t src, l4_cap_t container, l4_word_t dest)
{
    struct cap *k;
    l4_err_t err = caller_cap("cap_grant", container, L4_CAP_CONTAINER, L4_CONT_RECEIVE, &k);

    if (err)
        return err;
    struct container *to = k->obj;
    l4_word_t slot = dest & ~L4_GRANT_IMMUTABLE;
    return report("cap_grant", L4_SYS_CAP_GRANT, src,
                  dest & L4_GRANT_IMMUTABLE
                      ? cap_grant_immutable(caller_table(), src, &to->table, slot)
                      : cap_grant(caller_table(), src, &to->table, slot));
}

l4_err_t sys_cap_split(l4_cap_t src, l4_cap_t dest, l4_word_t amount)
{
    return report("cap_split", L4_SYS_CAP_SPLIT, src, cap_split(caller_table(), src, dest, amount));
}

l4_err_t sys_cap_deduce(l4_cap_t slot, l4_word_t rights, l4_word_t a, l4_word_t b)
{
    if (rights > UINT32_MAX)
        return report("cap_deduce", L4_SYS_CAP_DEDUCE, slot, L4_EINVAL);
    return report("cap_deduce", L4_SYS_CAP_DEDUCE, slot,
                  cap_deduce(caller_table(), slot, (uint32_t)rights, a, b));
}

l4_err_t sys_cap_destroy(l4_cap_t slot)
{
    return report("cap_destroy", L4_SYS_CAP_DESTROY, slot, cap_destroy(caller_table(), slot));
}

l4_err_t sys_cap_revoke(l4_cap_t slot)
{
    return report("cap_revoke", L4_SYS_CAP_REVOKE, slot, cap_revoke(caller_table(), slot));
}
