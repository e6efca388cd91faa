/* SPDX-License-Identifier: BSD-2-Clause */
/* Memory conformance: MEM-xxx, one test per documented error of mem_map and mem_unmap,
 * read-only mappings enforced, and memory shared with another container. */
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/layout.h>
#include <coffer/mem.h>
#include <coffer/thread.h>

/* Slots from tests/qemu/systems/memtest.toml */
#define PEER_EP   16 /* peer.ep: send */
#define PEER      17 /* the peer container: receive */
/* Slots this program fills */
#define OWN_EP    20
#define WEAK      21
#define PART      22 /* a part of our region, for the peer */
#define FAULTY    23
#define EMPTY     63
#define MEM       L4_SLOT_MEMORY
#define SPACE     L4_SLOT_SPACE
#define VA        0x20000000ull
#define PEER_SLOT 30 /* where the peer finds the shared part */

static void weaker(l4_cap_t src, l4_cap_t dest, l4_word_t rights)
{
    struct l4_cap_info i = {0};

    l4_cap_read(src, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth);
    l4_cap_replicate(src, dest);
    l4_cap_deduce(dest, rights, i.a, i.b);
}

static void map_errors(void)
{
    EXPECT_ERR("MEM-001", l4_mem_map(SPACE, 0, SPACE, VA, L4_MAP_READ), L4_ECAP);
    EXPECT_ERR("MEM-002", l4_mem_map(MEM, 0, MEM, VA, L4_MAP_READ), L4_ECAP);
    weaker(MEM, WEAK, L4_RIGHTS_CAP | L4_MEM_READ);
    EXPECT_ERR("MEM-003", l4_mem_map(WEAK, 0, SPACE, VA, L4_MAP_READ | L4_MAP_WRITE), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    weaker(MEM, WEAK, L4_RIGHTS_CAP | L4_MEM_READ | L4_MEM_WRITE);
    EXPECT_ERR("MEM-028", l4_mem_map(WEAK, 0, SPACE, VA, L4_MAP_READ | L4_MAP_EXEC), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    weaker(SPACE, WEAK, L4_RIGHTS_CAP | L4_SPACE_BIND);
    EXPECT_ERR("MEM-004", l4_mem_map(MEM, 0, WEAK, VA, L4_MAP_READ), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("MEM-005", l4_mem_map(MEM, 0, SPACE, VA, L4_MAP_WRITE), L4_EINVAL);
    EXPECT_ERR("MEM-006", l4_mem_map(MEM, 0, SPACE, VA, L4_MAP_READ | 8), L4_EINVAL);
    EXPECT_ERR("MEM-007", l4_mem_map(MEM, 100, SPACE, VA, L4_MAP_READ), L4_EINVAL);
    EXPECT_ERR("MEM-008", l4_mem_map(MEM, 16 * 4096, SPACE, VA, L4_MAP_READ), L4_ERANGE);
    EXPECT_ERR("MEM-009", l4_mem_map(MEM, 0, SPACE, VA + 8, L4_MAP_READ), L4_EINVAL);
    EXPECT_ERR("MEM-010", l4_mem_map(MEM, 0, SPACE, 0, L4_MAP_READ), L4_ERANGE);
    EXPECT_ERR("MEM-011", l4_mem_map(MEM, 0, SPACE, L4_USER_TOP, L4_MAP_READ), L4_ERANGE);
    EXPECT_ERR("MEM-012", l4_mem_map(MEM, 0, SPACE, 0x400000, L4_MAP_READ), L4_EBUSY); // our code
    /* MEM-013: in a spare space, every new 2 MiB stretch needs a page-table page, until the
     * pool is empty; destroying the space gives them all back */
    l4_word_t id;
    l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES), 24, &id);
    l4_err_t err = L4_OK;
    unsigned n = 0;
    for (; n < 200 && !err; n++)
        err = l4_mem_map(MEM, 0, 24, 0x40000000ull + n * 0x200000ull, L4_MAP_READ);
    test_report("MEM-013", err == L4_ENOMEM && n > 10, "after %u maps: %s", n, l4_strerror(err));
    l4_cap_destroy(24);
}

static void map_and_use(void)
{
    EXPECT_ERR("MEM-014", l4_mem_map(MEM, 4096, SPACE, VA, L4_MAP_READ | L4_MAP_WRITE), L4_OK);
    volatile l4_word_t *p = (volatile l4_word_t *)VA;
    p[0] = 0x1234;
    p[511] = 0x5678;
    /* the same frame at a second address, read-only: the data is the same */
    l4_mem_map(MEM, 4096, SPACE, VA + 4096, L4_MAP_READ);
    volatile l4_word_t *q = (volatile l4_word_t *)(VA + 4096);
    test_report("MEM-015", q[0] == 0x1234 && q[511] == 0x5678, "alias reads %lx %lx", q[0], q[511]);
}

static long write_to(l4_word_t addr)
{
    *(volatile l4_word_t *)addr = 1;
    return 0;
}

/* A write to the read-only alias faults with a write error; its handler (we) sees it. */
static void read_only_enforced(void)
{
    l4_word_t id, tag, vec, addr, ip, code, badge;

    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), OWN_EP, &id);
    l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), SPACE, 100, FAULTY, NULL);
    char *stack = malloc(4096);
    l4_thread_exregs(FAULTY, L4_EXREGS_ALL, (l4_word_t)write_to, L4_ENTRY_SP(stack + 4096),
                     VA + 4096, NULL, NULL);
    l4_thread_configure(FAULTY, L4_THREAD_FAULT_EP, OWN_EP);
    l4_thread_start(FAULTY);
    l4_ipc_recv(OWN_EP, 0, &tag, &vec, &addr, &ip, &code, &badge);
    test_report("MEM-016", vec == 14 && addr == VA + 4096 && (code & 2),
                "vector %lu address %lx error %lx", vec, addr, code);
    /* make it writable and let the thread retry: it succeeds */
    l4_mem_unmap(SPACE, VA + 4096);
    l4_mem_map(MEM, 4096, SPACE, VA + 4096, L4_MAP_READ | L4_MAP_WRITE);
    l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0);
    l4_thread_yield();
    test_report("MEM-017", *(volatile l4_word_t *)VA == 1, "retried write not seen: %lx",
                *(volatile l4_word_t *)VA);
    l4_thread_destroy(FAULTY); // it has nowhere to return to
}

