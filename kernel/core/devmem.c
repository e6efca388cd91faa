/* SPDX-License-Identifier: BSD-2-Clause */
/* Device memory: the kernel's own devices, and the check of a container's device ranges. */
#include "devmem.h"

#include "arch.h"
#include "printk.h"

static struct {
    struct boot_range range;
    const char *what;
} kernel_devices[DEVMEM_KERNEL_MAX];
static unsigned nkernel_devices;

void devmem_kernel_uses(paddr_t base, uint64_t size, const char *what)
{
    ASSERT(nkernel_devices < DEVMEM_KERNEL_MAX);
    kernel_devices[nkernel_devices].range = (struct boot_range){base, size};
    kernel_devices[nkernel_devices++].what = what;
}

static bool overlaps(paddr_t base, uint64_t size, const struct boot_range *r)
{
    return base < r->base + r->len && r->base < base + size;
}

const char *devmem_refuse(paddr_t base, uint64_t size, const struct boot_range *ram, unsigned nram,
                          struct boot_range *clash)
{
    DEBUG_ASSERT(size && base + size > base); // sysdesc_check: not empty, no wrap
    if (base + size > ARCH_PHYS_TOP) {        // a page-table entry would drop the frame's top bits
        *clash = (struct boot_range){ARCH_PHYS_TOP, -ARCH_PHYS_TOP};
        return "physical addresses no page-table entry holds";
    }
    for (unsigned i = 0; i < nram; i++) {
        if (overlaps(base, size, &ram[i])) {
            *clash = ram[i];
            return "usable RAM";
        }
    }
    for (unsigned i = 0; i < nkernel_devices; i++) {
        if (overlaps(base, size, &kernel_devices[i].range)) {
            *clash = kernel_devices[i].range;
            return kernel_devices[i].what;
        }
    }
    return NULL;
}
