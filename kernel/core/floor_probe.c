/* SPDX-License-Identifier: BSD-2-Clause */
/* make bench's floor: the least a system call and a round trip between two spaces cost. */
#include "floor_probe.h"

#include "arch.h"
#include "pmm.h"
#include "printk.h"
#include "string.h"

#define RUNS 200 /* as user/bench/bench.c, and reported the same way: min and median */

/* The k-th smallest of v[0..n) (0: the least), as v[k] would be once sorted. */
static uint64_t kth_smallest(const uint64_t *v, unsigned n, unsigned k)
{
    uint64_t best = 0;

    for (unsigned i = 0; i < n; i++) {
        unsigned below = 0, equal = 0;
        for (unsigned j = 0; j < n; j++) {
            below += v[j] < v[i];
            equal += v[j] == v[i];
        }
        if (below <= k && k < below + equal)
            best = v[i]; // sorted, v[below .. below + equal) all hold this value
    }
    return best;
}

/* Print what's row: the min and median of its samples, less the timer's own cost. */
static void row(enum floor_what what, const char *name, uint64_t overhead)
{
    uint64_t v[RUNS];

    if (!arch_floor_sample(what, v, RUNS)) {
        kprintf("BENCH n/a %s: the probe did not finish\n", name);
        return;
    }
    uint64_t min = kth_smallest(v, RUNS, 0), median = kth_smallest(v, RUNS, RUNS / 2);
    min = min > overhead ? min - overhead : 0; // a row is never cheaper than no row at all
    median = median > overhead ? median - overhead : 0;
    kprintf("BENCH %-44s min %6lu  median %6lu ticks\n", name, min, median);
}

_Noreturn void floor_probe_run(void)
{
    static const struct {
        enum floor_what what;
        const char *name;
    } rows[] = {
        /* in words of no architecture's: x86_64's SYSCALL + SYSRET and CR3, AArch64's SVC +
         * ERET and TTBR0 (make bench names each arch's, scripts/bench.py) */
        {FLOOR_NULL, "floor: system call + return, null handler"},
        {FLOOR_SWITCH, "floor: A->B->A, two spaces, 2 root writes"},
    };
    uint64_t v[RUNS];

    kprintf("floor: timing the least a system call and a switch of spaces cost (bench=floor)\n");
    if (!arch_floor_sample(FLOOR_EMPTY, v, RUNS)) {
        kprintf("BENCH n/a floor: the probe could not run\n");
        arch_halt(0);
    }
    uint64_t overhead = kth_smallest(v, RUNS, 0); // as bench.c's: the least it ever took
    for (unsigned i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
        row(rows[i].what, rows[i].name, overhead);
    kprintf("BENCH done\n");
    arch_halt(0);
}

bool floor_spaces_make(const char *start, const char *end, vaddr_t code_va, vaddr_t data_va,
                       struct floor_space s[2])
{
    paddr_t code = pmm_alloc(&kernel_pmm);

    if (!code || end - start > PAGE_SIZE)
        return false;
    memcpy(phys_to_virt(code), start, (size_t)(end - start));
    for (unsigned i = 0; i < 2; i++) {
        s[i].root = arch_pt_create(NULL);
        s[i].data = pmm_alloc(&kernel_pmm);
        if (!s[i].root || !s[i].data)
            return false;
        memset(phys_to_virt(s[i].data), 0, PAGE_SIZE);
        /* (an architecture whose fetch does not see data writes syncs the code as it maps
         * it executable: arch_pt_map) */
        if (arch_pt_map(s[i].root, NULL, code_va, code, MAP_READ | MAP_EXEC) ||
            arch_pt_map(s[i].root, NULL, data_va, s[i].data, MAP_READ | MAP_WRITE))
            return false;
    }
    return true;
}
