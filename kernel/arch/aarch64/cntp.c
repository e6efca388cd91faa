/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * EL1's physical timer (CNTP) lent to user level: a container that binds the interrupt line
 * ARCH_IRQ_LINE_CNTP (PPI 14, INTID 30) reaches CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0, the
 * physical counter CNTPCT_EL0 and CNTFRQ_EL0 from EL0 while one of its own threads runs, and
 * nobody else does: every switch sets CNTKCTL_EL1 for the thread coming in (EL0PTEN and
 * EL0PCTEN for the binder's threads, 0 for all others), writing it only when that changes. The
 * scheduler's tick (CNTV) stays out of EL0's reach. virt has no other timer a driver could own.
 *
 * When the line changes hands (unbound: released, its last capability gone, its notification
 * gone, as at a restart; or bound by another container) the kernel stops the timer and clears
 * its compare value, so the old binder's deadline neither fires into the next one nor shows.
 */
#include "cntp.h"

#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"
#include "sched.h"
#include "thread.h"

#include <coffer/sysdesc.h>

#define CNTKCTL_EL0PCTEN (1u << 0) /* CNTPCT_EL0 (and CNTFRQ_EL0) */
#define CNTKCTL_EL0PTEN  (1u << 9) /* CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0 */
#define CNTKCTL_LENT     (CNTKCTL_EL0PTEN | CNTKCTL_EL0PCTEN)

_Static_assert(ARCH_TLS_USER_WRITES, "arch_switch_access must run on every switch");
_Static_assert(ARCH_IRQ_LINE_CNTP == ARCH_IRQ_LINES - 1 && ARCH_IRQ_LINES == SYSDESC_IRQ_LINES,
               "the timer is the last line a system file can name (docs/aarch64.md)");

/* bound the line; NULL: nobody (the fastpaths' switch, BECOME_NEXT, tests it too) */
const struct container *cntp_owner;
static uint64_t cntkctl; /* what CNTKCTL_EL1 holds */

void cntp_init(void)
{
    write_sysreg(cntp_ctl_el0, 0); // disabled: its interrupt is masked at the GIC until bound
    write_sysreg(cntp_cval_el0, 0);
    cntkctl = 0;
    write_sysreg(cntkctl_el1, 0); // EL0 reaches no timer, no counter, no event stream
    isb();
}

/* CNTKCTL_EL1 for a thread of c. Written as EL0 is entered next: the ERET that takes it there
 * is a context synchronization event (boot.S sets SCTLR_EL1.EOS, which makes it one), so no
 * ISB. */
static inline __attribute__((always_inline)) void grant(const struct container *c)
{
    uint64_t want = c && c == cntp_owner ? CNTKCTL_LENT : 0;

    if (want != cntkctl) {
        cntkctl = want;
        write_sysreg(cntkctl_el1, want);
    }
}

void arch_switch_access(const struct tcb *next)
{
    if (likely(!cntp_owner))
        return; // lent to nobody: CNTKCTL_EL1 is 0 since the line went (cntp_bound)
    grant(next->container);
}

/* The same, for the fastpaths' switch (BECOME_NEXT), which tested cntp_owner itself: a symbol
 * of its own, so that arch_switch_access keeps its one caller and stays inlined there */
void cntp_switch_access(const struct tcb *next)
{
    grant(next->container);
}

bool cntp_bound(const struct container *binder)
{
    bool handed_over = binder != cntp_owner;

    DEBUG_ASSERT(cntp_owner || !cntkctl);
    if (handed_over) {
        write_sysreg(cntp_ctl_el0, 0);
        write_sysreg(cntp_cval_el0, 0);
        isb(); // stopped before the line is unmasked for a new binder
        cntp_owner = binder;
    }
    grant(sched_current()->container); // the caller may be the binder, or the one that lost it
    return handed_over;
}
