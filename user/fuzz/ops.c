/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * One generator per system call. The main thread must never block (it keeps
 * the count, and reports), so its IPC is non-blocking and its waits are polls;
 * the worker threads block as they like.
 */
#include "ops.h"

#include "stats.h"

#include <coffer/mem.h>
#include <coffer/syscall_raw.h>
#include <coffer/thread.h>
#include <coffer/time.h>

l4_err_t fz_call_out(struct fz *f, l4_word_t nr, l4_word_t r[6])
{
    return stat_record(f, nr, l4_syscall(nr, r));
}

l4_err_t fz_call(struct fz *f, l4_word_t nr, l4_word_t a0, l4_word_t a1, l4_word_t a2, l4_word_t a3,
                 l4_word_t a4, l4_word_t a5)
{
    l4_word_t r[6] = {a0, a1, a2, a3, a4, a5};

    return fz_call_out(f, nr, r);
}

#define CALL(f, nr, ...)    fz_call((f), L4_SYS_##nr, __VA_ARGS__)
#define READ(f)             gen_slot((f), USE_READ)
#define MUT(f)              gen_slot((f), USE_MUT)
#define TAKE(f)             gen_slot((f), USE_TAKE)
#define DEST(f)             gen_slot((f), USE_DEST)
#define TYPED(f, use, type) gen_typed((f), (use), (type))
#define THREAD(f)           TYPED(f, USE_READ, L4_CAP_THREAD)
#define POOL(f, kind)       gen_pool((f), (kind))
#define BAD_PTR(c)          ((c) >= P_NULL)
#define REMEMBER(err, slot) ((err) == L4_OK ? recent_add(slot) : (void)0)

/* Bytes to print: our harmless noise (never live data: it could look like a verdict), or bad. */
static void op_debug_write(struct fz *f)
{
    enum ptr_class c;
    l4_word_t len, buf = gen_buf(f, false, &len, &c);
    l4_cap_t slot = chance(f, 60) ? L4_SLOT_DEBUG : TYPED(f, USE_READ, L4_CAP_DEBUG);

    if (c <= P_RO) { // readable: print a little noise, to the end of a line, so none is cut
        l4_word_t off = below(f, sizeof(noise)), rest = sizeof(noise) - off;
        unsigned k = (unsigned)below(f, 100);
        buf = (l4_word_t)noise + off;
        len = k < 45 ? 64 - off % 64 : k < 75 ? 0 : k < 76 ? rest : L4_EXT_MAX + 1 + below(f, 2);
    }
    l4_err_t err = CALL(f, DEBUG_WRITE, slot, buf, len, 0, 0, 0);
    if (!err && BAD_PTR(c) && len > 0)
        stat_wrong(L4_SYS_DEBUG_WRITE, "succeeded with the buffer", buf);
}

static void op_thread_exit(struct fz *f)
{
    if (!f->main && chance(f, 10))
        CALL(f, THREAD_EXIT, gen_word(f), 0, 0, 0, 0, 0);
}

static void op_thread_create(struct fz *f)
{
    l4_cap_t space = chance(f, 40) ? L4_SLOT_SPACE : TYPED(f, USE_READ, L4_CAP_SPACE);
    l4_cap_t dest = DEST(f);
    l4_err_t err = CALL(f, THREAD_CREATE, POOL(f, L4_POOL_THREADS), space, gen_prio(f), dest, 0, 0);

    REMEMBER(err, dest);
}

