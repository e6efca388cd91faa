/* SPDX-License-Identifier: BSD-2-Clause */
/* kmain: bring the machine up, start the boot modules, become the idle thread. */
#include "arch.h"
#include "boot.h"
#include "container.h"
#include "fastpath.h"
#include "floor_probe.h"
#include "memmap.h"
#include "pmm.h"
#include "printk.h"
#include "sched.h"
#include "string.h"
#include "thread.h"
#include "trace.h"
#include "view.h"

extern char _kernel_end[]; // kernel.ld: the image's end (its address, not its value: reachable
                           // PC-relative on every architecture)

/* The end of what the loader left that the kernel still reads: the kernel, modules, info. */
static paddr_t loaded_end(void)
{
    paddr_t end = virt_to_phys(_kernel_end);

    for (unsigned i = 0; i < boot_info.nmodules; i++) {
        if (boot_info.modules[i].end > end)
            end = boot_info.modules[i].end;
    }
    return boot_info.reserved_end > end ? boot_info.reserved_end : end;
}

/* Free the frames of every RAM range inside [from, to); then take back what is in use. */
static void memory_add(paddr_t from, paddr_t to, paddr_t end, paddr_t bitmap, uint64_t bytes)
{
    for (unsigned i = 0; i < boot_info.nram; i++) {
        paddr_t a = boot_info.ram[i].base, b = a + boot_info.ram[i].len;
        a = a > from ? a : from;
        b = b < to ? b : to;
        if (a < b)
            pmm_add_free(&kernel_pmm, a, b - a);
    }
    /* low memory holds firmware data; then the kernel, modules and loader data */
    pmm_reserve(&kernel_pmm, 0, end);
    pmm_reserve(&kernel_pmm, bitmap, bytes);
}

/*
 * All usable RAM the firmware map lists, below DIRECT_MAP_SIZE, goes to the frame allocator
 * and into the direct map. The bitmap (one bit per frame up to the top of RAM, 32 KiB a GiB)
 * takes the first room after the loaded modules that the boot tables map. The direct map's
 * own tables need the allocator, so it first gets only RAM the boot tables map; the rest
 * follows once the direct map covers it.
 */
static void memory_init(void)
{
    uint64_t ignored;
    unsigned n = memmap_normalize(boot_info.ram, boot_info.nram, DIRECT_MAP_SIZE, &ignored);
    paddr_t end = loaded_end(), top = memmap_top(boot_info.ram, n);
    uint64_t bytes = ALIGN_UP(ALIGN_UP(top / PAGE_SIZE, 64) / 8, PAGE_SIZE);
    paddr_t bitmap = memmap_find(boot_info.ram, n, end, BOOT_MAP_SIZE, bytes);

    boot_info.nram = n;
    for (unsigned i = 0; i < n; i++)
        kprintf("memory: ram %lx..%lx (%lu KiB)\n", boot_info.ram[i].base,
                boot_info.ram[i].base + boot_info.ram[i].len, boot_info.ram[i].len / 1024);
    if (ignored)
        kprintf("memory: %lu KiB of RAM at or above %lu GiB ignored (the direct map's limit)\n",
                ignored / 1024, (uint64_t)(DIRECT_MAP_SIZE >> 30));
    if (!bitmap)
        panic("boot: no room for the %lu KiB frame bitmap in RAM below %lu MiB after %lx",
              bytes / 1024, (uint64_t)BOOT_MAP_SIZE >> 20, end);
    pmm_init(&kernel_pmm, phys_to_virt(bitmap), top / PAGE_SIZE);
    memory_add(0, BOOT_MAP_SIZE, end, bitmap, bytes);
    arch_direct_map(boot_info.ram, n);
    memory_add(BOOT_MAP_SIZE, top, end, bitmap, bytes);
    kprintf("memory: %lu KiB free in %u ranges, kernel and modules end at %lx, frame bitmap "
            "%lu KiB at %lx\n",
            pmm_free_count(&kernel_pmm) * 4, n, end, bytes / 1024, bitmap);
}

bool cmdline_has(const char *word)
{
    size_t n = strlen(word);

    for (const char *p = boot_info.cmdline; *p; p++) {
        bool starts = p == boot_info.cmdline || p[-1] == ' ';
        if (starts && strncmp(p, word, n) == 0 && (p[n] == ' ' || p[n] == '\0'))
            return true;
    }
    return false;
}

/* The words boot_selftests knows; any other word is named at boot, not ignored silently. */
static const char *const cmdline_words[] = {
    "quiet",
    "ipc=slow",
    "view=halt",
    "trace=dump",
    "selftest=kernel-fault",
    "selftest=kstack-overflow",
    "directmap=2m",
    "bench=floor",
    "check=boot",
};

/*
 * Name each word of the command line that is not one of cmdline_words. A boot
 * loader may put the kernel's own file name first (QEMU -kernel, GRUB): a first
 * word with a '/' in it is taken to be that. A line too long for boot_info.cmdline
 * says where it was cut: the words past the cut were never seen.
 */
