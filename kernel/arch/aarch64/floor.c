/* SPDX-License-Identifier: BSD-2-Clause */
/* The floor probe's hardware half (AArch64): two spaces, EL0 loops and vector tables of its own. */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"
#include "floor_layout.h"
#include "floor_probe.h"
#include "pmm.h"
#include "string.h"

/*
 * Why this cannot be reached by a container: its vector tables are in VBAR_EL1, and EL0 may
 * touch the interrupt mask (SCTLR_EL1.UMA), only inside arch_floor_sample, which runs only
 * with bench=floor on the kernel command line, before any container exists, and puts the
 * kernel's own back before it returns; in that mode the kernel halts after the probe and
 * never starts a container. The EL0 code is the kernel's own (floor.S), in spaces of its own.
 *
 * How the probe ends: its EL0 code runs with IRQs masked (no tick lands in a sample), and
 * the virtual timer (the kernel's tick) is made to fire before it starts; the code's last
 * instruction unmasks IRQs, and the tick, taken at the IRQ vector, ends it (floor_exit).
 * Every vector but the system call's ends it likewise, as x86_64's IDT does. Unlike x86_64,
 * a fault of the EL0 code would come to the system call's entry too (one vector takes every
 * synchronous exception from EL0, and the null entry cannot look at the syndrome without
 * costing the row what it measures): the code touches only its own two pages, which
 * prepare maps, so it has nothing to fault on.
 */

struct floor_thread {
    uint64_t pc, pstate, sp, ttbr0;
    struct floor_thread *other;
};
_Static_assert(__builtin_offsetof(struct floor_thread, pc) == FT_PC, "floor.S's layout");
_Static_assert(__builtin_offsetof(struct floor_thread, pstate) == FT_PSTATE, "floor.S's layout");
_Static_assert(__builtin_offsetof(struct floor_thread, sp) == FT_SP, "floor.S's layout");
_Static_assert(__builtin_offsetof(struct floor_thread, ttbr0) == FT_TTBR0, "floor.S's layout");
_Static_assert(__builtin_offsetof(struct floor_thread, other) == FT_OTHER, "floor.S's layout");

extern struct floor_thread *floor_current; // floor.S
extern const char floor_user_start[], floor_user_end[], floor_user_timer[], floor_user_syscall[],
    floor_user_partner[], floor_null_vectors[], floor_switch_vectors[];
void floor_enter(uint64_t pc, uint64_t x0, uint64_t x1, uint64_t sp);

#define CODE_VA     0x10000000ull /* the EL0 code, in both spaces */
#define DATA_VA     0x10001000ull /* the samples (space A), the stack (both) */
#define SCTLR_UMA   (1ull << 9)   /* EL0 may write PSTATE.DAIF: the probe's way out */
#define CNTV_ENABLE 1ull          /* CNTV_CTL_EL0: enabled, not masked, as the tick runs */

static struct floor_space space[2];

/* The spaces, made once (the kernel halts after the probe: nothing is freed). */
static bool prepare(void)
{
    static int ready; // 0: not yet, 1: done, -1: failed

    if (ready)
        return ready > 0;
    ready = -1;
    if (!floor_spaces_make(floor_user_start, floor_user_end, CODE_VA, DATA_VA, space))
        return false;
    ready = 1;
    return true;
}

static uint64_t user_va(const char *label)
{
    return CODE_VA + (uint64_t)(label - floor_user_start);
}

bool arch_floor_sample(enum floor_what what, uint64_t *ticks, unsigned n)
{
    struct floor_thread a = {.ttbr0 = space[0].root, .other = NULL};
    struct floor_thread b = {.pc = user_va(floor_user_partner),
                             .pstate = FLOOR_PSTATE,
                             .sp = DATA_VA + PAGE_SIZE,
                             .ttbr0 = space[1].root,
                             .other = &a};

    if (n == 0 || n >= PAGE_SIZE / sizeof(uint64_t) || !prepare())
        return false;
    uint64_t *samples = phys_to_virt(space[0].data);
    a.other = &b;
    floor_current = &a;
    samples[n] = 0;
    uint64_t vbar = read_sysreg(vbar_el1), sctlr = read_sysreg(sctlr_el1);
    uint64_t cval = read_sysreg(cntv_cval_el0), ctl = read_sysreg(cntv_ctl_el0);
    write_sysreg(vbar_el1, what == FLOOR_SWITCH ? floor_switch_vectors : floor_null_vectors);
    write_sysreg(sctlr_el1, sctlr | SCTLR_UMA);
    write_sysreg(cntv_cval_el0, 0); // due long ago: pending, masked until the code's end
    write_sysreg(cntv_ctl_el0, CNTV_ENABLE);
    write_sysreg(ttbr0_el1, space[0].root);
    isb();
    floor_enter(user_va(what == FLOOR_EMPTY ? floor_user_timer : floor_user_syscall), DATA_VA, n,
                DATA_VA + PAGE_SIZE);
    /* the probe's switches wrote TTBR0 behind the per-CPU cache: make it true again before
     * going back to the kernel's empty root. The tick stays pending (it was not
     * acknowledged): the kernel takes it as a tick whenever it next unmasks IRQs. */
    percpu()->ttbr0 = read_sysreg(ttbr0_el1);
    arch_pt_activate(0);
    write_sysreg(cntv_cval_el0, cval);
    write_sysreg(cntv_ctl_el0, ctl);
    write_sysreg(sctlr_el1, sctlr);
    write_sysreg(vbar_el1, vbar);
    isb();
    if (samples[n] != FLOOR_DONE)
        return false; // it faulted on the way: whatever it wrote is no sample
    memcpy(ticks, samples, n * sizeof(uint64_t));
    return true;
}
