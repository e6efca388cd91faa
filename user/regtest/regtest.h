/* SPDX-License-Identifier: BSD-2-Clause */
/* What the files of user/regtest share: slots, address constants, and the TLS tests. */
#ifndef REGTEST_H
#define REGTEST_H

#include "test.h"

#include <coffer/ipc.h>
#include <coffer/regs.h>
#include <coffer/thread.h>

#define USER_TOP 0x0000800000000000ull
#define KERNEL   0xffffffff80000000ull
#define T        20 /* a thread the tests write, all rights */
#define T_RO     21 /* the same, L4_THR_READ only */
#define T_WO     22 /* the same, L4_THR_WRITE only */
#define EP       23 /* an endpoint the blocking tests wait on */
#define W1       24 /* helper threads */
#define W2       25
#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)

/* The word at the FS or GS base of the calling thread: %fs:0, %gs:0. */
#define SEG_WORD(seg)                                                                              \
    ({                                                                                             \
        l4_word_t v_;                                                                              \
        __asm__ volatile("mov %%" seg ":0, %0" : "=r"(v_));                                        \
        v_;                                                                                        \
    })
#define fs_word() SEG_WORD("fs")
#define gs_word() SEG_WORD("gs")

/* tls.c: REG-040.. */
void tls_tests(void);
/* entry.c: REG-060.. */
void entry_tests(void);
/* The container "peer": its bases stay 0 while regtest's threads use theirs (REG-050). */
void peer_main(void);

#endif
