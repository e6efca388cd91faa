/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread system calls: each checks every argument and capability before it changes anything. */
#include "caller.h"
#include "config.h"
#include "cspace.h"
#include "futex.h"
#include "notification.h"
#include "space.h"
#include "sys_handlers.h"
#include "thread_regs.h"
#include "thread_utcb.h"
#include "thread_wait.h"

#include <coffer/thread.h>

/* The thread named by a capability with the given rights. */
static l4_err_t thread_cap(const char *call, l4_cap_t slot, uint32_t rights, struct tcb **out)
{
    return caller_thread(call, slot, rights, out);
}

/* The same, for calls that make no sense once the thread has ended (ESTATE). */
static l4_err_t live_thread_cap(const char *call, l4_cap_t slot, uint32_t rights, struct tcb **out)
{
    l4_err_t err = thread_cap(call, slot, rights, out);

    if (err || (*out)->state != THREAD_DEAD)
        return err;
    user_error("%s: thread %lx has ended\n", call, (*out)->id);
    return L4_ESTATE;
}

/* Nobody gets a priority above its container's ceiling. */
static bool priority_allowed(l4_word_t prio, const char *call)
{
    if (prio > L4_PRIO_MAX || prio > caller_container()->ceiling) {
        user_error("%s: priority %lu above ceiling %u\n", call, prio, caller_container()->ceiling);
        return false;
    }
    return true;
}

l4_err_t sys_thread_exit(l4_word_t code)
{
    thread_exit(caller(), code);
    return checked(L4_OK); // the preemption point after it switches away from a dead caller
}

l4_err_t sys_thread_create(l4_cap_t pool, l4_cap_t space, l4_word_t prio, l4_cap_t dest,
                           l4_word_t *tid)
{
    struct cap *p, *s;
    struct tcb *t;
    l4_err_t err = caller_pool("thread_create", pool, L4_POOL_THREADS, &p);

    if (!err)
        err = caller_cap("thread_create", space, L4_CAP_SPACE, L4_SPACE_BIND, &s);
    if (!err)
        err = space_bindable(s->obj, "thread_create");
    if (err)
        return err;
    if (!priority_allowed(prio, "thread_create"))
        return L4_ERANGE;
    if ((err = caller_empty_slot("thread_create", dest)))
        return err;
    err = thread_create(caller_container(), p, s->obj, (uint8_t)prio, caller()->name, &t);
    if (err) {
        user_error("thread_create: pool in slot %lu has no unit left\n", pool);
        return err;
    }
    ASSERT(!cap_insert(caller_table(), dest, L4_CAP_THREAD, L4_THR_RIGHTS_ALL, t, 0, 0));
    cspace_use(t, caller_table()); // a thread never makes one with more authority than its own
    *tid = t->id;
    return checked(L4_OK);
}

static l4_err_t configure_space(struct tcb *t, l4_word_t slot)
{
    struct cap *k;
    l4_err_t err;

    if (t->state != THREAD_INACTIVE) {
        user_error("thread_configure: thread %lx already started\n", t->id);
        return L4_ESTATE;
    }
    if ((err = caller_cap("thread_configure", slot, L4_CAP_SPACE, L4_SPACE_BIND, &k)) ||
        (err = space_bindable(k->obj, "thread_configure")))
        return err;
    space_bind(k->obj);
    space_unbind(t->space);
    t->space = k->obj;
    thread_set_utcb(t, t->utcb); // the same address in another space's tables (thread_utcb.h)
    return L4_OK;
}

/* Slot 0 clears the fault endpoint; otherwise an endpoint capability the thread may send to. */
static l4_err_t configure_fault_ep(struct tcb *t, l4_word_t slot)
{
    struct cap *k;
    l4_err_t err;

    if (slot == 0) {
        t->fault_ep = NULL;
        return L4_OK;
    }
    if ((err = caller_cap("thread_configure", slot, L4_CAP_ENDPOINT, L4_EP_SEND, &k)))
        return err;
    t->fault_ep = k->obj;
    t->fault_badge = k->a;
    return L4_OK;
}

/* 0 removes the UTCB; otherwise a page-aligned user page, mapped writable in t's space now. */
static l4_err_t configure_utcb(struct tcb *t, l4_word_t va)
{
    if (va % PAGE_SIZE) {
        user_error("thread_configure: UTCB %lx not page aligned\n", va);
        return L4_EINVAL;
    }
    if (va >= USER_TOP) {
        user_error("thread_configure: UTCB %lx is outside user space\n", va);
        return L4_ERANGE;
    }
    if (va && !space_kaddr(t->space, va, MAP_READ | MAP_WRITE)) {
        user_error("thread_configure: UTCB %lx not mapped writable\n", va);
        return L4_EFAULT;
    }
    thread_set_utcb(t, va);
    return L4_OK;
}

