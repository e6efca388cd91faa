/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * RV12M-xxx: a hostile review of issue 12's memory side (tests/qemu/systems/rv12m.toml,
 * under -M q35). Rights a deduce takes must take the mappings made with them, in every space
 * they were shared into; an extended message's buffer on device memory is never asked of a
 * pager (the kernel could never copy there, whatever it maps); a copy-on-write page as a
 * receive buffer faults to the pager as a write to a present page.
 */
#include "test.h"

#include <coffer/cap.h>
#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/regs.h>
#include <coffer/thread.h>

/* rv12m's slots: system file */
#define SPARE    17 /* two pages of device memory nothing decodes */
#define OTHER    18 /* the other container: receive */
#define OTHER_EP 19 /* other.ep: send */
/* rv12m's slots, filled here */
#define MID      24 /* a copy of its region, the parent of what other gets */
#define LENT     25
#define PAGER    26
#define EP       27
#define THR_P    28
#define THR_S    29
#define THR_R    30
/* other's slots */
#define EP_OTHER 16 /* its endpoint (system file) */
#define GIVEN    20 /* the region copy rv12m lends */
#define SPACE_B  21
#define SPACE_C  22

#define PAGE    4096ul
#define VA_A    0x50000000ul /* other: the lent page, in its space and the two it makes */
#define DEV_VA  0x60000000ul /* rv12m: the spare device page */
#define COW_VA  0x61000000ul /* rv12m: a region page mapped read-only */
#define AREA2   0x62000000ul /* rv12m: unmapped pages, for a pager that maps */
#define SRC_LEN 64
#define MAX_RESUMES                                                                                \
    3 /* the pager resumes this often, then refuses: a fault that mapping cannot cure ends the  \
       * test instead of looping */

enum { ASK_MAP = 1, ASK_CHECK, ASK_REMAP, ASK_END };

/* --- other: holds the lent page, maps and shares it, says what the kernel lets it do ------ */

/* Bit 0: the kernel may write the page at va of its own space; bit 1: it may read it. */
static l4_word_t access_of(l4_word_t va)
{
    l4_word_t bits = 0;

    if (l4_thread_regs(L4_SLOT_THREAD, L4_REGS_GET, NULL, (void *)va) == L4_OK)
        bits |= 1;
    if (l4_futex_wait(va, 0x5eed5eedul) == L4_ESTATE) // readable, and not that value
        bits |= 2;
    return bits;
}

/* Bit 0: something is mapped at VA_A in space B, bit 1 in space C (unmapping it). */
static l4_word_t mapped_in_others(void)
{
    return (l4_mem_unmap(SPACE_B, VA_A) == L4_OK) | (l4_mem_unmap(SPACE_C, VA_A) == L4_OK) << 1;
}

static l4_word_t share(l4_word_t perms)
{
    l4_word_t n = 0, ok = 1;

    ok &= l4_mem_share(GIVEN, L4_SLOT_SPACE, SPACE_B, VA_A, 1, perms, &n) == L4_OK;
    ok &= l4_mem_share(GIVEN, L4_SLOT_SPACE, SPACE_C, VA_A, 1, perms, &n) == L4_OK;
    return ok;
}

