/* SPDX-License-Identifier: BSD-2-Clause */
/* RV-1110: a thread that clears its own FS/GS base by loading a segment selector. */
#include "rv11.h"

#define ROUNDS 200

/* The same address in both containers (one program): what %fs:0 and %gs:0 read. */
static volatile l4_word_t block = 0x7150715071507150ull;

static l4_word_t fs_word(void)
{
    l4_word_t v;

    __asm__ volatile("mov %%fs:0, %0" : "=r"(v));
    return v;
}

static l4_word_t gs_word(void)
{
    l4_word_t v;

    __asm__ volatile("mov %%gs:0, %0" : "=r"(v));
    return v;
}

static void set_bases(void)
{
    l4_word_t old;

    l4_thread_tls(L4_TLS_FS | L4_TLS_SET, (l4_word_t)&block, &old);
    l4_thread_tls(L4_TLS_GS | L4_TLS_SET, (l4_word_t)&block, &old);
}

/*
 * The attacker: the same bases as the victim, then FS and GS loaded with the null selector
 * (which zeroes their bases on Intel and in QEMU, without the kernel) before every switch.
 * A kernel that believed the CPU still held the attacker's bases would not load the
 * victim's, which are the same numbers, and the victim would read address 0.
 */
void tls_attack(void)
{
    set_bases();
    for (unsigned i = 0; i < ROUNDS; i++) {
        __asm__ volatile("mov %0, %%fs; mov %0, %%gs" : : "r"(0) : "memory");
        l4_thread_yield();
    }
}

/* RV-1110: the victim, in another container, always finds its own bases. */
int tls_victim(void)
{
    unsigned bad = 0;

    set_bases();
    for (unsigned i = 0; i < ROUNDS; i++) {
        l4_thread_yield();
        bad += fs_word() != block || gs_word() != block;
    }
    test_report("RV-1110", !bad, "%u of %u rounds without the victim's own TLS bases", bad, ROUNDS);
    return 0;
}
