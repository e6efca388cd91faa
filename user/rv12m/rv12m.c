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

int main(const char *arg)
{
    if (arg && !strcmp(arg, "other"))
        return other();
    deduced_rights();
    ask(ASK_END);
    printf("rv12m: done\n");
    return 0;
}
