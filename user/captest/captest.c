/* SPDX-License-Identifier: BSD-2-Clause */
/* Capability-control conformance: CAP-xxx, one test per documented error, and the tree rules. */
#include "test.h"

#include <coffer/thread.h>

#define PEER     16 /* container capability to "peer", with L4_CONT_RECEIVE (system file) */
#define PEER_RO  17 /* the same container, without L4_CONT_RECEIVE (system file) */
#define A        20
#define B        21
#define C        22
#define D        23
#define EMPTY    63
#define FAR      100000
#define POOL_THR L4_SLOT_POOL(L4_POOL_THREADS)
#define POOL_PT  L4_SLOT_POOL(L4_POOL_PAGETABLES)

/* A copy of the space capability in dest, with rights. */
static void space_copy(l4_cap_t dest, l4_word_t rights)
{
    l4_cap_replicate(L4_SLOT_SPACE, dest);
    l4_cap_deduce(dest, rights, 0, 0);
}

static void read_and_list(void)
{
    EXPECT_ERR("CAP-001", l4_cap_read(EMPTY, NULL, NULL, NULL, NULL, NULL, NULL), L4_ECAP);
    EXPECT_ERR("CAP-002", l4_cap_read(FAR, NULL, NULL, NULL, NULL, NULL, NULL), L4_ECAP);
    struct cap_info p = cap_info(POOL_THR);
    test_report("CAP-003",
                p.type == L4_CAP_POOL && p.a == L4_POOL_THREADS && p.b == 16 &&
                    p.rights == (L4_RIGHTS_CAP | L4_POOL_ALLOC) && p.depth == 0,
                "pool cap read as type %lu kind %lu quantity %lu rights %lx", p.type, p.a, p.b,
                p.rights);
    l4_word_t slot = 0;
    EXPECT_ERR("CAP-004", l4_cap_next(PEER_RO + 1, &slot), L4_ERANGE);
    l4_err_t err = l4_cap_next(L4_SLOT_MEMORY + 1, &slot);
    test_report("CAP-005", err == L4_OK && slot == PEER, "%s, slot %lu", l4_strerror(err), slot);
}

static void replicate_and_share(void)
{
    EXPECT_ERR("CAP-006", l4_cap_replicate(EMPTY, A), L4_ECAP);
    EXPECT_ERR("CAP-007", l4_cap_replicate(L4_SLOT_SPACE, FAR), L4_ECAP);
    EXPECT_ERR("CAP-008", l4_cap_replicate(L4_SLOT_SPACE, L4_SLOT_THREAD), L4_EBUSY);
    space_copy(D, L4_SPACE_BIND); // no L4_RIGHT_COPY
    EXPECT_ERR("CAP-009", l4_cap_replicate(D, A), L4_ERIGHTS);
    EXPECT_ERR("CAP-015", l4_cap_share(D, A), L4_ERIGHTS);
    l4_cap_destroy(D);
    EXPECT_ERR("CAP-010", l4_cap_replicate(POOL_THR, A), L4_EINVAL);
    EXPECT_ERR("CAP-011", l4_cap_replicate(L4_SLOT_SPACE, A), L4_OK);
    test_report("CAP-012",
                cap_info(A).depth == 1 && cap_info(A).object == cap_info(L4_SLOT_SPACE).object,
                "replica depth %lu", cap_info(A).depth);
    EXPECT_ERR("CAP-013", l4_cap_share(EMPTY, B), L4_ECAP);
    EXPECT_ERR("CAP-014", l4_cap_share(A, L4_SLOT_THREAD), L4_EBUSY);
    EXPECT_ERR("CAP-016", l4_cap_share(POOL_THR, B), L4_EINVAL);
    /* B = child of A; C = share of B, so a sibling of B and another child of A */
    l4_cap_replicate(A, B);
    EXPECT_ERR("CAP-017", l4_cap_share(B, C), L4_OK);
    test_report("CAP-018", cap_info(B).depth == 2 && cap_info(C).depth == 2, "depths %lu %lu",
                cap_info(B).depth, cap_info(C).depth);
    l4_cap_revoke(B); // B has no children: C is its sibling and stays
    bool c_after_b = !slot_empty(C);
    l4_cap_revoke(A); // everything below A goes
    test_report("CAP-019", c_after_b && slot_empty(B) && slot_empty(C) && !slot_empty(A),
                "after revoking B, C %s; after revoking A: B %s C %s",
                c_after_b ? "stayed" : "went", slot_empty(B) ? "gone" : "left",
                slot_empty(C) ? "gone" : "left");
    l4_cap_destroy(A);
}

