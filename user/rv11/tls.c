/* SPDX-License-Identifier: BSD-2-Clause */
/* RV-1110: a thread that clears its own TLS bases without the kernel (tls_clear_by_hand). */
#include "rv11.h"

#define ROUNDS 200

/* The same address in both containers (one program): what each TLS base points at. */
static volatile l4_word_t block = 0x7150715071507150ull;

static void set_bases(void)
{
    l4_word_t old;

    for (unsigned i = 0; i < L4_TLS_COUNT; i++)
        l4_thread_tls(i | L4_TLS_SET, (l4_word_t)&block, &old);
}

/*
 * The attacker: the same bases as the victim, then its bases zeroed by hand (x86_64: FS and
 * GS loaded with the null selector, which zeroes their bases on Intel and in QEMU; AArch64:
 * TPIDR_EL0 written at EL0) before every switch. A kernel that believed the CPU still held
 * the attacker's bases would not load the victim's, which are the same numbers, and the
 * victim would read address 0.
 */
void tls_attack(void)
{
    set_bases();
    for (unsigned i = 0; i < ROUNDS; i++) {
        tls_clear_by_hand();
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
        bad += !tls_words_are(block);
    }
    test_report("RV-1110", !bad, "%u of %u rounds without the victim's own TLS bases", bad, ROUNDS);
    return 0;
}
