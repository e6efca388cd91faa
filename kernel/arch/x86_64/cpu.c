/* SPDX-License-Identifier: BSD-2-Clause */
/* x86_64 bring-up order and machine control: halt, idle, timestamp. */
#include "arch.h"
#include "arch_cpu.h"
#include "arch_percpu.h"
#include "config.h"
#include "trace.h"
#include "x86.h"

#define QEMU_EXIT_PORT   0xf4 /* -device isa-debug-exit,iobase=0xf4,iosize=4 */
/*
 * QEMU exits with status (value << 1) | 1. Adding a marker to the code keeps every
 * halt status (65..127) clear of QEMU's own (0, and 1 for its errors), so a runner
 * never reads QEMU failing as "all threads finished".
 */
#define QEMU_EXIT_MARKER 0x20

/* boot.S jumps here in 64-bit mode with the multiboot magic and info pointer. */
_Noreturn void x86_entry(uint32_t magic, paddr_t info);
_Noreturn void x86_entry(uint32_t magic, paddr_t info)
{
    percpu_init(); // before anything that could ask who runs (a panic's report, say)
    arch_console_init();
    multiboot_parse(magic, info);
    kmain();
}

void arch_init(void)
{
    arch_fpu_init();
    gdt_init();
    idt_init();
    syscall_init();
    tls_init();
    paging_init();
    apic_timer_init(CONFIG_TIMER_HZ);
    ioapic_init();
}

_Noreturn void arch_halt(int code)
{
    trace_dump(); // every halt passes here: panic, stuck or finished, the trace goes out
    __asm__ volatile("cli");
#ifdef CONFIG_QEMU_EXIT
    /* a real PC ignores the write; scripts/qemu.py guest_code() decodes QEMU's status */
    outl(QEMU_EXIT_PORT, QEMU_EXIT_MARKER + ((uint32_t)code & 0x1f));
#endif
    for (;;)
        __asm__ volatile("hlt");
}

void arch_idle(void)
{
    /* sti's one-instruction shadow makes "sti; hlt" race free */
    __asm__ volatile("sti; hlt; cli" : : : "memory");
}

uint64_t arch_timestamp(void)
{
    uint32_t lo, hi;

    __asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
    return (uint64_t)hi << 32 | lo;
}
