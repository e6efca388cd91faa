/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The victim: beside the fuzzer, inside its own pools, it must never notice it.
 * Every beat it creates and destroys a thread, an endpoint, a notification and
 * a space, calls a partner thread and its own service (which the fuzzer may
 * flood), maps a page of its region, and checks that its whole table, pools
 * included, is exactly as it was: everything it asks of its own quota succeeds.
 */
#include "fuzz.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/thread.h>

#define SERVER   18 /* its service thread */
#define B_EP     20 /* made and destroyed each beat */
#define B_NTF    21
#define B_THREAD 22
#define B_SPACE  23
#define VA       0x20000000ull
#define NSLOTS   64

struct slot {
    l4_word_t type, rights, a, b, object;
};

static struct slot snapshot[NSLOTS];
static _Alignas(4096) struct l4_utcb server_utcb;
static _Alignas(16) char server_stack[8192], partner_stack[8192], ext_buf[L4_EXT_MAX];
static l4_word_t prio, served, served_fuzzer;

/* Answer every message on the service endpoint, from anyone, with its first word plus one. */
static long server(l4_word_t arg)
{
    l4_word_t tag, m0, m1, m2, m3, badge;
    l4_err_t err = l4_ipc_recv(VICTIM_SVC, 0, &tag, &m0, &m1, &m2, &m3, &badge);

    (void)arg;
    for (;;) {
        if (!err) {
            served++;
            served_fuzzer += badge != 0;
        }
        server_utcb.ext_recv = (l4_word_t)ext_buf;
        server_utcb.ext_recv_len = sizeof(ext_buf);
        err = l4_ipc_reply_recv(VICTIM_SVC, L4_TAG(0, 1, 0), m0 + 1, 0, 0, 0, &tag, &m0, &m1, &m2,
                                &m3, &badge);
    }
    return 0;
}

/* Answer one call on the beat's endpoint, then signal the beat's notification. */
static long partner(l4_word_t n)
{
    l4_word_t tag, m0, x;

    if (l4_ipc_recv(B_EP, 0, &tag, &m0, &x, &x, &x, &x) == L4_OK && m0 == n)
        l4_ipc_reply(L4_TAG(0, 1, 0), n + 1, 0, 0, 0);
    l4_notify_signal(B_NTF);
    return 0;
}

static l4_err_t start_thread(l4_cap_t slot, long (*fn)(l4_word_t), char *stack, size_t size,
                             l4_word_t arg)
{
    l4_word_t ip, sp = l4_thread_frame(stack + size, fn, &ip); // fn's return ends the thread
    l4_err_t err = l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, prio, slot, NULL);
    if (!err)
        err = l4_thread_exregs(slot, L4_EXREGS_ALL, ip, sp, arg, NULL, NULL);
    if (!err)
        err = l4_thread_start(slot);
    return err;
}

static void take_snapshot(struct slot *s)
{
    for (l4_cap_t i = 0; i < NSLOTS; i++) {
        s[i] = (struct slot){0};
        l4_cap_read(i, &s[i].type, &s[i].rights, &s[i].a, &s[i].b, &s[i].object, NULL);
    }
}

/* The first slot whose capability differs from the snapshot, or -1. */
static long table_changed(void)
{
    static struct slot now[NSLOTS];

    take_snapshot(now);
    for (long i = 0; i < NSLOTS; i++) {
        if (memcmp(&now[i], &snapshot[i], sizeof(now[i])) != 0)
            return i;
    }
    return -1;
}

#define CHECK(call, what)                                                                          \
    do {                                                                                           \
        l4_err_t e_ = (call);                                                                      \
        if (e_) {                                                                                  \
            *err = e_;                                                                             \
            return what;                                                                           \
        }                                                                                          \
    } while (0)