/* Slot 0 unbinds; otherwise a notification the caller may signal, told of t's end or fault. */
static l4_err_t configure_exit_ntf(struct tcb *t, l4_word_t slot)
{
    struct cap *k = NULL;
    l4_err_t err;

    if (slot &&
        (err = caller_cap("thread_configure", slot, L4_CAP_NOTIFICATION, L4_NTF_SIGNAL, &k)))
        return err;
    thread_bind_exit(t, k ? k->obj : NULL, k && k->a ? k->a : 1, caller_container());
    return L4_OK;
}

/*
 * A table of the thread's own container (L4_CT_BIND), or 0: its container's table, which is
 * all of the container's authority, so only a thread of the container that already names it
 * may give it; a thread with a table of its own can never widen its own, nor another's.
 */
static l4_err_t configure_captable(struct tcb *t, l4_word_t slot)
{
    struct cap *k;
    l4_err_t err;

    if (slot == 0) {
        if (caller_table() != &caller_container()->table || t->container != caller_container()) {
            user_error("thread_configure: only a thread of container %s that uses its table may "
                       "give thread %lx that table\n",
                       t->container->name, t->id);
            return L4_ERIGHTS;
        }
        cspace_use(t, &t->container->table);
        return L4_OK;
    }
    if ((err = caller_cap("thread_configure", slot, L4_CAP_CAPTABLE, L4_CT_BIND, &k)))
        return err;
    struct cspace *cs = k->obj;
    if (cs->table.owner != t->container) {
        user_error("thread_configure: table %u belongs to container %s, thread %lx to %s\n", cs->id,
                   ((struct container *)cs->table.owner)->name, t->id, t->container->name);
        return L4_EINVAL;
    }
    cspace_use(t, &cs->table);
    return L4_OK;
}

l4_err_t sys_thread_configure(l4_cap_t thread, l4_word_t field, l4_word_t value)
{
    struct tcb *t;
    l4_err_t err = live_thread_cap("thread_configure", thread, L4_THR_WRITE, &t);

    if (err)
        return err;
    switch (field) {
    case L4_THREAD_SPACE:
        return configure_space(t, value);
    case L4_THREAD_PRIORITY:
        if (!priority_allowed(value, "thread_configure") || value > t->container->ceiling)
            return L4_ERANGE; // neither the caller's nor the thread's ceiling may be passed
        sched_set_priority(t, (uint8_t)value);
        if (t->ipc_wait == IPC_FUTEX)
            futex_requeue(t); // its place among the waiters follows its priority
        return L4_OK;
    case L4_THREAD_TIMESLICE:
        if (value < 1 || value > L4_TIMESLICE_MAX) {
            user_error("thread_configure: timeslice %lu outside 1..%d\n", value, L4_TIMESLICE_MAX);
            return L4_ERANGE;
        }
        t->timeslice = t->slice_left = (uint32_t)value;
        return L4_OK;
    case L4_THREAD_FAULT_EP:
        return configure_fault_ep(t, value);
    case L4_THREAD_UTCB:
        return configure_utcb(t, value);
    case L4_THREAD_FOREIGN:
        if (value > L4_FOREIGN_ALL) {
            user_error("thread_configure: foreign system call mode %lu outside 0..2\n", value);
            return L4_ERANGE;
        }
        thread_set_foreign(t, (unsigned)value);
        return L4_OK;
    case L4_THREAD_EXIT_NTF:
        return configure_exit_ntf(t, value);
    case L4_THREAD_CAPTABLE:
        return checked(configure_captable(t, value));
    default:
        user_error("thread_configure: unknown field %lu\n", field);
        return L4_EINVAL;
    }
}

l4_err_t sys_thread_exregs(l4_cap_t thread, l4_word_t flags, l4_word_t ip, l4_word_t sp,
                           l4_word_t arg, l4_word_t *old_ip, l4_word_t *old_sp)
{
    struct tcb *t;
    struct user_regs r;
    uint32_t need = L4_THR_READ | (flags ? L4_THR_WRITE : 0);
    l4_err_t err = live_thread_cap("thread_exregs", thread, need, &t);

    if (err)
        return err;
    if (flags & ~(l4_word_t)L4_EXREGS_ALL) {
        user_error("thread_exregs: unknown flags %lx\n", flags);
        return L4_EINVAL;
    }
    if (((flags & L4_EXREGS_SET_IP) && ip >= USER_TOP) ||
        ((flags & L4_EXREGS_SET_SP) && sp >= USER_TOP)) {
        user_error("thread_exregs: ip %lx or sp %lx outside user space\n", ip, sp);
        return L4_ERANGE;
    }
    if (flags && t == caller()) {
        user_error("thread_exregs: cannot set the caller's own registers\n");
        return L4_ESTATE;
    }
    struct trap_frame *f = arch_frame_of(t->kstack);
    arch_frame_read(f, &r);
    *old_ip = r.ip;
    *old_sp = r.sp;
    if (flags & L4_EXREGS_SET_IP) {
        r.ip = ip;
        thread_forget_call(t); // off its SYSCALL instruction, if it stopped there
    }
    if (flags & L4_EXREGS_SET_SP)
        r.sp = sp;
    if (flags & L4_EXREGS_SET_ARG)
        r.arg = arg;
    arch_frame_write(f, &r);
    return L4_OK;
}

