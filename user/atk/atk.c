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

static void put32(uint8_t *p, uint32_t v)
{
    for (int i = 0; i < 4; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

l4_word_t blob_syscall(unsigned page, l4_word_t nr, l4_word_t arg)
{
    uint8_t *p = blob_page(page);

    p[0] = 0xb8; // mov $nr, %eax
    put32(p + 1, (uint32_t)nr);
    p[5] = 0xbf; // mov $arg, %edi
    put32(p + 6, (uint32_t)arg);
    p[10] = 0x0f; // syscall
    p[11] = 0x05;
    p[12] = 0x0f; // ud2: the call should never come back
    p[13] = 0x0b;
    p[14] = 0xeb; // jmp .-2
    p[15] = 0xfc;
    return page * 4096ull;
}

l4_word_t blob_yield_loop(unsigned page)
{
    uint8_t *p = blob_page(page);

    p[0] = 0xb8; // 1: mov $L4_SYS_THREAD_YIELD, %eax
    put32(p + 1, L4_SYS_THREAD_YIELD);
    p[5] = 0x0f; // syscall
    p[6] = 0x05;
    p[7] = 0xeb; // jmp 1b
    p[8] = (uint8_t)-9;
    return page * 4096ull;
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
    printf("atk: unknown role '%s'\n", arg);
    return 1;
}
