/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * Security review of kernel-memory accounting (commit b742ede): attacks a hostile
 * container could make, ATK-xxx. One program, a role per container; the systems are
 * tests/qemu/systems/atk-*.toml. A test that failed (or a kernel that hung or panicked
 * before the test reported) was a finding, each now fixed; the rest document attacks that
 * held.
 */
#include "atk.h"

#include <coffer/syscall_nr.h>

volatile l4_word_t spy_counter;

bool wait_filled(l4_cap_t slot, unsigned n)
{
    while (slot_empty(slot) && n--)
        l4_thread_yield();
    return !slot_empty(slot);
}

bool wait_empty(l4_cap_t slot, unsigned n)
{
    while (!slot_empty(slot) && n--)
        l4_thread_yield();
    return slot_empty(slot);
}

l4_err_t start_at(l4_cap_t pool, l4_cap_t space, l4_word_t ip, l4_word_t sp, l4_word_t prio,
                  l4_cap_t dest)
{
    l4_err_t err = l4_thread_create(pool, space, prio, dest, NULL);

    if (!err)
        err = l4_thread_exregs(dest, L4_EXREGS_ALL, ip, sp, 0, NULL, NULL);
    if (!err)
        err = l4_thread_start(dest);
    return err;
}

l4_err_t spawn(l4_cap_t pool, l4_cap_t space, long (*fn)(l4_word_t), l4_word_t arg, l4_word_t prio,
               l4_cap_t dest, bool start)
{
    l4_err_t err = l4_thread_prepare(pool, space, fn, arg, prio, dest);

    return err || !start ? err : l4_thread_start(dest);
}

/*
 * Page `page` of our region, mapped read-write at BLOB_OWN + page * 4096 in our own space
 * (once), where the architecture's encoder writes a blob.
 */
static uint8_t *blob_page(unsigned page)
{
    static bool mapped[16];
    l4_word_t va = BLOB_OWN + page * 4096ull;

    if (!mapped[page]) {
        l4_mem_map(MEM, page * 4096ull, SPACE, va, L4_MAP_READ | L4_MAP_WRITE);
        mapped[page] = true;
    }
    return (uint8_t *)va;
}

/*
 * The blob just written is code another space runs: make it fit for instruction fetch
 * (AArch64's does not see data writes by itself; x86_64's does, and the call does nothing
 * there). mem_map syncs a frame it maps executable too, but a page written again after that
 * (held.c's page 0 serves one blob after another) would otherwise run stale code.
 */
static l4_word_t blob_done(unsigned page)
{
    l4_word_t done = 0;
    l4_err_t err = l4_cache_control(SPACE, BLOB_OWN + page * 4096ull, 1, L4_CACHE_SYNC_INSN, &done);

    if (err || done != 1)
        printf("atk: FAIL: cache_control on blob page %u: %s, %lu done\n", page, l4_strerror(err),
               done);
    return page * 4096ull;
}

l4_word_t blob_syscall(unsigned page, l4_word_t nr, l4_word_t arg)
{
    arch_blob_syscall(blob_page(page), nr, arg);
    return blob_done(page);
}

l4_word_t blob_yield_loop(unsigned page)
{
    arch_blob_yield_loop(blob_page(page), L4_SYS_THREAD_YIELD);
    return blob_done(page);
}

long spy(l4_word_t arg)
{
    (void)arg;
    for (;;) {
        spy_counter++;
        l4_thread_yield();
    }
}

int main(const char *arg)
{
    static const struct {
        const char *name;
        int (*fn)(void);
    } roles[] = {
        {"zrevoke", role_zrevoke},   {"zsup", role_zsup},     {"exiter", role_exiter},
        {"rootsup", role_rootsup},   {"giver", role_giver},   {"owner", role_owner},
        {"intruder", role_intruder}, {"held", role_held},     {"peer", role_peer},
        {"rsup", role_rsup},         {"lender", role_lender},
    };

    for (unsigned i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
        if (strcmp(arg, roles[i].name) == 0)
            return roles[i].fn();
    }
    if (strncmp(arg, "fuzz", 4) == 0)
        return role_fuzz(arg + 4);
    if (strcmp(arg, "fsup") == 0)
        return role_fsup();
    if (strcmp(arg, "nothing") == 0)
        return 0;
#if defined(__aarch64__)
    if (strcmp(arg, "machine") == 0)
        return role_machine(); // machine_aarch64.c: the machine's shared state from EL0
#endif
    printf("atk: unknown role '%s'\n", arg);
    return 1;
}