static void cmdline_check(void)
{
    const char *p = boot_info.cmdline;

    if (boot_info.cmdline_len > strlen(p))
        kprintf("boot: the kernel command line is %lu bytes, longer than the %lu kept: the words "
                "from byte %lu on are ignored\n",
                boot_info.cmdline_len, strlen(p), strlen(p));

    for (bool first = true; *p; first = false) {
        while (*p == ' ')
            p++;
        char word[48];
        size_t n = 0;
        bool path = false;
        for (; p[n] && p[n] != ' '; n++) {
            path |= p[n] == '/';
            if (n < sizeof(word) - 1)
                word[n] = p[n];
        }
        word[n < sizeof(word) - 1 ? n : sizeof(word) - 1] = 0;
        bool known = n == 0 || (first && path);
        for (size_t i = 0; !known && i < sizeof(cmdline_words) / sizeof(cmdline_words[0]); i++)
            known = strlen(cmdline_words[i]) == n && strncmp(p, cmdline_words[i], n) == 0;
        if (!known) {
            kprintf("boot: unknown word '%s' on the kernel command line, ignored (known:", word);
            for (size_t i = 0; i < sizeof(cmdline_words) / sizeof(cmdline_words[0]); i++)
                kprintf(" %s", cmdline_words[i]);
            kprintf(")\n");
        }
        p += n;
    }
}

bool selftest_kstack_overflow;

/*
 * "selftest=kernel-fault" proves that a kernel-mode exception ends in a
 * register dump and a halt rather than a hang (test KFAULT-001);
 * "selftest=kstack-overflow" that a thread overflowing its kernel stack hits
 * the guard page below it and the panic names it (KSTACK-001): the first
 * debug_write recurses until it does. "ipc=slow" turns the IPC fastpath off,
 * "quiet" silences the reasons for rejected calls (printk.h), "view=halt" prints
 * the container table (kernel/core/view.c) at a normal halt too, not only when stuck,
 * "trace=dump" writes the event trace out at halt (trace.h), "directmap=2m" keeps
 * 1 GiB pages out of the direct map (arch_direct_map reads it, before this runs), and
 * "check=boot" keeps a debug build's check of every table and pool to boot and restarts
 * (containers_check: after every call it would cost a system of thousands of threads most
 * of its time). "bench=floor" times make bench's floor instead of starting the system
 * (floor_probe.h).
 */
static void boot_selftests(void)
{
    cmdline_check();
    selftest_kstack_overflow = cmdline_has("selftest=kstack-overflow");
    if (cmdline_has("quiet")) {
        kernel_quiet = true;
        kprintf("boot: rejected system calls are not reported (quiet)\n");
    }
    if (cmdline_has("view=halt"))
        view_at_halt = true;
    if (DEBUG_BUILD && cmdline_has("check=boot")) {
        containers_check_each_call = false;
        kprintf("boot: tables and pools are checked at boot and restarts only (check=boot)\n");
    }
    if (cmdline_has("trace=dump"))
        trace_enable_dump();
    if (cmdline_has("ipc=slow")) {
        fast_gate.slow = true;
        kprintf("boot: IPC fastpath off (ipc=slow)\n");
    }
    if (cmdline_has("bench=floor"))
        floor_probe_run();
    if (cmdline_has("selftest=kernel-fault")) {
        volatile uint64_t *volatile bad = (uint64_t *)16;
        kprintf("selftest: touching address %p from the kernel\n", (void *)bad);
        *bad = 1;
    }
}

/* The boot module named "system" describes the containers to build (scripts/mksystem.py). */
static void start_containers(void)
{
    for (unsigned i = 0; i < boot_info.nmodules; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        kprintf("boot: module %u '%s' (%lu bytes)\n", i, m->name, m->end - m->start);
    }
    for (unsigned i = 0; i < boot_info.nmodules; i++) {
        const struct boot_module *m = &boot_info.modules[i];
        if (strcmp(m->name, "system") == 0) {
            containers_boot(phys_to_virt(m->start), m->end - m->start);
            return;
        }
    }
    panic("boot: no boot module named 'system' (make one with scripts/mksystem.py)");
}

/*
 * What booting cost: the timestamp counter as the idle thread is about to hand the CPU to
 * the first user thread. It counts from reset (the firmware's part included): cycles on a
 * PC, guest instructions under QEMU's -icount shift=0, where make bench reads this line.
 * What follows it up to the first user instruction (the print itself, the switch) is not
 * counted: a few thousand instructions.
 */
static void boot_cost(void)
{
    uint64_t now = arch_timestamp();

    kprintf("boot: %lu timestamp ticks from reset to the first user thread\n", now);
}

_Noreturn void kmain(void)
{
    kprintf("\nCoffer microkernel (%s, %s build) booting\n", ARCH_NAME,
            DEBUG_BUILD ? "debug" : "release");
    memory_init();
    arch_init();
    sched_init();
    boot_selftests();
    start_containers();
    boot_cost();
    sched_run_idle();
}
