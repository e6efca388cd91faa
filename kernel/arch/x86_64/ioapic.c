/* SPDX-License-Identifier: BSD-2-Clause */
/* I/O APIC: device interrupt lines routed to vectors, masked until a driver asks for them. */
#include "arch.h"
#include "printk.h"
#include "x86.h"

#define IOREGSEL     0x00
#define IOWIN        0x10
#define REG_VERSION  0x01
#define REG_REDIR(n) (0x10 + 2 * (n))
#define REDIR_MASKED (1u << 16)

static volatile uint32_t *ioapic;
static unsigned lines;

static uint32_t ioapic_read(unsigned reg)
{
    ioapic[IOREGSEL / 4] = reg;
    return ioapic[IOWIN / 4];
}

static void ioapic_write(unsigned reg, uint32_t v)
{
    ioapic[IOREGSEL / 4] = reg;
    ioapic[IOWIN / 4] = v;
}

/*
 * Every line starts masked and routed (edge triggered, active high, to
 * CPU 0) to VEC_IRQ_LINE0 + line; irq_bind unmasks one for its driver.
 */
void ioapic_init(void)
{
    ioapic = arch_map_device(ARCH_IOAPIC_BASE, "the I/O APIC");
    lines = ((ioapic_read(REG_VERSION) >> 16) & 0xff) + 1;
    if (lines > ARCH_IRQ_LINES)
        lines = ARCH_IRQ_LINES;
    for (unsigned n = 0; n < lines; n++) {
        ioapic_write(REG_REDIR(n) + 1, 0); // destination: APIC id 0
        ioapic_write(REG_REDIR(n), REDIR_MASKED | (VEC_IRQ_LINE0 + n));
    }
    kprintf("ioapic: %u interrupt lines\n", lines);
}

bool arch_irq_mask(unsigned line, bool masked)
{
    if (line >= lines)
        return false;
    uint32_t v = ioapic_read(REG_REDIR(line));
    ioapic_write(REG_REDIR(line), masked ? v | REDIR_MASKED : v & ~REDIR_MASKED);
    return true;
}

/* x86_64 lends no device with a line: a driver reaches its device through capabilities. */
void arch_irq_bound(unsigned line, const struct container *binder)
{
    (void)line;
    (void)binder;
}
