/* SPDX-License-Identifier: BSD-2-Clause */
/*
 * GICv2 and the generic timer: the virtual timer's PPI drives the scheduler's tick; the shared
 * peripheral interrupts SPI 0..ARCH_IRQ_LINE_CNTP-1 and the physical timer's PPI (line
 * ARCH_IRQ_LINE_CNTP, cntp.c) are the lines drivers bind (masked until then; masked again when
 * one fires, until its driver acknowledges it: irq.c of the generic kernel). Register offsets:
 * the GICv2 architecture specification.
 */
#include "irq.h"

#include "arch.h"
#include "arch_cpu.h"
#include "cntp.h"
#include "devmem.h"
#include "dtboot.h"
#include "printk.h"
#include "sched.h"

#define GICD_CTLR       0x000
#define GICD_TYPER      0x004
#define GICD_ISENABLER  0x100
#define GICD_ICENABLER  0x180
#define GICD_ICPENDR    0x280
#define GICD_IPRIORITYR 0x400
#define GICD_ITARGETSR  0x800
#define GICC_CTLR       0x000
#define GICC_PMR        0x004
#define GICC_IAR        0x00c
#define GICC_EOIR       0x010
#define INTID_SPURIOUS  1023
#define INTID_SPI0      32
#define PPI_VIRT_TIMER  11 /* the binding's number for CNTV: INTID 27 */
#define PPI_PHYS_TIMER  14 /* for EL1's CNTP (non-secure physical): INTID 30 */

static uintptr_t gicd, gicc;
static unsigned timer_intid, cntp_intid;
static uint64_t timer_period, timer_next; /* counter ticks a tick; when the next one is due */
/* Ticks the tick may fall behind and still catch up on (a stopped QEMU, a debugger: past it,
 * the monotonic clock skips ahead instead of taking thousands of ticks in a row) */
#define TIMER_CATCH_UP 100

static void enable(unsigned intid, bool on)
{
    mmio_write32(gicd + (on ? GICD_ISENABLER : GICD_ICENABLER) + 4 * (intid / 32),
                 1u << (intid % 32));
}

void irq_init(void)
{
    const struct fdt_machine *m = &dt_machine;

    if (m->gic.version != 2)
        panic("boot: the device tree names %s; the kernel drives GICv2",
              m->gic.version ? "a GICv3" : "no interrupt controller");
    if (m->gic.dist.base >= BOOT_DEVICE_TOP || m->gic.cpu.base >= BOOT_DEVICE_TOP)
        panic("boot: the GIC is not in the device window (below %lx)", (uint64_t)BOOT_DEVICE_TOP);
    /* no container's device memory may cover what the kernel drives (mksystem.py and
     * devmem_refuse check it) */
    devmem_kernel_uses(m->gic.dist.base, m->gic.dist.size, "the GIC distributor");
    devmem_kernel_uses(m->gic.cpu.base, m->gic.cpu.size, "the GIC CPU interface");
    for (unsigned i = 0; i < m->gic.nframes; i++) // an MSI frame's write raises an SPI
        devmem_kernel_uses(m->gic.frames[i].base, m->gic.frames[i].size, "a GIC frame");
    gicd = (uintptr_t)phys_to_virt(m->gic.dist.base);
    gicc = (uintptr_t)phys_to_virt(m->gic.cpu.base);
    unsigned lines = 32 * ((mmio_read32(gicd + GICD_TYPER) & 0x1f) + 1);
    if (lines < INTID_SPI0 + ARCH_IRQ_LINE_CNTP)
        panic("boot: the GIC has %u interrupt IDs, the kernel hands out %u SPIs", lines,
              ARCH_IRQ_LINE_CNTP);

    cntp_intid = INTID_SPI0 - 16 + PPI_PHYS_TIMER; // 30 unless the tree says otherwise
    if (m->timer.present && m->timer.irq[FDT_TIMER_NONSEC_PHYS].present)
        cntp_intid = m->timer.irq[FDT_TIMER_NONSEC_PHYS].intid;
    /* a private interrupt, as every generic timer's: were it an SPI, the dispatch would take
     * it for device line intid - 32 and the timer's line 23 would never fire */
    if (cntp_intid < 16 || cntp_intid >= INTID_SPI0)
        panic("boot: the device tree gives the physical timer INTID %u, not a PPI (16..31)",
              cntp_intid);

    mmio_write32(gicd + GICD_CTLR, 0);
    for (unsigned i = 0; i < lines; i += 32)
        mmio_write32(gicd + GICD_ICENABLER + i / 8, ~0u); // every line masked
    for (unsigned i = 0; i < lines; i += 4)
        mmio_write32(gicd + GICD_IPRIORITYR + i, 0xa0a0a0a0); // one priority for all
    for (unsigned i = INTID_SPI0; i < lines; i += 4)
        mmio_write32(gicd + GICD_ITARGETSR + i, 0x01010101); // SPIs to CPU 0
    mmio_write32(gicd + GICD_CTLR, 1);
    mmio_write32(gicc + GICC_PMR, 0xff);
    mmio_write32(gicc + GICC_CTLR, 1);
}