static void op_thread_configure(struct fz *f)
{
    static const unsigned wanted[] = {
        [L4_THREAD_SPACE] = L4_CAP_SPACE,
        [L4_THREAD_FAULT_EP] = L4_CAP_ENDPOINT,
        [L4_THREAD_EXIT_NTF] = L4_CAP_NOTIFICATION,
        [L4_THREAD_CAPTABLE] = L4_CAP_CAPTABLE,
    };
    l4_word_t field = chance(f, 90) ? 1 + below(f, 8) : gen_word(f), value;

    switch (field) {
    case L4_THREAD_SPACE:
    case L4_THREAD_FAULT_EP:
    case L4_THREAD_EXIT_NTF:
    case L4_THREAD_CAPTABLE: // a worker given a table of its own names little: it is replaced
        value = chance(f, 10) ? 0 : chance(f, 50) ? TYPED(f, USE_READ, wanted[field]) : READ(f);
        break;
    case L4_THREAD_PRIORITY:
        value = gen_prio(f);
        break;
    case L4_THREAD_TIMESLICE: // mostly short: long ones only slow the fuzzer's own threads
        value = chance(f, 85) ? 1 + below(f, 20) : chance(f, 50) ? 1000 : gen_word(f);
        break;
    case L4_THREAD_FOREIGN: // a worker whose calls go elsewhere blocks or is told ENOSYS
        value = chance(f, 80) ? below(f, 3) : gen_word(f);
        break;
    default:
        value = gen_utcb(f);
    }
    l4_err_t err = CALL(f, THREAD_CONFIGURE, THREAD(f), field, value, 0, 0, 0);
    if (!err && field == L4_THREAD_UTCB && value && ((value & 0xfff) || value >= USER_TOP))
        stat_wrong(L4_SYS_THREAD_CONFIGURE, "succeeded with the UTCB", value);
    if (!err && field == L4_THREAD_FOREIGN && value > L4_FOREIGN_ALL)
        stat_wrong(L4_SYS_THREAD_CONFIGURE, "succeeded with the foreign mode", value);
}

/*
 * A new stack or argument only ever comes with a new ip: a worker running C
 * code on a stack it does not own could scribble anywhere in our space.
 */
static void op_thread_exregs(struct fz *f)
{
    l4_word_t flags = chance(f, 90) ? below(f, 8) : gen_word(f);
    bool bad;
    l4_word_t ip = gen_ip(f, &bad), sp = gen_sp(f);

    if (!(flags & ~(l4_word_t)L4_EXREGS_ALL) && (flags & (L4_EXREGS_SET_SP | L4_EXREGS_SET_ARG)))
        flags |= L4_EXREGS_SET_IP;
    l4_err_t err = CALL(f, THREAD_EXREGS, THREAD(f), flags, ip, sp, gen_arg(f, ip), 0);
    if (!err && (((flags & L4_EXREGS_SET_IP) && ip >= USER_TOP) ||
                 ((flags & L4_EXREGS_SET_SP) && sp >= USER_TOP)))
        stat_wrong(L4_SYS_THREAD_EXREGS, "succeeded with ip (or sp) outside user space", ip);
}

static void op_thread_run(struct fz *f)
{
    static const l4_word_t nrs[] = {L4_SYS_THREAD_START, L4_SYS_THREAD_SUSPEND,
                                    L4_SYS_THREAD_RESUME, L4_SYS_THREAD_DESTROY};

    fz_call(f, nrs[below(f, 4)], THREAD(f), 0, 0, 0, 0, 0);
}

/* The main thread never blocks: its waits always carry L4_WAIT_NONBLOCK. */
static void op_thread_wait(struct fz *f)
{
    l4_word_t flags = chance(f, 80) ? below(f, 2) : gen_word(f), code;

    if (f->main)
        flags |= L4_WAIT_NONBLOCK;
    l4_err_t err = stat_record(f, L4_SYS_THREAD_WAIT, l4_thread_wait(THREAD(f), flags, &code));
    if (!err && (flags & ~(l4_word_t)L4_WAIT_NONBLOCK))
        stat_wrong(L4_SYS_THREAD_WAIT, "succeeded with unknown flags", flags);
}

static void op_trivial(struct fz *f)
{
    static const l4_word_t nrs[] = {L4_SYS_THREAD_YIELD, L4_SYS_THREAD_ID, L4_SYS_TIME};

    l4_word_t x[3];

    if (chance(f, 50))
        fz_call(f, nrs[below(f, 3)], rnd(f), rnd(f), rnd(f), rnd(f), rnd(f), rnd(f));
    else
        stat_record(f, L4_SYS_THREAD_ID, l4_thread_id(&x[0], &x[1], &x[2]));
}