static void grant(void)
{
    EXPECT_ERR("CAP-020", l4_cap_grant(EMPTY, PEER, 20), L4_ECAP);
    l4_cap_replicate(L4_SLOT_SPACE, A);
    EXPECT_ERR("CAP-021", l4_cap_grant(A, L4_SLOT_SPACE, 20), L4_ECAP);
    EXPECT_ERR("CAP-022", l4_cap_grant(A, PEER, FAR), L4_ECAP);
    EXPECT_ERR("CAP-023", l4_cap_grant(A, PEER_RO, 20), L4_ERIGHTS);
    EXPECT_ERR("CAP-024", l4_cap_grant(A, PEER, L4_SLOT_SPACE), L4_EBUSY);
    space_copy(B, L4_RIGHT_COPY | L4_SPACE_BIND); // no L4_RIGHT_GRANT
    EXPECT_ERR("CAP-025", l4_cap_grant(B, PEER, 20), L4_ERIGHTS);
    l4_cap_destroy(B);
    EXPECT_ERR("CAP-026", l4_cap_grant(A, PEER, 20), L4_OK);
    test_report("CAP-027", slot_empty(A), "granted capability still in the source slot");
    /* the grant went into the peer's slot 20: taken back by revoking its parent */
    EXPECT_ERR("CAP-028", l4_cap_replicate(L4_SLOT_SPACE, A), L4_OK);
    EXPECT_ERR("CAP-029", l4_cap_grant(A, PEER, 20), L4_EBUSY); // slot 20 of peer is taken
    l4_cap_destroy(A);
    /* revoking the space capability's children everywhere frees the peer's slot 20 */
    l4_cap_revoke(L4_SLOT_SPACE);
    l4_cap_replicate(L4_SLOT_SPACE, A);
    EXPECT_ERR("CAP-030", l4_cap_grant(A, PEER, 20), L4_OK);
    l4_cap_revoke(L4_SLOT_SPACE);
    /* the root of a pool stays home; a part whose units are in use may not leave either */
    EXPECT_ERR("CAP-031", l4_cap_grant(POOL_THR, PEER, 21), L4_EINVAL);
    l4_cap_split(POOL_THR, A, 8);                     // root 8 (this thread is paid by it), A 8
    l4_thread_create(A, L4_SLOT_SPACE, 10, 40, NULL); // A pays for one thread now
    EXPECT_ERR("CAP-071", l4_cap_grant(A, PEER, 21), L4_EBUSY);
    l4_thread_destroy(40);
    l4_cap_destroy(A);
    EXPECT_ERR("CAP-072", l4_cap_grant(L4_SLOT_MEMORY, PEER, 21), L4_EINVAL);
    /* sharing a root makes a child: revoking the root reaches it */
    l4_cap_share(L4_SLOT_SPACE, A);
    l4_cap_revoke(L4_SLOT_SPACE);
    test_report("CAP-073", slot_empty(A), "a share of a root escaped its revoke");
}

