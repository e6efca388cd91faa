/* SPDX-License-Identifier: BSD-2-Clause */
/* RV-1110's AArch64 part (built for AArch64 only): TPIDR_EL0, which EL0 writes itself. */
#ifdef __aarch64__
#include "rv11.h"
#include "tp.h"

void tls_clear_by_hand(void)
{
    __asm__ volatile("msr tpidr_el0, xzr" : : : "memory");
}

bool tls_words_are(l4_word_t want)
{
    return tp_word0() == want;
}
#endif
