/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ATK-020..022: what a container keeps after the owner revokes what it lent it (found by
 * the review, fixed: such bindings now last only while the binder's container holds a
 * capability to make them). As it was:
 *
 * The owner lends the intruder a copy of its own space capability, a capability to a
 * second space it made, and one to an endpoint, then revokes (or destroys) every one.
 *  ATK-020: a thread the intruder bound to the owner's space goes on running there,
 *           reading and writing the owner's memory: binding took no capability the
 *           revoke could reach, and a space lives while a thread is bound to it.
 *  ATK-021: the second space, with every capability to it gone, stays alive (its space
 *           and page-table units stay in use in the owner's pools) for as long as the
 *           intruder's thread runs in it: the owner cannot get them back.
 *  ATK-022: a thread the intruder gave the lent endpoint as fault endpoint still sends its
 *           faults there after the revoke (tcb->fault_ep is a raw pointer).
 */
#include "atk.h"

/* owner's slots */
#define O_INTRUDER 16 /* the intruder's container: receive (system file) */
#define O_KICK     17 /* the intruder's notification: signal (system file) */
#define O_WAKE     18 /* our notification (system file) */
#define O_COPY     20
#define O_SPACE2   21
#define O_COPY2    22
#define O_EP       23
#define O_EPCOPY   24
/* intruder's slots */
#define I_KICK     17 /* the owner's notification: signal (system file) */
#define I_WAKE     18 /* our notification (system file) */
#define I_SPACE    30 /* the owner's space */
#define I_SPACE2   31 /* its second space */
#define I_EP       32 /* its endpoint */
#define I_SPY      33
#define I_LOOPER   34
#define I_FAULTER  35

static void wait_note(l4_cap_t ntf)
{
    l4_word_t bits;

    l4_notify_wait(ntf, &bits);
}

int role_owner(void)
{
    l4_cap_replicate(SPACE, O_COPY);
    l4_cap_grant(O_COPY, O_INTRUDER, I_SPACE);
    l4_space_create(POOL_SPC, POOL_PT, O_SPACE2, NULL);
    l4_cap_replicate(O_SPACE2, O_COPY2);
    l4_cap_grant(O_COPY2, O_INTRUDER, I_SPACE2);
    l4_endpoint_create(POOL_EP, O_EP, NULL);
    l4_cap_replicate(O_EP, O_EPCOPY);
    l4_cap_grant(O_EPCOPY, O_INTRUDER, I_EP);
    struct cap_info spc0 = cap_info(POOL_SPC), pt0 = cap_info(POOL_PT);
    printf("owner: lent a space, a second space and an endpoint; %lu spaces, %lu page tables\n",
           spc0.object, pt0.object);
    l4_notify_signal(O_KICK);
    wait_note(O_WAKE);

    for (unsigned i = 0; i < 2000 && spy_counter == 0; i++)
        l4_thread_yield();
    printf("owner: the intruder's thread runs in our space (counter %lu); revoking\n", spy_counter);
    l4_cap_revoke(SPACE);     // the copy we lent goes
    l4_cap_destroy(O_SPACE2); // a root: its descendants (the intruder's copy) go with it
    l4_cap_revoke(O_EP);      // the intruder's endpoint copy goes
    l4_word_t c1 = spy_counter;
    yield_n(100);
    l4_word_t c2 = spy_counter;
    test_report("ATK-020", c1 != 0 && c2 == c1,
                "a thread of the intruder still writes into our memory after we revoked the "
                "space capability it was bound through (counter %lu -> %lu)",
                c1, c2);
    struct cap_info spc1 = cap_info(POOL_SPC), pt1 = cap_info(POOL_PT);
    test_report("ATK-021", spc1.object == spc0.object - 1,
                "the space we destroyed every capability of still holds our units: %lu spaces "
                "and %lu page tables in use (%lu and %lu before)",
                spc1.object, pt1.object, spc0.object, pt0.object);
    l4_notify_signal(O_KICK); // the intruder's faulter faults now

    l4_word_t tag = 0, m[4] = {0}, badge = 0;
    l4_err_t err = L4_ETIMEOUT;
    for (unsigned i = 0; i < 300 && err == L4_ETIMEOUT; i++) {
        err = l4_ipc_recv(O_EP, L4_IPC_NONBLOCK, &tag, &m[0], &m[1], &m[2], &m[3], &badge);
        if (err == L4_ETIMEOUT)
            l4_thread_yield();
    }
    test_report("ATK-022", err == L4_ETIMEOUT,
                "received %s label %lx (address %lx) from the intruder's thread through an "
                "endpoint capability we revoked from it",
                l4_strerror(err), L4_TAG_LABEL(tag), m[1]);
    if (err == L4_OK)
        l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0); // not resumed: the thread stops
    l4_notify_signal(O_KICK);
    printf("owner: done\n");
    return 0;
}

static long faulter(l4_word_t arg)
{
    (void)arg;
    *(volatile int *)0xdead000 = 1;
    return 0;
}

int role_intruder(void)
{
    wait_note(I_WAKE);
    /* a stack page of our own memory in the owner's space, and spy() (the owner runs this
     * program too, so it is at the same address there) writing the owner's counter */
    l4_err_t a = l4_mem_map(MEM, 0, I_SPACE, STACK_VA, L4_MAP_READ | L4_MAP_WRITE);
    if (!a)
        a = start_at(POOL_THR, I_SPACE, (l4_word_t)spy, L4_ENTRY_SP(STACK_VA + 4096), 100, I_SPY);
    /* a yield loop in the second space */
    l4_word_t off = blob_yield_loop(1);
    l4_err_t b = l4_mem_map(MEM, off, I_SPACE2, BLOB_VA, L4_MAP_READ | L4_MAP_EXEC);
    if (!b)
        b = start_at(POOL_THR, I_SPACE2, BLOB_VA, 0, 100, I_LOOPER);
    /* a thread whose faults go to the lent endpoint; it starts once that is revoked */
    l4_err_t c = spawn(POOL_THR, SPACE, faulter, 0, 100, I_FAULTER, false);
    if (!c)
        c = l4_thread_configure(I_FAULTER, L4_THREAD_FAULT_EP, I_EP);
    printf("intruder: spy in the owner's space %s, looper in its second space %s, faulter %s\n",
           l4_strerror(a), l4_strerror(b), l4_strerror(c));
    l4_notify_signal(I_KICK);
    wait_note(I_WAKE);
    printf("intruder: our copies are gone: %s %s %s; starting the faulter\n",
           slot_empty(I_SPACE) ? "yes" : "no", slot_empty(I_SPACE2) ? "yes" : "no",
           slot_empty(I_EP) ? "yes" : "no");
    l4_thread_start(I_FAULTER);
    wait_note(I_WAKE);
    l4_thread_destroy(I_SPY);
    l4_thread_destroy(I_LOOPER);
    l4_thread_destroy(I_FAULTER);
    printf("intruder: done\n");
    return 0;
}
