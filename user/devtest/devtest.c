/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Device memory (DEV-xxx, tests/qemu/systems/devtest.toml under -M q35, devtest-virt.toml on
 * AArch64): a driver maps the device its system file gives it (dev.h: the HPET, the PL031),
 * reads its identification and checks that it answers; the kernel never takes the
 * page for RAM (EFAULT wherever it would copy), never maps it executable, keeps RAM
 * capabilities off it; a copy granted to another container works and goes with a revoke;
 * destroying the last capability unmaps it; a restart gives it back.
 */
#include "dev.h"

#include "test.h"

#include <coffer/ipc.h>
#include <coffer/mem.h>
#include <coffer/regs.h>
#include <coffer/thread.h>

/* driver's slots (system file) */
#define DEV      16 /* the device's page (dev.h): copy, grant, read, write */
#define SPARE    17 /* two pages of physical addresses nothing decodes, to split */
#define OTHER    18 /* the other container: receive */
#define OTHER_EP 19 /* other.ep: send */
/* driver's slots, filled here */
#define COPY     24
#define PART     25
#define FAULT_EP 26
#define FAULTY   27
#define SPACE2   28
/* other's slots */
#define EP       16 /* its endpoint (system file) */
#define GIVEN    20 /* where the driver grants a copy of the device's page */
#define EMPTY    60

#define SPACE    L4_SLOT_SPACE
#define DEV_VA   0x30000000ull
#define SPARE_VA 0x30010000ull

enum { ASK_MAP = 1, ASK_UNMAP, ASK_END };

static struct l4_cap_info read_cap(l4_cap_t slot)
{
    struct l4_cap_info i = {0};

    l4_cap_read(slot, &i.type, &i.rights, &i.a, &i.b, &i.object, &i.depth);
    return i;
}

static l4_word_t ask(l4_word_t what)
{
    l4_word_t x, answer = ~0ul;

    l4_ipc_call(OTHER_EP, L4_TAG(what, 0, 0), 0, 0, 0, 0, &x, &answer, &x, &x, &x, &x);
    return answer;
}

static void the_device(void)
{
    struct l4_cap_info h = read_cap(DEV);
    test_report("DEV-001",
                h.type == L4_CAP_MEMORY && h.a == dev_base && h.b == 4096 &&
                    h.rights == (L4_RIGHTS_CAP | L4_MEM_READ | L4_MEM_WRITE),
                "slot %d: type %lu, %lx+%lx, rights %lx", DEV, h.type, h.a, h.b, h.rights);
    EXPECT_ERR("DEV-002",
               l4_mem_map(DEV, 0, SPACE, DEV_VA, L4_MAP_READ | L4_MAP_WRITE | L4_MAP_EXEC),
               L4_EINVAL);
    EXPECT_ERR("DEV-003", l4_mem_map(DEV, 0, SPACE, DEV_VA, L4_MAP_READ | L4_MAP_WRITE), L4_OK);
    test_report("DEV-004", dev_identify(DEV_VA), "the %s's identification is wrong", dev_name);
    test_report("DEV-005", dev_answers(DEV_VA), "the %s does not answer", dev_name);
}

/* Nothing the kernel reads or writes for a call may be device memory: its direct map is RAM. */
static void never_ram(void)
{
    struct l4_regs r;

    EXPECT_ERR("DEV-006", l4_debug_write(L4_SLOT_DEBUG, (const void *)DEV_VA, 8), L4_EFAULT);
    EXPECT_ERR("DEV-007", l4_thread_regs(L4_SLOT_THREAD, L4_REGS_GET, NULL, (void *)DEV_VA),
               L4_EFAULT);
    EXPECT_ERR("DEV-008", l4_futex_wait(DEV_VA + dev_reg, 0), L4_EFAULT);
    EXPECT_ERR("DEV-009", l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_UTCB, DEV_VA), L4_EFAULT);
    /* and the same calls work on RAM: it is the page, not the call */
    EXPECT_ERR("DEV-010", l4_thread_regs(L4_SLOT_THREAD, L4_REGS_GET, NULL, &r), L4_OK);
}