static int other(void)
{
    l4_word_t tag, what, x, answer = 0, id;

    l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), SPACE_B, &id);
    l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), SPACE_C, &id);
    l4_err_t err = l4_ipc_recv(EP_OTHER, 0, &tag, &x, &x, &x, &x, &x);
    while (!err && (what = L4_TAG_LABEL(tag)) != ASK_END) {
        if (what == ASK_MAP) // writable, here and in two more spaces
            answer =
                l4_mem_map(GIVEN, 0, L4_SLOT_SPACE, VA_A, L4_MAP_READ | L4_MAP_WRITE) == L4_OK &&
                share(L4_MAP_READ | L4_MAP_WRITE) && access_of(VA_A) == 3;
        else if (what == ASK_CHECK) // its access, and what the other spaces still map
            answer = access_of(VA_A) | mapped_in_others() << 2;
        else if (what == ASK_REMAP) { // read-only again; WRITE no capability of its gives
            l4_word_t n = 0;
            l4_mem_unmap(L4_SLOT_SPACE, VA_A);
            answer = (l4_mem_map(GIVEN, 0, L4_SLOT_SPACE, VA_A, L4_MAP_READ) == L4_OK) |
                     (l4_mem_protect(GIVEN, L4_SLOT_SPACE, VA_A, 1, L4_MAP_READ | L4_MAP_WRITE,
                                     &n) == L4_ERIGHTS)
                         << 1 |
                     share(L4_MAP_READ) << 2;
        }
        err =
            l4_ipc_reply_recv(EP_OTHER, L4_TAG(0, 0, 0), answer, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return 0;
}

static l4_word_t ask(l4_word_t what)
{
    l4_word_t x, answer = ~0ul;

    l4_ipc_call(OTHER_EP, L4_TAG(what, 0, 0), 0, 0, 0, 0, &x, &answer, &x, &x, &x, &x);
    return answer;
}

/*
 * RV12M-001..004: rv12m lends other a writable copy of a region page (a grandchild of its
 * region); other maps it writable and shares it writable into two spaces of its own. A deduce
 * of the copy's parent takes WRITE from other's copy: no writable mapping other made with it
 * may stay (the mappings go; read-only ones may be made again, WRITE not). A revoke then
 * takes every mapping, in all three spaces.
 */
static void deduced_rights(void)
{
    struct cap_info m = cap_info(L4_SLOT_MEMORY);

    l4_cap_replicate(L4_SLOT_MEMORY, MID);
    l4_cap_replicate(MID, LENT);
    l4_cap_deduce(LENT, m.rights, m.a, PAGE);
    l4_err_t lent = l4_cap_grant(LENT, OTHER, GIVEN);
    l4_word_t mapped = ask(ASK_MAP);
    test_report("RV12M-001", lent == L4_OK && mapped == 1,
                "grant %s; other's writable mapping and shares: %lu", l4_strerror(lent), mapped);
    l4_err_t deduced = l4_cap_deduce(MID, m.rights & ~L4_MEM_WRITE, m.a, m.b);
    l4_word_t after = ask(ASK_CHECK);
    test_report("RV12M-002", deduced == L4_OK && !(after & 1) && !(after & (3 << 2)),
                "deduce %s; other may still write the page: %lu, spaces B and C still map it: "
                "%lu",
                l4_strerror(deduced), after & 1, after >> 2);
    l4_word_t remap = ask(ASK_REMAP);
    test_report("RV12M-003", remap == 7,
                "other's read-only mapping %lu, mem_protect to WRITE refused %lu, read-only "
                "shares %lu",
                remap & 1, remap >> 1 & 1, remap >> 2 & 1);
    l4_err_t revoked = l4_cap_revoke(MID);
    after = ask(ASK_CHECK);
    test_report("RV12M-004", revoked == L4_OK && after == 0,
                "revoke %s; other's access %lu, spaces B and C map it %lu", l4_strerror(revoked),
                after & 3, after >> 2);
    l4_cap_destroy(MID);
}

/* --- extended messages on device memory and copy-on-write pages --------------------------- */

static volatile int faults, resumes;
static volatile l4_word_t fault_addr, fault_error;
static volatile int fix_cow;     /* the pager makes COW_VA writable */
static volatile int map_fresh;   /* the pager maps a fresh region frame at the page */
static volatile int hijack;      /* after its resume, the pager rewrites the receiver's registers */
static l4_word_t next_frame = 2; /* region frames 0 (lent) and 1 (COW_VA) are taken */

static void hijack_receiver(void);

static long pager_loop(l4_word_t arg)
{
    l4_word_t tag, vector, addr, ip, code, x, n;
    l4_err_t err = l4_ipc_recv(PAGER, 0, &tag, &vector, &addr, &ip, &code, &x);

    (void)arg;
    while (!err) {
        l4_word_t label = 1;
        if (L4_TAG_LABEL(tag) == L4_LABEL_FAULT && vector == L4_FAULT_PAGE) {
            if (!faults++) {
                fault_addr = addr;
                fault_error = code;
            }
            if (fix_cow && (addr & ~(PAGE - 1)) == COW_VA)
                l4_mem_protect(L4_SLOT_MEMORY, L4_SLOT_SPACE, COW_VA, 1, L4_MAP_READ | L4_MAP_WRITE,
                               &n);
            if (map_fresh)
                l4_mem_map(L4_SLOT_MEMORY, next_frame++ * PAGE, L4_SLOT_SPACE, addr & ~(PAGE - 1),
                           L4_MAP_READ | L4_MAP_WRITE);
            if (resumes < MAX_RESUMES) { // a pager that maps nothing new, and resumes
                resumes++;
                label = L4_FAULT_RESUME;
            }
        }
        l4_ipc_reply(L4_TAG(label, 0, 0), 0, 0, 0, 0);
        if (hijack) { // the receiver is ready, about to go on with its copy: not any more
            hijack = 0;
            hijack_receiver();
        }
        err = l4_ipc_recv(PAGER, 0, &tag, &vector, &addr, &ip, &code, &x);
    }
    return 0;
}

static struct l4_utcb utcb_s __attribute__((aligned(4096)));
static struct l4_utcb utcb_r __attribute__((aligned(4096)));
static unsigned char src[SRC_LEN], dst[SRC_LEN];
static volatile l4_err_t send_err, recv_err;
static volatile l4_word_t recv_tag, received;
static volatile int sent, got;

static long sender(l4_word_t buf)
{
    l4_thread_configure(THR_S, L4_THREAD_UTCB, (l4_word_t)&utcb_s);
    l4_thread_configure(THR_S, L4_THREAD_FAULT_EP, PAGER);
    utcb_s.ext_send = buf;
    utcb_s.ext_send_len = SRC_LEN;
    send_err = l4_ipc_send(EP, L4_TAG(5, 0, L4_IPC_EXT), 1, 0, 0, 0);
    sent = 1;
    return 0;
}

static long receiver(l4_word_t buf)
{
    l4_word_t tag = 0, x;

    l4_thread_configure(THR_R, L4_THREAD_UTCB, (l4_word_t)&utcb_r);
    l4_thread_configure(THR_R, L4_THREAD_FAULT_EP, PAGER);
    utcb_r.ext_recv = buf;
    utcb_r.ext_recv_len = SRC_LEN;
    utcb_r.ext_received = ~0ul;
    recv_err = l4_ipc_recv(EP, 0, &tag, &x, &x, &x, &x, &x);
    recv_tag = tag;
    received = utcb_r.ext_received;
    got = 1;
    return 0;
}

static void reset(void)
{
    faults = resumes = sent = got = 0;
    fault_addr = fault_error = 0;
    send_err = recv_err = -1;
    received = ~0ul;
    recv_tag = 0;
    l4_thread_forget_ended(THR_S);
    l4_thread_forget_ended(THR_R);
}

/* The receiver first (it waits on EP), then the sender; both run above main. */
static void exchange(l4_word_t from, l4_word_t to)
{
    l4_thread_spawn(receiver, to, 120, THR_R);
    l4_thread_spawn(sender, from, 110, THR_S);
    for (int i = 0; i < 50 && !(sent && got); i++)
        l4_thread_yield();
}

static void report(const char *id, bool ok)
{
    test_report(id, ok,
                "send %s (done %d), receive %s (done %d) tag %lx, %lu bytes; the pager saw %d "
                "fault(s), the first at %lx error %lx",
                l4_strerror(send_err), sent, l4_strerror(recv_err), got, recv_tag, received, faults,
                fault_addr, fault_error);
    if (!sent || !got) { // a side waits still (the receiver, when the send failed): end it
        l4_thread_destroy(THR_S);
        l4_thread_destroy(THR_R);
    }
}

/*
 * RV12M-013: the receiver's registers are written (thread_regs) while it is ready to go on
 * with an extended copy its pager just resumed: the copy is dropped (the sender gets
 * ESTATE), and the thread must be able to fault its buffers in for its next message as
 * before: no state of the dropped fault may stay behind.
 */
static char again_stack[8192] __attribute__((aligned(16)));
static volatile l4_err_t first_send;

static void hijack_receiver(void)
{
    struct l4_regs r;
    l4_word_t ip, sp = l4_thread_frame(again_stack + sizeof(again_stack), receiver, &ip);

    l4_thread_regs(THR_R, L4_REGS_GET, NULL, &r);
    L4_REGS_IP(&r) = ip;
    L4_REGS_SP(&r) = sp;
    L4_REGS_ARG(&r) = AREA2 + PAGE;
    l4_thread_regs(THR_R, L4_REGS_SET, &r, NULL);
}

static void hijacked(void)
{
    reset();
    map_fresh = 1;
    hijack = 1;
    exchange((l4_word_t)src, AREA2); // the receiver's first fault: its registers are written
    first_send = send_err;
    sent = 0;
    send_err = -1;
    faults = 0;
    l4_thread_forget_ended(THR_S);
    l4_thread_spawn(sender, (l4_word_t)src, 110, THR_S); // to the receiver restarted
    for (int i = 0; i < 50 && !(sent && got); i++)
        l4_thread_yield();
    report("RV12M-013", first_send == L4_ESTATE && send_err == L4_OK && recv_err == L4_OK &&
                            !(recv_tag & L4_IPC_TRUNC) && received == SRC_LEN && faults == 1 &&
                            fault_addr == AREA2 + PAGE);
    map_fresh = 0;
}

/*
 * RV12M-010: a send buffer on device memory is EFAULT, and its pager is not asked: the page
 * is mapped (a fault message would say it is not), and no answer could let the kernel read
 * it. RV12M-011: a receive buffer there is cut, with no fault either, and the sender goes on.
 * RV12M-012: a receive buffer page mapped read-only (copy-on-write) faults to the pager as a
 * write to a present page (L4_PF_PRESENT | L4_PF_WRITE | L4_PF_USER), and the copy completes
 * once it is writable.
 */
static void device_buffers(void)
{
    l4_word_t id;
    l4_err_t mapped = l4_mem_map(SPARE, 0, L4_SLOT_SPACE, DEV_VA, L4_MAP_READ | L4_MAP_WRITE);

    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), PAGER, &id);
    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), EP, &id);
    l4_thread_spawn(pager_loop, 0, 150, THR_P);

    reset();
    exchange(DEV_VA, (l4_word_t)dst);
    report("RV12M-010", mapped == L4_OK && send_err == L4_EFAULT && faults == 0);

    reset();
    exchange((l4_word_t)src, DEV_VA);
    report("RV12M-011", send_err == L4_OK && recv_err == L4_OK && (recv_tag & L4_IPC_TRUNC) &&
                            received == 0 && faults == 0);

    reset();
    fix_cow = 1;
    for (unsigned i = 0; i < SRC_LEN; i++)
        src[i] = (unsigned char)(i * 3 + 1);
    l4_err_t ro = l4_mem_map(L4_SLOT_MEMORY, PAGE, L4_SLOT_SPACE, COW_VA, L4_MAP_READ);
    exchange((l4_word_t)src, COW_VA + 0x100);
    bool same = true;
    for (unsigned i = 0; i < SRC_LEN && ro == L4_OK; i++)
        same &= ((volatile unsigned char *)COW_VA)[0x100 + i] == src[i];
    report("RV12M-012", ro == L4_OK && send_err == L4_OK && recv_err == L4_OK &&
                            !(recv_tag & L4_IPC_TRUNC) && received == SRC_LEN && same &&
                            faults == 1 && fault_addr == COW_VA + 0x100 &&
                            fault_error == (L4_PF_PRESENT | L4_PF_WRITE | L4_PF_USER));
    fix_cow = 0;
    hijacked();
    l4_thread_destroy(THR_P);
}

int main(const char *arg)
{
    if (arg && !strcmp(arg, "other"))
        return other();
    deduced_rights();
    device_buffers();
    ask(ASK_END);
    printf("rv12m: done\n");
    return 0;
}
