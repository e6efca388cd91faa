/* SPDX-License-Identifier: BSD-2-Clause */
/* Foreign system calls: a thread's SYSCALL delivered to its fault handler with all its registers. */
#include "foreign.h"

#include "endpoint.h"
#include "printk.h"
#include "space.h"
#include "thread_regs.h"

#include <coffer/error.h>
#include <coffer/ipc.h>
#include <coffer/regs.h>

_Static_assert(L4_REGS_WORDS > L4_MSG_REGS && L4_REGS_WORDS <= L4_MSG_MAX,
               "a foreign system call message is a whole struct l4_regs, in one message");

/*
 * The mode means nothing without a handler: the call is not made, and the thread learns
 * so as it would of a number the kernel does not know.
 */
static void no_handler(struct tcb *t, struct trap_frame *f)
{
    user_error("foreign system call %lu: thread %lx has no fault endpoint\n", arch_syscall_nr(f),
               t->id);
    arch_syscall_set_err(f, L4_ENOSYS);
}

/* The call is over: go on with the registers a resume wrote, or stop (number nr). */
static void finish(struct tcb *t, struct trap_frame *f, l4_err_t err, l4_word_t nr)
{
    t->in_foreign = false;
    if (err == L4_OK && L4_TAG_LABEL(t->msg.tag) == L4_SYSCALL_RESUME)
        return;
    thread_stop_unhandled(f, VEC_SYSCALL, nr, 0); // told to stop, or the handler is gone
}

/*
 * The thread calls its fault endpoint as if by ipc_call. Words 4.. of the message are not
 * in its UTCB but in its frame: ipc_copy takes them from there while in_foreign is set,
 * which also tells a reply where its registers go (foreign_reply). The handler's reply has
 * already written the frame when a resume comes back here.
 */
void foreign_syscall(struct trap_frame *f)
{
    struct tcb *t = sched_current();
    struct l4_regs r;

    if (!t->fault_ep) {
        no_handler(t, f);
        return;
    }
    thread_get_regs(t, &r); // f is its frame: with its TLS bases
    const l4_word_t *w = (const l4_word_t *)&r, nr = arch_syscall_nr(f);
    struct ipc_msg m = {
        L4_TAG(L4_LABEL_SYSCALL, L4_REGS_WORDS, 0), {w[0], w[1], w[2], w[3]}, t->fault_badge};
    t->in_foreign = true;
    l4_err_t err = endpoint_send(t->fault_ep, &m, true, false);
    finish(t, f, err, nr);
}

void foreign_resume(struct tcb *t)
{
    struct trap_frame *f = arch_frame_of(t->kstack);

    finish(t, f, t->ipc_result, arch_syscall_nr(f)); // no resume wrote the frame: the number
    sched_preempt_point();
    arch_return_from(f);
}

/* The resume reply's registers: words 0..3 in m, 4..19 in the replier's UTCB. */
static bool reply_regs(struct tcb *self, struct tcb *c, const struct ipc_msg *m, struct l4_regs *r)
{
    l4_word_t *w = (l4_word_t *)r;

    if (L4_TAG_LEN(m->tag) != L4_REGS_WORDS) {
        user_error("ipc_reply: a foreign system call's resume takes %lu words, not %lu: thread "
                   "%lx stops\n",
                   (l4_word_t)L4_REGS_WORDS, (l4_word_t)L4_TAG_LEN(m->tag), c->id);
        return false;
    }
    for (unsigned i = 0; i < L4_MSG_REGS; i++)
        w[i] = m->w[i];
    if (copy_from_user(self->space, w + L4_MSG_REGS,
                       self->utcb + __builtin_offsetof(struct l4_utcb, mr[L4_MSG_REGS]),
                       (L4_REGS_WORDS - L4_MSG_REGS) * sizeof(l4_word_t))) {
        user_error("ipc_reply: the registers in UTCB %lx cannot be read: thread %lx stops\n",
                   self->utcb, c->id);
        return false;
    }
    return true;
}

/* Out of line: inlined into ipc_reply, its registers cost every reply 2 instructions. */
__attribute__((noinline)) void foreign_reply(struct tcb *c, struct ipc_msg *m)
{
    struct tcb *self = sched_current();
    struct l4_regs r;

    DEBUG_ASSERT(c->in_foreign && c->state == THREAD_BLOCKED);
    if (L4_TAG_LABEL(m->tag) != L4_SYSCALL_RESUME)
        return; // the thread stops itself when it sees the label
    if (!reply_regs(self, c, m, &r)) {
        m->tag = L4_TAG(L4_SYSCALL_STOP, 0, 0);
        return;
    }
    if (thread_regs_check(&r)) {
        user_error("ipc_reply: ip %lx, sp %lx, the flags or a TLS base not the thread's to take: "
                   "thread %lx stops\n",
                   L4_REGS_IP(&r), L4_REGS_SP(&r), c->id);
        m->tag = L4_TAG(L4_SYSCALL_STOP, 0, 0);
        return;
    }
    foreign_resume_regs(c, &r);
}
