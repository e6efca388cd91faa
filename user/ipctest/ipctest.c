/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC conformance: IPC-xxx, one test per documented error of the endpoint and notification calls. */
#include "ntfspace.h"
#include "test.h"
#include "tp.h"

#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/regs.h>
#include <coffer/thread.h>

/* Slots from tests/qemu/systems/ipctest.toml */
#define ECHO      16 /* server.echo, send, badge 7 */
#define ECHO9     17 /* server.echo, send, badge 9 */
#define ECHO_RECV 18 /* server.echo, receive only */
/* Slots this program fills */
#define OWN_EP    20 /* an endpoint of its own: all rights */
#define OWN_NTF   21
#define WEAK      22 /* scratch: weakened copies */
#define SPARE     23
#define HELPER    24 /* a helper thread */
#define EP2       25
#define FAULTY    26
#define EMPTY     63
#define POOL_EP   L4_SLOT_POOL(L4_POOL_ENDPOINTS)
#define POOL_NTF  L4_SLOT_POOL(L4_POOL_NOTIFICATIONS)
#define POOL_THR  L4_SLOT_POOL(L4_POOL_THREADS)

struct msg {
    l4_word_t tag, m[4], badge;
};

static struct msg call(l4_cap_t ep, l4_word_t tag, l4_word_t a, l4_word_t b, l4_err_t *err)
{
    struct msg r = {0};

    *err = l4_ipc_call(ep, tag, a, b, 0, 0, &r.tag, &r.m[0], &r.m[1], &r.m[2], &r.m[3], &r.badge);
    return r;
}

/* A copy of src in dest with only rights (and the badge it had). */
static void weaker(l4_cap_t src, l4_cap_t dest, l4_word_t rights)
{
    struct l4_cap_info i = {0};

    l4_cap_read(src, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth);
    l4_cap_replicate(src, dest);
    l4_cap_deduce(dest, rights, i.a, 0);
}

