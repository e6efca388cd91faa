/* SPDX-License-Identifier: BSD-2-Clause */
/* Register system calls: a thread's whole register set, and the caller's own TLS bases. */
#include "caller.h"
#include "space.h"
#include "sys_handlers.h"
#include "thread_regs.h"

#include <coffer/thread.h>

/* The registers to write, copied in and checked: nothing has changed yet when this fails. */
static l4_err_t regs_in(const struct tcb *t, l4_word_t in, struct l4_regs *r)
{
    l4_err_t err;

    if (t == caller()) { // its own frame is this call's: it would return from it, not from r
        user_error("thread_regs: cannot set the caller's own registers\n");
        return L4_ESTATE;
    }
    if (copy_from_user(caller()->space, r, in, sizeof(*r))) {
        user_error("thread_regs: in %lx is not %zu readable bytes\n", in, sizeof(*r));
        return L4_EFAULT;
    }
    if ((err = thread_regs_check(r)))
        user_error("thread_regs: ip %lx, sp %lx or a TLS base outside user space, or flags user "
                   "code may not set\n",
                   L4_REGS_IP(r), L4_REGS_SP(r));
    return err;
}

l4_err_t sys_thread_regs(l4_cap_t thread, l4_word_t flags, l4_word_t in, l4_word_t out)
{
    struct tcb *t;
    struct l4_regs now, next;
    l4_err_t err;

    if (!flags || (flags & ~(l4_word_t)L4_REGS_ALL)) {
        user_error("thread_regs: flags %lx: want L4_REGS_GET, L4_REGS_SET or both\n", flags);
        return L4_EINVAL;
    }
    uint32_t need =
        (flags & L4_REGS_GET ? L4_THR_READ : 0) | (flags & L4_REGS_SET ? L4_THR_WRITE : 0);
    if ((err = caller_thread("thread_regs", thread, need, &t)))
        return err;
    if (t->state == THREAD_DEAD) { // kept for its exit code: it has no registers any more
        user_error("thread_regs: thread %lx has ended\n", t->id);
        return L4_ESTATE;
    }
    if ((flags & L4_REGS_SET) && (err = regs_in(t, in, &next)))
        return err;
    if (flags & L4_REGS_GET) {
        thread_get_regs(t, &now);
        if (copy_to_user(caller()->space, out, &now, sizeof(now))) {
            user_error("thread_regs: out %lx is not %zu writable bytes\n", out, sizeof(now));
            return L4_EFAULT; // before the write: a refused call changes no thread
        }
    }
    if (flags & L4_REGS_SET)
        thread_set_regs(t, &next);
    return L4_OK;
}

l4_err_t sys_thread_tls(l4_word_t which, l4_word_t value, l4_word_t *old)
{
    unsigned base = (unsigned)(which & ~(l4_word_t)L4_TLS_SET);

    if ((which & ~(l4_word_t)L4_TLS_SET) >= L4_TLS_COUNT) {
        user_error("thread_tls: which %lx is not a TLS base (0 .. %u, <coffer/tls.h>), with or "
                   "without L4_TLS_SET\n",
                   which, L4_TLS_COUNT - 1);
        return L4_EINVAL;
    }
    if ((which & L4_TLS_SET) && value >= USER_TOP) {
        user_error("thread_tls: base %lx outside user space\n", value);
        return L4_ERANGE;
    }
    *old = arch_tls_get(base);
    if (which & L4_TLS_SET)
        thread_set_tls(caller(), base, value);
    return L4_OK;
}