/*
 * A page mapped without L4_MAP_EXEC is no-execute: a thread started there faults on the
 * instruction fetch (error code bit 4); mapped again with EXEC, the same code runs (it
 * stores 42 through a writable alias of its page, then spins).
 */
#define XVA 0x22000000ull

static void exec_enforced(void)
{
#ifdef __aarch64__
    static const uint32_t code[] = {
        0xd2800540, // mov x0, #42
        0xd2830001, // mov x1, #0x1800
        0xf2a44001, // movk x1, #0x2200, lsl #16: XVA + 0x1800
        0xf9000020, // str x0, [x1]
        0x14000000, // b .
    };
#else
    static const unsigned char code[] = {
        0x48, 0xc7, 0x04, 0x25, 0x00, 0x18,
        0x00, 0x22, 0x2a, 0x00, 0x00, 0x00, // movq $42, XVA+0x1800
        0xeb, 0xfe,                         // jmp .
    };
#endif
    volatile l4_word_t *flag = (volatile l4_word_t *)(XVA + 0x1800);
    l4_word_t tag, vec, addr, ip, code_err, badge;

    l4_mem_map(MEM, 3 * 4096, SPACE, XVA, L4_MAP_READ | L4_MAP_WRITE);
    l4_mem_map(MEM, 3 * 4096, SPACE, XVA + 4096, L4_MAP_READ | L4_MAP_WRITE);
    memcpy((void *)XVA, code, sizeof code);
    *flag = 0;
    l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), SPACE, 100, FAULTY, NULL);
    l4_thread_exregs(FAULTY, L4_EXREGS_ALL, XVA, 0, 0, NULL, NULL);
    l4_thread_configure(FAULTY, L4_THREAD_FAULT_EP, OWN_EP);
    l4_thread_start(FAULTY);
    l4_ipc_recv(OWN_EP, 0, &tag, &vec, &addr, &ip, &code_err, &badge);
    test_report("MEM-031", vec == 14 && addr == XVA && (code_err & 0x10) && *flag == 0,
                "vector %lu address %lx error %lx flag %lx", vec, addr, code_err, *flag);
    l4_mem_unmap(SPACE, XVA);
    l4_mem_map(MEM, 3 * 4096, SPACE, XVA, L4_MAP_READ | L4_MAP_EXEC);
    l4_ipc_reply(L4_TAG(L4_FAULT_RESUME, 0, 0), 0, 0, 0, 0);
    for (unsigned i = 0; i < 100 && *flag != 42; i++)
        l4_thread_yield();
    test_report("MEM-032", *flag == 42, "the code mapped with EXEC did not run: flag %lx", *flag);
    l4_thread_destroy(FAULTY);
    l4_mem_unmap(SPACE, XVA);
    l4_mem_unmap(SPACE, XVA + 4096);
}