static void creation(void)
{
    l4_word_t id;

    EXPECT_ERR("IPC-001", l4_endpoint_create(POOL_NTF, SPARE, &id), L4_ECAP);
    l4_cap_split(POOL_EP, WEAK, 1);
    l4_cap_deduce(WEAK, L4_RIGHTS_CAP, L4_POOL_ENDPOINTS, 1);
    EXPECT_ERR("IPC-002", l4_endpoint_create(WEAK, SPARE, &id), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("IPC-003", l4_endpoint_create(POOL_EP, ECHO, &id), L4_EBUSY);
    EXPECT_ERR("IPC-004", l4_endpoint_create(POOL_EP, 100000, &id), L4_ECAP);
    unsigned n = 0;
    while (l4_endpoint_create(POOL_EP, 30 + n, &id) == L4_OK && n < 10)
        n++;
    EXPECT_ERR("IPC-005", l4_endpoint_create(POOL_EP, SPARE, &id), L4_ENOMEM);
    for (unsigned i = 0; i < n; i++)
        l4_cap_destroy(30 + i); // the last capability destroys the endpoint
    test_report("IPC-006", n == 4 && l4_endpoint_create(POOL_EP, OWN_EP, &id) == L4_OK,
                "made %u endpoints, then none after destroying them", n);

    EXPECT_ERR("IPC-007", l4_notification_create(POOL_EP, SPARE, &id), L4_ECAP);
    l4_cap_split(POOL_NTF, WEAK, 1);
    l4_cap_deduce(WEAK, L4_RIGHTS_CAP, L4_POOL_NOTIFICATIONS, 1);
    EXPECT_ERR("IPC-008", l4_notification_create(WEAK, SPARE, &id), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("IPC-009", l4_notification_create(POOL_NTF, ECHO, &id), L4_EBUSY);
    n = 0;
    while (l4_notification_create(POOL_NTF, 30 + n, &id) == L4_OK && n < 10)
        n++;
    EXPECT_ERR("IPC-010", l4_notification_create(POOL_NTF, SPARE, &id), L4_ENOMEM);
    for (unsigned i = 0; i < n; i++)
        l4_cap_destroy(30 + i);
    EXPECT_ERR("IPC-011", l4_notification_create(POOL_NTF, OWN_NTF, &id), L4_OK);
}

static void send_errors(void)
{
    EXPECT_ERR("IPC-012", l4_ipc_send(OWN_NTF, L4_TAG(1, 0, 0), 0, 0, 0, 0), L4_ECAP);
    EXPECT_ERR("IPC-013", l4_ipc_send(ECHO_RECV, L4_TAG(1, 0, 0), 0, 0, 0, 0), L4_ERIGHTS);
    EXPECT_ERR("IPC-014", l4_ipc_send(ECHO, L4_TAG(1, 0, 1u << 10), 0, 0, 0, 0), L4_EINVAL);
    EXPECT_ERR("IPC-015", l4_ipc_send(ECHO, L4_TAG(1, 0, L4_IPC_CAP), 0, 0, 0, 0), L4_ERIGHTS);
    EXPECT_ERR("IPC-016", l4_ipc_send(OWN_EP, L4_TAG(1, 0, L4_IPC_NONBLOCK), 0, 0, 0, 0),
               L4_ETIMEOUT);
    /* a plain send: the server takes it and answers nobody */
    EXPECT_ERR("IPC-017", l4_ipc_send(ECHO, L4_TAG(3, 1, 0), 5, 0, 0, 0), L4_OK);
}

static void recv_errors(void)
{
    l4_word_t x;

    EXPECT_ERR("IPC-018", l4_ipc_recv(L4_SLOT_SPACE, 0, &x, &x, &x, &x, &x, &x), L4_ECAP);
    EXPECT_ERR("IPC-019", l4_ipc_recv(ECHO, 0, &x, &x, &x, &x, &x, &x), L4_ERIGHTS);
    EXPECT_ERR("IPC-020", l4_ipc_recv(OWN_EP, 1, &x, &x, &x, &x, &x, &x), L4_EINVAL);
    EXPECT_ERR("IPC-021", l4_ipc_recv(OWN_EP, L4_IPC_NONBLOCK, &x, &x, &x, &x, &x, &x),
               L4_ETIMEOUT);
}

/* Receives one call on OWN_EP and ends without replying. */
static long take_and_leave(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    l4_ipc_recv(OWN_EP, 0, &x, &x, &x, &x, &x, &x);
    return 0;
}

static void call_errors(void)
{
    l4_err_t err;

    call(EMPTY, L4_TAG(1, 0, 0), 0, 0, &err);
    test_report("IPC-022", err == L4_ECAP, "%s", l4_strerror(err));
    call(ECHO_RECV, L4_TAG(1, 0, 0), 0, 0, &err);
    test_report("IPC-023", err == L4_ERIGHTS, "%s", l4_strerror(err));
    call(ECHO, L4_TAG(1, 0, 1u << 12), 0, 0, &err);
    test_report("IPC-024", err == L4_EINVAL, "%s", l4_strerror(err));
    call(OWN_EP, L4_TAG(1, 0, L4_IPC_NONBLOCK), 0, 0, &err);
    test_report("IPC-025", err == L4_ETIMEOUT, "%s", l4_strerror(err));
    l4_thread_spawn(take_and_leave, 0, 90, HELPER); // lower: runs once we block
    call(OWN_EP, L4_TAG(1, 0, 0), 0, 0, &err);
    test_report("IPC-026", err == L4_ESTATE, "call to a receiver that ended: %s", l4_strerror(err));
    struct msg r = call(ECHO, L4_TAG(1, 2, 0), 41, 99, &err);
    test_report("IPC-027",
                err == L4_OK && r.m[0] == 42 && r.m[1] == 100 && r.m[3] == 7 &&
                    L4_TAG_LABEL(r.tag) == 1 && r.badge == 0,
                "%s: %lu %lu, server saw badge %lu, reply badge %lu", l4_strerror(err), r.m[0],
                r.m[1], r.m[3], r.badge);
    r = call(ECHO9, L4_TAG(1, 2, 0), 1, 2, &err);
    test_report("IPC-028", err == L4_OK && r.m[3] == 9, "server saw badge %lu", r.m[3]);
}

static void reply_errors(void)
{
    l4_word_t x;

    EXPECT_ERR("IPC-029", l4_ipc_reply(L4_TAG(0, 0, L4_IPC_CAP), 0, 0, 0, 0), L4_EINVAL);
    EXPECT_ERR("IPC-030", l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0), L4_ESTATE);
    EXPECT_ERR("IPC-031", l4_ipc_reply_recv(OWN_NTF, 0, 0, 0, 0, 0, &x, &x, &x, &x, &x, &x),
               L4_ECAP);
    EXPECT_ERR("IPC-032", l4_ipc_reply_recv(ECHO, 0, 0, 0, 0, 0, &x, &x, &x, &x, &x, &x),
               L4_ERIGHTS);
    EXPECT_ERR("IPC-033",
               l4_ipc_reply_recv(OWN_EP, L4_TAG(0, 0, 1u << 9), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x),
               L4_EINVAL);
}

static long signal_later(l4_word_t arg)
{
    l4_thread_yield();
    return l4_notify_signal((l4_cap_t)arg);
}

static void notifications(void)
{
    l4_word_t bits = 0;

    EXPECT_ERR("IPC-034", l4_notify_signal(OWN_EP), L4_ECAP);
    weaker(OWN_NTF, WEAK, L4_RIGHTS_CAP | L4_NTF_WAIT);
    EXPECT_ERR("IPC-035", l4_notify_signal(WEAK), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("IPC-036", l4_notify_wait(OWN_EP, &bits), L4_ECAP);
    weaker(OWN_NTF, WEAK, L4_RIGHTS_CAP | L4_NTF_SIGNAL);
    EXPECT_ERR("IPC-037", l4_notify_wait(WEAK, &bits), L4_ERIGHTS);
    EXPECT_ERR("IPC-038", l4_notify_poll(WEAK, &bits), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("IPC-039", l4_notify_poll(ECHO, &bits), L4_ECAP);
    EXPECT_ERR("IPC-040", l4_notify_poll(OWN_NTF, &bits), L4_ETIMEOUT);
    /* a badged copy sets its badge bits; two signals merge until taken */
    l4_cap_replicate(OWN_NTF, WEAK);
    l4_cap_deduce(WEAK, L4_NTF_RIGHTS_ALL, 0x10, 0);
    l4_notify_signal(WEAK);
    l4_notify_signal(OWN_NTF);
    l4_err_t err = l4_notify_poll(OWN_NTF, &bits);
    test_report("IPC-041", err == L4_OK && bits == 0x11, "%s, bits %lx", l4_strerror(err), bits);
    l4_thread_spawn(signal_later, WEAK, 100, HELPER);
    err = l4_notify_wait(OWN_NTF, &bits); // blocks until the helper signals
    test_report("IPC-042", err == L4_OK && bits == 0x10, "%s, bits %lx", l4_strerror(err), bits);
    l4_cap_destroy(WEAK);
}

static volatile l4_err_t waiter_result = -1;

static long wait_on_ep2(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    waiter_result = l4_ipc_recv(EP2, 0, &x, &x, &x, &x, &x, &x);
    return 0;
}

/* An endpoint that goes away under a waiting thread wakes it with ECAP. */
static void endpoint_gone(void)
{
    l4_word_t id;

    l4_endpoint_create(POOL_EP, EP2, &id);
    l4_thread_spawn(wait_on_ep2, 0, 100, HELPER);
    l4_thread_yield(); // it blocks in receive
    l4_cap_destroy(EP2);
    l4_thread_yield(); // it wakes and records the error
    test_report("IPC-043", waiter_result == L4_ECAP, "waiter got %s", l4_strerror(waiter_result));
}

static volatile int recovered;

static void recovery(void)
{
    recovered = 1;
    l4_exit(0);
}

static long touch_bad_memory(l4_word_t addr)
{
    return *(volatile long *)addr;
}

/* Fault messages go to the thread's fault endpoint; the reply decides its fate. */
static void faults(void)
{
    l4_word_t tag, vec, addr, ip, code, badge, x, faults_before = 0, faults_after = 0;

    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &faults_before, &x, &x);
    l4_thread_create(POOL_THR, L4_SLOT_SPACE, 100, FAULTY, NULL);
    char *stack = malloc(4096);
    l4_thread_exregs(FAULTY, L4_EXREGS_ALL, (l4_word_t)touch_bad_memory, L4_ENTRY_SP(stack + 4096),
                     0xbad0008, NULL, NULL);
    weaker(OWN_EP, WEAK, L4_RIGHTS_CAP | L4_EP_SEND);
    l4_cap_deduce(WEAK, L4_RIGHTS_CAP | L4_EP_SEND, 0x77, 0);
    EXPECT_ERR("IPC-044", l4_thread_configure(FAULTY, L4_THREAD_FAULT_EP, OWN_NTF), L4_ECAP);
    weaker(OWN_EP, SPARE, L4_RIGHTS_CAP | L4_EP_RECV);
    EXPECT_ERR("IPC-045", l4_thread_configure(FAULTY, L4_THREAD_FAULT_EP, SPARE), L4_ERIGHTS);
    l4_cap_destroy(SPARE);
    EXPECT_ERR("IPC-046", l4_thread_configure(FAULTY, L4_THREAD_FAULT_EP, WEAK), L4_OK);
    l4_thread_start(FAULTY);
    l4_err_t err = l4_ipc_recv(OWN_EP, 0, &tag, &vec, &addr, &ip, &code, &badge);
    test_report("IPC-047",
                err == L4_OK && L4_TAG_LABEL(tag) == L4_LABEL_FAULT && vec == 14 &&
                    addr == 0xbad0008 && badge == 0x77 && ip > 0x400000,
                "%s label %lx vector %lu address %lx badge %lx", l4_strerror(err),
                L4_TAG_LABEL(tag), vec, addr, badge);
    /* repair: point it elsewhere and let it resume */
    l4_thread_exregs(FAULTY, L4_EXREGS_SET_IP, (l4_word_t)recovery, 0, 0, NULL, NULL);
    l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0);
    l4_thread_yield();
    test_report("IPC-048", recovered == 1, "faulting thread did not resume where it was sent");
    l4_thread_destroy(FAULTY); // it ended in recovery(); its capability kept the exit code
    /* a reply with another label stops the thread as if it had no handler */
    l4_thread_create(POOL_THR, L4_SLOT_SPACE, 100, FAULTY, NULL);
    l4_thread_exregs(FAULTY, L4_EXREGS_ALL, (l4_word_t)touch_bad_memory, L4_ENTRY_SP(stack + 4096),
                     0xbad0010, NULL, NULL);
    l4_thread_configure(FAULTY, L4_THREAD_FAULT_EP, WEAK);
    l4_thread_start(FAULTY);
    l4_ipc_recv(OWN_EP, 0, &tag, &vec, &addr, &ip, &code, &badge);
    l4_ipc_reply(L4_TAG(1, 0, 0), 0, 0, 0, 0);
    l4_thread_yield(); // it takes the answer and stops
    l4_container_inspect(L4_SLOT_CONTAINER, &x, &x, &x, &faults_after, &x, &x);
    test_report("IPC-049", faults_after == faults_before + 1 && addr == 0xbad0010,
                "faults %lu -> %lu", faults_before, faults_after);
    l4_thread_destroy(FAULTY);
    l4_cap_destroy(WEAK);
}

#define ECHO_T    19 /* server.echo, send and transfer */
#define UTCB      ((struct l4_utcb *)L4_UTCB_MAIN)
#define LABEL_EXT 6
#define LABEL_CAP 7

static long long_from_no_utcb(l4_word_t arg)
{
    return l4_ipc_send((l4_cap_t)arg, L4_TAG(1, 5, L4_IPC_NONBLOCK), 0, 0, 0, 0);
}

static volatile l4_err_t helper_result = -1;

static long record_result(l4_word_t arg)
{
    helper_result = (l4_err_t)long_from_no_utcb(arg);
    return 0;
}

static char ext_buf[4096] __attribute__((aligned(4096)));

/* Words 4.. through the UTCB, an extended buffer, a capability: the long forms. */
static void long_messages(void)
{
    l4_err_t err;

    for (int i = 4; i < 20; i++)
        UTCB->mr[i] = 1000 + i;
    struct msg r = call(ECHO, L4_TAG(1, 20, 0), 1, 2, &err);
    bool words = true;
    for (int i = 4; i < 20; i++)
        words = words && UTCB->mr[i] == (l4_word_t)(1000 + i + 1);
    test_report("IPC-050",
                err == L4_OK && L4_TAG_LEN(r.tag) == 20 && words && !(r.tag & L4_IPC_TRUNC),
                "%s, reply length %lu, words %s", l4_strerror(err), (l4_word_t)L4_TAG_LEN(r.tag),
                words ? "right" : "wrong");
    l4_thread_spawn(record_result, OWN_EP, 100, HELPER);
    l4_thread_yield();
    test_report("IPC-051", helper_result == L4_EFAULT, "long send without a UTCB: %s",
                l4_strerror(helper_result));
    l4_word_t sum = 0;
    for (int i = 0; i < 3000; i++) {
        ext_buf[i] = (char)(i * 7);
        sum += (unsigned char)ext_buf[i];
    }
    UTCB->ext_send = (l4_word_t)ext_buf;
    UTCB->ext_send_len = 3000;
    r = call(ECHO, L4_TAG(LABEL_EXT, 0, L4_IPC_EXT), 0, 0, &err);
    test_report("IPC-052", err == L4_OK && r.m[1] == sum && r.m[2] == 3000,
                "%s, server summed %lu over %lu bytes, expected %lu over 3000", l4_strerror(err),
                r.m[1], r.m[2], sum);
    UTCB->ext_send_len = 4097;
    call(ECHO, L4_TAG(LABEL_EXT, 0, L4_IPC_EXT), 0, 0, &err);
    test_report("IPC-053", err == L4_ERANGE, "%s", l4_strerror(err));
    UTCB->ext_send = 0x60000000; // unmapped
    UTCB->ext_send_len = 16;
    call(ECHO, L4_TAG(LABEL_EXT, 0, L4_IPC_EXT), 0, 0, &err);
    test_report("IPC-054", err == L4_EFAULT, "%s", l4_strerror(err));
    /* the tag's top flag bit, to a receiver that waits (the fastpath's case): refused, not
     * delivered (the fastpath tests the tag's low 16 bits as one unsigned number) */
    call(ECHO, L4_TAG(1, 0, 1u << 15), 0, 0, &err);
    test_report("IPC-092", err == L4_EINVAL, "%s", l4_strerror(err));
}

static void capability_transfer(void)
{
    l4_err_t err;
    l4_word_t bits = 0;

    l4_cap_replicate(OWN_NTF, WEAK); // full rights, L4_RIGHT_GRANT included
    UTCB->cap_send = WEAK;
    struct msg r = call(ECHO_T, L4_TAG(LABEL_CAP, 0, L4_IPC_CAP), 0, 0, &err);
    l4_err_t polled = l4_notify_poll(OWN_NTF, &bits);
    test_report("IPC-055",
                err == L4_OK && r.m[1] == 1 && polled == L4_OK && bits == 1 &&
                    l4_cap_read(WEAK, NULL, NULL, NULL, NULL, NULL, NULL) == L4_ECAP,
                "%s, server got it: %lu, our poll %s bits %lx", l4_strerror(err), r.m[1],
                l4_strerror(polled), bits);
    UTCB->cap_send = EMPTY;
    call(ECHO_T, L4_TAG(LABEL_CAP, 0, L4_IPC_CAP), 0, 0, &err);
    test_report("IPC-056", err == L4_ECAP, "%s", l4_strerror(err));
    weaker(OWN_NTF, WEAK, L4_RIGHT_COPY | L4_NTF_SIGNAL); // no L4_RIGHT_GRANT
    UTCB->cap_send = WEAK;
    call(ECHO_T, L4_TAG(LABEL_CAP, 0, L4_IPC_CAP), 0, 0, &err);
    test_report("IPC-057", err == L4_ERIGHTS, "%s", l4_strerror(err));
    l4_cap_destroy(WEAK);
    /* a capability that may go, through an endpoint capability without L4_EP_TRANSFER */
    l4_cap_replicate(OWN_NTF, WEAK);
    UTCB->cap_send = WEAK;
    err = l4_ipc_send(ECHO, L4_TAG(LABEL_CAP, 0, L4_IPC_CAP | L4_IPC_NONBLOCK), 0, 0, 0, 0);
    test_report("IPC-067",
                err == L4_ERIGHTS && l4_cap_read(WEAK, NULL, NULL, NULL, NULL, NULL, NULL) == L4_OK,
                "send without the transfer right: %s", l4_strerror(err));
    l4_cap_destroy(WEAK);
    EXPECT_ERR("IPC-058", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_UTCB, L4_UTCB_MAIN + 8),
               L4_EINVAL);
    EXPECT_ERR("IPC-059", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_UTCB, L4_USER_TOP),
               L4_ERANGE);
    EXPECT_ERR("IPC-060", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_UTCB, 0x60000000),
               L4_EFAULT);
    EXPECT_ERR("IPC-061", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_UTCB, L4_UTCB_MAIN), L4_OK);
}

