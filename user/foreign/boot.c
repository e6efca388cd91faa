/* SPDX-License-Identifier: BSD-2-Clause */
/* First threads the system file starts in a foreign mode (fault, foreign_syscalls), and emu. */
#include "foreign.h"
#include "test.h"

#include <coffer/ipc.h>
#include <coffer/syscall_nr.h>

/* tests/qemu/systems/foreign-boot.toml */
#define BOOT_EP       16 /* emu's endpoint "ep"; each guest's capability to it is its slot 16 */
#define ALL_GUEST     17 /* emu's control capabilities to the two guests */
#define UNKNOWN_GUEST 18
#define ALL_BADGE     1 /* the badges of the guests' capabilities to emu's endpoint */
#define UNKNOWN_BADGE 2
#define NR_CHECK      1005 /* A0: what NR_ADD gave, A1: what thread_id gave; then emu decides */

/* What each guest has done: which run (0 at boot, 1 after its restart), first call seen. */
struct guest {
    const char *name;
    l4_cap_t control;
    unsigned run;
    bool called;        /* in this run */
    const char *ids[4]; /* first call, check at boot, restart, check after the restart */
};

static struct guest all = {
    "all", ALL_GUEST, 0, false, {"FOREIGN-150", "FOREIGN-151", "FOREIGN-152", "FOREIGN-153"}};
static struct guest unknown = {"unknown",
                               UNKNOWN_GUEST,
                               0,
                               false,
                               {"FOREIGN-154", "FOREIGN-155", "FOREIGN-156", "FOREIGN-157"}};

/* NR_CHECK: the run's answers reached the guest; restart it after its first run. Returns
 * whether emu answers the call. */
static bool check(struct guest *g, struct l4_regs *r, l4_word_t want_id)
{
    l4_word_t sum = REG(r, W_A0), id = REG(r, W_A1);
    bool ok = sum == 42 && id == want_id;

    test_report(g->ids[1 + 2 * g->run], ok, "%s guest, run %u: NR_ADD gave %lu, thread_id %lx",
                g->name, g->run, sum, id);
    g->called = false;
    if (g->run++ == 0) { // killed in its call: its next run starts from the image
        EXPECT_ERR(g->ids[2], l4_container_restart(g->control), L4_OK);
        return false;
    }
    if (g == &all) { // it can make no Coffer call, thread_exit included: stop it
        reply(L4_SYSCALL_STOP, r, 0);
        return false;
    }
    REG(r, W_NR) = 0;
    return true;
}

/* One delivered call of guest g. */
static void serve(struct guest *g, struct l4_regs *r)
{
    l4_word_t *nr = &REG(r, W_NR);

    if (!g->called)
        test_report(g->ids[0], *nr == NR_ADD,
                    "%s guest, run %u: its first system call was %lu, not NR_ADD", g->name, g->run,
                    *nr);
    g->called = true;
    if (*nr == NR_ADD)
        *nr = REG(r, W_A0) + REG(r, W_A1);
    else if (*nr == L4_SYS_THREAD_ID)
        *nr = COFFER_ANSWER; // only the guest in L4_FOREIGN_ALL sends it
    else if (*nr != NR_CHECK)
        *nr = NR_UNKNOWN_ANSWER;
    else if (!check(g, r, g == &all ? COFFER_ANSWER : L4_OK))
        return;
    resume(r);
}

int boot_handler_main(void)
{
    l4_word_t tag, m[4], badge;
    struct l4_regs r;

    while (all.run < 2 || unknown.run < 2) {
        if (l4_ipc_recv(BOOT_EP, 0, &tag, &m[0], &m[1], &m[2], &m[3], &badge))
            return 1;
        regs_in(m, &r);
        if (L4_TAG_LABEL(tag) != L4_LABEL_SYSCALL ||
            (badge != ALL_BADGE && badge != UNKNOWN_BADGE)) {
            printf("emu: unexpected message, tag %lx badge %lu\n", tag, badge);
            continue;
        }
        serve(badge == ALL_BADGE ? &all : &unknown, &r);
    }
    printf("emu: done\n");
    return 0;
}

/*
 * foreign_syscalls = "all": the first instruction that enters the kernel is this NR_ADD, and
 * even thread_id goes to emu. Nothing here can print: emu reports.
 */
int boot_all_main(void)
{
    l4_word_t r[6] = {40, 2, 0, 0, 0, 0};
    l4_word_t sum = (l4_word_t)l4_syscall(NR_ADD, r);
    l4_word_t id = (l4_word_t)l4_syscall(L4_SYS_THREAD_ID, r);

    r[0] = sum;
    r[1] = id;
    l4_err_t err = l4_syscall(NR_CHECK, r); // emu restarts us, then stops us: no return
    printf("boot-all: not in mode all: NR_CHECK returned %s\n", l4_strerror(err));
    return 1;
}

/* foreign_syscalls = "unknown": NR_ADD goes to emu, Coffer's own calls work. */
int boot_unknown_main(void)
{
    l4_word_t r[6] = {40, 2, 0, 0, 0, 0}, x;
    l4_word_t sum = (l4_word_t)l4_syscall(NR_ADD, r);
    l4_err_t err = l4_thread_id(&x, &x, &x);

    r[0] = sum;
    r[1] = (l4_word_t)err;
    l4_syscall(NR_CHECK, r); // emu restarts us the first time
    printf("boot-unknown: NR_ADD gave %lu, thread_id %s\n", sum, l4_strerror(err));
    return 0;
}