l4_err_t sys_thread_start(l4_cap_t thread)
{
    struct tcb *t;
    struct user_regs r;
    l4_err_t err = live_thread_cap("thread_start", thread, L4_THR_RUN, &t);

    if (err)
        return err;
    arch_frame_read(arch_frame_of(t->kstack), &r);
    if (t->state != THREAD_INACTIVE || r.ip == 0) {
        user_error("thread_start: thread %lx already started or has no ip\n", t->id);
        return L4_ESTATE;
    }
    sched_make_ready(t);
    return L4_OK;
}

l4_err_t sys_thread_suspend(l4_cap_t thread)
{
    struct tcb *t;
    l4_err_t err = live_thread_cap("thread_suspend", thread, L4_THR_RUN, &t);

    if (err)
        return err;
    if (t->suspended) {
        user_error("thread_suspend: thread %lx already suspended\n", t->id);
        return L4_ESTATE;
    }
    t->suspended = true;
    unmap_debt_settle(t); // a suspended call may never go on: its unmaps may not wait
    sched_remove(t);
    return L4_OK; // a caller that suspended itself: the preemption point after it switches away
}

l4_err_t sys_thread_resume(l4_cap_t thread)
{
    struct tcb *t;
    l4_err_t err = live_thread_cap("thread_resume", thread, L4_THR_RUN, &t);

    if (err)
        return err;
    if (!t->suspended) {
        user_error("thread_resume: thread %lx is not suspended\n", t->id);
        return L4_ESTATE;
    }
    t->suspended = false;
    if (t->state == THREAD_READY)
        sched_make_ready(t);
    return L4_OK;
}

l4_err_t sys_thread_destroy(l4_cap_t thread)
{
    struct tcb *t;
    l4_err_t err = thread_cap("thread_destroy", thread, L4_THR_DESTROY, &t);

    if (err)
        return err;
    if (t->state == THREAD_DEAD)
        containers_purge_object(t); // ended: its exit code goes, and with it its block
    else
        thread_kill(t, -1);
    return checked(L4_OK);
}

l4_err_t sys_thread_wait(l4_cap_t thread, l4_word_t flags, l4_word_t *code)
{
    struct tcb *t;
    l4_err_t err = thread_cap("thread_wait", thread, L4_THR_READ, &t);

    if (err)
        return err;
    if (flags & ~(l4_word_t)L4_WAIT_NONBLOCK) {
        user_error("thread_wait: unknown flags %lx\n", flags);
        return L4_EINVAL;
    }
    if (t == caller()) {
        user_error("thread_wait: a thread cannot wait for its own end\n");
        return L4_EINVAL;
    }
    err = thread_wait(t, flags & L4_WAIT_NONBLOCK, code);
    if (err == L4_ESTATE)
        user_error("thread_wait: thread %lx stopped on a fault; it will not end by itself\n",
                   t->id);
    return err;
}

l4_err_t sys_thread_yield(void)
{
    sched_yield();
    return L4_OK;
}

l4_err_t sys_thread_id(l4_word_t *tid, l4_word_t *space, l4_word_t *prio)
{
    struct tcb *self = caller();

    *tid = self->id;
    *space = self->space->id;
    *prio = self->prio;
    return L4_OK;
}

l4_err_t sys_space_create(l4_cap_t pool, l4_cap_t ptpool, l4_cap_t dest, l4_word_t *space)
{
    struct cap *p, *pt;
    struct space *s;
    l4_err_t err = caller_pool("space_create", pool, L4_POOL_SPACES, &p);

    if (!err)
        err = caller_pool("space_create", ptpool, L4_POOL_PAGETABLES, &pt);
    if (err || (err = caller_empty_slot("space_create", dest)))
        return err;
    if ((err = space_create(caller_container(), p, pt, &s))) {
        user_error("space_create: pool %lu or page-table pool %lu has no unit left\n", pool,
                   ptpool);
        return err;
    }
    ASSERT(!cap_insert(caller_table(), dest, L4_CAP_SPACE, L4_SPACE_RIGHTS_ALL, s, 0, 0));
    *space = s->id;
    return checked(L4_OK);
}
