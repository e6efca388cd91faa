/* SPDX-License-Identifier: BSD-2-Clause */
/* Long, extended and capability-carrying messages: what goes beyond the four register words. */
#include "ipc_copy.h"

#include "arch.h"
#include "cap.h"
#include "container.h"
#include "endpoint.h"
#include "printk.h"
#include "sched.h"
#include "space.h"
#include "string.h"
#include "thread.h"
#include "thread_regs.h"

#include <coffer/ipc.h>
#include <coffer/regs.h>

#define UTCB_FIELD(t, field) ((t)->utcb + __builtin_offsetof(struct l4_utcb, field))
#define CHUNK                256

static l4_err_t read_word(struct tcb *t, vaddr_t va, l4_word_t *w)
{
    return copy_from_user(t->space, w, va, sizeof(*w));
}

l4_err_t ipc_check_send(struct tcb *self, l4_word_t tag, bool may_transfer, bool is_reply)
{
    l4_word_t len = L4_TAG_LEN(tag), addr, n, slot;
    l4_word_t scratch[8];

    if (tag & L4_TAG_FLAGS_MASK & ~(L4_IPC_NONBLOCK | L4_IPC_CAP | L4_IPC_EXT))
        return L4_EINVAL;
    if ((tag & L4_IPC_CAP) && is_reply)
        return L4_EINVAL;
    if ((len > L4_MSG_REGS || (tag & (L4_IPC_CAP | L4_IPC_EXT))) && !self->utcb)
        return L4_EFAULT; // no UTCB to take the rest from
    if (len > L4_MSG_REGS &&
        copy_from_user(self->space, scratch, UTCB_FIELD(self, mr[len - 1]), sizeof(l4_word_t)))
        return L4_EFAULT;
    if (tag & L4_IPC_EXT) {
        if (read_word(self, UTCB_FIELD(self, ext_send), &addr) ||
            read_word(self, UTCB_FIELD(self, ext_send_len), &n))
            return L4_EFAULT;
        if (n > L4_EXT_MAX)
            return L4_ERANGE;
        for (l4_word_t off = 0; off < n; off += sizeof(scratch)) // readable, all of it
            if (copy_from_user(self->space, scratch, addr + off,
                               n - off < sizeof(scratch) ? n - off : sizeof(scratch)))
                return L4_EFAULT;
    }
    if (tag & L4_IPC_CAP) {
        if (!may_transfer)
            return L4_ERIGHTS;
        if (read_word(self, UTCB_FIELD(self, cap_send), &slot))
            return L4_EFAULT;
        struct cap *k = cap_slot(self->cspace, slot & ~L4_GRANT_IMMUTABLE);
        if (!k || k->type == L4_CAP_NULL)
            return L4_ECAP;
        if (!(k->rights & L4_RIGHT_GRANT) || cap_immutable(k))
            return L4_ERIGHTS;
    }
    return L4_OK;
}

/* A foreign system call's words 4.. are the caller's registers (kernel/core/foreign.c). */
static bool words_of(struct tcb *from, l4_word_t *words, size_t bytes)
{
    struct l4_regs r;

    if (!from->in_foreign)
        return !copy_from_user(from->space, words, UTCB_FIELD(from, mr[L4_MSG_REGS]), bytes);
    DEBUG_ASSERT(bytes == (L4_REGS_WORDS - L4_MSG_REGS) * sizeof(l4_word_t));
    thread_get_regs(from, &r);
    memcpy(words, (l4_word_t *)&r + L4_MSG_REGS, bytes);
    return true;
}

static bool copy_words(struct tcb *from, struct tcb *to, l4_word_t len)
{
    l4_word_t words[L4_MSG_MAX];
    size_t bytes = (len - L4_MSG_REGS) * sizeof(l4_word_t);

    return to->utcb && words_of(from, words, bytes) &&
           !copy_to_user(to->space, UTCB_FIELD(to, mr[L4_MSG_REGS]), words, bytes);
}

/*
 * The receiver's buffer: a page that is not mapped for writing is faulted in through the
 * receiver's own pager, in the receiver's own context, when the receiver may fault there: it
 * has a fault endpoint, is not already asking it for a page of its buffer (one level deep),
 * the address is a user one (its pager never hears of anything else), and no device memory
 * is mapped there: the kernel never copies to or from a device page, so no answer of the
 * pager could let the copy go on (a pager that resumes would be asked forever), and a fault
 * message would call a mapped page not present. The sender's
 * pages were faulted in by the sender before it sent (ipc_fault_in_send); one gone since
 * cuts the message.
 */
