/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * The processes the pager runs: code of this program, run in spaces the pager builds. They
 * touch only their stack and data (their copy of this program's globals is a snapshot of
 * the pager's), and speak to the pager by calls on EP_OF(k).
 */
#include "cow.h"

enum writer cow_expected(enum proc who, l4_word_t page)
{
    unsigned c = page % 8;

    if (page >= DATA_PAGES) // the fresh pages: B's alone
        return who == PROC_B ? BY_B2 : NOBODY;
    switch (who) {
    case PROC_A:
        return c <= 3 ? BY_A : ORIG;
    case PROC_B:
        return c == 1 ? BY_B1 : c == 2 || c == 4 ? BY_B2 : ORIG;
    default:
        return c == 1 ? BY_B1 : c >= 3 && c <= 5 ? BY_C : ORIG;
    }
}

static l4_word_t ask(l4_word_t k, l4_word_t label, l4_word_t word)
{
    l4_word_t x, answer = 0;

    l4_ipc_call(EP_OF(k), L4_TAG(label, 1, 0), word, 0, 0, 0, &x, &answer, &x, &x, &x, &x);
    return answer;
}

static void fill(l4_word_t page, enum writer w)
{
    volatile l4_word_t *p = (volatile l4_word_t *)(DATA + page * PAGE);

    for (l4_word_t j = 0; j < WORDS; j++)
        p[j] = cow_value(w, page, j);
}

/* Write every page whose expected writer is w (this process, at this stage). */
static void write_own(enum proc who, enum writer w)
{
    for (l4_word_t i = 0; i < DATA_PAGES + FRESH_PAGES; i++) {
        if (cow_expected(who, i) == w)
            fill(i, w);
    }
}

/* Once every process has written, each reads all its pages: 0, or 1 + the first wrong one. */
static _Noreturn void check_and_end(l4_word_t k, enum proc who)
{
    l4_word_t bad = 0;

    while (!ask(k, REQ_WROTE, 0))
        l4_thread_yield();
    for (l4_word_t i = 0; i < DATA_PAGES + FRESH_PAGES && !bad; i++) {
        enum writer w = cow_expected(who, i);
        const volatile l4_word_t *p = (const volatile l4_word_t *)(DATA + i * PAGE);
        for (l4_word_t j = 0; w != NOBODY && j < WORDS && !bad; j++)
            bad = p[j] == cow_value(w, i, j) ? 0 : 1 + i;
    }
    ask(k, REQ_DONE, bad);
    l4_thread_exit(0);
    __builtin_unreachable();
}

static _Noreturn void proc_c(l4_word_t k)
{
    write_own(PROC_C, BY_C);
    check_and_end(k, PROC_C);
}

/* B writes some pages, forks C (fork of a fork: pages now shared three ways), writes more,
 * and the fresh pages nobody had before. */
static _Noreturn void proc_b(l4_word_t k)
{
    write_own(PROC_B, BY_B1);
    ask(k, REQ_FORK, (l4_word_t)proc_c);
    write_own(PROC_B, BY_B2);
    check_and_end(k, PROC_B);
}

_Noreturn void proc_a(l4_word_t k)
{
    for (l4_word_t i = 0; i < DATA_PAGES; i++)
        fill(i, ORIG);
    ask(k, REQ_FORK, (l4_word_t)proc_b);
    write_own(PROC_A, BY_A);
    check_and_end(k, PROC_A);
}
