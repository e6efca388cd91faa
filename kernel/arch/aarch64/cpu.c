/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 bring-up order and machine control: halt, idle, timestamp. */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"
#include "config.h"
#include "dtboot.h"
#include "irq.h"
#include "paging.h"
#include "trace.h"

/*
 * QEMU (-semihosting) exits with the code given to SYS_EXIT_EXTENDED; the marker keeps
 * every halt code (0x20..0x3f) clear of QEMU's own statuses (0, and 1 for its errors), as
 * on x86_64 (scripts/qemu.py decodes both).
 */
#define QEMU_EXIT_MARKER       0x20
#define SEMIHOST_EXIT_EXTENDED 0x20
#define ADP_APPLICATION_EXIT   0x20026

/*
 * The cycle counter, which under QEMU's -icount shift=0 counts guest instructions: the
 * kernel's timestamps (boot cost, trace, time's tsc) and make bench's. EL0 may read it (CR)
 * and nothing more, as x86_64 lets every thread read its TSC: it may neither stop, reset nor
 * program any counter (EN, SW, ER stay 0; PMUSERENR_EL0 is UNKNOWN at reset), which would let
 * one container count another's events.
 */
#define PMUSERENR_CR (1u << 2)
#define PMCR_E       (1u << 0)
#define PMCR_C       (1u << 2)
#define PMCR_LC      (1u << 6)
#define PMCNTEN_C    (1ul << 31)

static void pmu_init(void)
{
    write_sysreg(pmuserenr_el0, PMUSERENR_CR);
    write_sysreg(pmccfiltr_el0, 0); // count at EL0 and EL1
    write_sysreg(pmcntenset_el0, PMCNTEN_C);
    write_sysreg(pmcr_el0, PMCR_LC | PMCR_C | PMCR_E);
    isb();
}

/* boot.S jumps here with the MMU on, running in the direct map; dtb is physical. */
_Noreturn void aarch64_entry(paddr_t dtb);
_Noreturn void aarch64_entry(paddr_t dtb)
{
    percpu_init(); // before anything that could ask who runs (a panic's report, say)
    pmu_init();    // before the first timestamp
    arch_console_init();
    dtboot_read(dtb);
    kmain();
}

void arch_init(void)
{
    paging_init(); // before any space: the ASIDs, and TTBR0 without the identity map
    arch_fpu_init();
    irq_init();
    timer_init(CONFIG_TIMER_HZ);
}

_Noreturn void arch_halt(int code)
{
    static bool halting; // the HLT below faults without -semihosting and panics back here

    __asm__ volatile("msr daifset, #0xf");
    if (halting)
        goto stop;
    halting = true;
    trace_dump(); // every halt passes here: panic, stuck or finished, the trace goes out
#ifdef CONFIG_QEMU_EXIT
    /* semihosting's exit; without -semihosting the HLT is an undefined instruction, taken
     * at EL1 as the kernel's own fault: its panic comes back here and stops below */
    uint64_t block[2] = {ADP_APPLICATION_EXIT, QEMU_EXIT_MARKER + ((uint64_t)code & 0x1f)};
    register uint64_t x0 __asm__("x0") = SEMIHOST_EXIT_EXTENDED;
    register uint64_t x1 __asm__("x1") = (uint64_t)block;
    __asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
#endif
stop:
    for (;;)
        __asm__ volatile("wfi");
}

void arch_idle(void)
{
    /* an interrupt pending when wfi runs ends it at once: unmasking after it is race free */
    __asm__ volatile("msr daifclr, #2; wfi; msr daifset, #2" : : : "memory");
}

uint64_t arch_timestamp(void)
{
    isb();
    return read_sysreg(pmccntr_el0); // under -icount shift=0: one a guest instruction
}

bool arch_ioport(unsigned port, unsigned width, bool write, uint32_t *value)
{
    (void)port, (void)width, (void)write, (void)value;
    return false; // no I/O ports on AArch64: device memory only
}
