/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC system calls: endpoints (send, receive, call, reply) and notifications. */
#include "caller.h"
#include "endpoint.h"
#include "ipc_copy.h"
#include "notification.h"
#include "sys_handlers.h"

#include <coffer/ipc.h>

/* The pool capability (of kind) paying for a new object whose capability goes to dest. */
static l4_err_t pool_and_dest(const char *call, l4_cap_t pool, unsigned kind, l4_cap_t dest,
                              struct cap **p)
{
    l4_err_t err = caller_pool(call, pool, kind, p);

    return err ? err : caller_empty_slot(call, dest);
}

l4_err_t sys_endpoint_create(l4_cap_t pool, l4_cap_t dest, l4_word_t *id)
{
    struct endpoint *ep;
    struct cap *p;
    l4_err_t err = pool_and_dest("endpoint_create", pool, L4_POOL_ENDPOINTS, dest, &p);

    if (err || (err = endpoint_create(caller_container(), p, &ep)))
        return err;
    ASSERT(!cap_insert(caller_table(), dest, L4_CAP_ENDPOINT, L4_EP_RIGHTS_ALL, ep, 0, 0));
    *id = ep->id;
    return checked(L4_OK);
}

l4_err_t sys_notification_create(l4_cap_t pool, l4_cap_t dest, l4_word_t *id)
{
    struct notification *n;
    struct cap *p;
    l4_err_t err = pool_and_dest("notification_create", pool, L4_POOL_NOTIFICATIONS, dest, &p);

    if (err || (err = notification_create(caller_container(), p, &n)))
        return err;
    ASSERT(!cap_insert(caller_table(), dest, L4_CAP_NOTIFICATION, L4_NTF_RIGHTS_ALL, n, 0, 0));
    *id = n->id;
    return checked(L4_OK);
}

/* The common short message needs no look at the UTCB. */
static inline l4_err_t check_send(l4_word_t tag, bool may_transfer, bool is_reply)
{
    if (!(tag & L4_TAG_FLAGS_MASK & ~L4_IPC_NONBLOCK) && L4_TAG_LEN(tag) <= L4_MSG_REGS)
        return L4_OK;
    return ipc_check_send(caller(), tag, may_transfer, is_reply);
}

static l4_err_t endpoint_cap(const char *call, l4_cap_t slot, uint32_t right, struct cap **out)
{
    return caller_cap(call, slot, L4_CAP_ENDPOINT, right, out);
}

/* Hand the message this thread received (or its reply) back as results. */
static void take(l4_word_t *tag, l4_word_t *m0, l4_word_t *m1, l4_word_t *m2, l4_word_t *m3,
                 l4_word_t *badge)
{
    const struct ipc_msg *m = &caller()->msg;

    *tag = m->tag;
    *m0 = m->w[0];
    *m1 = m->w[1];
    *m2 = m->w[2];
    *m3 = m->w[3];
    *badge = m->badge;
}

/* Its extended buffer's pages that are not mapped: first, as nothing looked up is kept
 * across the page faults its pager serves (ipc_fault_in_send). */
static inline l4_err_t fault_in(l4_word_t tag)
{
    return unlikely(tag & L4_IPC_EXT) ? ipc_fault_in_send(caller(), tag) : L4_OK;
}

static inline l4_err_t send_to(const char *call, l4_cap_t ep, l4_word_t tag, const l4_word_t w[4],
                               bool is_call)
{
    struct cap *k;
    l4_err_t err;

    if ((err = endpoint_cap(call, ep, L4_EP_SEND, &k)) ||
        (err = check_send(tag, k->rights & L4_EP_TRANSFER, false)))
        return err;
    struct ipc_msg m = {tag & ~L4_IPC_NONBLOCK, {w[0], w[1], w[2], w[3]}, k->a};
    return endpoint_send(k->obj, &m, is_call, tag & L4_IPC_NONBLOCK);
}

/*
 * A message with an extended buffer: its pages first, then as any other. Out of line and
 * cold, so that the common message's path keeps nothing in registers across a call before
 * its lookups.
 */
static __attribute__((cold, noinline)) l4_err_t
send_ext(const char *call, l4_cap_t ep, l4_word_t tag, const l4_word_t w[4], bool is_call)
{
    l4_err_t err = fault_in(tag);

    return err ? err : send_to(call, ep, tag, w, is_call);
}

static l4_err_t send(const char *call, l4_cap_t ep, l4_word_t tag, const l4_word_t w[4],
                     bool is_call)
{
    return unlikely(tag & L4_IPC_EXT) ? send_ext(call, ep, tag, w, is_call)
                                      : send_to(call, ep, tag, w, is_call);
}

