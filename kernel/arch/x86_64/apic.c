/* SPDX-License-Identifier: BSD-2-Clause */
/* Local APIC timer: the periodic tick that drives preemption, calibrated against the PIT. */
#include "arch.h"
#include "arch_cpu.h"
#include "printk.h"
#include "x86.h"

#define APIC_EOI      0x0b0
#define APIC_IRR      0x200 /* 8 registers, 16 bytes apart: 32 vectors each */
#define APIC_SVR      0x0f0 /* spurious vector register; bit 8 enables the APIC */
#define APIC_LVT_TMR  0x320
#define APIC_TMR_INIT 0x380
#define APIC_TMR_CUR  0x390
#define APIC_TMR_DIV  0x3e0
#define LVT_MASKED    (1u << 16)
#define LVT_PERIODIC  (1u << 17)

#define PIT_HZ       1193182
#define CALIBRATE_MS 10

static volatile uint32_t *apic;

static uint32_t apic_read(unsigned reg)
{
    return apic[reg / 4];
}

static void apic_write(unsigned reg, uint32_t v)
{
    apic[reg / 4] = v;
}

static uint16_t pit_read(void)
{
    outb(0x43, 0x00); // latch channel 0
    uint8_t lo = inb(0x40);
    return (uint16_t)(inb(0x40) << 8 | lo);
}

/*
 * Count APIC timer ticks across CALIBRATE_MS of the PIT, by polling channel
 * 0's counter (port 0x61 and channel 2 are missing on -M microvm). Returns 0
 * if the PIT does not count, as on a machine without one; the caller then
 * falls back to a fixed rate.
 */
static uint32_t apic_ticks_per_ms(void)
{
    uint32_t target = PIT_HZ / 1000 * CALIBRATE_MS, elapsed = 0;

    outb(0x43, 0x34); // channel 0, lo/hi, mode 2 (rate generator), full range
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    uint16_t prev = pit_read();
    apic_write(APIC_TMR_INIT, 0xffffffff);
    for (uint32_t spin = 0; elapsed < target; spin++) {
        uint16_t now = pit_read();
        elapsed += (uint16_t)(prev - now);
        prev = now;
        if (spin > 10000000)
            return 0;
    }
    uint32_t ticks = 0xffffffff - apic_read(APIC_TMR_CUR);
    apic_write(APIC_TMR_INIT, 0);
    outb(0x43, 0x30); // channel 0 back to one-shot mode: it stops counting
    return ticks / CALIBRATE_MS;
}

void apic_timer_init(unsigned hz)
{
    uint32_t a, b, c, d;

    cpuid(1, &a, &b, &c, &d);
    if (!(d & (1u << 9)))
        panic("no local APIC: the scheduler needs its timer");
    /* the legacy PIC must never deliver: mask all its lines */
    outb(0x21, 0xff);
    outb(0xa1, 0xff);
    apic = arch_map_device(rdmsr(MSR_APIC_BASE) & ~0xfffull, "the local APIC");
    apic_write(APIC_SVR, 0x100 | VEC_SPURIOUS);
    apic_write(APIC_TMR_DIV, 0x3); // divide by 16
    apic_write(APIC_LVT_TMR, LVT_MASKED);
    uint32_t per_ms = apic_ticks_per_ms();
    if (!per_ms) {
        kprintf("apic: PIT calibration timed out, assuming 62500 ticks/ms\n");
        per_ms = 62500;
    }
    uint32_t initial = per_ms * 1000 / hz;
    apic_write(APIC_LVT_TMR, LVT_PERIODIC | VEC_TIMER);
    apic_write(APIC_TMR_INIT, initial ? initial : 1);
    kprintf("apic: timer %u Hz (%u ticks/ms)\n", hz, per_ms);
}

void apic_timer_eoi(void)
{
    apic_write(APIC_EOI, 0);
}

/* Vectors 32..255 (device and timer interrupts) the APIC accepted and the CPU has not taken:
 * it takes them once interrupts are on again (IRR, Intel SDM vol. 3, 11.8.4). */
bool arch_interrupt_pending(void)
{
    if (!apic)
        return false;
    for (unsigned i = 1; i < 8; i++) {
        if (apic_read(APIC_IRR + 16 * i))
            return true;
    }
    return false;
}