static volatile l4_err_t first_result = -1, second_result = -1;

static long first_caller(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    first_result = l4_ipc_call(OWN_EP, L4_TAG(1, 0, 0), 1, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    return 0;
}

static long second_caller(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    second_result = l4_ipc_call(OWN_EP, L4_TAG(1, 0, 0), 2, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    return 0;
}

/* A receiver holds one reply right: taking a second call gives up the first (ESTATE). */
static void one_reply_right(void)
{
    l4_word_t x, who1 = 0, who2 = 0;

    l4_thread_spawn(first_caller, 0, 90, HELPER);
    l4_ipc_recv(OWN_EP, 0, &x, &who1, &x, &x, &x, &x);
    l4_thread_spawn(second_caller, 0, 90, EP2);
    l4_ipc_recv(OWN_EP, 0, &x, &who2, &x, &x, &x, &x);
    l4_err_t replied = l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, 80); // let both finish
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, 80);
    test_report("IPC-062",
                who1 == 1 && who2 == 2 && replied == L4_OK && first_result == L4_ESTATE &&
                    second_result == L4_OK,
                "calls %lu %lu, reply %s, first %s, second %s", who1, who2, l4_strerror(replied),
                l4_strerror(first_result), l4_strerror(second_result));
}

/*
 * IPC-063..066: a capability without the right must be refused even when everything else
 * the IPC fastpath (kernel/core/fastpath.c) looks for is there: a short message with no
 * flags, and the partner already waiting, at a priority no lower than ours. The error tests
 * above never meet that case (nobody waits), so the fastpath's own rights check is only
 * exercised here. Main runs below its helpers, so each helper runs as soon as it is started
 * and is blocked in the kernel before main goes on.
 */
#define FAST_PRIO   80 /* main, from here on */
#define HELPER_PRIO 90

static volatile int serving, served;
static volatile l4_word_t served_first;