l4_err_t sys_ipc_send(l4_cap_t ep, l4_word_t tag, l4_word_t m0, l4_word_t m1, l4_word_t m2,
                      l4_word_t m3)
{
    l4_word_t w[4] = {m0, m1, m2, m3};

    return send("ipc_send", ep, tag, w, false);
}

l4_err_t sys_ipc_call(l4_cap_t ep, l4_word_t tag, l4_word_t m0, l4_word_t m1, l4_word_t m2,
                      l4_word_t m3, l4_word_t *out_tag, l4_word_t *out_m0, l4_word_t *out_m1,
                      l4_word_t *out_m2, l4_word_t *out_m3, l4_word_t *badge)
{
    l4_word_t w[4] = {m0, m1, m2, m3};
    l4_err_t err = send("ipc_call", ep, tag, w, true);

    if (!err)
        take(out_tag, out_m0, out_m1, out_m2, out_m3, badge);
    return err;
}

static l4_err_t recv(const char *call, l4_cap_t ep, bool nonblock, l4_word_t *tag, l4_word_t *m0,
                     l4_word_t *m1, l4_word_t *m2, l4_word_t *m3, l4_word_t *badge)
{
    struct cap *k;
    l4_err_t err = endpoint_cap(call, ep, L4_EP_RECV, &k);

    if (err || (err = endpoint_recv(k->obj, nonblock)))
        return err;
    take(tag, m0, m1, m2, m3, badge);
    return L4_OK;
}

l4_err_t sys_ipc_recv(l4_cap_t ep, l4_word_t flags, l4_word_t *tag, l4_word_t *m0, l4_word_t *m1,
                      l4_word_t *m2, l4_word_t *m3, l4_word_t *badge)
{
    if (flags & ~(l4_word_t)L4_IPC_NONBLOCK) {
        user_error("ipc_recv: flags %lx: only L4_IPC_NONBLOCK is known\n", flags);
        return L4_EINVAL;
    }
    return recv("ipc_recv", ep, flags != 0, tag, m0, m1, m2, m3, badge);
}

l4_err_t sys_ipc_reply(l4_word_t tag, l4_word_t m0, l4_word_t m1, l4_word_t m2, l4_word_t m3)
{
    l4_err_t err = fault_in(tag);

    if (err || (err = check_send(tag & ~L4_IPC_NONBLOCK, false, true)))
        return err;
    struct ipc_msg m = {tag & ~L4_IPC_NONBLOCK, {m0, m1, m2, m3}, 0};
    if (!caller()->caller) {
        user_error("ipc_reply: thread %lx owes no reply\n", caller()->id);
        return L4_ESTATE;
    }
    return ipc_reply(&m, tag & L4_IPC_NONBLOCK); // ESTATE: the caller ended before it took it
}

l4_err_t sys_ipc_reply_recv(l4_cap_t ep, l4_word_t tag, l4_word_t m0, l4_word_t m1, l4_word_t m2,
                            l4_word_t m3, l4_word_t *out_tag, l4_word_t *out_m0, l4_word_t *out_m1,
                            l4_word_t *out_m2, l4_word_t *out_m3, l4_word_t *badge)
{
    struct cap *k;
    l4_err_t err = fault_in(tag);

    if (err || (err = endpoint_cap("ipc_reply_recv", ep, L4_EP_RECV, &k)) ||
        (err = check_send(tag & ~L4_IPC_NONBLOCK, false, true)))
        return err;
    struct ipc_msg m = {tag & ~L4_IPC_NONBLOCK, {m0, m1, m2, m3}, 0};
    ipc_reply(&m, tag & L4_IPC_NONBLOCK); // nobody to answer (first round, or the caller died)
    /* recv looks the endpoint up again: the reply may have waited for the caller's pager */
    return recv("ipc_reply_recv", ep, false, out_tag, out_m0, out_m1, out_m2, out_m3, badge);
}

static l4_err_t notification_cap(const char *call, l4_cap_t slot, uint32_t right, struct cap **out)
{
    return caller_cap(call, slot, L4_CAP_NOTIFICATION, right, out);
}

l4_err_t sys_notify_signal(l4_cap_t ntf)
{
    struct cap *k;
    l4_err_t err = notification_cap("notify_signal", ntf, L4_NTF_SIGNAL, &k);

    if (!err)
        notification_signal(k->obj, k->a ? k->a : 1);
    return err;
}

l4_err_t sys_notify_wait(l4_cap_t ntf, l4_word_t *bits)
{
    struct cap *k;
    l4_err_t err = notification_cap("notify_wait", ntf, L4_NTF_WAIT, &k);

    return err ? err : notification_wait(k->obj, false, bits);
}

l4_err_t sys_notify_poll(l4_cap_t ntf, l4_word_t *bits)
{
    struct cap *k;
    l4_err_t err = notification_cap("notify_poll", ntf, L4_NTF_WAIT, &k);

    return err ? err : notification_wait(k->obj, true, bits);
}
