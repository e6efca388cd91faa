/* SPDX-License-Identifier: BSD-2-Clause */
/* RV-1110's x86_64 part (built for x86_64 only): FS and GS, cleared with selector loads. */
#ifdef __x86_64__
#include "rv11.h"

void tls_clear_by_hand(void)
{
    __asm__ volatile("mov %0, %%fs; mov %0, %%gs" : : "r"(0) : "memory");
}

bool tls_words_are(l4_word_t want)
{
    l4_word_t fs, gs;

    __asm__ volatile("mov %%fs:0, %0" : "=r"(fs));
    __asm__ volatile("mov %%gs:0, %0" : "=r"(gs));
    return fs == want && gs == want;
}
#endif