static bool may_fault(const struct tcb *t, vaddr_t addr)
{
    return t->fault_ep && !t->ext_faulting && addr < USER_TOP && !space_device_page(t->space, addr);
}

/*
 * Copy from's extended buffer into to's from *done on, up to to's room, a chunk at a time;
 * no chunk crosses a page of to's buffer. Returns true when all of it is there. Otherwise
 * *missing is the address in to's buffer of the page that was not mapped for writing, or 0
 * if nothing more can come (the room or the sender's buffer ended).
 */
static bool copy_ext(struct tcb *from, struct tcb *to, l4_word_t *done, vaddr_t *missing)
{
    l4_word_t src, n, dst, room;
    char buf[CHUNK];
    bool whole = true;

    *missing = 0;
    if (!to->utcb || read_word(from, UTCB_FIELD(from, ext_send), &src) ||
        read_word(from, UTCB_FIELD(from, ext_send_len), &n) ||
        read_word(to, UTCB_FIELD(to, ext_recv), &dst) ||
        read_word(to, UTCB_FIELD(to, ext_recv_len), &room))
        return false;
    if (n > L4_EXT_MAX) // checked at send time, but the sender's other threads can change it
        n = L4_EXT_MAX;
    if (n > room) {
        n = room;
        whole = false;
    }
    while (*done < n) {
        size_t c = n - *done < CHUNK ? n - *done : CHUNK, in_page;
        in_page = PAGE_SIZE - ((dst + *done) & (PAGE_SIZE - 1));
        c = c < in_page ? c : in_page;
        if (copy_from_user(from->space, buf, src + *done, c)) {
            user_error("ipc: extended message of thread %lx: its buffer at %lx is no longer "
                       "readable: %lu of %lu bytes copied\n",
                       from->id, src + *done, *done, n);
            return false;
        }
        if (copy_to_user(to->space, dst + *done, buf, c)) {
            *missing = dst + *done;
            return false;
        }
        *done += c;
    }
    return whole;
}

static void ext_received(struct tcb *to, l4_word_t done)
{
    if (to->utcb)
        copy_to_user(to->space, UTCB_FIELD(to, ext_received), &done, sizeof(done));
}

/* Why to's page at missing is not faulted in (debug builds say it). */
static void report_cut(const struct tcb *to, vaddr_t missing, l4_word_t done, bool may_wait)
{
    const char *why = !to->fault_ep         ? "it has no pager"
                      : missing >= USER_TOP ? "that is not a user address"
                      : to->ext_faulting    ? "it is asking its pager for another page already"
                      : space_device_page(to->space, missing) ? "it is device memory"
                      : !may_wait ? "the sender does not wait for its pager (L4_IPC_NONBLOCK)"
                                  : "?";

    user_error("ipc: extended message to thread %lx: its buffer at %lx is not mapped for "
               "writing, and %s: %lu bytes copied\n",
               to->id, missing, why, done);
}

/* t's page at va, for writing or reading, from its pager; true once it resumed t. */
static bool ask_pager(struct tcb *t, vaddr_t va, bool write)
{
    DEBUG_ASSERT(!t->ext_faulting); // one level deep: may_fault said so
    t->ext_faulting = true;         // no copy of the pager's answer is left to t (one level deep)
    bool resumed = thread_page_fault_ipc(t, va, write);
    t->ext_faulting = false;
    return resumed;
}

l4_err_t ipc_fault_in_send(struct tcb *self, l4_word_t tag)
{
    l4_word_t addr, n;

    if (!(tag & L4_IPC_EXT) || !self->utcb || read_word(self, UTCB_FIELD(self, ext_send), &addr) ||
        read_word(self, UTCB_FIELD(self, ext_send_len), &n) || n > L4_EXT_MAX || addr + n < addr)
        return L4_OK; // ipc_check_send says what is wrong
    for (vaddr_t va = addr; va < addr + n; va = (va | (PAGE_SIZE - 1)) + 1)
        while (!space_kaddr(self->space, va, MAP_READ)) {
            if (!may_fault(self, va)) {
                user_error("ipc: extended buffer at %lx is not readable and %s\n", va,
                           !self->fault_ep      ? "the thread has no pager"
                           : va >= USER_TOP     ? "it is not a user address"
                           : self->ext_faulting ? "the thread is asking its pager already"
                                                : "it is device memory");
                return L4_EFAULT;
            }
            if (!ask_pager(self, va, false)) {
                user_error("ipc: extended buffer at %lx is not readable, and the pager did not "
                           "resume the thread\n",
                           va);
                return L4_EFAULT;
            }
        }
    return L4_OK;
}

