/* SPDX-License-Identifier: BSD-2-Clause */
/* The smaller calls' conformance tests: irq_release, immutable grants, the wall clock. */
#include "smalltest.h"

void weaker_copy(l4_cap_t src, l4_cap_t dest, l4_word_t rights)
{
    struct cap_info i = cap_info(src);

    l4_cap_replicate(src, dest);
    l4_cap_deduce(dest, rights, i.a, i.b);
}

void wait_ticks(l4_word_t n)
{
    l4_word_t end = test_ticks() + n;

    while (test_ticks() < end)
        l4_thread_yield();
}

int main(const char *arg)
{
    static const struct {
        const char *arg;
        int (*run)(void);
    } parts[] = {
        {"irqrel", irqrel_tests},
        {"immut-giver", immut_giver},
        {"immut-taker", immut_taker},
        {"wall", wall_tests},
        {"wall-refused", wall_refused},
        {"irqlend-lender", irqlend_lender},
        {"irqlend-borrower", irqlend_borrower},
    };

    for (unsigned i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
        if (strcmp(arg, parts[i].arg) == 0)
            return parts[i].run();
    }
    printf("smalltest: unknown part '%s'\n", arg);
    return 1;
}