/*
 * The clocks. The fuzzer holds no clock capability (systems/fuzz.toml), so every time_set
 * must be refused; and the main thread's monotonic readings, one after another, never go back.
 */
static void op_time(struct fz *f)
{
    static l4_word_t last; // the main thread's last reading
    l4_word_t x[5];

    if (chance(f, 40)) {
        l4_word_t wall = chance(f, 50) ? gen_word(f) : below(f, L4_TIME_MAX);
        l4_err_t err = CALL(f, TIME_SET, READ(f), wall, chance(f, 50) ? gen_word(f) : 0, 0, 0, 0);
        if (!err)
            stat_wrong(L4_SYS_TIME_SET, "set the wall clock without a clock capability", wall);
        return;
    }
    stat_record(f, L4_SYS_TIME, l4_time(&x[0], &x[1], &x[2], &x[3], &x[4]));
    if (!f->main)
        return;
    if (x[3] < last)
        stat_wrong(L4_SYS_TIME, "the monotonic clock went back to", x[3]);
    last = x[3];
}

static void op_space_create(struct fz *f)
{
    l4_cap_t dest = DEST(f);
    l4_err_t err =
        CALL(f, SPACE_CREATE, POOL(f, L4_POOL_SPACES), POOL(f, L4_POOL_PAGETABLES), dest, 0, 0, 0);

    REMEMBER(err, dest);
}

/* Through the typed wrappers, as a program would: the raw interface is not the only door. */
static void op_cap_look(struct fz *f)
{
    l4_word_t x[6];

    if (chance(f, 50))
        stat_record(f, L4_SYS_CAP_READ,
                    l4_cap_read(READ(f), &x[0], &x[1], &x[2], &x[3], &x[4], &x[5]));
    else
        stat_record(f, L4_SYS_CAP_NEXT,
                    l4_cap_next(chance(f, 80) ? below(f, FUZZ_NSLOTS + 2) : gen_word(f), &x[0]));
}

static void op_cap_copy(struct fz *f)
{
    l4_cap_t dest = DEST(f);
    l4_err_t err = chance(f, 50) ? CALL(f, CAP_REPLICATE, READ(f), dest, 0, 0, 0, 0)
                                 : CALL(f, CAP_SHARE, READ(f), dest, 0, 0, 0, 0);

    REMEMBER(err, dest);
}

static void op_cap_grant(struct fz *f)
{
    l4_cap_t to = chance(f, 70) ? FUZZ_SINK : TYPED(f, USE_READ, L4_CAP_CONTAINER);

    l4_word_t dest = chance(f, 85) ? below(f, 70) : gen_word(f);

    if (chance(f, 30))
        dest |= L4_GRANT_IMMUTABLE; // the holder may then only use it and destroy it
    CALL(f, CAP_GRANT, MUT(f), to, dest, 0, 0, 0);
}

/* An amount that fits what the slot holds (read first), or any word. */
static l4_word_t amount_for(struct fz *f, l4_cap_t slot)
{
    l4_word_t type = 0, rights = 0, a = 0, b = 0;

    if (chance(f, 30) || l4_cap_read(slot, &type, &rights, &a, &b, NULL, NULL))
        return gen_word(f);
    switch (type) {
    case L4_CAP_POOL:
        return below(f, b + 2);
    case L4_CAP_MEMORY:
        return chance(f, 80) ? below(f, b / 4096 + 2) * 4096 : below(f, b + 1);
    case L4_CAP_IOPORT:
        return below(f, b + 2);
    default:
        return (rights & ~(l4_word_t)L4_RIGHTS_CAP) & rnd(f);
    }
}

static void op_cap_split(struct fz *f)
{
    l4_cap_t src = TAKE(f), dest = DEST(f);
    l4_err_t err = CALL(f, CAP_SPLIT, src, dest, amount_for(f, src), 0, 0, 0);

    REMEMBER(err, dest);
}

