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
#define APIC_DIV_16   0x3 /* APIC_TMR_DIV: the timer counts at its clock / APIC_DIVIDE */
#define APIC_DIVIDE   16

#define PIT_HZ     1193182
#define SPIN_LIMIT 10000000 /* PIT reads before calibration gives up: no PIT counts */

/*
 * The PIT ticks counted over: 1 ms. Both ends of the interval fall on a tick of the PIT, so
 * the error is at most a poll of the PIT at each end (a few microseconds on a PC, where an
 * I/O port access takes about one; under QEMU -icount some ten instructions): well under
 * 1 % over 1 ms. A longer interval buys accuracy the tick does not need and costs boot
 * time: under -icount every millisecond of it is a million guest instructions.
 */
#define CALIBRATE_PIT_TICKS (PIT_HZ / 1000)

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
 * APIC timer ticks a millisecond from the PIT: count them between two ticks of channel 0
 * about CALIBRATE_PIT_TICKS apart, by polling its counter (port 0x61 and channel 2 are
 * missing on -M microvm). Returns 0 if the PIT does not count, as on a machine without one.
 */
static uint32_t apic_ticks_per_ms_pit(void)
{
    uint32_t elapsed = 0, spin = 0;

    outb(0x43, 0x34); // channel 0, lo/hi, mode 2 (rate generator), full range
    outb(0x40, 0xff);
    outb(0x40, 0xff);
    apic_write(APIC_TMR_INIT, 0xffffffff);
    uint16_t first = pit_read(), prev;
    while ((prev = pit_read()) == first) { // start on a tick of the PIT
        if (++spin > SPIN_LIMIT)
            return 0;
    }
    uint32_t start = apic_read(APIC_TMR_CUR);
    while (elapsed < CALIBRATE_PIT_TICKS) {
        uint16_t now = pit_read();
        elapsed += (uint16_t)(prev - now);
        prev = now;
        if (++spin > SPIN_LIMIT)
            return 0;
    }
    uint64_t ticks = start - apic_read(APIC_TMR_CUR); // the APIC timer counts down
    apic_write(APIC_TMR_INIT, 0);
    outb(0x43, 0x30); // channel 0 back to one-shot mode: it stops counting
    /* ticks per ms = ticks / (elapsed / PIT_HZ s) / 1000, rounded */
    return (uint32_t)((ticks * PIT_HZ + elapsed * 500ull) / (elapsed * 1000ull));
}

/*
 * APIC timer ticks a millisecond from CPUID, or 0 where it does not say. Intel CPUs that
 * name their core crystal clock's frequency (leaf 0x15, ecx) run the APIC timer from that
 * clock (SDM vol. 3, "APIC Timer"); Linux takes the same shortcut. Other vendors' leaf 0x15
 * promises nothing about the APIC timer.
 */
static uint32_t apic_ticks_per_ms_cpuid(void)
{
    uint32_t max, a, b, c, d;

    cpuid(0, &max, &b, &c, &d);
    if (max < 0x15 || b != 0x756e6547 || d != 0x49656e69 || c != 0x6c65746e) // GenuineIntel
        return 0;
    cpuid(0x15, &a, &b, &c, &d);
    return c / APIC_DIVIDE / 1000;
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
    apic_write(APIC_TMR_DIV, APIC_DIV_16);
    apic_write(APIC_LVT_TMR, LVT_MASKED);
    const char *source = "CPUID leaf 0x15";
    uint32_t per_ms = apic_ticks_per_ms_cpuid();
    if (!per_ms) {
        source = "the PIT";
        per_ms = apic_ticks_per_ms_pit();
    }
    if (!per_ms) {
        kprintf("apic: PIT calibration timed out, assuming 62500 ticks/ms\n");
        source = "assumed";
        per_ms = 62500;
    }
    uint32_t initial = per_ms * 1000 / hz;
    apic_write(APIC_LVT_TMR, LVT_PERIODIC | VEC_TIMER);
    apic_write(APIC_TMR_INIT, initial ? initial : 1);
    kprintf("apic: timer %u Hz (%u ticks/ms, from %s)\n", hz, per_ms, source);
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
