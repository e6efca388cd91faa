/* SPDX-License-Identifier: BSD-2-Clause */
/* The flattened device tree (DTB) reader: what an AArch64 boot learns about its machine. */
#ifndef KERNEL_FDT_H
#define KERNEL_FDT_H

#include "types.h"

/*
 * Generic code: it knows the DTB format (Devicetree Specification v0.4, chapter 5) and the
 * bindings named below, nothing about the CPU it runs on. The blob comes from firmware or
 * QEMU and is trusted no further than its format: every offset, length and string in it is
 * checked against the block it lies in before it is used, so a malformed blob is refused
 * with a reason, never read past its end.
 */

#define FDT_MAGIC          0xd00dfeedu
#define FDT_MAX_RANGES     32 /* RAM ranges, and reserved ranges, fdt_read keeps */
#define FDT_MAX_DEPTH      16 /* node nesting, the root being depth 1; deeper is refused */
#define FDT_MAX_GIC_FRAMES 8  /* the GIC's frames past its first two; more is refused */

struct fdt_range {
    paddr_t base;
    uint64_t size; /* never 0; base + size does not wrap */
};

struct fdt_ranges {
    unsigned n;
    struct fdt_range r[FDT_MAX_RANGES];
};

/* The interrupt specifier of the GIC binding: <type number flags> */
enum fdt_irq_type { FDT_IRQ_SPI = 0, FDT_IRQ_PPI = 1 };

struct fdt_irq {
    bool present;
    enum fdt_irq_type type;
    uint32_t number; /* SPI 0..987, PPI 0..15, as the binding counts them */
    uint32_t intid;  /* the GIC's interrupt ID: 32 + SPI number, 16 + PPI number */
    uint32_t flags;  /* trigger in bits 0..3 (1 edge rising, 4 level high); v2 PPI CPU mask 8..15 */
};

/* The architected timer's interrupts, in the binding's order */
enum fdt_timer_irq {
    FDT_TIMER_SEC_PHYS,    /* secure physical */
    FDT_TIMER_NONSEC_PHYS, /* non-secure physical: EL1's CNTP */
    FDT_TIMER_VIRT,        /* virtual: CNTV */
    FDT_TIMER_HYP,         /* hypervisor (EL2) physical */
    FDT_TIMER_NIRQ
};

enum fdt_psci_method { FDT_PSCI_NONE, FDT_PSCI_HVC, FDT_PSCI_SMC };

/*
 * Everything fdt_read returns. Strings point into the blob (NUL-terminated there) and are
 * NULL when absent; a device not found has present false (gic: version 0).
 */
struct fdt_machine {
    struct fdt_ranges ram;  /* reg of every enabled device_type = "memory" node */
    unsigned ram_dropped;   /* RAM ranges past FDT_MAX_RANGES, left out of ram */
    struct fdt_ranges rsvd; /* the memory reservation block, then /reserved-memory children */

    /* /chosen */
    const char *bootargs;    /* the kernel command line */
    const char *stdout_path; /* the console: a path or alias, optionally ":options" */
    bool has_initrd;
    paddr_t initrd_start, initrd_end; /* [start, end): linux,initrd-start and -end */

    struct {
        bool present;
        struct fdt_range reg;
        struct fdt_irq irq;
    } uart; /* the first enabled "arm,pl011" */

    struct {
        unsigned version; /* 2, 3, or 0: none */
        struct fdt_range dist;
        struct fdt_range cpu;    /* version 2: the CPU interface */
        struct fdt_range redist; /* version 3: the first redistributor region */
        /* every other frame of the GIC's: its node's further reg entries (v2's hypervisor
         * and virtual CPU interfaces) and its MSI frames ("arm,gic-v2m-frame"), which a
         * write may raise any of their SPIs through: the kernel's, never a container's */
        struct fdt_range frames[FDT_MAX_GIC_FRAMES];
        unsigned nframes;
    } gic;

    struct {
        bool present;
        struct fdt_irq irq[FDT_TIMER_NIRQ]; /* all PPIs */
    } timer;                                /* "arm,armv8-timer" */

    struct {
        enum fdt_psci_method method;
        bool v0_2; /* "arm,psci-0.2" or "arm,psci-1.0": the standard function IDs */
    } psci;
};

/*
 * Read the device tree at blob, of which the caller lets at most max bytes be read, into *m.
 * On error returns false with *why a short reason (a string constant) and *m undefined.
 * Refused: a bad header (magic, version, blocks outside totalsize or misaligned), a token,
 * name, string or property running past its block, nesting past FDT_MAX_DEPTH, a reg or
 * interrupt property of a node used whose parent's #address-cells or #size-cells is not 1 or
 * 2 or which sits behind a bus that translates addresses, no RAM, no /chosen, more than
 * FDT_MAX_RANGES reserved ranges (more RAM ranges are counted in ram_dropped instead: RAM left
 * out is safe, a reservation left out is not).
 */
bool fdt_read(const void *blob, size_t max, struct fdt_machine *m, const char **why);

#endif