/* The range calls (mem_protect, mem_share) keep device memory what mem_map makes it. */
static void ranges(void)
{
    l4_word_t n = 0;
    l4_err_t made = l4_space_create(L4_SLOT_POOL(L4_POOL_SPACES), L4_SLOT_POOL(L4_POOL_PAGETABLES),
                                    SPACE2, NULL);

    EXPECT_ERR("DEV-023",
               l4_mem_protect(DEV, SPACE, DEV_VA, 1, L4_MAP_READ | L4_MAP_WRITE | L4_MAP_EXEC, &n),
               L4_EINVAL);
    EXPECT_ERR("DEV-024",
               l4_mem_share(DEV, SPACE, SPACE2, DEV_VA, 1, L4_MAP_READ | L4_MAP_EXEC, &n),
               L4_EINVAL);
    /* read-only now, and still device memory: the kernel still refuses to copy from it */
    l4_err_t ro = l4_mem_protect(DEV, SPACE, DEV_VA, 1, L4_MAP_READ, &n);
    test_report("DEV-025",
                ro == L4_OK && n == 1 &&
                    l4_debug_write(L4_SLOT_DEBUG, (const void *)DEV_VA, 8) == L4_EFAULT &&
                    dev_identify(DEV_VA),
                "mem_protect %s, %lu pages", l4_strerror(ro), n);
    l4_mem_protect(DEV, SPACE, DEV_VA, 1, L4_MAP_READ | L4_MAP_WRITE, &n);
    /* shared into a second space: uncached there too (debug builds read the entry back) */
    l4_err_t shared = made ? made : l4_mem_share(DEV, SPACE, SPACE2, DEV_VA, 1, L4_MAP_READ, &n);
    test_report("DEV-026", shared == L4_OK && n == 1, "space_create %s, mem_share %s",
                l4_strerror(made), l4_strerror(shared));
    l4_cap_destroy(SPACE2);
}

/* Ranges stay inside what their root was made with: RAM never covers a device, nor back. */
static void origins(void)
{
    struct l4_cap_info m = read_cap(L4_SLOT_MEMORY), h = read_cap(DEV);

    l4_cap_replicate(L4_SLOT_MEMORY, COPY);
    EXPECT_ERR("DEV-011", l4_cap_deduce(COPY, m.rights, dev_base, 4096), L4_ERANGE);
    l4_cap_destroy(COPY);
    l4_cap_replicate(DEV, COPY);
    l4_err_t grow = l4_cap_deduce(COPY, h.rights, dev_base, 8192);
    l4_err_t to_ram = l4_cap_deduce(COPY, h.rights, m.a, 4096);
    test_report("DEV-012", grow == L4_ERANGE && to_ram == L4_ERANGE,
                "a copy of the device's page grown to 8K: %s; moved onto RAM: %s",
                l4_strerror(grow), l4_strerror(to_ram));
    /* narrowed rights hold for device memory too */
    l4_cap_deduce(COPY, L4_MEM_READ, dev_base, 4096);
    EXPECT_ERR("DEV-013", l4_mem_map(COPY, 0, SPACE, DEV_VA + 4096, L4_MAP_READ | L4_MAP_WRITE),
               L4_ERIGHTS);
    l4_cap_destroy(COPY);
    /* split: each part maps only its own page, and the parts come back whole */
    l4_err_t split = l4_cap_split(SPARE, PART, 4096);
    struct l4_cap_info p = read_cap(PART);
    l4_err_t past = l4_mem_map(SPARE, 4096, SPACE, SPARE_VA, L4_MAP_READ);
    l4_err_t part = l4_mem_map(PART, 0, SPACE, SPARE_VA, L4_MAP_READ);
    test_report("DEV-014",
                split == L4_OK && p.a == spare_base + 4096 && p.b == 4096 && past == L4_ERANGE &&
                    part == L4_OK,
                "split %s: part %lx+%lx; map past the first half %s, of the part %s",
                l4_strerror(split), p.a, p.b, l4_strerror(past), l4_strerror(part));
    /* as for RAM, the mapping stays while we hold a capability over the page: SPARE again */
    l4_cap_destroy(PART);
    struct l4_cap_info s = read_cap(SPARE);
    l4_err_t kept = l4_mem_unmap(SPACE, SPARE_VA);
    test_report("DEV-015", s.a == spare_base && s.b == 8192 && kept == L4_OK,
                "after destroying the part: %lx+%lx, its mapping: %s", s.a, s.b, l4_strerror(kept));
}

/* A copy lent to another container works there, and a revoke takes it and its mapping. */
static void lent(void)
{
    l4_cap_replicate(DEV, COPY);
    l4_err_t granted = l4_cap_grant(COPY, OTHER, GIVEN);
    l4_word_t answer = ask(ASK_MAP);
    test_report("DEV-017", granted == L4_OK && answer == 1,
                "grant %s; the other container's counter check said %lu", l4_strerror(granted),
                answer);
    l4_cap_revoke(DEV);
    answer = ask(ASK_UNMAP);
    test_report("DEV-018", answer == L4_ESTATE,
                "after the revoke the other container's unmap said %s", l4_strerror(answer));
    /* ours stays, and unmapping and mapping it again works: no frame is freed to anyone */
    l4_err_t unmapped = l4_mem_unmap(SPACE, DEV_VA);
    l4_err_t mapped = l4_mem_map(DEV, 0, SPACE, DEV_VA, L4_MAP_READ | L4_MAP_WRITE);
    test_report("DEV-019", unmapped == L4_OK && mapped == L4_OK && dev_answers(DEV_VA),
                "unmap %s, map again %s", l4_strerror(unmapped), l4_strerror(mapped));
}