/* Fewer rights, units or range, or a badge, for what the slot holds (read first), or any words. */
static void op_cap_deduce(struct fz *f)
{
    l4_cap_t slot = MUT(f);
    l4_word_t type = 0, rights = 0, a = 0, b = 0;
    l4_word_t nr = gen_rights(f), na = gen_word(f), nb = gen_word(f);

    if (chance(f, 70) && !l4_cap_read(slot, &type, &rights, &a, &b, NULL, NULL)) {
        nr = chance(f, 85) ? rights & rnd(f) : rights;
        na = chance(f, 80) ? a : gen_word(f);
        nb = chance(f, 80) ? b : gen_word(f);
        if (type == L4_CAP_POOL && chance(f, 70))
            nb = below(f, b + 1);
        else if (type == L4_CAP_MEMORY && chance(f, 70)) {
            l4_word_t cut = below(f, b / 4096 + 1) * 4096;
            na = a + (chance(f, 50) ? cut : 0);
            nb = b - cut;
        } else if ((type == L4_CAP_ENDPOINT || type == L4_CAP_NOTIFICATION) && chance(f, 50)) {
            na = a ? a : 1 + below(f, 8); // a badge is set once
            nb = 0;
        } else if (type != L4_CAP_IOPORT && chance(f, 70)) {
            na = nb = 0;
        }
    }
    CALL(f, CAP_DEDUCE, slot, nr, na, nb, 0, 0);
}

static void op_cap_remove(struct fz *f)
{
    if (chance(f, 70))
        CALL(f, CAP_DESTROY, MUT(f), 0, 0, 0, 0, 0);
    else
        CALL(f, CAP_REVOKE, TAKE(f), 0, 0, 0, 0, 0);
}

/* Run-time capability tables: made from the capslots pool, filled, emptied, read. */
static void op_captable(struct fz *f)
{
    l4_cap_t table = TYPED(f, USE_READ, L4_CAP_CAPTABLE), dest;
    l4_word_t x[6], slots = chance(f, 80) ? 1 + below(f, 12) : gen_word(f);
    l4_err_t err;

    switch (below(f, 4)) {
    case 0:
        dest = DEST(f);
        err = CALL(f, CAPTABLE_CREATE, POOL(f, L4_POOL_CAPSLOTS), slots, dest, 0, 0, 0);
        REMEMBER(err, dest);
        if (!err && (slots == 0 || slots > 1024))
            stat_wrong(L4_SYS_CAPTABLE_CREATE, "succeeded with slots", slots);
        break;
    case 1: {
        l4_cap_t src = TAKE(f);
        CALL(f, CAPTABLE_PUT, src, table, chance(f, 80) ? below(f, 14) : gen_word(f),
             chance(f, 70) ? L4_RIGHTS_CAP | (rnd(f) & 0x1c) : gen_rights(f),
             chance(f, 60) ? 0 : amount_for(f, src), 0);
        break;
    }
    case 2:
        CALL(f, CAPTABLE_REMOVE, table, chance(f, 80) ? below(f, 14) : gen_word(f), 0, 0, 0, 0);
        break;
    default:
        stat_record(
            f, L4_SYS_CAPTABLE_READ,
            l4_captable_read(table, below(f, 14), &x[0], &x[1], &x[2], &x[3], &x[4], &x[5]));
    }
}

static void op_container(struct fz *f)
{
    static const l4_word_t nrs[] = {L4_SYS_CONTAINER_INSPECT, L4_SYS_CONTAINER_STOP,
                                    L4_SYS_CONTAINER_START, L4_SYS_CONTAINER_USAGE,
                                    L4_SYS_CONTAINER_NAME};
    l4_cap_t c = chance(f, 60) ? FUZZ_SINK : chance(f, 30) ? L4_SLOT_CONTAINER : READ(f);
    l4_word_t what = chance(f, 80) ? below(f, L4_USAGE_COUNT + 1) : gen_word(f);

    /* a restart is heavy: most of the sink's come from sc_sink, holding what we gave it */
    fz_call(f, chance(f, 3) ? L4_SYS_CONTAINER_RESTART : nrs[below(f, 5)], c, what, 0, 0, 0, 0);
    if (chance(f, 20)) // its news may go to any notification we can name, or nowhere
        CALL(f, CONTAINER_NOTIFY, c, chance(f, 20) ? 0 : TYPED(f, USE_READ, L4_CAP_NOTIFICATION), 0,
             0, 0, 0);
}