static void split(void)
{
    EXPECT_ERR("CAP-032", l4_cap_split(EMPTY, A, 1), L4_ECAP);
    EXPECT_ERR("CAP-033", l4_cap_split(POOL_PT, L4_SLOT_THREAD, 1), L4_EBUSY);
    space_copy(D, L4_SPACE_BIND | L4_SPACE_MAP); // no L4_RIGHT_COPY
    EXPECT_ERR("CAP-034", l4_cap_split(D, A, L4_SPACE_MAP), L4_ERIGHTS);
    l4_cap_destroy(D);
    space_copy(D, L4_RIGHT_COPY | L4_SPACE_BIND);
    EXPECT_ERR("CAP-035", l4_cap_split(D, A, L4_SPACE_MAP), L4_ERIGHTS); // D has no MAP
    EXPECT_ERR("CAP-036", l4_cap_split(D, A, 0), L4_EINVAL);
    EXPECT_ERR("CAP-037", l4_cap_split(D, A, L4_RIGHT_GRANT), L4_EINVAL);
    EXPECT_ERR("CAP-038", l4_cap_split(D, A, L4_SPACE_BIND), L4_OK);
    test_report("CAP-039",
                cap_info(A).rights == (L4_RIGHT_COPY | L4_SPACE_BIND) &&
                    cap_info(D).rights == L4_RIGHT_COPY,
                "rights after split: child %lx, parent %lx", cap_info(A).rights,
                cap_info(D).rights);
    l4_cap_destroy(A);
    l4_cap_destroy(D);
    EXPECT_ERR("CAP-040", l4_cap_split(POOL_PT, A, 0), L4_ERANGE);
    EXPECT_ERR("CAP-041", l4_cap_split(POOL_PT, A, 64), L4_ERANGE);
    EXPECT_ERR("CAP-042", l4_cap_split(POOL_PT, A, 10), L4_OK);
    test_report("CAP-043", cap_info(A).b == 10 && cap_info(POOL_PT).b == 54, "units %lu + %lu",
                cap_info(A).b, cap_info(POOL_PT).b);
    l4_cap_destroy(A);
    test_report("CAP-044", cap_info(POOL_PT).b == 64, "units after destroy %lu",
                cap_info(POOL_PT).b);
    struct cap_info m = cap_info(L4_SLOT_MEMORY);
    EXPECT_ERR("CAP-045", l4_cap_split(L4_SLOT_MEMORY, A, 100), L4_EINVAL);
    EXPECT_ERR("CAP-046", l4_cap_split(L4_SLOT_MEMORY, A, m.b), L4_ERANGE);
    l4_cap_split(L4_SLOT_MEMORY, A, m.b / 2);
    l4_cap_split(L4_SLOT_MEMORY, B, m.b / 4);
    test_report("CAP-047",
                cap_info(L4_SLOT_MEMORY).b == m.b / 4 && cap_info(B).a == m.a + m.b / 4 &&
                    cap_info(A).a == m.a + m.b / 2 && cap_info(A).b == m.b / 2,
                "ranges after two splits wrong");
    l4_cap_revoke(L4_SLOT_MEMORY);
    struct cap_info back = cap_info(L4_SLOT_MEMORY);
    test_report("CAP-048", back.a == m.a && back.b == m.b && slot_empty(A) && slot_empty(B),
                "range after revoke %lx+%lx, was %lx+%lx", back.a, back.b, m.a, m.b);
}

static void deduce(void)
{
    EXPECT_ERR("CAP-049", l4_cap_deduce(EMPTY, 0, 0, 0), L4_ECAP);
    space_copy(A, L4_RIGHT_COPY | L4_SPACE_BIND);
    EXPECT_ERR("CAP-050", l4_cap_deduce(A, 1u << 20, 0, 0), L4_EINVAL);
    EXPECT_ERR("CAP-051", l4_cap_deduce(A, L4_RIGHT_COPY | L4_SPACE_MAP, 0, 0), L4_ERIGHTS);
    EXPECT_ERR("CAP-052", l4_cap_deduce(A, L4_RIGHT_COPY, 5, 0), L4_EINVAL);
    l4_cap_replicate(A, B);
    EXPECT_ERR("CAP-053", l4_cap_deduce(A, L4_RIGHT_COPY, 0, 0), L4_OK);
    test_report("CAP-054", cap_info(B).rights == L4_RIGHT_COPY, "child kept rights %lx",
                cap_info(B).rights);
    l4_cap_revoke(A);
    l4_cap_destroy(A);
    EXPECT_ERR("CAP-055",
               l4_cap_deduce(POOL_PT, L4_RIGHTS_CAP | L4_POOL_ALLOC, L4_POOL_THREADS, 60),
               L4_EINVAL);
    EXPECT_ERR("CAP-056",
               l4_cap_deduce(POOL_PT, L4_RIGHTS_CAP | L4_POOL_ALLOC, L4_POOL_PAGETABLES, 65),
               L4_ERANGE);
    EXPECT_ERR("CAP-057",
               l4_cap_deduce(POOL_THR, L4_RIGHTS_CAP | L4_POOL_ALLOC, L4_POOL_THREADS, 0),
               L4_ERANGE);
    /* two threads alive (this one and D): the pool may not drop below 2 units */
    l4_thread_create(POOL_THR, L4_SLOT_SPACE, 10, D, NULL);
    EXPECT_ERR("CAP-070",
               l4_cap_deduce(POOL_THR, L4_RIGHTS_CAP | L4_POOL_ALLOC, L4_POOL_THREADS, 1),
               L4_EBUSY);
    l4_thread_destroy(D);
    l4_cap_split(POOL_THR, A, 8);
    EXPECT_ERR("CAP-058", l4_cap_deduce(A, L4_RIGHTS_CAP | L4_POOL_ALLOC, L4_POOL_THREADS, 1),
               L4_OK);
    l4_cap_destroy(A);
    struct cap_info m = cap_info(L4_SLOT_MEMORY);
    EXPECT_ERR("CAP-059", l4_cap_deduce(L4_SLOT_MEMORY, m.rights, m.a - 4096, m.b), L4_ERANGE);
    EXPECT_ERR("CAP-060", l4_cap_deduce(L4_SLOT_MEMORY, m.rights, m.a + 1, 4096), L4_EINVAL);
    l4_cap_split(L4_SLOT_MEMORY, A, m.b / 2);
    EXPECT_ERR("CAP-061", l4_cap_deduce(A, m.rights, m.a + m.b / 2, 4096), L4_OK);
    l4_cap_destroy(A);
}

