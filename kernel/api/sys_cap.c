/* SPDX-License-Identifier: BSD-2-Clause */
/* The capability-control system calls: read, list, replicate, share, grant, split, deduce, destroy, revoke. */
#include "caller.h"
#include "carry.h"
#include "cspace.h"
#include "errname.h"
#include "space.h"
#include "sys_handlers.h"
#include "syscall.h"
#include "sysdesc.h"
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
    case L4_CAP_CAPTABLE:
        return ((const struct cspace *)k->obj)->id;
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

/* What cap_read and captable_read return about slot of table t. */
static l4_err_t read_slot(const char *call, l4_word_t nr, struct captable *t, l4_word_t slot,
                          l4_word_t *type, l4_word_t *rights, l4_word_t *a, l4_word_t *b,
                          l4_word_t *object, l4_word_t *depth)
{
    struct cap *k = cap_slot(t, slot);

    if (!k || k->type == L4_CAP_NULL)
        return report(call, nr, slot, L4_ECAP);
    *type = k->type;
    *rights = cap_rights_held(k);
    *a = k->a;
    *b = k->b;
    *object = object_id(k);
    *depth = cap_depth(k);
    return L4_OK;
}

l4_err_t sys_cap_read(l4_cap_t slot, l4_word_t *type, l4_word_t *rights, l4_word_t *a, l4_word_t *b,
                      l4_word_t *object, l4_word_t *depth)
{
    return read_slot("cap_read", L4_SYS_CAP_READ, caller_table(), slot, type, rights, a, b, object,
                     depth);
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

/*
 * cap_grant and cap_deduce have no results but their error code: they change a capability
 * once, and what a memory capability's change unmaps (memory_gone) is paid in steps after it
 * (carry_end), the call's result kept for the rerun, which does only that.
 */
static l4_err_t grant(l4_cap_t src, l4_cap_t container, l4_word_t dest)
{
    struct cap *k;
    l4_err_t err = caller_cap("cap_grant", container, L4_CAP_CONTAINER, L4_CONT_RECEIVE, &k);

    if (err)
        return err;
    struct container *to = k->obj;
    l4_word_t slot = dest & ~L4_GRANT_IMMUTABLE;
    /* its restart empties its table in steps and fills it last: nothing may land in between */
    if (to->restart_stage != RESTART_NONE) {
        user_error("cap_grant: container %s is restarting\n", to->name);
        return L4_ESTATE;
    }
    return report("cap_grant", L4_SYS_CAP_GRANT, src,
                  dest & L4_GRANT_IMMUTABLE
                      ? cap_grant_immutable(caller_table(), src, &to->table, slot)
                      : cap_grant(caller_table(), src, &to->table, slot));
}

l4_err_t sys_cap_grant(l4_cap_t src, l4_cap_t container, l4_word_t dest)
{
    l4_err_t err;

    if (!carry_begin(L4_SYS_CAP_GRANT, &err))
        err = grant(src, container, dest);
    return carry_end(L4_SYS_CAP_GRANT, err);
}

l4_err_t sys_cap_split(l4_cap_t src, l4_cap_t dest, l4_word_t amount)
{
    return report("cap_split", L4_SYS_CAP_SPLIT, src, cap_split(caller_table(), src, dest, amount));
}

l4_err_t sys_cap_deduce(l4_cap_t slot, l4_word_t rights, l4_word_t a, l4_word_t b)
{
    l4_err_t err;

    if (carry_begin(L4_SYS_CAP_DEDUCE, &err))
        ; // its rerun: the unmaps it owes, then its result
    else if (rights > UINT32_MAX)
        err = report("cap_deduce", L4_SYS_CAP_DEDUCE, slot, L4_EINVAL);
    else
        err = report("cap_deduce", L4_SYS_CAP_DEDUCE, slot,
                     cap_deduce(caller_table(), slot, (uint32_t)rights, a, b));
    return carry_end(L4_SYS_CAP_DEDUCE, err);
}

/*
 * Units of revoke work between two preemption points (a unit is a capability removed or a
 * level of the tree walked down; about 100 to 400 instructions in the common case, what the
 * hooks do included). A preemption point costs an APIC read or two: at 64 they are lost in
 * the work, and an interrupt waits for at most one batch (docs/architecture.md, "Revoke in
 * steps").
 */
#define REVOKE_BATCH 64

typedef l4_err_t (*cap_step_fn)(struct captable *t, l4_word_t slot, unsigned budget,
                                struct cap_revoke_cursor *cur);

/*
 * A revoke (or a root's destroy, which revokes first) in batches: between two, the tree is
 * whole and every side effect has settled. When an interrupt waits or a better thread became
 * ready, the call stops there (CAP_MORE) and the handler has it run again (syscall_again):
 * the interrupt is taken as the caller goes back to user mode, and the call goes on where it
 * stopped (the caller's cursor), or starts again at the slot's capability if the forest
 * changed meanwhile. Each batch removes at least one capability, so the call ends.
 */
static l4_err_t in_batches(cap_step_fn step, struct captable *t, l4_word_t slot)
{
    struct tcb *self = caller();
    l4_err_t err;

    if (!carry_unmaps()) // what the batch before the last stop owes
        return CAP_MORE;
    while ((err = step(t, slot, REVOKE_BATCH, &self->revoke)) == CAP_MORE) {
        if (!carry_unmaps() || sched_preemption_wanted() || !thread_runnable(self))
            return CAP_MORE;
    }
    self->revoke.at = NULL;
    return err;
}

/*
 * cap_destroy, captable_remove and cap_revoke have no results: they may run again
 * (syscall_again), to go on with their own walk, then to clear the run-time tables they
 * destroyed (carry_end), each in batches.
 */
static l4_err_t stepped_call(const char *call, l4_word_t nr, cap_step_fn step, struct captable *t,
                             l4_word_t slot)
{
    l4_err_t err;

    if (!carry_begin(nr, &err)) {
        err = in_batches(step, t, slot);
        if (err != CAP_MORE)
            err = report(call, nr, slot, err);
    }
    return carry_end(nr, err);
}

l4_err_t sys_cap_destroy(l4_cap_t slot)
{
    return stepped_call("cap_destroy", L4_SYS_CAP_DESTROY, cap_destroy_step, caller_table(), slot);
}

l4_err_t sys_cap_revoke(l4_cap_t slot)
{
    return stepped_call("cap_revoke", L4_SYS_CAP_REVOKE, cap_revoke_step, caller_table(), slot);
}

/* --- run-time capability tables (kernel/object/cspace.c) ------------------------------------ */

/* The table a capability in the caller's slot names, if it has rights. */
static l4_err_t caller_captable(const char *call, l4_cap_t slot, uint32_t rights,
                                struct cspace **out)
{
    struct cap *k;
    l4_err_t err = caller_cap(call, slot, L4_CAP_CAPTABLE, rights, &k);

    if (!err)
        *out = k->obj;
    return err;
}

l4_err_t sys_captable_create(l4_cap_t pool, l4_word_t slots, l4_cap_t dest, l4_word_t *id)
{
    struct cap *p;
    struct cspace *cs;
    l4_err_t err = caller_pool("captable_create", pool, L4_POOL_CAPSLOTS, &p);

    if (err)
        return err;
    if (slots == 0 || slots > SYSDESC_MAX_SLOTS) {
        user_error("captable_create: %lu slots, outside 1..%u\n", slots, SYSDESC_MAX_SLOTS);
        return L4_ERANGE;
    }
    if ((err = caller_empty_slot("captable_create", dest)))
        return err;
    if ((err = cspace_create(caller_container(), p, (uint32_t)slots, &cs))) {
        user_error("captable_create: pool in slot %lu has fewer than %lu units free\n", pool,
                   slots);
        return err;
    }
    ASSERT(!cap_insert(caller_table(), dest, L4_CAP_CAPTABLE, L4_CT_RIGHTS_ALL, cs, 0, slots));
    *id = cs->id;
    return checked(L4_OK);
}

l4_err_t sys_captable_put(l4_cap_t src, l4_cap_t table, l4_word_t dest, l4_word_t rights,
                          l4_word_t amount)
{
    struct cspace *cs;
    l4_err_t err = caller_captable("captable_put", table, L4_CT_WRITE, &cs);

    if (err)
        return err;
    struct cap *k = cap_slot(caller_table(), src);
    if (k && k->type == L4_CAP_CAPTABLE && k->obj == cs) {
        /* it would keep itself alive: only its payer's end or its owner's restart could
         * take it back (a cycle through other tables can, and ends the same way) */
        user_error("captable_put: slot %lu names table %u itself\n", src, cs->id);
        return report("captable_put", L4_SYS_CAPTABLE_PUT, src, L4_EINVAL);
    }
    if (rights > UINT32_MAX)
        return report("captable_put", L4_SYS_CAPTABLE_PUT, src, L4_EINVAL);
    return report("captable_put", L4_SYS_CAPTABLE_PUT, src,
                  cap_put(caller_table(), src, &cs->table, dest, (uint32_t)rights, amount));
}

l4_err_t sys_captable_remove(l4_cap_t table, l4_word_t slot)
{
    struct cspace *cs;
    l4_err_t err = caller_captable("captable_remove", table, L4_CT_WRITE, &cs);

    if (err)
        return err;
    return stepped_call("captable_remove", L4_SYS_CAPTABLE_REMOVE, cap_destroy_step, &cs->table,
                        slot);
}

l4_err_t sys_captable_read(l4_cap_t table, l4_word_t slot, l4_word_t *type, l4_word_t *rights,
                           l4_word_t *a, l4_word_t *b, l4_word_t *object, l4_word_t *depth)
{
    struct cspace *cs;
    l4_err_t err = caller_captable("captable_read", table, L4_CT_READ, &cs);

    if (err)
        return err;
    return read_slot("captable_read", L4_SYS_CAPTABLE_READ, &cs->table, slot, type, rights, a, b,
                     object, depth);
}
