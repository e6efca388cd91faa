/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ATK-050..052: container_restart when the restarted container's units pay for the
 * caller's own thread and space, and while another container's thread runs in its space.
 *  ATK-050  a thread of rsup, paid by a thread-pool part the lender gave it, running in a
 *           space paid by the lender's space and page-table parts, restarts the lender:
 *           it dies inside the call (its block is the store's spare), its space goes, and
 *           the lender starts again; its pools (2 threads) are as tight as they can be
 *  ATK-051  rsup's thread running in the lender's space dies with the lender's restart
 *  ATK-052  after both, rsup's pools are as before and holds nothing of the lender's
 */
#include "atk.h"

#include <coffer/syscall_nr.h>

/* lender's slots */
#define L_RSUP    16 /* rsup's container: receive (system file) */
/* rsup's slots */
#define LENDER    16 /* control, inspect (system file) */
#define GOT_THR   30
#define GOT_SPC   31
#define GOT_PT    32
#define GOT_SPACE 33
#define SPX       34
#define KILLER    35
#define VISITOR   36

int role_lender(void)
{
    l4_word_t restarts = container_info(L4_SLOT_CONTAINER).restarts;

    if (restarts == 0) {
        l4_cap_split(POOL_THR, 20, 1);
        l4_cap_split(POOL_SPC, 21, 1);
        l4_cap_split(POOL_PT, 22, 8);
        l4_err_t a = l4_cap_grant(20, L_RSUP, GOT_THR);
        l4_err_t b = l4_cap_grant(21, L_RSUP, GOT_SPC);
        l4_err_t c = l4_cap_grant(22, L_RSUP, GOT_PT);
        printf("lender: lent a thread, a space and 8 page tables: %s %s %s\n", l4_strerror(a),
               l4_strerror(b), l4_strerror(c));
        l4_thread_suspend(L4_SLOT_THREAD);
    } else if (restarts == 1) {
        l4_cap_replicate(SPACE, 20);
        l4_err_t a = l4_cap_grant(20, L_RSUP, GOT_SPACE);
        printf("lender: restarted once; lent our space: %s\n", l4_strerror(a));
        l4_thread_suspend(L4_SLOT_THREAD);
    }
    printf("lender: restarted %lu times\n", restarts);
    return 0;
}

int role_rsup(void)
{
    l4_word_t off = blob_syscall(0, L4_SYS_CONTAINER_RESTART, LENDER); // maps a page
    l4_word_t thr0 = cap_info(POOL_THR).object, spc0 = cap_info(POOL_SPC).object,
              pt0 = cap_info(POOL_PT).object;
    bool got =
        wait_filled(GOT_THR, 1000) && wait_filled(GOT_SPC, 1000) && wait_filled(GOT_PT, 1000);

    /* ATK-050 */
    l4_err_t err = l4_space_create(GOT_SPC, GOT_PT, SPX, NULL);
    if (!err)
        err = l4_mem_map(MEM, off, SPX, BLOB_VA, L4_MAP_READ | L4_MAP_EXEC);
    if (!err)
        err = start_at(GOT_THR, SPX, BLOB_VA, 0, 100, KILLER);
    printf("rsup: a thread paid by the lender, in a space it pays for, restarts it: %s\n",
           l4_strerror(err));
    bool gone = wait_empty(KILLER, 1000);
    struct container_info s = container_info(LENDER);
    test_report("ATK-050",
                got && !err && gone && slot_empty(SPX) && slot_empty(GOT_THR) &&
                    slot_empty(GOT_SPC) && slot_empty(GOT_PT) && s.restarts == 1 &&
                    s.threads <= 1 && s.spaces == 1,
                "got %d start %s, killer %s, space %s, lender restarts %lu threads %lu spaces %lu",
                got, l4_strerror(err), gone ? "gone" : "alive", slot_empty(SPX) ? "gone" : "kept",
                s.restarts, s.threads, s.spaces);

    /* ATK-051 */
    got = wait_filled(GOT_SPACE, 1000);
    err = l4_mem_map(MEM, 4096, GOT_SPACE, STACK_VA, L4_MAP_READ | L4_MAP_WRITE);
    if (!err)
        err = start_at(POOL_THR, GOT_SPACE, (l4_word_t)spy, L4_ENTRY_SP(STACK_VA + 4096), 100,
                       VISITOR);
    yield_n(10);
    l4_err_t rs = l4_container_restart(LENDER);
    s = container_info(LENDER);
    test_report("ATK-051",
                got && !err && rs == L4_OK && slot_empty(VISITOR) && slot_empty(GOT_SPACE) &&
                    s.restarts == 2,
                "got %d start %s restart %s, visitor %s, lender restarts %lu", got,
                l4_strerror(err), l4_strerror(rs), slot_empty(VISITOR) ? "gone" : "alive",
                s.restarts);

    /* ATK-052 */
    yield_n(10);
    test_report("ATK-052",
                cap_info(POOL_THR).object == thr0 && cap_info(POOL_SPC).object == spc0 &&
                    cap_info(POOL_PT).object == pt0,
                "threads %lu (%lu), spaces %lu (%lu), tables %lu (%lu)", cap_info(POOL_THR).object,
                thr0, cap_info(POOL_SPC).object, spc0, cap_info(POOL_PT).object, pt0);
    printf("rsup: done\n");
    return 0;
}
