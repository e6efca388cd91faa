/* SPDX-License-Identifier: BSD-2-Clause */
/* IPC conformance: IPC-xxx, one test per documented error of the endpoint and notification calls. */
#include "test.h"

#include <coffer/ipc.h>
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
    EXPECT_ERR("IPC-014", l4_ipc_send(ECHO, L4_TAG(1, 5, 0), 0, 0, 0, 0), L4_EINVAL);
    EXPECT_ERR("IPC-015", l4_ipc_send(ECHO, L4_TAG(1, 0, L4_IPC_CAP), 0, 0, 0, 0), L4_EINVAL);
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
    call(ECHO, L4_TAG(1, 7, 0), 0, 0, &err);
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

    EXPECT_ERR("IPC-029", l4_ipc_reply(L4_TAG(0, 9, 0), 0, 0, 0, 0), L4_EINVAL);
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
    l4_thread_exregs(FAULTY, L4_EXREGS_ALL, (l4_word_t)touch_bad_memory,
                     (l4_word_t)(stack + 4096 - 8), 0xbad0008, NULL, NULL);
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
    /* a reply with another label stops the thread as if it had no handler */
    l4_thread_create(POOL_THR, L4_SLOT_SPACE, 100, FAULTY, NULL);
    l4_thread_exregs(FAULTY, L4_EXREGS_ALL, (l4_word_t)touch_bad_memory,
                     (l4_word_t)(stack + 4096 - 8), 0xbad0010, NULL, NULL);
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
    l4_word_t x;
    l4_ipc_call(ECHO, L4_TAG(2, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x); // server: quit
    printf("ipctest: done\n");
    return 0;
}

/* The echo server: words plus one, the caller's badge in word 3. */
static int server(void)
{
    struct msg m;
    l4_err_t err = l4_ipc_recv(16, 0, &m.tag, &m.m[0], &m.m[1], &m.m[2], &m.m[3], &m.badge);

    while (!err && L4_TAG_LABEL(m.tag) != 2) {
        err = l4_ipc_reply_recv(16, L4_TAG(L4_TAG_LABEL(m.tag), 4, 0), m.m[0] + 1, m.m[1] + 1,
                                m.m[2] + 1, m.badge, &m.tag, &m.m[0], &m.m[1], &m.m[2], &m.m[3],
                                &m.badge);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    printf("ipctest server: quitting (%s)\n", l4_strerror(err));
    return 0;
}

int main(const char *arg)
{
    return strcmp(arg, "server") == 0 ? server() : client();
}
