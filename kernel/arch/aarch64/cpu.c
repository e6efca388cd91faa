/* SPDX-License-Identifier: BSD-2-Clause */
/* AArch64 bring-up order and machine control: halt, idle, timestamp. */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"
#include "config.h"
#include "dtboot.h"
#include "irq.h"
#include "trace.h"

/*
 * QEMU (-semihosting) exits with the code given to SYS_EXIT_EXTENDED; the marker keeps
 * every halt code (0x20..0x3f) clear of QEMU's own statuses (0, and 1 for its errors), as
 * on x86_64 (scripts/qemu.py decodes both).
 */
#define QEMU_EXIT_MARKER       0x20
#define SEMIHOST_EXIT_EXTENDED 0x20
#define ADP_APPLICATION_EXIT   0x20026

/* boot.S jumps here with the MMU on, running in the direct map; dtb is physical. */
_Noreturn void aarch64_entry(paddr_t dtb);
_Noreturn void aarch64_entry(paddr_t dtb)
{
    percpu_init(); // before anything that could ask who runs (a panic's report, say)
    arch_console_init();
    dtboot_read(dtb);
    kmain();
}

void arch_init(void)
{
    arch_fpu_init();
    irq_init();
    timer_init(CONFIG_TIMER_HZ);
}

_Noreturn void arch_halt(int code)
{
    trace_dump(); // every halt passes here: panic, stuck or finished, the trace goes out
    __asm__ volatile("msr daifset, #0xf");
#ifdef CONFIG_QEMU_EXIT
    /* semihosting's exit; without -semihosting the HLT is an undefined instruction, taken
     * at EL1 as the kernel's own fault, which stops in its report */
    uint64_t block[2] = {ADP_APPLICATION_EXIT, QEMU_EXIT_MARKER + ((uint64_t)code & 0x1f)};
    register uint64_t x0 __asm__("x0") = SEMIHOST_EXIT_EXTENDED;
    register uint64_t x1 __asm__("x1") = (uint64_t)block;
    __asm__ volatile("hlt #0xf000" : : "r"(x0), "r"(x1) : "memory");
#endif
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
