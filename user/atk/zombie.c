/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * ATK-001, ATK-002 (found by the review, fixed: a dead thread gives its unit back when its
 * payer goes, and thread stores reap the dead for blocks). As it was:
 * a thread that exited is a zombie until the scheduler reaps it, and it is
 * reaped only when a thread switched out by sched_switch_to() resumes, or at a preemption
 * point. A thread that runs for the first time (or one the IPC fastpath hands the CPU to)
 * returns to user space without either, so the zombie is still on its store's live list,
 * still charged to its payer, when that thread makes its first system call. If that call
 * removes the zombie's payer (cap_revoke, container_restart), pool_reclaim() finds the
 * zombie, thread_reclaim() does nothing for a dead thread that is not the current one, and
 * pool_reclaim() finds it again, for ever: the kernel hangs with interrupts off.
 */
#include "atk.h"

#define PART    20
#define ZOMBIE  21
#define REVOKER 22
#define VICTIM  16 /* zsup: control over the exiter container (system file) */

static long exit_now(l4_word_t arg)
{
    (void)arg;
    return 0;
}

/* First run, right after exit_now's thread died: the zombie is not reaped yet. */
static long revoke_first(l4_word_t arg)
{
    (void)arg;
    l4_err_t err = l4_cap_revoke(POOL_THR); // takes PART, which pays for the zombie
    test_report("ATK-001", err == L4_OK, "cap_revoke returned %s", l4_strerror(err));
    test_report("ATK-003", slot_empty(PART) && cap_info(POOL_THR).b == 16,
                "part %s, root has %lu units", slot_empty(PART) ? "gone" : "still there",
                cap_info(POOL_THR).b);
    l4_thread_resume(L4_SLOT_THREAD);
    return 0;
}

int role_zrevoke(void)
{
    l4_cap_split(POOL_THR, PART, 1);
    l4_err_t a = spawn(PART, SPACE, exit_now, 0, 50, ZOMBIE, true);
    l4_err_t b = spawn(POOL_THR, SPACE, revoke_first, 0, 40, REVOKER, true);
    printf("zrevoke: a thread that exits at 50 (%s) and one that revokes its payer at 40 (%s)\n",
           l4_strerror(a), l4_strerror(b));
    l4_thread_suspend(L4_SLOT_THREAD); // the exiting thread runs, then the revoking one
    printf("zrevoke: done\n");
    return 0;
}

static long restart_first(l4_word_t arg)
{
    (void)arg;
    l4_err_t err = l4_container_restart(VICTIM); // its only thread just exited
    test_report("ATK-002", err == L4_OK, "container_restart returned %s", l4_strerror(err));
    l4_thread_resume(L4_SLOT_THREAD);
    return 0;
}

int role_zsup(void)
{
    l4_err_t err = spawn(POOL_THR, SPACE, restart_first, 0, 40, REVOKER, true);
    printf("zsup: a thread that restarts the exiter at 40 (%s)\n", l4_strerror(err));
    l4_thread_suspend(L4_SLOT_THREAD); // the exiter (60) runs and exits, then our thread
    printf("zsup: done\n");
    return 0;
}

int role_exiter(void)
{
    if (container_info(L4_SLOT_CONTAINER).restarts)
        printf("exiter: restarted\n");
    return 0;
}
