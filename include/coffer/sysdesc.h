/* SPDX-License-Identifier: BSD-2-Clause */
/* The boot description: the binary form of a system file, made by scripts/mksystem.py. */
#ifndef COFFER_SYSDESC_H
#define COFFER_SYSDESC_H

#include <stdint.h>

/*
 * Layout of the boot module named "system" (little endian):
 *
 *   struct sysdesc_header
 *   struct sysdesc_container  [ncontainers]
 *   struct sysdesc_object     [nobjects]
 *   struct sysdesc_cap        [ncaps]
 *
 * The kernel checks every field before it builds anything (kernel/core/sysdesc.c).
 */
#define SYSDESC_MAGIC          0x59534643 /* "CFSY" */
#define SYSDESC_VERSION        4
/* container ids (index + 1) also tag the mappings a container makes: 11 bits of a page-table
 * entry on x86_64 (MAP_MAPPER_MAX), so the kernel takes 1024 */
#define SYSDESC_MAX_CONTAINERS 1024

struct sysdesc_header {
    uint32_t magic, version, ncontainers, ncaps, nobjects, reserved;
};

#define SYSDESC_DEBUG 1u /* container gets the debug console in L4_SLOT_DEBUG */

struct sysdesc_container {
    char name[16];
    char program[16];  /* boot module holding its image */
    char args[64];     /* argument string given to main() */
    uint32_t priority; /* of its first thread */
    uint32_t ceiling;  /* highest priority any of its threads may have */
    uint64_t memory;   /* bytes of RAM for its images and stacks */
    uint32_t pools[6]; /* units per enum l4_pool_kind; pools[L4_POOL_CAPSLOTS] = table size */
    uint32_t flags;
    uint32_t region_pages; /* RAM given as the memory capability in slot 10; 0: 16 pages */
    /*
     * Its first thread, as built at boot and after every restart: fault_slot is a slot of
     * its own table that the description fills with an endpoint capability with L4_EP_SEND
     * (its fault endpoint, with that capability's badge; 0: none), and foreign its
     * L4_FOREIGN_* mode (<coffer/thread.h>; a mode other than L4_FOREIGN_OFF needs fault_slot).
     */
    uint32_t fault_slot;
    uint32_t foreign;
    /* units of its capslots pool (L4_SLOT_POOL_BASE + L4_POOL_CAPSLOTS; 0: none): slots of the
     * capability tables its threads may make at run time (captable_create) */
    uint32_t tableslots;
    /* slots of its first thread's own table (0: it uses the container's table), paid by its
     * capslots pool and filled from the SYSDESC_THREAD_CAP entries of caps[] */
    uint32_t first_table;
};

/*
 * An object made at boot, with a capability of all rights in its owner's slot:
 * an endpoint or notification (paid by the owner's pool), or a piece of
 * shared memory of `pages` pages (carved from RAM; others reach it through
 * L4_CAP_MEMORY capabilities that name the object).
 */
#define SYSDESC_ENDPOINT     1
#define SYSDESC_NOTIFICATION 2
#define SYSDESC_MEMORY       3

struct sysdesc_object {
    uint32_t owner, kind, slot, pages;
};

/*
 * An extra capability: holder gets, in slot, a capability to target: a
 * container index for L4_CAP_CONTAINER; an object index for L4_CAP_ENDPOINT
 * and L4_CAP_NOTIFICATION (which also carry a badge) and L4_CAP_MEMORY; for
 * L4_CAP_IOPORT, target is the first port and count the number of ports; for
 * L4_CAP_IRQ, target is the interrupt line (below SYSDESC_IRQ_LINES); L4_CAP_CLOCK (the wall
 * clock, time_set) has target, count and badge 0.
 *
 * Device memory: an L4_CAP_MEMORY capability whose target is SYSDESC_DEVICE names no
 * object but a physical range that is not RAM (MMIO): badge is its first byte (page
 * aligned), count its number of pages, and rights never hold L4_MEM_EXEC. The range ends
 * at or below SYSDESC_DEVICE_TOP, overlaps no other device of the description, and the
 * kernel refuses it at boot if it overlaps usable RAM or a device the kernel uses itself.
 */
#define SYSDESC_IRQ_LINES  24
#define SYSDESC_DEVICE     0xffffffffu
#define SYSDESC_DEVICE_TOP (1ull << 52) /* what a page-table entry's address field holds */

/*
 * type SYSDESC_THREAD_CAP: an entry of the holder's first thread's own table (first_table
 * slots): slot of that table gets a copy of slot target of the holder's table (as captable_put
 * makes, at boot and at every restart) with rights; count: the units split off a pool.
 */
#define SYSDESC_THREAD_CAP 0x100

/*
 * Kernel RAM per pool unit. At boot the kernel carves, for each container,
 * one block of each size per unit (kernel/object/pool.c; a thread pool gets
 * one block more) and rounds each pool up to whole pages; a thread pool also
 * sets aside a kernel stack's RAM per block (KSTACK_BYTES), which is mapped
 * (a guard page below it) only while the block holds a thread. Each container
 * also takes SYSDESC_BYTES_CONTAINER of kernel RAM for its own record, and the
 * description's objects and capabilities SYSDESC_BYTES_BOOT_ENTRY each (what the
 * kernel keeps of them for restarts). scripts/mksystem.py adds the same
 * figures up against the machine's RAM.
 * A thread block holds the TCB with the thread's FPU/SSE/AVX save area (832 bytes).
 */
#define SYSDESC_BYTES_THREAD       1536
#define SYSDESC_BYTES_KSTACK       8192
#define SYSDESC_BYTES_SPACE        128
#define SYSDESC_BYTES_ENDPOINT     128
#define SYSDESC_BYTES_NOTIFICATION 128
#define SYSDESC_BYTES_PAGETABLE    4096
#define SYSDESC_BYTES_CAPSLOT      128
#define SYSDESC_BYTES_CAPTABLE     128 /* per capslots pool unit, beside its slot: a header block */
#define SYSDESC_BYTES_CONTAINER    1024
#define SYSDESC_BYTES_BOOT_ENTRY   32
struct sysdesc_cap {
    uint32_t holder, slot, type, rights, target, count;
    uint64_t badge; /* endpoints and notifications; device memory: its physical base */
};

_Static_assert(sizeof(struct sysdesc_header) == 24, "sysdesc header");
_Static_assert(sizeof(struct sysdesc_object) == 16, "sysdesc object");
_Static_assert(sizeof(struct sysdesc_container) == 160, "sysdesc container");
_Static_assert(sizeof(struct sysdesc_cap) == 32, "sysdesc cap");

#endif