static void op_create_ipc(struct fz *f)
{
    l4_cap_t dest = DEST(f);
    l4_err_t err =
        chance(f, 50)
            ? CALL(f, ENDPOINT_CREATE, POOL(f, L4_POOL_ENDPOINTS), dest, 0, 0, 0, 0)
            : CALL(f, NOTIFICATION_CREATE, POOL(f, L4_POOL_NOTIFICATIONS), dest, 0, 0, 0, 0);

    REMEMBER(err, dest);
}

static l4_cap_t endpoint_slot(struct fz *f)
{
    return chance(f, 20) ? FUZZ_SVC : TYPED(f, USE_READ, L4_CAP_ENDPOINT);
}

static void op_ipc_send(struct fz *f)
{
    if (chance(f, 50))
        scramble_utcb(f);
    l4_word_t tag = gen_tag(f, f->main);
    l4_word_t ext = f->utcb->ext_send, len = f->utcb->ext_send_len;
    l4_err_t err = CALL(f, IPC_SEND, endpoint_slot(f), tag, rnd(f), rnd(f), rnd(f), rnd(f));
    if (!err && f->main && (tag & L4_IPC_EXT) && f->ext_send_bad && len > 0 && len <= L4_EXT_MAX)
        stat_wrong(L4_SYS_IPC_SEND, "succeeded with the extended buffer", ext);
}

static void op_ipc_recv(struct fz *f)
{
    l4_word_t flags = chance(f, 90) ? (f->main || chance(f, 60) ? L4_IPC_NONBLOCK : 0) : rnd(f);

    if (f->main && !(flags & ~(l4_word_t)L4_IPC_NONBLOCK))
        flags = L4_IPC_NONBLOCK;
    if (chance(f, 30))
        scramble_utcb(f);
    if (chance(f, 50)) {
        l4_word_t x[6];
        stat_record(f, L4_SYS_IPC_RECV,
                    l4_ipc_recv(endpoint_slot(f), flags, &x[0], &x[1], &x[2], &x[3], &x[4], &x[5]));
        return;
    }
    CALL(f, IPC_RECV, endpoint_slot(f), flags, 0, 0, 0, 0);
}

/*
 * A call waits for its reply even when sent without blocking. The main thread
 * calls only the victim, which always answers, or with a tag that is refused.
 */
static void op_ipc_call(struct fz *f)
{
    l4_cap_t ep = endpoint_slot(f);
    l4_word_t tag = gen_tag(f, f->main);

    if (chance(f, 30))
        scramble_utcb(f);
    if (f->main) {
        if (chance(f, 50))
            ep = FUZZ_SVC;
        else
            tag |= 1ull << (10 + below(f, 6));
    }
    CALL(f, IPC_CALL, ep, tag, rnd(f), rnd(f), rnd(f), rnd(f));
}

static void op_ipc_reply(struct fz *f)
{
    l4_word_t tag = gen_tag(f, false);

    if (chance(f, 30))
        scramble_utcb(f);
    if (chance(f, 60)) {
        CALL(f, IPC_REPLY, tag, rnd(f), rnd(f), rnd(f), rnd(f), 0);
        return;
    }
    if (f->main) // refused before it receives: replies carry no capability
        tag |= L4_IPC_CAP;
    CALL(f, IPC_REPLY_RECV, endpoint_slot(f), tag, rnd(f), rnd(f), rnd(f), rnd(f));
}

static void op_notify(struct fz *f)
{
    unsigned k = (unsigned)below(f, 3);
    l4_cap_t n = TYPED(f, USE_READ, L4_CAP_NOTIFICATION);

    if (k == 0)
        CALL(f, NOTIFY_SIGNAL, n, 0, 0, 0, 0, 0);
    else if (k == 1 || f->main)
        CALL(f, NOTIFY_POLL, n, 0, 0, 0, 0, 0);
    else
        CALL(f, NOTIFY_WAIT, n, 0, 0, 0, 0, 0);
}

