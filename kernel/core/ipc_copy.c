/* SPDX-License-Identifier: BSD-2-Clause */
/* Long, extended and capability-carrying messages: what goes beyond the four register words. */
#include "ipc_copy.h"

#include "arch.h"
#include "cap.h"
#include "container.h"
#include "printk.h"
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
        struct cap *k = cap_slot(self->cspace, slot);
        if (!k || k->type == L4_CAP_NULL)
            return L4_ECAP;
        if (!(k->rights & L4_RIGHT_GRANT))
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

/* Copy up to the receiver's room; returns false if anything was cut or failed. */
static bool copy_ext(struct tcb *from, struct tcb *to)
{
    l4_word_t src, n, dst, room, done = 0;
    char buf[CHUNK];
    bool whole = true;

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
    while (done < n) {
        size_t c = n - done < CHUNK ? n - done : CHUNK;
        if (copy_from_user(from->space, buf, src + done, c) ||
            copy_to_user(to->space, dst + done, buf, c)) {
            whole = false;
            break;
        }
        done += c;
    }
    copy_to_user(to->space, UTCB_FIELD(to, ext_received), &done, sizeof(done));
    return whole;
}

static bool move_cap(struct tcb *from, struct tcb *to)
{
    l4_word_t src, dst, moved = 0;

    if (!to->utcb || read_word(from, UTCB_FIELD(from, cap_send), &src) ||
        read_word(to, UTCB_FIELD(to, cap_recv), &dst))
        return false;
    containers_defer_unbinding(); // the IPC settles it (ipc_copy_settle) when it is whole
    moved = cap_grant(from->cspace, src, to->cspace, dst) == L4_OK;
    if (DEBUG_BUILD && moved)
        containers_check(); // as after every capability operation
    copy_to_user(to->space, UTCB_FIELD(to, cap_received), &moved, sizeof(moved));
    return moved;
}

void ipc_copy(struct tcb *from, struct tcb *to, struct ipc_msg *m)
{
    l4_word_t len = L4_TAG_LEN(m->tag);
    bool whole = true;

    if (len > L4_MSG_REGS && !copy_words(from, to, len)) {
        m->tag = (m->tag & ~L4_TAG_LEN_MASK) | L4_MSG_REGS;
        whole = false;
    }
    if ((m->tag & L4_IPC_EXT) && !copy_ext(from, to))
        whole = false;
    if ((m->tag & L4_IPC_CAP) && !move_cap(from, to))
        whole = false;
    if (!whole)
        m->tag |= L4_IPC_TRUNC;
}

void ipc_copy_settle(void)
{
    containers_settle_unbinding();
}