/* A server on OWN_EP: counts what it receives, answers each, ends after label 2. */
static long count_and_serve(l4_word_t arg)
{
    l4_word_t tag, w, x;

    (void)arg;
    serving = 1;
    l4_err_t err = l4_ipc_recv(OWN_EP, 0, &tag, &w, &x, &x, &x, &x);
    while (!err) {
        if (served++ == 0)
            served_first = w;
        if (L4_TAG_LABEL(tag) == 2)
            break;
        err = l4_ipc_reply_recv(OWN_EP, L4_TAG(0, 0, 0), 0, 0, 0, 0, &tag, &w, &x, &x, &x, &x);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return 0;
}

static volatile int answered;
static volatile l4_word_t answer;

/*
 * Calls OWN_EP and records the answer. Then it sends to OWN_EP without blocking: refused
 * when main is not receiving, and if main was wrongly left receiving, that frees it.
 */
static long call_and_record(l4_word_t arg)
{
    l4_word_t w = 0, x;

    (void)arg;
    l4_err_t err = l4_ipc_call(OWN_EP, L4_TAG(1, 1, 0), 0x5e, 0, 0, 0, &x, &w, &x, &x, &x, &x);
    answer = err ? ~(l4_word_t)0 : w;
    answered = 1;
    l4_ipc_send(OWN_EP, L4_TAG(1, 0, L4_IPC_NONBLOCK), 0, 0, 0, 0);
    return 0;
}

static void fastpath_rights(void)
{
    l4_err_t err, quit_err;
    l4_word_t w = 0, x;

    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, FAST_PRIO);

    /* a call without L4_EP_SEND to a server waiting in receive */
    serving = served = 0;
    served_first = 0;
    l4_thread_spawn(count_and_serve, 0, HELPER_PRIO, HELPER); // it runs and waits
    weaker(OWN_EP, WEAK, L4_RIGHTS_CAP | L4_EP_RECV | L4_EP_TRANSFER);
    call(WEAK, L4_TAG(1, 1, 0), 0xbad, 0, &err);
    int served_then = served;
    test_report("IPC-063", serving && err == L4_ERIGHTS,
                "call without the send right to a waiting receiver: %s (server %s)",
                l4_strerror(err), serving ? "waiting" : "not started");
    call(OWN_EP, L4_TAG(2, 1, 0), 0x600d, 0, &quit_err); // the server's first message, and last
    test_report("IPC-064", served_then == 0 && quit_err == L4_OK && served_first == 0x600d,
                "the server took %d message(s) from the refused call, then %s; first word %lx",
                served_then, l4_strerror(quit_err), served_first);
    l4_cap_destroy(WEAK);

    /* a reply_recv without L4_EP_RECV while the caller waits for its reply */
    answered = 0;
    answer = 0;
    l4_thread_spawn(call_and_record, 0, HELPER_PRIO, HELPER); // it runs and waits in its call
    l4_err_t got = l4_ipc_recv(OWN_EP, 0, &x, &w, &x, &x, &x, &x);
    weaker(OWN_EP, WEAK, L4_RIGHTS_CAP | L4_EP_SEND | L4_EP_TRANSFER);
    err = l4_ipc_reply_recv(WEAK, L4_TAG(0, 1, 0), 0xbad, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    int answered_then = answered;
    test_report("IPC-065", got == L4_OK && w == 0x5e && err == L4_ERIGHTS,
                "reply_recv without the receive right: %s (took the call: %s, word %lx)",
                l4_strerror(err), l4_strerror(got), w);
    l4_err_t replied = l4_ipc_reply(L4_TAG(0, 1, 0), 0x600d, 0, 0, 0); // the caller runs now
    test_report("IPC-066",
                answered_then == 0 && replied == L4_OK && answered == 1 && answer == 0x600d,
                "caller answered by the refused reply_recv: %s; reply %s, answer %lx",
                answered_then ? "yes" : "no", l4_strerror(replied), answer);
    l4_cap_destroy(WEAK);
}

/* IPC-068: a receiver whose extended buffer is smaller than what comes. */
#define SMALL_ROOM 16

static struct l4_utcb small_utcb __attribute__((aligned(4096)));
static char small_room[128]; /* room for SMALL_ROOM bytes; the rest must stay untouched */
static volatile l4_word_t small_tag, small_received;
static volatile l4_err_t small_err = -1;

static long receive_into_small_room(l4_word_t self)
{
    l4_word_t tag = 0, x;

    l4_thread_configure(self, L4_THREAD_UTCB, (l4_word_t)&small_utcb);
    small_utcb.ext_recv = (l4_word_t)small_room;
    small_utcb.ext_recv_len = SMALL_ROOM;
    small_err = l4_ipc_recv(OWN_EP, 0, &tag, &x, &x, &x, &x, &x);
    small_tag = tag;
    small_received = small_utcb.ext_received;
    return 0;
}

static void ext_room(void)
{
    l4_thread_spawn(receive_into_small_room, HELPER, HELPER_PRIO, HELPER); // above main: waits
    for (int i = 0; i < 100; i++)
        ext_buf[i] = (char)(0x40 + i);
    UTCB->ext_send = (l4_word_t)ext_buf;
    UTCB->ext_send_len = 100;
    l4_err_t err = l4_ipc_send(OWN_EP, L4_TAG(1, 0, L4_IPC_EXT), 0, 0, 0, 0); // it runs now
    bool kept = true;
    for (int i = 0; i < (int)sizeof(small_room); i++)
        kept = kept && small_room[i] == (i < SMALL_ROOM ? 0x40 + i : 0);
    test_report("IPC-068",
                err == L4_OK && small_err == L4_OK && (small_tag & L4_IPC_TRUNC) &&
                    small_received == SMALL_ROOM && kept,
                "send %s, receive %s, tag %lx, %lu bytes taken, buffer %s", l4_strerror(err),
                l4_strerror(small_err), small_tag, small_received,
                kept ? "as expected" : "written beyond its room");
}

/*
 * IPC-069, IPC-070: the fastpath hands the CPU straight to the partner only when the
 * scheduler would have picked it too: never to a suspended one, and never to one below the
 * caller while a thread between them is ready. Main still runs below every helper here.
 */
#define MIDDLE      27
#define SERVER_PRIO 84
#define MIDDLE_PRIO 86
#define CALLER_PRIO 88

static volatile int called_back, middle_ran;
static volatile int middle_saw; /* messages the server had taken when the middle thread ran */

static long call_once(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    l4_err_t err = l4_ipc_call(OWN_EP, L4_TAG(1, 1, 0), 0x5e, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    called_back = err == L4_OK ? 1 : 2;
    return 0;
}

static long note_middle(l4_word_t arg)
{
    (void)arg;
    middle_saw = served;
    middle_ran = 1;
    return 0;
}

/* Makes a thread between itself and the server ready, then calls the server. */
static long call_over_middle(l4_word_t arg)
{
    l4_thread_spawn(note_middle, 0, MIDDLE_PRIO, MIDDLE); // ready, but below us
    return call_once(arg);
}

static void fastpath_partners(void)
{
    l4_err_t err;

    /* a call to a suspended receiver: delivered, but it runs only once resumed */
    serving = served = called_back = 0;
    l4_thread_spawn(count_and_serve, 0, HELPER_PRIO, HELPER); // it runs and waits
    l4_thread_suspend(HELPER);
    l4_thread_spawn(call_once, 0, HELPER_PRIO - 5, EP2); // it runs, calls and waits
    int served_then = served, back_then = called_back;
    l4_thread_resume(HELPER); // the server takes the call and answers, the caller ends
    test_report("IPC-069", served_then == 0 && back_then == 0 && served == 1 && called_back == 1,
                "while suspended the server took %d call(s) (caller answered: %d); after the "
                "resume %d (answered: %d)",
                served_then, back_then, served, called_back);
    call(OWN_EP, L4_TAG(2, 1, 0), 0, 0, &err); // the server quits

    /* a call to a lower receiver while a thread between the two is ready: that one runs first */
    served = called_back = middle_ran = 0;
    middle_saw = -1;
    l4_thread_spawn(count_and_serve, 0, SERVER_PRIO, HELPER); // it runs and waits
    l4_thread_spawn(call_over_middle, 0, CALLER_PRIO, EP2);   // everything happens now
    test_report("IPC-070", middle_ran && middle_saw == 0 && served == 1 && called_back == 1,
                "the middle thread %s, after the server took %d call(s); caller answered: %d",
                middle_ran ? "ran" : "did not run", middle_saw, called_back);
    call(OWN_EP, L4_TAG(2, 1, 0), 0, 0, &err);
}

/* IPC-071: a thread destroyed while it waits on an endpoint leaves the endpoint's queue. */

/* IPC-072: reply_recv while a sender already waits on the endpoint must take that
 * message, not queue the server as a receiver (the fastpath's senders test). */
static volatile int rs_back, rs_got_sender;

static long rs_sender(l4_word_t arg)
{
    (void)arg;
    l4_ipc_send(OWN_EP, L4_TAG(5, 0, 0), 0, 0, 0, 0); // nobody receives yet: it waits
    return 0;
}

static long rs_server(l4_word_t arg)
{
    l4_word_t tag = 0, x;

    (void)arg;
    l4_ipc_recv(OWN_EP, 0, &tag, &x, &x, &x, &x, &x); // the client's call
    l4_thread_spawn(rs_sender, 0, HELPER_PRIO, MIDDLE);
    l4_thread_yield(); // the sender queues on the endpoint
    l4_err_t err = l4_ipc_reply_recv(OWN_EP, L4_TAG(0, 0, 0), 0, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    rs_got_sender = !err && L4_TAG_LABEL(tag) == 5;
    return 0;
}

static long rs_client(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    rs_back = l4_ipc_call(OWN_EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x) == L4_OK;
    return 0;
}

static void reply_recv_with_sender(void)
{
    rs_back = rs_got_sender = 0;
    l4_thread_destroy(HELPER); // the last test's threads, ended
    l4_thread_destroy(EP2);
    l4_thread_destroy(MIDDLE);
    l4_thread_spawn(rs_server, 0, HELPER_PRIO, HELPER);  // it waits
    l4_thread_spawn(rs_client, 0, HELPER_PRIO + 5, EP2); // everything happens now
    test_report("IPC-072", rs_back && rs_got_sender,
                "client answered %d, server got the sender's %d", rs_back, rs_got_sender);
    l4_thread_destroy(HELPER);
    l4_thread_destroy(MIDDLE);
    l4_thread_destroy(EP2);
}

static long receive_forever(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    return l4_ipc_recv(OWN_EP, 0, &x, &x, &x, &x, &x, &x);
}

static long call_forever(l4_word_t arg)
{
    l4_word_t x;

    (void)arg;
    return l4_ipc_call(OWN_EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
}

static void destroyed_waiters(void)
{
    l4_word_t x;

    l4_thread_spawn(receive_forever, 0, HELPER_PRIO, HELPER); // it waits to receive
    l4_thread_destroy(HELPER);
    l4_err_t sent = l4_ipc_send(OWN_EP, L4_TAG(1, 0, L4_IPC_NONBLOCK), 0, 0, 0, 0);
    l4_thread_spawn(call_forever, 0, HELPER_PRIO, HELPER); // it waits to send
    l4_thread_destroy(HELPER);
    l4_err_t got = l4_ipc_recv(OWN_EP, L4_IPC_NONBLOCK, &x, &x, &x, &x, &x, &x);
    test_report("IPC-071", sent == L4_ETIMEOUT && got == L4_ETIMEOUT,
                "send after the receiver was destroyed: %s; receive after the sender was: %s",
                l4_strerror(sent), l4_strerror(got));
}

/*
 * IPC-073..077: the notification fastpath (kernel/core/notify_fast.c) makes the general
 * path's checks and gives its results ("ipc=slow" runs the same): a slot past the table's
 * end; a ping-pong between two threads whose waits block and hand the CPU over, at one
 * priority (the fastpath switches straight to the other's frame) and with the other above
 * (the signal goes the general way, the switch at its preemption point); a notification
 * destroyed under a thread whose wait the fastpath blocked. IPC-080..085: what it must not
 * skip of the scheduler's rules: a suspended waiter stays off the run queue, and a wait that
 * blocks hands the CPU to the best ready thread.
 */
#define PING_ROUNDS 3
static volatile l4_word_t pong_bits[PING_ROUNDS];
static volatile l4_err_t pong_err;

static long ntf_ponger(l4_word_t arg)
{
    l4_word_t bits = 0;
    l4_err_t err = L4_OK;

    (void)arg;
    for (int i = 0; i < PING_ROUNDS && err == L4_OK; i++) {
        err = l4_notify_wait(OWN_NTF, &bits);
        pong_bits[i] = bits;
        if (err == L4_OK)
            err = l4_notify_signal(SPARE); // badge 0: bit 0
    }
    pong_err = err;
    return 0;
}

static void ping_pong(const char *id, unsigned prio)
{
    l4_word_t got[PING_ROUNDS] = {0};
    l4_err_t err = L4_OK;
    int ran = 0; // rounds in which the ponger had run before our signal returned
    /* kept in callee-saved registers across the calls, where the compiler can */
    l4_word_t a = 0x1111, b = 0x2222, c = 0x3333;

    pong_err = -1;
    for (int i = 0; i < PING_ROUNDS; i++)
        pong_bits[i] = 0;
    l4_thread_spawn(ntf_ponger, 0, prio, HELPER);
    l4_thread_yield(); // it waits on OWN_NTF
    for (int i = 0; i < PING_ROUNDS; i++) {
        err = err ? err : l4_notify_signal(WEAK); // badge 0x20
        ran += pong_bits[i] != 0; // above us it runs at once, beside us after our wait
        err = err ? err : l4_notify_wait(SPARE, &got[i]);
        a = a * 3 + got[i], b ^= a, c += b;
    }
    int bits_ok = 1;
    l4_word_t ea = 0x1111, eb = 0x2222, ec = 0x3333; // what a, b, c are with every bit 0 got
    for (int i = 0; i < PING_ROUNDS; i++) {
        bits_ok = bits_ok && got[i] == 1 && pong_bits[i] == 0x20;
        ea = ea * 3 + 1, eb ^= ea, ec += eb;
    }
    l4_thread_yield(); // the ponger ends
    test_report(id,
                err == L4_OK && pong_err == L4_OK && bits_ok && a == ea && b == eb && c == ec &&
                    ran == (prio > FAST_PRIO ? PING_ROUNDS : 0),
                "%s, ponger %s, bits %lx %lx / %lx %lx, a %lx b %lx c %lx, ran first %d times",
                l4_strerror(err), l4_strerror(pong_err), got[0], pong_bits[0], got[PING_ROUNDS - 1],
                pong_bits[PING_ROUNDS - 1], a, b, c, ran);
    l4_thread_destroy(HELPER);
}

static long wait_on_spare(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    pong_err = l4_notify_wait(SPARE, &bits);
    return 0;
}

static volatile int ready_ran;
static l4_word_t land_stack[256] __attribute__((aligned(16)));
static volatile l4_word_t landed_with;

/* Where IPC-079's waiter goes on once its registers are written: its argument as written. */
static long land(l4_word_t arg)
{
    landed_with = arg;
    l4_notify_signal(OWN_NTF);
    l4_exit(0);
}

static long note_run(l4_word_t arg)
{
    (void)arg;
    ready_ran = 1;
    return 0;
}

/* l4_thread_spawn on a stack of our own: the heap's spawn stacks are never given back, and
 * this program spawns more threads than its heap has stacks for. */
static l4_word_t helper_stacks[4][1024] __attribute__((aligned(16)));

static l4_err_t spawn_on(int k, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio, l4_cap_t dest)
{
    l4_word_t ip, sp = l4_thread_frame(&helper_stacks[k][1024], fn, &ip);

    l4_thread_forget_ended(dest);
    l4_err_t err = l4_thread_create(POOL_THR, L4_SLOT_SPACE, prio, dest, NULL);
    if (!err)
        err = l4_thread_exregs(dest, L4_EXREGS_ALL, ip, sp, arg, NULL, NULL);
    return err ? err : l4_thread_start(dest);
}

static volatile int run_order[2], runs;

/* Note that thread arg ran; the one beside us signals us back. */
static long note_order(l4_word_t arg)
{
    if (runs < 2)
        run_order[runs++] = (int)arg;
    if (arg == 2)
        l4_notify_signal(OWN_NTF);
    return 0;
}

/* IPC-081: two threads ready, one below us and one beside us: when our wait blocks, the one
 * beside us runs (it signals us back and ends), then we do, and the lower one only once we
 * wait for it. */
static void wait_picks_best(void)
{
    l4_word_t bits = 0, code = 0;

    runs = 0;
    run_order[0] = run_order[1] = 0;
    spawn_on(0, note_order, 1, FAST_PRIO - 10, HELPER); // ready, below us
    spawn_on(1, note_order, 2, FAST_PRIO, SPARE);       // ready, beside us
    l4_err_t err = l4_notify_wait(OWN_NTF, &bits);
    int ran = runs;
    l4_err_t waited = l4_thread_wait(HELPER, 0, &code); // the lower one runs now
    test_report("IPC-081",
                err == L4_OK && bits == 1 && ran == 1 && waited == L4_OK && runs == 2 &&
                    run_order[0] == 2 && run_order[1] == 1,
                "%s, bits %lx, %d ran before us, then %d; order %d %d", l4_strerror(err), bits, ran,
                runs, run_order[0], run_order[1]);
    l4_thread_destroy(HELPER);
    l4_thread_destroy(SPARE);
}

/*
 * IPC-082: a server the IPC fastpath switched to, above every ready thread's level, wakes a
 * waiter beside it through the notification fastpath, then waits itself: the waiter runs,
 * not the thread below (the fastpath's push raises the run queue's top). The waiter lets the
 * server reply; the thread below runs last.
 */
#define T_WAKE 28
#define T_SRV  29
#define T_LOW  30
#define NTF2   31
static volatile int order82[3], n82;

static void note82(int who)
{
    if (n82 < 3)
        order82[n82++] = who;
}

static long waker82(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_wait(SPARE, &bits);
    note82(1);
    l4_notify_signal(NTF2);
    return 0;
}

static long server82(l4_word_t arg)
{
    l4_word_t x, bits;

    (void)arg;
    l4_ipc_recv(OWN_EP, 0, &x, &x, &x, &x, &x, &x);
    l4_notify_signal(SPARE); // the waiter, beside us: onto the run queue
    l4_notify_wait(NTF2, &bits);
    note82(2);
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return 0;
}

static long low82(l4_word_t arg)
{
    (void)arg;
    note82(3);
    return 0;
}

static void top_raised(void)
{
    l4_word_t id, code;
    l4_err_t err;

    n82 = 0;
    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_notification_create(POOL_NTF, NTF2, &id);
    spawn_on(0, waker82, 0, HELPER_PRIO, T_WAKE); // above us: it runs, waits on SPARE
    spawn_on(1, server82, 0, HELPER_PRIO, T_SRV); // it runs, waits on OWN_EP
    spawn_on(2, low82, 0, FAST_PRIO - 10, T_LOW); // ready, below us
    call(OWN_EP, L4_TAG(0, 0, 0), 0, 0, &err);
    l4_err_t waited = l4_thread_wait(T_LOW, 0, &code);
    test_report("IPC-082",
                err == L4_OK && waited == L4_OK && n82 == 3 && order82[0] == 1 && order82[1] == 2 &&
                    order82[2] == 3,
                "call %s, wait %s; %d ran, in the order %d %d %d", l4_strerror(err),
                l4_strerror(waited), n82, order82[0], order82[1], order82[2]);
    l4_thread_destroy(T_WAKE);
    l4_thread_destroy(T_SRV);
    l4_thread_destroy(T_LOW);
    l4_cap_destroy(SPARE);
    l4_cap_destroy(NTF2);
}

/* IPC-080: a waiter suspended while it waits takes a signal's bits but stays off the run
 * queue until it is resumed: our wait that blocks next does not hand it the CPU (a thread
 * below us wakes us instead). */
static long wake_own(l4_word_t arg)
{
    (void)arg;
    return l4_notify_signal(OWN_NTF);
}

static void suspended_waiter(void)
{
    l4_word_t id, bits;

    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_notify_poll(OWN_NTF, &bits); // none pending
    pong_err = -1;
    spawn_on(0, wait_on_spare, 0, FAST_PRIO, HELPER);
    l4_thread_yield(); // it blocks on SPARE
    l4_err_t suspended = l4_thread_suspend(HELPER);
    l4_err_t err = l4_notify_signal(SPARE);
    spawn_on(1, wake_own, 0, FAST_PRIO - 10, T_LOW);
    l4_err_t waited = l4_notify_wait(OWN_NTF, &bits); // were it queued, it would run now
    l4_err_t before = pong_err;
    l4_thread_resume(HELPER);
    l4_thread_yield(); // it runs and ends
    test_report("IPC-080",
                suspended == L4_OK && err == L4_OK && waited == L4_OK && before == -1 &&
                    pong_err == L4_OK,
                "suspend %s, signal %s, wait %s, it ran while suspended: %d, then got %s",
                l4_strerror(suspended), l4_strerror(err), l4_strerror(waited), before != -1,
                l4_strerror(pong_err));
    l4_thread_destroy(HELPER);
    l4_thread_destroy(T_LOW);
    l4_cap_destroy(SPARE);
}

/* IPC-083: a thread that took the CPU from the run queue's top wakes a waiter below it (but
 * above us) and ends: the waiter runs next, before we do (the push marks its level for the
 * peek that lowers the top). IPC-084: a thread the fastpath's wait handed the CPU to, and
 * that then blocks in a call of the general path, gets that call's results, not a wait's
 * (the switch clears its marks). */
static volatile int woke83;

static long wait83(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_wait(SPARE, &bits);
    woke83 = 1;
    return 0;
}

static long signal83(l4_word_t arg)
{
    (void)arg;
    return l4_notify_signal(SPARE);
}

static long pong84(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_signal(OWN_NTF);
    l4_notify_wait(SPARE, &bits); // its fastpath hands the CPU to the main thread
    return l4_ipc_send(OWN_EP, L4_TAG(0x84, 2, 0), 0x8401, 0x8402, 0, 0);
}

static void marks_cleared(void)
{
    l4_word_t id, bits, tag = 0, w0 = 0, w1 = 0, x;

    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_notify_poll(OWN_NTF, &bits); // none pending
    spawn_on(0, pong84, 0, FAST_PRIO, T_WAKE);
    l4_err_t waited = l4_notify_wait(OWN_NTF, &bits); // it runs, wakes us, waits
    l4_notify_signal(SPARE);
    l4_err_t got = l4_ipc_recv(OWN_EP, 0, &tag, &w0, &w1, &x, &x, &x); // it runs, sends
    test_report("IPC-084",
                waited == L4_OK && got == L4_OK && L4_TAG_LABEL(tag) == 0x84 && w0 == 0x8401 &&
                    w1 == 0x8402,
                "wait %s, receive %s: tag %lx words %lx %lx", l4_strerror(waited), l4_strerror(got),
                tag, w0, w1);
    l4_thread_destroy(T_WAKE);
    l4_cap_destroy(SPARE);
}

/* IPC-085: the fastpath's wait takes the last thread of the top level (us) off the run queue
 * and unmarks its level: a general block of ours then finds the thread below, and gets that
 * call's own result, its exit code (the switch cleared our marks: a thread that still had
 * chain_dropped would come back through ipc_fast_resume with a message's words instead). */
static long low85(l4_word_t arg)
{
    (void)arg;
    return 0x85;
}

static long signal_then_wait_spare(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_signal(OWN_NTF);
    l4_notify_wait(SPARE, &bits); // until destroyed: its fastpath hands us the CPU
    return 0;
}

static void level_unmarked(void)
{
    l4_word_t id, bits, code = 0;

    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_notify_poll(OWN_NTF, &bits); // none pending
    spawn_on(0, signal_then_wait_spare, 0, FAST_PRIO, T_WAKE);
    l4_err_t waited = l4_notify_wait(OWN_NTF, &bits);             // it runs, wakes us, waits
    l4_err_t made = spawn_on(1, low85, 0, FAST_PRIO - 10, T_LOW); // below us
    l4_err_t joined = l4_thread_wait(T_LOW, 0, &code);            // it runs now, and ends
    test_report("IPC-085", waited == L4_OK && made == L4_OK && joined == L4_OK && code == 0x85,
                "wait %s, spawn %s, the thread below us: %s, code %lx", l4_strerror(waited),
                l4_strerror(made), l4_strerror(joined), code);
    l4_thread_destroy(T_WAKE);
    l4_thread_destroy(T_LOW);
    l4_cap_destroy(SPARE);
}

static void level_marked(void)
{
    l4_word_t id;

    woke83 = 0;
    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_err_t made = spawn_on(0, wait83, 0, FAST_PRIO + 5, T_WAKE);     // above us
    made = made ? made : spawn_on(1, signal83, 0, HELPER_PRIO, T_SRV); // above it
    l4_thread_yield(); // the one above runs; its wait lets the other run, which wakes it, ends
    int ran = woke83;
    test_report("IPC-083", made == L4_OK && ran == 1,
                "spawn %s; the waiter woken above us ran before we went on: %d", l4_strerror(made),
                ran);
    l4_thread_destroy(T_WAKE);
    l4_thread_destroy(T_SRV);
    l4_cap_destroy(SPARE);
}

/*
 * IPC-086: two threads beside us whose waits the fastpath blocked (B1, B2: ntf_resume) are
 * woken, and our wait that blocks takes the first straight from its frame; its level keeps
 * B2, so its bit in the run queue's bitmap must stay. B1's end wakes H, above us (its exit
 * notification): H's level becomes the top, and when H ends the scheduler lowers the top
 * through the bitmap: B2 must run before L, which is below us. (B1 in T_WAKE, B2 in T_SRV,
 * L in T_LOW.)
 */
#define T_HIGH 32
#define NTF3   33
static volatile int order86[3], n86;

static long note86(l4_word_t who)
{
    l4_word_t bits;

    if (who == 4) // H: it waits for B1's end, then ends
        return l4_notify_wait(NTF2, &bits);
    if (who != 3)
        l4_notify_wait(NTF3, &bits); // blocked by the fastpath, woken by main
    if (n86 < 3)
        order86[n86++] = (int)who;
    if (who != 1)
        l4_notify_signal(SPARE); // wake main, which then waits for the rest to end
    return 0;
}

static void level_kept(void)
{
    l4_word_t bits, id, code;

    n86 = 0;
    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_notification_create(POOL_NTF, NTF2, &id);
    l4_notification_create(POOL_NTF, NTF3, &id);
    spawn_on(3, note86, 4, HELPER_PRIO, T_HIGH); // it runs and waits on NTF2
    l4_thread_yield();                           // the scheduler's top comes down to our level
    spawn_on(0, note86, 1, FAST_PRIO, T_WAKE);
    l4_thread_configure(T_WAKE, L4_THREAD_EXIT_NTF, NTF2); // its end wakes H
    spawn_on(1, note86, 2, FAST_PRIO, T_SRV);
    l4_thread_yield(); // B1, then B2, wait on NTF3
    spawn_on(2, note86, 3, FAST_PRIO - 10, T_LOW);
    l4_notify_signal(NTF3); // B1, then B2, ready beside us
    l4_notify_signal(NTF3);
    l4_err_t err = l4_notify_wait(SPARE, &bits); // B1 runs and ends, H runs and ends, then B2
    l4_thread_wait(T_SRV, 0, &code);
    l4_thread_wait(T_LOW, 0, &code);
    l4_thread_wait(T_HIGH, 0, &code);
    test_report("IPC-086",
                err == L4_OK && n86 == 3 && order86[0] == 1 && order86[1] == 2 && order86[2] == 3,
                "wait %s; %d ran, in the order %d %d %d", l4_strerror(err), n86, order86[0],
                order86[1], order86[2]);
    l4_thread_destroy(T_WAKE);
    l4_thread_destroy(T_SRV);
    l4_thread_destroy(T_LOW);
    l4_thread_destroy(T_HIGH);
    l4_cap_destroy(SPARE);
    l4_cap_destroy(NTF2);
    l4_cap_destroy(NTF3);
}

/*
 * IPC-088..090: what the fastpath's own stores keep true of the threads it moves. A thread
 * whose wait the fastpath blocked straight from the run queue (IPC-088) is still found on
 * its notification when it is destroyed; a waiter the fastpath's signal woke (IPC-089) is on
 * no notification any more, so destroying it later leaves the next waiter in place; a waiter
 * woken with an error (its notification gone) gets that error when the fastpath's wait hands
 * it the CPU (IPC-090).
 */
static volatile l4_err_t err89, err90;
static volatile int woke89;

/* IPC-088's V and W: W waits on SPARE; V wakes it and waits on NTF2 (W, woken, is the run
 * queue's first: the fastpath blocks V itself); W wakes main. */
static long w88(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_wait(SPARE, &bits);
    return l4_notify_signal(NTF3);
}

static long v88(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_signal(SPARE);
    return l4_notify_wait(NTF2, &bits); // destroyed while it waits
}

static void killed_waiter(void)
{
    l4_word_t bits = 0, id;

    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_notification_create(POOL_NTF, NTF2, &id);
    l4_notification_create(POOL_NTF, NTF3, &id);
    spawn_on(0, w88, 0, FAST_PRIO, T_WAKE);
    spawn_on(1, v88, 0, FAST_PRIO, T_SRV);
    l4_notify_wait(NTF3, &bits); // W waits, V wakes W and waits, W wakes us
    l4_thread_destroy(T_SRV);    // V, waiting on NTF2
    l4_notify_signal(NTF2);      // nobody waits: the bit stays
    l4_err_t polled = l4_notify_poll(NTF2, &bits);
    test_report("IPC-088", polled == L4_OK && bits == 1,
                "a signal after its waiter was destroyed: poll %s, bits %lx", l4_strerror(polled),
                bits);
    l4_thread_destroy(T_WAKE);
    l4_cap_destroy(SPARE);
    l4_cap_destroy(NTF2);
    l4_cap_destroy(NTF3);
}

/* IPC-089's W: woken by our signal, it then only yields; X waits on SPARE after it. */
static long w89(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    l4_notify_wait(SPARE, &bits);
    for (;;)
        l4_thread_yield();
    return 0;
}

static long x89(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    err89 = l4_notify_wait(SPARE, &bits);
    woke89 = 1;
    return 0;
}

static void woken_waiter_destroyed(void)
{
    l4_word_t bits = 0, id;

    woke89 = 0;
    err89 = -1;
    l4_notification_create(POOL_NTF, SPARE, &id);
    spawn_on(0, w89, 0, FAST_PRIO, T_WAKE);
    l4_thread_yield();       // W waits on SPARE
    l4_notify_signal(SPARE); // the fastpath wakes it (beside us: no switch)
    spawn_on(1, x89, 0, FAST_PRIO, T_SRV);
    l4_thread_yield();         // W goes on and yields; X waits on SPARE
    l4_thread_destroy(T_WAKE); // W, which waits for nothing
    l4_notify_signal(SPARE);   // X
    l4_thread_yield();         // X runs and ends
    l4_err_t polled = l4_notify_poll(SPARE, &bits);
    test_report("IPC-089", woke89 && err89 == L4_OK && polled == L4_ETIMEOUT,
                "the waiter after a woken thread was destroyed: woke %d (%s), poll %s", woke89,
                l4_strerror(err89), l4_strerror(polled));
    l4_thread_destroy(T_SRV);
    l4_cap_destroy(SPARE);
}

/* IPC-090's W: its wait ends with its notification; it tells main. */
static long w90(l4_word_t arg)
{
    l4_word_t bits;

    (void)arg;
    err90 = l4_notify_wait(SPARE, &bits);
    return l4_notify_signal(NTF2);
}

static void error_through_fastpath(void)
{
    l4_word_t bits = 0, id;

    err90 = -1;
    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_notification_create(POOL_NTF, NTF2, &id);
    spawn_on(0, w90, 0, FAST_PRIO, T_WAKE);
    l4_thread_yield();                          // W waits on SPARE
    l4_cap_destroy(SPARE);                      // its wait ends: ECAP
    l4_err_t err = l4_notify_wait(NTF2, &bits); // W runs (straight from its frame), wakes us
    test_report("IPC-090", err == L4_OK && err90 == L4_ECAP,
                "a wait whose notification went: %s (our wait %s)", l4_strerror(err90),
                l4_strerror(err));
    l4_thread_destroy(T_WAKE);
    l4_cap_destroy(NTF2);
}

/*
 * IPC-091: the fastpath's wait that runs a woken waiter straight from its frame switches the
 * TLS bases when either thread has one: ours and the waiter's differ, and it reads its own.
 */
static l4_word_t tls_main91 = 0xa0a, tls_w91 = 0xb0b;
static volatile l4_word_t seen91;

static long w91(l4_word_t arg)
{
    l4_word_t bits, v;

    (void)arg;
    l4_thread_tls(L4_TLS_TP | L4_TLS_SET, (l4_word_t)&tls_w91, NULL);
    l4_notify_wait(SPARE, &bits);
    v = tp_word0();
    seen91 = v;
    return l4_notify_signal(NTF2);
}

/* IPC-093: a signal that wakes a waiter below us puts it on its own level, not ours (the
 * fastpath's push): a thread between the two, ready already, runs before it once we block. */
static volatile int order93[2], n93;

static long note93(l4_word_t who)
{
    l4_word_t bits;

    if (who == 1)
        l4_notify_wait(SPARE, &bits); // blocked, then moved below us
    if (n93 < 2)
        order93[n93++] = (int)who;
    return 0;
}

static void own_level(void)
{
    l4_word_t id, code = 0;

    n93 = 0;
    order93[0] = order93[1] = 0;
    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_err_t made = spawn_on(0, note93, 1, FAST_PRIO + 5, T_WAKE); // above us: it runs, waits
    l4_err_t moved = l4_thread_configure(T_WAKE, L4_THREAD_PRIORITY, FAST_PRIO - 10);
    made = made ? made : spawn_on(1, note93, 2, FAST_PRIO - 5, T_LOW); // ready, in between
    l4_err_t sig = l4_notify_signal(SPARE); // the waiter is below us: the fastpath queues it
    l4_thread_wait(T_WAKE, 0, &code);       // we block: the one in between runs first
    l4_thread_wait(T_LOW, 0, &code);
    test_report("IPC-093",
                made == L4_OK && moved == L4_OK && sig == L4_OK && n93 == 2 && order93[0] == 2 &&
                    order93[1] == 1,
                "spawn %s, priority %s, signal %s; ran %d: %d then %d (wanted 2 then 1)",
                l4_strerror(made), l4_strerror(moved), l4_strerror(sig), n93, order93[0],
                order93[1]);
    l4_thread_destroy(T_WAKE);
    l4_thread_destroy(T_LOW);
    l4_cap_destroy(SPARE);
}

static void tls_through_fastpath(void)
{
    l4_word_t bits = 0, id, old = 0, code;

    seen91 = 0;
    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_notification_create(POOL_NTF, NTF2, &id);
    l4_thread_tls(L4_TLS_TP | L4_TLS_SET, (l4_word_t)&tls_main91, &old);
    spawn_on(0, w91, 0, FAST_PRIO, T_WAKE);
    l4_thread_yield();                          // W sets its base and waits on SPARE
    l4_notify_signal(SPARE);                    // W ready beside us
    l4_err_t err = l4_notify_wait(NTF2, &bits); // W runs from its frame, wakes us
    l4_thread_tls(L4_TLS_TP | L4_TLS_SET, old, NULL);
    test_report("IPC-091", err == L4_OK && seen91 == 0xb0b,
                "wait %s; the woken waiter read %lx at its TLS base (its own: b0b; ours: a0a)",
                l4_strerror(err), seen91);
    l4_thread_wait(T_WAKE, 0, &code);
    l4_thread_destroy(T_WAKE);
    l4_cap_destroy(SPARE);
    l4_cap_destroy(NTF2);
}

static void notification_fastpath(void)
{
    l4_word_t bits = 0, id;

    EXPECT_ERR("IPC-073", l4_notify_signal(100000), L4_ECAP);
    EXPECT_ERR("IPC-074", l4_notify_wait((l4_cap_t)-1, &bits), L4_ECAP);
    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_cap_replicate(OWN_NTF, WEAK);
    l4_cap_deduce(WEAK, L4_NTF_RIGHTS_ALL, 0x20, 0);
    ping_pong("IPC-075", FAST_PRIO);
    ping_pong("IPC-076", HELPER_PRIO);
    l4_cap_destroy(WEAK);
    pong_err = -1;
    l4_thread_spawn(wait_on_spare, 0, FAST_PRIO, HELPER);
    l4_thread_yield(); // it blocks on SPARE
    l4_cap_destroy(SPARE);
    l4_thread_yield(); // it wakes with ECAP
    test_report("IPC-077", pong_err == L4_ECAP, "waiter got %s", l4_strerror(pong_err));
    l4_thread_destroy(HELPER);
    /* IPC-078: bits pending are taken at once, though another thread is ready to run */
    ready_ran = 0;
    l4_notify_signal(OWN_NTF);
    l4_thread_spawn(note_run, 0, FAST_PRIO, HELPER);
    l4_err_t err = l4_notify_wait(OWN_NTF, &bits);
    int ran = ready_ran;
    l4_thread_yield(); // it runs and ends
    test_report("IPC-078", err == L4_OK && bits == 1 && !ran, "%s, bits %lx, the other ran: %d",
                l4_strerror(err), bits, ran);
    l4_thread_destroy(HELPER);
    /* IPC-079: a thread whose wait the fastpath blocked, its registers then written, goes on
     * from them when our own wait hands it the CPU: not with the results of the wait it no
     * longer makes (thread_regs clears the mark that says it returns a wait's bits) */
    struct l4_regs r;
    landed_with = 0;
    l4_notification_create(POOL_NTF, SPARE, &id);
    l4_thread_spawn(wait_on_spare, 0, FAST_PRIO, HELPER);
    l4_thread_yield(); // it blocks on SPARE, its chain dropped
    l4_thread_regs(HELPER, L4_REGS_GET, NULL, &r);
    l4_word_t ip;
    L4_REGS_SP(&r) = l4_thread_frame(&land_stack[256], land, &ip);
    L4_REGS_IP(&r) = ip;
    L4_REGS_ARG(&r) = 0x7e57;
    err = l4_thread_regs(HELPER, L4_REGS_SET, &r, NULL);
    bits = 0;
    l4_err_t waited = l4_notify_wait(OWN_NTF, &bits); // it runs, signals, ends
    test_report("IPC-079", err == L4_OK && waited == L4_OK && bits == 1 && landed_with == 0x7e57,
                "regs %s, wait %s, bits %lx, it went on with argument %lx", l4_strerror(err),
                l4_strerror(waited), bits, landed_with);
    l4_thread_destroy(HELPER);
    l4_cap_destroy(SPARE);
    suspended_waiter();
    wait_picks_best();
    top_raised();
    level_marked();
    marks_cleared();
    level_unmarked();
    level_kept();
    killed_waiter();
    woken_waiter_destroyed();
    error_through_fastpath();
    tls_through_fastpath();
    own_level();
}

static int client(void)
{
    creation();
    send_errors();
    recv_errors();
    call_errors();
    reply_errors();
    notifications();
    endpoint_gone();
    faults();
    long_messages();
    capability_transfer();
    one_reply_right();
    fastpath_rights();
    ext_room();
    fastpath_partners();
    reply_recv_with_sender();
    destroyed_waiters();
    notification_fastpath();
    l4_word_t x;
    l4_ipc_call(ECHO, L4_TAG(2, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x); // server: quit
    printf("ipctest: done\n");
    return 0;
}

static char server_buf[4096];

/* What the echo server answers: words plus one and the caller's badge; long words plus one;
 * the sum and count of extended bytes; whether a capability came (and it is signalled). */
static l4_word_t serve(struct msg *m, l4_word_t *r)
{
    struct l4_utcb *u = UTCB;
    l4_word_t len = L4_TAG_LEN(m->tag) > 4 ? L4_TAG_LEN(m->tag) : 4;

    r[0] = m->m[0] + 1, r[1] = m->m[1] + 1, r[2] = m->m[2] + 1, r[3] = m->badge;
    for (l4_word_t i = 4; i < len; i++)
        u->mr[i]++;
    if (L4_TAG_LABEL(m->tag) == LABEL_EXT) {
        r[1] = 0;
        for (l4_word_t i = 0; i < u->ext_received; i++)
            r[1] += (unsigned char)server_buf[i];
        r[2] = u->ext_received;
    }
    if (L4_TAG_LABEL(m->tag) == LABEL_CAP) {
        r[1] = u->cap_received && l4_notify_signal(40) == L4_OK;
        l4_cap_destroy(40);
    }
    return L4_TAG(L4_TAG_LABEL(m->tag), len, 0);
}

static int server(void)
{
    struct msg m;
    l4_word_t r[4];

    UTCB->ext_recv = (l4_word_t)server_buf;
    UTCB->ext_recv_len = sizeof(server_buf);
    UTCB->cap_recv = 40;
    l4_err_t err = l4_ipc_recv(16, 0, &m.tag, &m.m[0], &m.m[1], &m.m[2], &m.m[3], &m.badge);
    while (!err && L4_TAG_LABEL(m.tag) != 2) {
        l4_word_t tag = serve(&m, r);
        err = l4_ipc_reply_recv(16, tag, r[0], r[1], r[2], r[3], &m.tag, &m.m[0], &m.m[1], &m.m[2],
                                &m.m[3], &m.badge);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    printf("ipctest server: quitting (%s)\n", l4_strerror(err));
    return 0;
}

int main(const char *arg)
{
    if (!strncmp(arg, "ntfp", 4))
        return ntfspace_main(arg);
    return strcmp(arg, "server") == 0 ? server() : client();
}
