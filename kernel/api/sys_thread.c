/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread and space system calls: each checks every argument before it changes anything. */
#include "config.h"
#include "loader.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "sys_handlers.h"
#include "thread.h"

#include <coffer/thread.h>

/* A live thread by id, or NULL with the reason printed in debug builds. */
static struct tcb *lookup(l4_tid_t tid, const char *call)
{
    struct tcb *t = thread_lookup(tid);

    if (!t)
        user_error("%s: no thread %lx\n", call, tid);
    return t;
}

/* Nobody may hand out more priority than it has itself. */
static bool priority_allowed(l4_word_t prio, const char *call)
{
    if (prio > L4_PRIO_MAX || prio > sched_current()->prio) {
        user_error("%s: priority %lu above %u\n", call, prio, sched_current()->prio);
        return false;
    }
    return true;
}

l4_err_t sys_thread_exit(l4_word_t code)
{
    thread_kill(sched_current(), code);
    schedule();
    panic("an exited thread was scheduled again");
}

l4_err_t sys_thread_create(l4_word_t space, l4_word_t prio, l4_word_t *tid)
{
    struct tcb *self = sched_current();
    struct space *s = space ? space_lookup((uint32_t)space) : self->space;

    if (!s || space > UINT32_MAX) {
        user_error("thread_create: no space %lu\n", space);
        return L4_ECAP;
    }
    if (!priority_allowed(prio, "thread_create"))
        return L4_ERANGE;
    struct tcb *t = thread_create(s, (uint8_t)prio, self->name);
    if (!t)
        return L4_ENOMEM;
    *tid = t->id;
    return L4_OK;
}

static l4_err_t configure_space(struct tcb *t, l4_word_t value)
{
    struct space *s = value <= UINT32_MAX ? space_lookup((uint32_t)value) : NULL;

    if (t->state != THREAD_INACTIVE) {
        user_error("thread_configure: thread %lx already started\n", t->id);
        return L4_ESTATE;
    }
    if (!s) {
        user_error("thread_configure: no space %lu\n", value);
        return L4_ECAP;
    }
    space_bind(s);
    space_unbind(t->space);
    t->space = s;
    return L4_OK;
}

l4_err_t sys_thread_configure(l4_tid_t tid, l4_word_t field, l4_word_t value)
{
    struct tcb *t = lookup(tid, "thread_configure");

    if (!t)
        return L4_ECAP;
    switch (field) {
    case L4_THREAD_SPACE:
        return configure_space(t, value);
    case L4_THREAD_PRIORITY:
        if (!priority_allowed(value, "thread_configure"))
            return L4_ERANGE;
        sched_set_priority(t, (uint8_t)value);
        return L4_OK;
    case L4_THREAD_TIMESLICE:
        if (value < 1 || value > L4_TIMESLICE_MAX) {
            user_error("thread_configure: timeslice %lu outside 1..%d\n", value, L4_TIMESLICE_MAX);
            return L4_ERANGE;
        }
        t->timeslice = t->slice_left = (uint32_t)value;
        return L4_OK;
    case L4_THREAD_FAULT_EP:
        if (value != 0) {
            user_error("thread_configure: no endpoint %lu\n", value);
            return L4_ECAP;
        }
        return L4_OK;
    default:
        user_error("thread_configure: unknown field %lu\n", field);
        return L4_EINVAL;
    }
}

l4_err_t sys_thread_exregs(l4_tid_t tid, l4_word_t flags, l4_word_t ip, l4_word_t sp, l4_word_t arg,
                           l4_word_t *old_ip, l4_word_t *old_sp)
{
    struct tcb *t = lookup(tid, "thread_exregs");
    struct user_regs r;

    if (!t)
        return L4_ECAP;
    if (flags & ~(l4_word_t)L4_EXREGS_ALL) {
        user_error("thread_exregs: unknown flags %lx\n", flags);
        return L4_EINVAL;
    }
    if (((flags & L4_EXREGS_SET_IP) && ip >= USER_TOP) ||
        ((flags & L4_EXREGS_SET_SP) && sp >= USER_TOP)) {
        user_error("thread_exregs: ip %lx or sp %lx outside user space\n", ip, sp);
        return L4_ERANGE;
    }
    if (flags && t == sched_current()) {
        user_error("thread_exregs: cannot set the caller's own registers\n");
        return L4_ESTATE;
    }
    struct trap_frame *f = arch_frame_of(t->kstack);
    arch_frame_read(f, &r);
    *old_ip = r.ip;
    *old_sp = r.sp;
    if (flags & L4_EXREGS_SET_IP)
        r.ip = ip;
    if (flags & L4_EXREGS_SET_SP)
        r.sp = sp;
    if (flags & L4_EXREGS_SET_ARG)
        r.arg = arg;
    arch_frame_write(f, &r);
    return L4_OK;
}

l4_err_t sys_thread_start(l4_tid_t tid)
{
    struct tcb *t = lookup(tid, "thread_start");
    struct user_regs r;

    if (!t)
        return L4_ECAP;
    arch_frame_read(arch_frame_of(t->kstack), &r);
    if (t->state != THREAD_INACTIVE || r.ip == 0) {
        user_error("thread_start: thread %lx already started or has no ip\n", tid);
        return L4_ESTATE;
    }
    sched_make_ready(t);
    return L4_OK;
}

l4_err_t sys_thread_suspend(l4_tid_t tid)
{
    struct tcb *t = lookup(tid, "thread_suspend");

    if (!t)
        return L4_ECAP;
    if (t->suspended) {
        user_error("thread_suspend: thread %lx already suspended\n", tid);
        return L4_ESTATE;
    }
    t->suspended = true;
    sched_remove(t);
    if (t == sched_current())
        schedule(); // returns once somebody resumes us
    return L4_OK;
}

l4_err_t sys_thread_resume(l4_tid_t tid)
{
    struct tcb *t = lookup(tid, "thread_resume");

    if (!t)
        return L4_ECAP;
    if (!t->suspended) {
        user_error("thread_resume: thread %lx is not suspended\n", tid);
        return L4_ESTATE;
    }
    t->suspended = false;
    if (t->state == THREAD_READY)
        sched_make_ready(t);
    return L4_OK;
}

l4_err_t sys_thread_destroy(l4_tid_t tid)
{
    struct tcb *t = lookup(tid, "thread_destroy");

    if (!t)
        return L4_ECAP;
    thread_kill(t, -1);
    if (t == sched_current())
        schedule(); // does not return
    return L4_OK;
}

l4_err_t sys_thread_yield(void)
{
    sched_yield();
    return L4_OK;
}

l4_err_t sys_thread_id(l4_word_t *tid, l4_word_t *space, l4_word_t *prio)
{
    struct tcb *self = sched_current();

    *tid = self->id;
    *space = self->space->id;
    *prio = self->prio;
    return L4_OK;
}

l4_err_t sys_time(l4_word_t *ticks, l4_word_t *hz, l4_word_t *tsc)
{
    *ticks = sched_ticks();
    *hz = CONFIG_TIMER_HZ;
    *tsc = arch_timestamp();
    return L4_OK;
}

l4_err_t sys_space_create(l4_word_t *space)
{
    struct space *s = space_create();

    if (!s)
        return L4_ENOMEM;
    *space = s->id;
    return L4_OK;
}