static void unmap_errors(void)
{
    EXPECT_ERR("MEM-018", l4_mem_unmap(MEM, VA), L4_ECAP);
    weaker(SPACE, WEAK, L4_RIGHTS_CAP | L4_SPACE_BIND);
    EXPECT_ERR("MEM-019", l4_mem_unmap(WEAK, VA), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("MEM-020", l4_mem_unmap(SPACE, VA + 1), L4_EINVAL);
    EXPECT_ERR("MEM-021", l4_mem_unmap(SPACE, VA + 0x100000), L4_ESTATE);
    EXPECT_ERR("MEM-022", l4_mem_unmap(SPACE, VA), L4_OK);
    EXPECT_ERR("MEM-023", l4_mem_unmap(SPACE, VA), L4_ESTATE);
}

/* Half our region goes to the peer, which maps it and reads what we wrote. */
static void shared(void)
{
    l4_word_t x, value = 0;

    l4_mem_map(MEM, 8 * 4096, SPACE, VA, L4_MAP_READ | L4_MAP_WRITE);
    *(volatile l4_word_t *)VA = 0xc0ffee;
    /* split off the part, and give the peer a copy of it: we keep ours */
    l4_cap_split(MEM, PART, 8 * 4096);
    l4_cap_replicate(PART, WEAK);
    EXPECT_ERR("MEM-024", l4_cap_grant(WEAK, PEER, PEER_SLOT), L4_OK);
    l4_err_t err = l4_ipc_call(PEER_EP, L4_TAG(1, 0, 0), 0, 0, 0, 0, &x, &value, &x, &x, &x, &x);
    test_report("MEM-025", err == L4_OK && value == 0xc0ffee, "peer read %lx (%s)", value,
                l4_strerror(err));
    /* and what the peer wrote back is here */
    test_report("MEM-026", *(volatile l4_word_t *)(VA + 8) == 0xbeef, "peer's write: %lx",
                *(volatile l4_word_t *)(VA + 8));
    /* revoking the part's copies takes the peer's mapping with it; ours stays */
    l4_word_t answer = 0;
    l4_cap_revoke(PART);
    l4_ipc_call(PEER_EP, L4_TAG(3, 0, 0), 0, 0, 0, 0, &x, &answer, &x, &x, &x, &x);
    test_report("MEM-027", answer == L4_ESTATE && *(volatile l4_word_t *)VA == 0xc0ffee,
                "after the revoke the peer's unmap said %s", l4_strerror((l4_err_t)answer));
    /* narrowing our part to its first page takes away our mapping of its second */
    struct l4_cap_info p = {0};
    l4_cap_read(PART, &p.type, &p.rights, &p.a, &p.b, &p.object, &p.depth);
    l4_err_t mapped = l4_mem_map(PART, 4096, SPACE, VA + 0x10000, L4_MAP_READ);
    l4_cap_deduce(PART, p.rights, p.a, 4096);
    l4_err_t unmapped = l4_mem_unmap(SPACE, VA + 0x10000);
    test_report("MEM-029",
                mapped == L4_OK && unmapped == L4_ESTATE && *(volatile l4_word_t *)VA == 0xc0ffee,
                "map %s; after narrowing, its unmap said %s", l4_strerror(mapped),
                l4_strerror(unmapped));
    /* giving the part (our only capability over VA's page) away takes our mapping too */
    l4_err_t granted = l4_cap_grant(PART, PEER, PEER_SLOT + 1);
    unmapped = l4_mem_unmap(SPACE, VA);
    test_report("MEM-030", granted == L4_OK && unmapped == L4_ESTATE,
                "grant %s; then our unmap said %s", l4_strerror(granted), l4_strerror(unmapped));
}

/*
 * A memory capability over mapped pages goes: frames no other capability of ours covers with
 * the rights their mappings need are unmapped, the others stay. The kernel keeps what it learnt
 * of one frame for the frames around it, up to the nearest capability on either side, for
 * the same rights (container.c, covers): the pages are mapped in an order that puts a frame
 * just past that interval, or in it but needing other rights, after each.
 */
#define GVA 0x23000000ull
#define R   40
#define X   41
#define Y   42

static void gone_between(void)
{
    /* page of MEM, and whether the mapping is writable, at GVA + i pages */
    static const struct {
        l4_word_t page;
        bool write, stays;
    } map[] = {
        {3, false, true}, // X keeps READ
        {2, true, false}, // the same interval as the one before, but WRITE: X lacks it
        {4, true, true},  // just above the gap [2, 4): Y covers it
        {3, true, false}, // back in the gap
        {0, true, true},  // just below it: MEM covers it
    };
    l4_word_t type, rights, a, b, obj, depth;
    l4_err_t err = l4_cap_replicate(MEM, R); // MEM is our region's first 8 pages now
    unsigned wrong = 0;

    for (unsigned i = 0; i < 5; i++) {
        l4_word_t perms = L4_MAP_READ | (map[i].write ? L4_MAP_WRITE : 0);
        err = err ? err : l4_mem_map(R, map[i].page * 4096, SPACE, GVA + i * 4096, perms);
    }
    /* two parts of MEM (a deduce reaches what was split from the capability it narrows) */
    err = err ? err : l4_cap_split(MEM, Y, 4 * 4096); // MEM keeps pages 0..3, Y 4..7
    err = err ? err : l4_cap_split(MEM, X, 2 * 4096); // MEM keeps 0..1, X 2..3
    err = err ? err : l4_cap_read(X, &type, &rights, &a, &b, &obj, &depth);
    err = err ? err : l4_cap_deduce(X, L4_RIGHTS_CAP | L4_MEM_READ, a, b); // X: no WRITE
    err = err ? err : l4_cap_destroy(R);
    for (unsigned i = 0; i < 5; i++) {
        l4_err_t unmap = l4_mem_unmap(SPACE, GVA + i * 4096);
        if (unmap != (map[i].stays ? L4_OK : L4_ESTATE))
            wrong |= 1u << i;
    }
    test_report("MEM-033", !err && !(wrong & 0xa), "%s; uncovered pages still mapped: %x",
                l4_strerror(err), wrong & 0xa);
    test_report("MEM-034", !err && !(wrong & 0x15), "%s; covered pages unmapped: %x",
                l4_strerror(err), wrong & 0x15);
    /* what the kernel learnt is forgotten when capabilities change: a copy's destroy finds
     * page 0's writable mapping covered by MEM; then MEM loses WRITE, and the mapping goes */
    l4_mem_unmap(SPACE, VA + 4096); // MEM-015's read-only alias: only page 0's mapping is left
    err = l4_mem_map(MEM, 0, SPACE, GVA, L4_MAP_READ | L4_MAP_WRITE);
    err = err ? err : l4_cap_replicate(MEM, R);
    err = err ? err : l4_cap_destroy(R);
    l4_err_t kept = l4_mem_unmap(SPACE, GVA);
    err = err ? err : l4_mem_map(MEM, 0, SPACE, GVA, L4_MAP_READ | L4_MAP_WRITE);
    err = err ? err : l4_cap_replicate(MEM, R);
    err = err ? err : l4_cap_destroy(R);
    err = err ? err : l4_cap_read(MEM, &type, &rights, &a, &b, &obj, &depth);
    err = err ? err : l4_cap_deduce(MEM, L4_RIGHTS_CAP | L4_MEM_READ, a, b);
    l4_err_t gone = l4_mem_unmap(SPACE, GVA);
    test_report("MEM-035", !err && kept == L4_OK && gone == L4_ESTATE,
                "%s; after a copy's destroy the unmap said %s, after MEM lost WRITE %s",
                l4_strerror(err), l4_strerror(kept), l4_strerror(gone));
}

static int tests(void)
{
    map_errors();
    map_and_use();
    read_only_enforced();
    exec_enforced();
    unmap_errors();
    shared();
    gone_between();
    l4_word_t x;
    l4_ipc_call(PEER_EP, L4_TAG(2, 0, 0), 0, 0, 0, 0, &x, &x, &x, &x, &x, &x);
    printf("memtest: done\n");
    return 0;
}

/*
 * The peer: label 1 maps the shared part in PEER_SLOT, reads it, writes back; label 3 says
 * whether that mapping is still there; label 2 ends.
 */
static int peer(void)
{
    l4_word_t tag, x, answer = 0;
    l4_err_t err = l4_ipc_recv(16, 0, &tag, &x, &x, &x, &x, &x);

    while (!err && L4_TAG_LABEL(tag) != 2) {
        answer = 0;
        if (L4_TAG_LABEL(tag) == 1 &&
            l4_mem_map(PEER_SLOT, 0, SPACE, VA, L4_MAP_READ | L4_MAP_WRITE) == L4_OK) {
            answer = *(volatile l4_word_t *)VA;
            *(volatile l4_word_t *)(VA + 8) = 0xbeef;
        }
        if (L4_TAG_LABEL(tag) == 3) // unmapping what is not mapped says ESTATE
            answer = (l4_word_t)l4_mem_unmap(SPACE, VA);
        err = l4_ipc_reply_recv(16, L4_TAG(0, 1, 0), answer, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return 0;
}

/* Shared memory declared in the system file (tests/qemu/systems/shmtest.toml). */
#define SHM    18 /* writer: the shared piece it owns; reader: a read-only capability to it */
#define SYNC   16 /* writer: send to the reader; reader: its own endpoint */
#define SHM_VA 0x21000000ull

static int shm_writer(void)
{
    l4_word_t x, seen = 0;

    l4_err_t err = l4_mem_map(SHM, 4096, SPACE, SHM_VA, L4_MAP_READ | L4_MAP_WRITE);
    if (!err)
        *(volatile l4_word_t *)SHM_VA = 0x5ca1ab1e;
    l4_ipc_call(SYNC, L4_TAG(1, 0, 0), 0, 0, 0, 0, &x, &seen, &x, &x, &x, &x);
    test_report("SHM-001", err == L4_OK && seen == 0x5ca1ab1e, "map %s, reader saw %lx",
                l4_strerror(err), seen);
    return 0;
}

static int shm_reader(void)
{
    l4_word_t x, value = 0;
    struct l4_cap_info i = {0};

    l4_ipc_recv(SYNC, 0, &x, &x, &x, &x, &x, &x);
    l4_cap_read(SHM, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth);
    test_report("SHM-002", i.type == L4_CAP_MEMORY && i.b == 2 * 4096 && i.rights == L4_MEM_READ,
                "shared capability: type %lu size %lx rights %lx", i.type, i.b, i.rights);
    EXPECT_ERR("SHM-003", l4_mem_map(SHM, 4096, SPACE, SHM_VA, L4_MAP_READ | L4_MAP_WRITE),
               L4_ERIGHTS);
    if (l4_mem_map(SHM, 4096, SPACE, SHM_VA, L4_MAP_READ) == L4_OK)
        value = *(volatile l4_word_t *)SHM_VA;
    l4_ipc_reply(L4_TAG(0, 1, 0), value, 0, 0, 0);
    return 0;
}

/* I/O port capabilities (tests/qemu/systems/iotest.toml gives 0x3f8..0x3ff in slot 17). */
static int io_tests(void)
{
    const l4_cap_t io = 17;
    l4_word_t v = 0;

    EXPECT_ERR("IO-001", l4_ioport_in(SPACE, 0x3fd, 1, &v), L4_ECAP);
    weaker(io, WEAK, L4_RIGHT_COPY | L4_IO_READ);
    EXPECT_ERR("IO-002", l4_ioport_out(WEAK, 0x3f8, 1, 'x'), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    weaker(io, WEAK, L4_RIGHT_COPY | L4_IO_WRITE);
    EXPECT_ERR("IO-003", l4_ioport_in(WEAK, 0x3fd, 1, &v), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("IO-004", l4_ioport_in(io, 0x3fd, 3, &v), L4_EINVAL);
    EXPECT_ERR("IO-005", l4_ioport_in(io, 0x60, 1, &v), L4_ERANGE);
    EXPECT_ERR("IO-006", l4_ioport_in(io, 0x3ff, 2, &v), L4_ERANGE);
    EXPECT_ERR("IO-007", l4_ioport_in(io, ~0ull - 1, 4, &v), L4_ERANGE);
    l4_err_t err = l4_ioport_in(io, 0x3fd, 1, &v); // line status: the transmitter is idle
    test_report("IO-008", err == L4_OK && (v & 0x20), "%s, LSR %lx", l4_strerror(err), v);
    /* a split-off part covers only its own ports */
    l4_cap_split(io, WEAK, 5); // we keep 0x3f8..0x3fc, WEAK gets 0x3fd..0x3ff
    EXPECT_ERR("IO-009", l4_ioport_in(io, 0x3fd, 1, &v), L4_ERANGE);
    EXPECT_ERR("IO-010", l4_ioport_in(WEAK, 0x3fd, 1, &v), L4_OK);
    /* an access wider than the whole range (4 bytes over WEAK's 3 ports) */
    EXPECT_ERR("IO-011", l4_ioport_in(WEAK, 0x3fd, 4, &v), L4_ERANGE);
    printf("iotest: done\n");
    return 0;
}

/* Interrupts: the UART's "transmitter empty" interrupt on line 4 wakes a notification. */
static int irq_tests(void)
{
    const l4_cap_t io = 17, irq = 19, unused = 20, ntf = 24;
    l4_word_t id, bits = 0, iir = 0;

    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), ntf, &id);
    EXPECT_ERR("IRQ-001", l4_irq_bind(io, ntf), L4_ECAP);
    EXPECT_ERR("IRQ-002", l4_irq_bind(irq, io), L4_ECAP);
    weaker(ntf, WEAK, L4_RIGHT_COPY | L4_NTF_WAIT);
    EXPECT_ERR("IRQ-003", l4_irq_bind(irq, WEAK), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    weaker(irq, WEAK, L4_RIGHT_COPY);
    EXPECT_ERR("IRQ-004", l4_irq_bind(WEAK, ntf), L4_ERIGHTS);
    EXPECT_ERR("IRQ-005", l4_irq_ack(WEAK), L4_ERIGHTS);
    l4_cap_destroy(WEAK);
    EXPECT_ERR("IRQ-006", l4_irq_ack(io), L4_ECAP);
    EXPECT_ERR("IRQ-007", l4_irq_ack(unused), L4_ESTATE);
    EXPECT_ERR("IRQ-008", l4_irq_bind(irq, ntf), L4_OK);
    l4_ioport_out(io, 0x3f9, 1, 0x02); // IER: interrupt when the transmitter is empty
    l4_err_t err = l4_notify_wait(ntf, &bits);
    l4_ioport_in(io, 0x3fa, 1, &iir); // IIR: why the UART interrupted
    l4_ioport_out(io, 0x3f9, 1, 0);   // quiet again
    test_report("IRQ-009", err == L4_OK && bits == 1 && (iir & 0x0f) == 0x02,
                "%s, bits %lx, IIR %lx", l4_strerror(err), bits, iir);
    EXPECT_ERR("IRQ-010", l4_irq_ack(irq), L4_OK);
    /* a binding lasts while its binder may signal the notification */
    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), ntf + 1, &id);
    l4_irq_bind(unused, ntf + 1);
    EXPECT_ERR("IRQ-011", l4_irq_ack(unused), L4_OK); // bound
    l4_cap_deduce(ntf + 1, L4_RIGHT_COPY | L4_NTF_WAIT, 0, 0);
    EXPECT_ERR("IRQ-012", l4_irq_ack(unused), L4_ESTATE); // no longer
    printf("irqtest: done\n");
    return 0;
}

int main(const char *arg)
{
    if (strcmp(arg, "irq") == 0)
        return irq_tests();
    if (strcmp(arg, "io") == 0)
        return io_tests();
    if (strcmp(arg, "shm-writer") == 0)
        return shm_writer();
    if (strcmp(arg, "shm-reader") == 0)
        return shm_reader();
    return strcmp(arg, "peer") == 0 ? peer() : tests();
}