void ipc_copy_finish(struct tcb *self)
{
    struct ipc_msg got = self->msg; // what it received: its fault calls overwrite msg
    l4_err_t result = self->ipc_result;
    vaddr_t missing = 0;
    bool whole = false;

    if (self->ext_faulting)
        return; // asking its pager for a page of this copy: the copy goes on after that
    DEBUG_ASSERT(self == sched_current() && self->ext_from);
    while (self->ext_from) {
        whole = copy_ext(self->ext_from, self, &self->ext_done, &missing);
        if (whole || !missing)
            break;
        if (!may_fault(self, missing)) {
            report_cut(self, missing, self->ext_done, true);
            break;
        }
        if (!ask_pager(self, missing, true)) {
            user_error("ipc: extended message: the pager did not resume the thread for its "
                       "buffer at %lx: %lu bytes copied\n",
                       missing, self->ext_done);
            break;
        }
    }
    if (!self->ext_from && !whole)
        user_error("ipc: extended message: the sender went before all of it was copied: %lu "
                   "bytes copied\n",
                   self->ext_done);
    ext_received(self, self->ext_done);
    ipc_copy_drop(self, L4_OK); // the sender goes on
    self->msg = got;
    if (!whole)
        self->msg.tag |= L4_IPC_TRUNC;
    self->ipc_result = result;
}

void ipc_copy_drop(struct tcb *t, l4_err_t result)
{
    struct tcb *from = t->ext_from, *to = t->ext_to;

    if (to) { // the receiver finds nobody to copy from: its message is cut
        DEBUG_ASSERT(to->ext_from == t);
        to->ext_from = NULL;
        t->ext_to = NULL;
    }
    if (from) { // its sender waits no longer (a call waits on, for the reply)
        DEBUG_ASSERT(from->ext_to == t);
        from->ext_to = NULL;
        t->ext_from = NULL;
        if (from->ipc_wait == IPC_EXT_COPY)
            ipc_wake(from, result);
    }
}

static bool move_cap(struct tcb *from, struct tcb *to)
{
    l4_word_t src, dst, moved = 0;

    if (!to->utcb || read_word(from, UTCB_FIELD(from, cap_send), &src) ||
        read_word(to, UTCB_FIELD(to, cap_recv), &dst))
        return false;
    containers_defer_unbinding(); // the IPC settles it (ipc_copy_settle) when it is whole
    struct captable *from_t = from->cspace, *to_t = to->cspace;
    l4_word_t slot = src & ~L4_GRANT_IMMUTABLE;
    moved = (src & L4_GRANT_IMMUTABLE ? cap_grant_immutable(from_t, slot, to_t, dst)
                                      : cap_grant(from_t, slot, to_t, dst)) == L4_OK;
    if (DEBUG_BUILD && moved && containers_check_each_call)
        containers_check(); // as after every capability operation
    copy_to_user(to->space, UTCB_FIELD(to, cap_received), &moved, sizeof(moved));
    return moved;
}

bool ipc_copy(struct tcb *from, struct tcb *to, struct ipc_msg *m, bool may_wait)
{
    l4_word_t len = L4_TAG_LEN(m->tag), done = 0;
    bool whole = true, left = false;
    vaddr_t missing;

    if (len > L4_MSG_REGS && !copy_words(from, to, len)) {
        m->tag = (m->tag & ~L4_TAG_LEN_MASK) | L4_MSG_REGS;
        whole = false;
    }
    if ((m->tag & L4_IPC_EXT) && !copy_ext(from, to, &done, &missing)) {
        left = missing && may_wait && may_fault(to, missing);
        if (left) { // the receiver asks its pager and copies the rest itself
            DEBUG_ASSERT(!to->ext_from && !from->ext_to);
            to->ext_from = from;
            from->ext_to = to;
            to->ext_done = done;
        } else {
            if (missing)
                report_cut(to, missing, done, may_wait);
            whole = false;
        }
    }
    if ((m->tag & L4_IPC_EXT) && !left)
        ext_received(to, done);
    if ((m->tag & L4_IPC_CAP) && !move_cap(from, to))
        whole = false;
    if (!whole)
        m->tag |= L4_IPC_TRUNC;
    return left;
}

void ipc_copy_settle(void)
{
    containers_settle_unbinding();
}