/* Pages mapped lately, so that unmaps find some. */
#define NMAPPED 8
static struct mapping {
    l4_cap_t space;
    l4_word_t va;
} mapped[NMAPPED];
static unsigned mapped_next;

void mapped_add(l4_cap_t space, l4_word_t va)
{
    mapped[mapped_next++ % NMAPPED] = (struct mapping){space, va};
}

static void op_mem_map(struct fz *f)
{
    l4_cap_t mem = chance(f, 40) ? L4_SLOT_MEMORY : TYPED(f, USE_READ, L4_CAP_MEMORY);
    l4_cap_t space = chance(f, 10) ? L4_SLOT_SPACE : TYPED(f, USE_READ, L4_CAP_SPACE);
    l4_word_t off = chance(f, 70) ? below(f, 20) * 4096 : gen_word(f);
    l4_word_t va = gen_vaddr(f), perms = L4_MAP_READ | (below(f, 4) << 1);

    if (chance(f, 30))
        perms = chance(f, 80) ? below(f, 8) : gen_word(f);
    l4_err_t err = CALL(f, MEM_MAP, mem, off, space, va, perms, 0);
    if (!err)
        mapped_add(space, va);

    if (!err && (va < 4096 || va >= MAP_TOP || (va & 0xfff) || !(perms & L4_MAP_READ)))
        stat_wrong(L4_SYS_MEM_MAP, "succeeded with address (or permissions) it had to refuse", va);
}

static void op_mem_unmap(struct fz *f)
{
    struct mapping m = mapped[below(f, NMAPPED)];

    if (chance(f, 50))
        m = (struct mapping){chance(f, 10) ? L4_SLOT_SPACE : TYPED(f, USE_READ, L4_CAP_SPACE),
                             gen_vaddr(f)};
    CALL(f, MEM_UNMAP, m.space, m.va, 0, 0, 0, 0);
}

/* Range calls over pages mapped lately (mostly), with ranges short, empty, at and past the limit. */
static void op_mem_range(struct fz *f)
{
    struct mapping m = mapped[below(f, NMAPPED)];
    l4_cap_t mem = chance(f, 40) ? L4_SLOT_MEMORY : TYPED(f, USE_READ, L4_CAP_MEMORY);
    l4_cap_t other = chance(f, 10) ? L4_SLOT_SPACE : TYPED(f, USE_READ, L4_CAP_SPACE);
    l4_word_t pages = chance(f, 70) ? 1 + below(f, 16) : chance(f, 50) ? 511 + below(f, 3) : rnd(f);
    l4_word_t perms = chance(f, 70) ? L4_MAP_READ | (below(f, 4) << 1) : gen_word(f), n = 0;
    l4_word_t nr = chance(f, 50) ? L4_SYS_MEM_PROTECT : L4_SYS_MEM_SHARE;
    l4_err_t err;

    if (chance(f, 30))
        m = (struct mapping){TYPED(f, USE_READ, L4_CAP_SPACE), gen_vaddr(f)};
    m.va -= chance(f, 50) ? below(f, 4) * 4096 : 0;
    if (nr == L4_SYS_MEM_PROTECT) {
        err = stat_record(f, nr, l4_mem_protect(mem, m.space, m.va, pages, perms, &n));
    } else {
        err = stat_record(f, nr, l4_mem_share(mem, m.space, other, m.va, pages, perms, &n));
        if (!err)
            mapped_add(other, m.va);
    }
    if (!err && (m.va < 4096 || m.va >= MAP_TOP || (m.va & 0xfff) || !pages ||
                 pages > L4_MEM_RANGE_MAX || pages * 4096 > MAP_TOP - m.va || !n ||
                 !(perms & L4_MAP_READ) || (perms & ~(l4_word_t)L4_MAP_ALL)))
        stat_wrong(nr, "range call succeeded with a range it had to refuse", m.va);
}

