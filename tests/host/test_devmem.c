/* SPDX-License-Identifier: BSD-2-Clause */
/* Host tests of the boot check of device memory: no RAM of the firmware's map, no kernel device. */
// uses: kernel/core/devmem.c
#include "arch.h"
#include "check.h"
#include "devmem.h"

#include <stdarg.h>
#include <string.h>

/* devmem.c asserts; a broken assertion fails the run */
_Noreturn void panic(const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    printf("FAIL host/devmem/panic: ");
    vprintf(fmt, ap);
    printf("\n");
    va_end(ap);
    exit(1);
}

#define K(n) ((uint64_t)(n) << 10)
#define M(n) ((uint64_t)(n) << 20)

/* What QEMU's pc and q35 machines report with 256 MiB: low RAM, then RAM from 1 MiB. */
static const struct boot_range ram[] = {{0, 0x9fc00}, {M(1), M(255) - K(128)}};
#define NRAM 2

static bool same(const char *a, const char *b)
{
    return a && b && strcmp(a, b) == 0;
}

/* What the kernel maps at boot (arch_map_device), once for the whole run. */
static void kernel_devices(void)
{
    static bool done;

    if (!done)
        devmem_kernel_uses(0xfee00000, K(4), "the local APIC");
    if (!done)
        devmem_kernel_uses(0xfec00000, K(4), "the I/O APIC");
    done = true;
}

static void accepts_mmio_between_ram_and_kernel_devices(void)
{
    struct boot_range clash = {0, 0};

    kernel_devices();
    CHECK(devmem_refuse(0xfed00000, K(4), ram, NRAM, &clash) == NULL); // the HPET
    CHECK(devmem_refuse(0xa0000, K(128), ram, NRAM, &clash) == NULL);  // VGA memory
    CHECK(devmem_refuse(0xfebff000, K(4), ram, NRAM, &clash) == NULL); // just below the I/O APIC
    CHECK(devmem_refuse(0xfec01000, K(4), ram, NRAM, &clash) == NULL); // just above it
    CHECK(devmem_refuse(0xfee01000, M(1), ram, NRAM, &clash) == NULL); // above the local APIC
    CHECK(devmem_refuse(M(256), M(16), ram, NRAM, &clash) == NULL);    // past the end of RAM
    CHECK_EQ(clash.len, 0);
}

static void refuses_usable_ram(void)
{
    struct boot_range clash = {0, 0};

    kernel_devices();
    CHECK(same(devmem_refuse(0, K(4), ram, NRAM, &clash), "usable RAM"));
    CHECK_EQ(clash.base, 0);
    CHECK(same(devmem_refuse(0x9f000, K(4), ram, NRAM, &clash), "usable RAM")); // low RAM's end
    CHECK(same(devmem_refuse(M(1), K(4), ram, NRAM, &clash), "usable RAM"));    // the kernel image
    CHECK_EQ(clash.base, M(1));
    CHECK_EQ(clash.len, M(255) - K(128));
    CHECK(same(devmem_refuse(M(200), K(4), ram, NRAM, &clash), "usable RAM")); // containers' RAM
    // a range that only its last page, or only its first, brings into RAM
    CHECK(same(devmem_refuse(M(1) - K(4), K(8), ram, NRAM, &clash), "usable RAM"));
    CHECK(same(devmem_refuse(M(256) - K(132), K(8), ram, NRAM, &clash), "usable RAM"));
    // one that covers all of RAM
    CHECK(same(devmem_refuse(0, M(512), ram, NRAM, &clash), "usable RAM"));
}

static void refuses_kernel_devices(void)
{
    struct boot_range clash = {0, 0};

    kernel_devices();
    CHECK(same(devmem_refuse(0xfee00000, K(4), ram, NRAM, &clash), "the local APIC"));
    CHECK_EQ(clash.base, 0xfee00000);
    CHECK_EQ(clash.len, K(4));
    CHECK(same(devmem_refuse(0xfec00000, K(4), ram, NRAM, &clash), "the I/O APIC"));
    CHECK(same(devmem_refuse(0xfeb00000, M(1) + K(4), ram, NRAM, &clash), "the I/O APIC"));
    CHECK(same(devmem_refuse(0xfe000000, M(32), ram, NRAM, &clash), "the local APIC")); // both
    CHECK(same(devmem_refuse(0xfedff000, K(8), ram, NRAM, &clash), "the local APIC"));
}

/* Nothing in the firmware's map (a machine without one) refuses only the kernel's own. */
static void without_ram_ranges(void)
{
    struct boot_range clash = {0, 0};

    kernel_devices();
    CHECK(devmem_refuse(0, M(1), ram, 0, &clash) == NULL);
    CHECK(same(devmem_refuse(0xfec00000, K(4), NULL, 0, &clash), "the I/O APIC"));
}

/* A frame a page-table entry cannot hold (ARCH_PHYS_TOP: AArch64's 48 bits, x86_64's 52) would
 * lose its top bits and map another device: refused, its last page or all of it past the top. */
static void refuses_what_no_entry_holds(void)
{
    struct boot_range clash = {0, 0};

    kernel_devices();
    CHECK(devmem_refuse(ARCH_PHYS_TOP - K(4), K(4), ram, NRAM, &clash) == NULL);
    const char *past = "physical addresses no page-table entry holds";
    CHECK(same(devmem_refuse(ARCH_PHYS_TOP - K(4), K(8), ram, NRAM, &clash), past));
    CHECK_EQ(clash.base, ARCH_PHYS_TOP);
    CHECK_EQ(clash.base + clash.len, 0); // to the end of the address space
    CHECK(same(devmem_refuse(ARCH_PHYS_TOP + 0x09010000, K(4), ram, NRAM, &clash), past));
}

int main(void)
{
    RUN("devmem", accepts_mmio_between_ram_and_kernel_devices);
    RUN("devmem", refuses_usable_ram);
    RUN("devmem", refuses_kernel_devices);
    RUN("devmem", without_ram_ranges);
    RUN("devmem", refuses_what_no_entry_holds);
    return CHECK_DONE();
}
