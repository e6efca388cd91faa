/* SPDX-License-Identifier: BSD-2-Clause */
/* Device tree and boot pack into boot_info: the AArch64 counterpart of multiboot.c. */
#include "dtboot.h"

#include "arch.h"
#include "boot.h"
#include "bootpack.h"
#include "pl011.h"
#include "printk.h"
#include "string.h"

#define DTB_MAX (2u << 20) /* Linux's limit for a device tree blob */

struct boot_info boot_info;
struct fdt_machine dt_machine;

extern char _kernel_end[]; // kernel.ld

/* Take [base, base+size) out of the RAM ranges, splitting one where it falls inside. */
static void ram_remove(paddr_t base, uint64_t size)
{
    paddr_t end = base + size;

    for (unsigned i = 0; i < boot_info.nram; i++) {
        struct boot_range *r = &boot_info.ram[i];
        paddr_t a = r->base, b = r->base + r->len;
        if (end <= a || base >= b)
            continue;
        if (base > a && end < b && boot_info.nram < BOOT_MAX_RANGES) { // split: keep both ends
            boot_info.ram[boot_info.nram++] = (struct boot_range){end, b - end};
            r->len = base - a;
        } else if (base > a) {
            r->len = base - a;
        } else {
            r->base = end < b ? end : b;
            r->len = b - r->base;
        }
    }
}

/*
 * QEMU puts the initrd 128 MiB into RAM; the kernel keeps everything below its loaded end
 * (kmain's memory_init), so the pack moves down to just above the kernel image first, where
 * it wastes nothing. The device tree lies above the initrd: the move cannot reach it.
 */
static void modules_read(void)
{
    const struct fdt_machine *m = &dt_machine;
    const char *why;

    if (!m->has_initrd)
        return; // no modules: kmain says there is nothing to run
    if (m->initrd_end <= m->initrd_start || m->initrd_end > BOOT_MAP_SIZE)
        panic("boot: initrd %lx..%lx is not in the first %lu GiB of memory", m->initrd_start,
              m->initrd_end, (uint64_t)(BOOT_MAP_SIZE >> 30));
    uint64_t size = m->initrd_end - m->initrd_start;
    paddr_t to = ALIGN_UP(virt_to_phys(_kernel_end), BOOTPACK_ALIGN);
    if (to > m->initrd_start)
        to = m->initrd_start; // it already lies low enough
    memmove(phys_to_virt(to), phys_to_virt(m->initrd_start), size);
    if (!bootpack_read(phys_to_virt(to), to, to + size, &boot_info, &why))
        panic("boot: the boot pack (-initrd): %s", why);
}

void dtboot_read(paddr_t dtb)
{
    struct fdt_machine *m = &dt_machine;
    const char *why;

    if (!dtb || dtb >= BOOT_MAP_SIZE - DTB_MAX)
        panic("boot: no device tree (x0 = %lx at entry)", dtb);
    if (!fdt_read(phys_to_virt(dtb), DTB_MAX, m, &why))
        panic("boot: device tree at %lx: %s", dtb, why);
    if (m->uart.present && m->uart.reg.base < BOOT_DEVICE_TOP)
        pl011_set_base(m->uart.reg.base);

    for (unsigned i = 0; i < m->ram.n && i < BOOT_MAX_RANGES; i++)
        boot_info.ram[boot_info.nram++] = (struct boot_range){m->ram.r[i].base, m->ram.r[i].size};
    for (unsigned i = 0; i < m->rsvd.n; i++)
        ram_remove(m->rsvd.r[i].base, m->rsvd.r[i].size);
    if (m->bootargs) {
        size_t n = strlen(m->bootargs);
        boot_info.cmdline_len = n;
        if (n >= sizeof(boot_info.cmdline))
            n = sizeof(boot_info.cmdline) - 1;
        memcpy(boot_info.cmdline, m->bootargs, n);
        boot_info.cmdline[n] = '\0';
    }
    modules_read();
}