static long read_register(l4_word_t va)
{
    return (long)dev_read32(va, dev_reg);
}

/* Destroying the last capability over the page unmaps it: a thread reading it faults. */
static void destroyed(void)
{
    l4_word_t tag, vec = 0, addr = 0, x;

    l4_endpoint_create(L4_SLOT_POOL(L4_POOL_ENDPOINTS), FAULT_EP, NULL);
    l4_thread_create(L4_SLOT_POOL(L4_POOL_THREADS), SPACE, 100, FAULTY, NULL);
    char *stack = malloc(4096);
    l4_thread_exregs(FAULTY, L4_EXREGS_ALL, (l4_word_t)read_register, L4_ENTRY_SP(stack + 4096),
                     DEV_VA, NULL, NULL);
    l4_thread_configure(FAULTY, L4_THREAD_FAULT_EP, FAULT_EP);
    l4_err_t destroyed = l4_cap_destroy(DEV);
    l4_thread_start(FAULTY);
    l4_ipc_recv(FAULT_EP, 0, &tag, &vec, &addr, &x, &x, &x);
    test_report("DEV-020", destroyed == L4_OK && vec == 14 && addr == DEV_VA + dev_reg,
                "destroy %s; then the read faulted: vector %lu address %lx", l4_strerror(destroyed),
                vec, addr);
    l4_thread_destroy(FAULTY);
}

static int driver(void)
{
    struct container_info me = container_info(L4_SLOT_CONTAINER);

    if (me.restarts) { // the supervisor restarted us: the device is ours again, whole
        struct l4_cap_info h = read_cap(DEV);
        l4_err_t err = l4_mem_map(DEV, 0, SPACE, DEV_VA, L4_MAP_READ | L4_MAP_WRITE);
        test_report("DEV-021", h.a == dev_base && h.b == 4096 && !err && dev_answers(DEV_VA),
                    "after the restart: %lx+%lx, map %s", h.a, h.b, l4_strerror(err));
        printf("devtest: driver done after its restart\n");
        return 0;
    }
    the_device();
    never_ram();
    ranges();
    origins();
    lent();
    destroyed();
    ask(ASK_END);
    printf("devtest: driver done\n");
    return 0;
}

/* The other container: no device of its own; maps what the driver lends it. */
static int other(void)
{
    struct l4_cap_info m = read_cap(L4_SLOT_MEMORY);
    l4_word_t tag, x, answer;

    EXPECT_ERR("DEV-016", l4_mem_map(EMPTY, 0, SPACE, DEV_VA, L4_MAP_READ), L4_ECAP);
    /* its own RAM capability reaches no further than its RAM */
    EXPECT_ERR("DEV-022", l4_mem_map(L4_SLOT_MEMORY, dev_base - m.a, SPACE, DEV_VA, L4_MAP_READ),
               L4_ERANGE);
    l4_err_t err = l4_ipc_recv(EP, 0, &tag, &x, &x, &x, &x, &x);
    while (!err && L4_TAG_LABEL(tag) != ASK_END) {
        answer = 0;
        if (L4_TAG_LABEL(tag) == ASK_MAP)
            answer = l4_mem_map(GIVEN, 0, SPACE, DEV_VA, L4_MAP_READ | L4_MAP_WRITE) == L4_OK &&
                     dev_answers(DEV_VA);
        else if (L4_TAG_LABEL(tag) == ASK_UNMAP) // ESTATE: nothing is mapped there any more
            answer = (l4_word_t)l4_mem_unmap(SPACE, DEV_VA);
        err = l4_ipc_reply_recv(EP, L4_TAG(0, 1, 0), answer, 0, 0, 0, &tag, &x, &x, &x, &x, &x);
    }
    l4_ipc_reply(L4_TAG(0, 0, 0), 0, 0, 0, 0);
    return 0;
}

/* The supervisor: restarts the driver once its first run has ended. */
#define SUP_DRIVER 16 /* the driver's container: control, inspect */
#define SUP_NTF    20

static int supervisor(void)
{
    l4_word_t bits;

    l4_notification_create(L4_SLOT_POOL(L4_POOL_NOTIFICATIONS), SUP_NTF, NULL);
    l4_container_notify(SUP_DRIVER, SUP_NTF);
    l4_notify_wait(SUP_NTF, &bits);
    l4_err_t err = l4_container_restart(SUP_DRIVER);
    if (err)
        printf("devtest: restart of the driver: %s\n", l4_strerror(err));
    l4_notify_wait(SUP_NTF, &bits);
    printf("devtest: supervisor done\n");
    return 0;
}

int main(const char *arg)
{
    if (strcmp(arg, "other") == 0)
        return other();
    if (strcmp(arg, "supervisor") == 0)
        return supervisor();
    return driver();
}