/* cache_control over pages mapped lately (mostly), with ops and ranges good and bad. */
static void op_cache(struct fz *f)
{
    struct mapping m = mapped[below(f, NMAPPED)];
    l4_word_t pages = chance(f, 70) ? 1 + below(f, 16) : chance(f, 50) ? 511 + below(f, 3) : rnd(f);
    l4_word_t op = chance(f, 80) ? 1 + below(f, 3) : gen_word(f), n = 0;

    if (chance(f, 30))
        m = (struct mapping){TYPED(f, USE_READ, L4_CAP_SPACE), gen_vaddr(f)};
    l4_err_t err =
        stat_record(f, L4_SYS_CACHE_CONTROL, l4_cache_control(m.space, m.va, pages, op, &n));
    if (!err &&
        (m.va < 4096 || m.va >= MAP_TOP || (m.va & 0xfff) || !pages || pages > L4_MEM_RANGE_MAX ||
         pages * 4096 > MAP_TOP - m.va || op < 1 || op > 3 || n > pages))
        stat_wrong(L4_SYS_CACHE_CONTROL, "cache_control succeeded with what it had to refuse",
                   m.va);
}

/* Ports 0x80..0x83 and interrupt line 5, where nothing is: bound, acknowledged, released,
 * revoked. */
static void op_device(struct fz *f)
{
    l4_cap_t io = chance(f, 60) ? FUZZ_IO : TYPED(f, USE_READ, L4_CAP_IOPORT);
    l4_cap_t irq = chance(f, 60) ? FUZZ_IRQ : TYPED(f, USE_READ, L4_CAP_IRQ);
    l4_word_t port = chance(f, 70) ? 0x7e + below(f, 8) : gen_word(f);
    l4_word_t width = chance(f, 80) ? 1ull << below(f, 3) : below(f, 9), v;
    l4_word_t pick = below(f, 5);
    l4_word_t nr = pick < 4 ? L4_SYS_IOPORT_IN + pick : L4_SYS_IRQ_RELEASE;
    l4_err_t err;

    switch (nr) {
    case L4_SYS_IOPORT_IN:
        err = stat_record(f, nr, l4_ioport_in(io, port, width, &v));
        break;
    case L4_SYS_IOPORT_OUT:
        err = CALL(f, IOPORT_OUT, io, port, width, rnd(f), 0, 0);
        break;
    case L4_SYS_IRQ_BIND:
        CALL(f, IRQ_BIND, irq, TYPED(f, USE_READ, L4_CAP_NOTIFICATION), 0, 0, 0, 0);
        return;
    case L4_SYS_IRQ_ACK:
        CALL(f, IRQ_ACK, irq, 0, 0, 0, 0, 0);
        return;
    default:
        CALL(f, IRQ_RELEASE, irq, 0, 0, 0, 0, 0);
        return;
    }
    if (!err && (port < 0x80 || port + width > 0x84))
        stat_wrong(nr, "succeeded with a port outside the range", port);
}

/*
 * A word the fuzzer's threads wait on and wake for real, and random words. The main thread
 * never blocks: it waits only where the value is wrong or the call is refused.
 */
static void op_futex(struct fz *f)
{
    static uint32_t word;
    l4_word_t addr = chance(f, 50) ? (l4_word_t)&word : gen_vaddr(f) + below(f, 8);
    l4_word_t bad = (addr & 3) || addr >= USER_TOP;
    l4_err_t err;

    if (chance(f, 50)) {
        err = CALL(f, FUTEX_WAKE, addr, chance(f, 50) ? below(f, 4) : gen_word(f), 0, 0, 0, 0);
        if (!err && bad)
            stat_wrong(L4_SYS_FUTEX_WAKE, "succeeded with an address it had to refuse", addr);
        return;
    }
    __atomic_fetch_add(&word, chance(f, 50), __ATOMIC_RELAXED);
    l4_word_t expected = chance(f, 70) ? word : gen_word(f);
    if (f->main) // a value the word cannot hold (workers add 0 or 1 at a time): never blocks
        expected = addr == (l4_word_t)&word ? (uint32_t)(word + 0x80000000u) : 1ull << 32;
    err = CALL(f, FUTEX_WAIT, addr, expected, 0, 0, 0, 0);
    if (!err && (bad || expected > 0xffffffffull))
        stat_wrong(L4_SYS_FUTEX_WAIT, "succeeded with an address or value it had to refuse", addr);
}