/* One beat's work; NULL if all went as it must, else what failed (and *err why). */
static const char *beat(l4_word_t n, l4_err_t *err)
{
    l4_word_t tag, r0, x, bits;

    CHECK(l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), B_EP, NULL), "endpoint_create");
    CHECK(l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), B_NTF, NULL),
          "notification_create");
    CHECK(start_thread(B_THREAD, partner, partner_stack, sizeof(partner_stack), n),
          "thread_create");
    CHECK(l4_ipc_call(B_EP, L4_TAG(1, 1, 0), n, 0, 0, 0, &tag, &r0, &x, &x, &x, &x),
          "call to the partner");
    if (r0 != n + 1)
        return "the partner's answer";
    CHECK(l4_notify_wait(B_NTF, &bits), "notify_wait");
    if (bits != 1)
        return "the partner's signal";
    l4_err_t gone = l4_thread_destroy(B_THREAD); // it may have ended already
    if (gone != L4_OK && gone != L4_ECAP) {
        *err = gone;
        return "thread_destroy";
    }
    CHECK(l4_ipc_call(VICTIM_SVC, L4_TAG(1, 1, 0), n, 0, 0, 0, &tag, &r0, &x, &x, &x, &x),
          "call to its service");
    if (r0 != n + 1)
        return "its service's answer";
    CHECK(l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), B_SPACE,
                          NULL),
          "space_create");
    CHECK(l4_mem_map(L4_SLOT_MEMORY, 0, B_SPACE, VA, L4_MAP_READ), "mem_map (new space)");
    CHECK(l4_mem_map(L4_SLOT_MEMORY, (n % 16) * L4_PAGE_SIZE, L4_SLOT_SPACE, VA,
                     L4_MAP_READ | L4_MAP_WRITE),
          "mem_map");
    volatile l4_word_t *p = (volatile l4_word_t *)VA;
    p[n % 512] = n * 0x9e3779b97f4a7c15ull;
    bool kept = p[n % 512] == n * 0x9e3779b97f4a7c15ull;
    CHECK(l4_mem_unmap(L4_SLOT_SPACE, VA), "mem_unmap");
    if (!kept)
        return "its memory";
    CHECK(l4_cap_destroy(B_SPACE), "cap_destroy (space)");
    CHECK(l4_cap_destroy(B_EP), "cap_destroy (endpoint)");
    CHECK(l4_cap_destroy(B_NTF), "cap_destroy (notification)");
    return NULL;
}

/* After a failed beat: what it left must not make the next one fail too. */
static void clean_up(void)
{
    l4_thread_destroy(B_THREAD);
    l4_mem_unmap(L4_SLOT_SPACE, VA);
    l4_cap_destroy(B_SPACE);
    l4_cap_destroy(B_EP);
    l4_cap_destroy(B_NTF);
}

int victim_main(const char *arg)
{
    l4_word_t hz = ticks_per_sec(), period = arg_value(arg, "beat", 100) * hz / 1000;
    l4_word_t late = arg_value(arg, "late", 2000) * hz / 1000, bits, x;
    l4_word_t beats = 0, last = 0, longest = 0, next = 0;
    unsigned failures = 0;

    l4_thread_id(&x, &x, &prio);
    server_utcb.cap_recv = ~0ull; // no capability can come in: nobody has a transfer right
    if (l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), L4_SLOT_SPACE, prio, SERVER, NULL) ||
        l4_thread_configure(SERVER, L4_THREAD_UTCB, (l4_word_t)&server_utcb) ||
        l4_thread_exregs(SERVER, L4_EXREGS_ALL, (l4_word_t)server,
                         L4_ENTRY_SP(server_stack + sizeof(server_stack)), 0, NULL, NULL) ||
        l4_thread_start(SERVER)) {
        printf("victim: FAIL: cannot start its service thread\n");
        return 1;
    }
    for (;;) {
        l4_notify_wait(VICTIM_TICK_NTF, &bits);
        if (bits & VICTIM_STOP)
            break;
        l4_word_t now = now_ticks();
        if (now < next)
            continue;
        l4_err_t err = L4_OK;
        const char *what = beat(beats, &err);
        if (beats == 0) // the first beat leaves page tables for VA: compare with after it
            take_snapshot(snapshot);
        long changed = what ? -1 : table_changed();
        if (what || changed >= 0) {
            failures++;
            clean_up();
            if (what)
                printf("victim: FAIL beat %lu: %s: %s\n", beats, what, l4_strerror(err));
            else
                printf("victim: FAIL beat %lu: slot %ld changed\n", beats, changed);
        }
        if (beats && now - last > longest)
            longest = now - last;
        if (beats && now - last > late) {
            failures++;
            printf("victim: FAIL beat %lu came %lu ms after the last\n", beats,
                   (now - last) * 1000 / hz);
        }
        printf("victim: beat %lu at %lu ms\n", beats, now * 1000 / hz);
        beats++;
        last = now;
        next = now + period;
    }
    l4_thread_destroy(SERVER);
    if (failures)
        printf("victim: %lu beats, %u FAILURES\n", beats, failures);
    else
        printf(
            "victim: %lu beats, all pools intact; longest gap %lu ms; served %lu calls (%lu from "
            "the fuzzer)\n",
            beats, longest * 1000 / hz, served, served_fuzzer);
    return 0;
}