static void destroy_and_revoke(void)
{
    EXPECT_ERR("CAP-062", l4_cap_destroy(EMPTY), L4_ECAP);
    /* a pool root lasts the container's whole run */
    EXPECT_ERR("CAP-063", l4_cap_destroy(POOL_THR), L4_EINVAL);
    l4_cap_replicate(L4_SLOT_SPACE, A);
    l4_cap_replicate(A, B);
    l4_cap_replicate(B, C);
    EXPECT_ERR("CAP-064", l4_cap_destroy(B), L4_OK);
    test_report("CAP-065", cap_info(C).depth == 2 && !slot_empty(A),
                "grandchild depth %lu after its parent went", cap_info(C).depth);
    EXPECT_ERR("CAP-066", l4_cap_revoke(FAR), L4_ECAP);
    EXPECT_ERR("CAP-067", l4_cap_revoke(A), L4_OK);
    test_report("CAP-068", slot_empty(C) && !slot_empty(A), "revoke left C or removed A");
    l4_cap_destroy(A);
    /* pool units split off and granted away come back on revoke */
    l4_cap_split(POOL_PT, A, 5);
    l4_cap_grant(A, PEER, 22);
    l4_word_t before = cap_info(POOL_PT).b;
    l4_cap_revoke(POOL_PT);
    test_report("CAP-069", before == 59 && cap_info(POOL_PT).b == 64, "units %lu then %lu", before,
                cap_info(POOL_PT).b);
}

static volatile l4_err_t revoked = -1;

static long just_exit(l4_word_t arg)
{
    return (long)arg;
}

static long revoke_thread_pool(l4_word_t arg)
{
    (void)arg;
    revoked = l4_cap_revoke(POOL_THR);
    return 0;
}

/*
 * A thread paid by a part exits, and the next thread to run is a fresh one, whose first
 * run passes no point where the kernel frees dead threads: the dead one still holds its
 * block and unit when that fresh thread revokes the part. The revoke must reach it.
 */
static void revoke_reaches_the_dead(void)
{
    l4_word_t units = 0, used = ~0ul, before = 0;

    l4_cap_read(POOL_THR, NULL, NULL, NULL, &before, NULL, NULL);
    l4_cap_split(POOL_THR, A, 2);
    l4_thread_spawn_in(A, just_exit, 0, 90, B);
    l4_thread_spawn(revoke_thread_pool, 0, 90, C);
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, 80); // both run now, in order
    l4_thread_configure(L4_SLOT_THREAD, L4_THREAD_PRIORITY, 100);
    l4_thread_destroy(C); // the revoker ended: its capability kept its exit code and unit
    l4_cap_read(POOL_THR, NULL, NULL, NULL, &units, &used, NULL);
    test_report("CAP-074", revoked == L4_OK && slot_empty(A) && units == before && used == 1,
                "revoke %s; the part %s; root %lu units (%lu before), %lu in use",
                l4_strerror(revoked), slot_empty(A) ? "went" : "stayed", units, before, used);
    l4_cap_destroy(B);
    l4_cap_destroy(C);
}

int main(const char *arg)
{
    (void)arg;
    read_and_list();
    replicate_and_share();
    grant();
    split();
    deduce();
    destroy_and_revoke();
    revoke_reaches_the_dead();
    printf("captest: done\n");
    return 0;
}