/*
 * Arm the next tick a period after the last one was due, not a period from now: a tick taken
 * late (interrupts are off in the kernel; a loaded host runs QEMU late) then costs the
 * monotonic clock nothing, which counts ticks (sys_time): the next one comes that much sooner,
 * at once if already due, until the count is back in step with the counter. A tick
 * TIMER_CATCH_UP periods behind starts again from now.
 */
static void timer_arm(void)
{
    uint64_t now = read_sysreg(cntvct_el0);

    timer_next += timer_period;
    if (timer_next + TIMER_CATCH_UP * timer_period < now)
        timer_next = now + timer_period;
    write_sysreg(cntv_cval_el0, timer_next);
    write_sysreg(cntv_ctl_el0, 1); // enabled, not masked
    isb();
}

void timer_init(unsigned hz)
{
    const struct fdt_machine *m = &dt_machine;
    uint64_t freq = read_sysreg(cntfrq_el0);

    /* EL0 reaches neither timer (CNTV is the scheduler's tick; CNTP only the binder of its
     * line) nor the counters, and there is no event stream: every field of CNTKCTL_EL1 is
     * UNKNOWN at reset */
    cntp_init();

    timer_intid = INTID_SPI0 - 16 + PPI_VIRT_TIMER; // 27 unless the tree says otherwise
    if (m->timer.present && m->timer.irq[FDT_TIMER_VIRT].present)
        timer_intid = m->timer.irq[FDT_TIMER_VIRT].intid;
    if (!freq || freq / hz == 0)
        panic("boot: the generic timer's frequency (CNTFRQ_EL0 = %lu) cannot give %u Hz", freq, hz);
    timer_period = freq / hz;
    kprintf("timer: generic timer at %lu Hz, %u ticks a second (INTID %u)\n", freq, hz,
            timer_intid);
    isb();
    timer_next = read_sysreg(cntvct_el0); // the first tick a period from now
    timer_arm();
    enable(timer_intid, true);
}

bool arch_irq_mask(unsigned line, bool masked)
{
    if (line >= ARCH_IRQ_LINES)
        return false;
    enable(line == ARCH_IRQ_LINE_CNTP ? cntp_intid : INTID_SPI0 + line, !masked);
    return true;
}

void arch_irq_bound(unsigned line, const struct container *binder)
{
    if (line != ARCH_IRQ_LINE_CNTP || !cntp_bound(binder))
        return;
    /* handed over, the timer stopped: an interrupt of the old binder's the GIC latched as
     * pending (the line is masked here, irq_bind unmasks it after) must not reach the next */
    dsb_sy(); // the timer's stop before the clear
    mmio_write32(gicd + GICD_ICPENDR + 4 * (cntp_intid / 32), 1u << (cntp_intid % 32));
    dsb_sy();
}

/* A device line fired: masked until its driver acknowledges it, so the EOI can go at once. */
static void device_line(unsigned line, uint32_t iar)
{
    arch_irq_mask(line, true);
    mmio_write32(gicc + GICC_EOIR, iar);
    irq_raised(line);
    sched_preempt_point();
}

bool arch_interrupt_pending(void)
{
    return read_sysreg(isr_el1) & (1u << 7); // ISR_EL1.I: an IRQ waits, masked or not
}

void aarch64_irq(struct trap_frame *f)
{
    (void)f;
    uint32_t iar = mmio_read32(gicc + GICC_IAR);
    unsigned intid = iar & 0x3ff;

    if (intid == INTID_SPURIOUS)
        return; // nothing to acknowledge
    if (intid == timer_intid) {
        timer_arm();
        mmio_write32(gicc + GICC_EOIR, iar);
        sched_tick();
        return;
    }
    if (intid >= INTID_SPI0 && intid < INTID_SPI0 + ARCH_IRQ_LINE_CNTP) {
        device_line(intid - INTID_SPI0, iar);
        return;
    }
    if (intid == cntp_intid) { // level: it stays raised until the driver reprograms CNTP
        device_line(ARCH_IRQ_LINE_CNTP, iar);
        return;
    }
    mmio_write32(gicc + GICC_EOIR, iar);
    kprintf("unexpected interrupt %u\n", intid);
}