/* Numbers past the table, and valid numbers with raw registers. */
static void op_raw(struct fz *f)
{
    static const l4_word_t nrs[] = {L4_SYS_COUNT, L4_SYS_COUNT + 1,      63,   64, 255, 256,
                                    1ull << 32,   0x8000000000000000ull, ~0ull};
    l4_word_t r[6];

    for (int i = 0; i < 6; i++)
        r[i] = chance(f, 50) ? gen_word(f) : below(f, FUZZ_NSLOTS + 8);
    if (chance(f, 50)) {
        fz_call_out(f, chance(f, 80) ? nrs[below(f, sizeof(nrs) / sizeof(nrs[0]))] : rnd(f), r);
        return;
    }
    /* a valid number: only calls that cannot end or block the caller, nor hit what gen_slot guards */
    static const l4_word_t safe[] = {L4_SYS_DEBUG_WRITE,      L4_SYS_THREAD_CREATE,
                                     L4_SYS_THREAD_CONFIGURE, L4_SYS_THREAD_START,
                                     L4_SYS_THREAD_RESUME,    L4_SYS_THREAD_YIELD,
                                     L4_SYS_THREAD_ID,        L4_SYS_TIME,
                                     L4_SYS_SPACE_CREATE,     L4_SYS_CAP_READ,
                                     L4_SYS_CAP_NEXT,         L4_SYS_CONTAINER_INSPECT,
                                     L4_SYS_ENDPOINT_CREATE,  L4_SYS_NOTIFICATION_CREATE,
                                     L4_SYS_NOTIFY_POLL,      L4_SYS_MEM_UNMAP,
                                     L4_SYS_IOPORT_IN,        L4_SYS_IOPORT_OUT,
                                     L4_SYS_IRQ_BIND,         L4_SYS_IRQ_ACK,
                                     L4_SYS_IRQ_RELEASE,      L4_SYS_TIME_SET,
                                     L4_SYS_CONTAINER_USAGE,  L4_SYS_CONTAINER_NAME};
    l4_word_t nr = safe[below(f, sizeof(safe) / sizeof(safe[0]))];
    if (nr == L4_SYS_DEBUG_WRITE)
        r[1] = rnd(f) | 0x8000000000000000ull; // never a readable buffer: no stray text
    for (int i = 0; i < 6; i++)
        r[i] = r[i] == FUZZ_DONE ? ~0ull : r[i];
    fz_call_out(f, nr, r);
}

struct op {
    void (*run)(struct fz *f);
    unsigned weight;
};

static const struct op ops[] = {
    {op_debug_write, 2},   {op_thread_exit, 1}, {op_thread_create, 8}, {op_thread_configure, 6},
    {op_thread_exregs, 6}, {op_thread_run, 8},  {op_trivial, 2},       {op_space_create, 5},
    {op_cap_look, 4},      {op_cap_copy, 8},    {op_cap_grant, 3},     {op_cap_split, 5},
    {op_cap_deduce, 4},    {op_cap_remove, 4},  {op_container, 2},     {op_create_ipc, 8},
    {op_ipc_send, 8},      {op_ipc_recv, 6},    {op_ipc_call, 6},      {op_ipc_reply, 5},
    {op_notify, 6},        {op_mem_map, 8},     {op_mem_unmap, 4},     {op_device, 2},
    {op_raw, 5},           {op_thread_wait, 3}, {sc_thread, 6},        {sc_exhaust, 1},
    {sc_remote, 3},        {sc_caps, 3},        {sc_sink, 1},          {op_futex, 4},
    {op_thread_regs, 5},   {op_thread_tls, 2},  {op_mem_range, 6},     {op_time, 2},
    {op_captable, 5},      {op_cache, 2},
};

void fz_step(struct fz *f)
{
    static unsigned total;

    if (!total) {
        for (unsigned i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
            total += ops[i].weight;
    }
    unsigned k = (unsigned)below(f, total), i = 0;
    while (k >= ops[i].weight)
        k -= ops[i++].weight;
    ops[i].run(f);
}
