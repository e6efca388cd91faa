/* SPDX-License-Identifier: BSD-2-Clause */
/* The GDT and the TSS: flat segments for kernel and user, and the stacks the CPU switches to. */
#include "arch_layout.h"
#include "arch_percpu.h"
#include "x86.h"

#include <stdint.h>

static uint8_t double_fault_stack[8192] __attribute__((aligned(16)));
static uint8_t nmi_stack[4096] __attribute__((aligned(16)));

/*
 * Descriptors as raw quads: base/limit are ignored in 64-bit mode, so only
 * the type, DPL and L bits vary. Index = selector / 8.
 */
static uint64_t gdt[10] = {
    [SEL_KCODE / 8] = 0x00AF9A000000FFFF, // kernel code, 64-bit, DPL 0
    [SEL_KDATA / 8] = 0x00CF92000000FFFF, // kernel data
    /* SEL_UCODE32's slot stays empty (not present): 64-bit SYSRET takes only its number
     * from STAR, never the descriptor, and with no 32-bit code segment user code cannot enter
     * compatibility mode, where SYSCALL would enter the kernel at MSR_CSTAR with the user's
     * rsp and GS (a far jump to 0x23 is a user-mode #NP instead: REG-062) */
    [SEL_UDATA / 8] = 0x00CFF2000000FFFF, // user data, DPL 3
    [SEL_UCODE / 8] = 0x00AFFA000000FFFF, // user code, 64-bit, DPL 3
};

struct desc_ptr {
    uint16_t limit;
    uint64_t base;
} __attribute__((packed));

/* The 16-byte system descriptor for the TSS (type 9: available 64-bit TSS). */
static void set_tss_descriptor(const struct tss *tss)
{
    uint64_t base = (uint64_t)tss;
    uint64_t limit = sizeof(*tss) - 1;

    gdt[SEL_TSS / 8] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ull << 40 |
                       ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
    gdt[SEL_TSS / 8 + 1] = base >> 32;
}

void gdt_init(void)
{
    struct desc_ptr p = {sizeof(gdt) - 1, (uint64_t)gdt};
    struct tss *tss = percpu_tss(); // per CPU: its rsp0 is the entry stubs' stack (arch_percpu.h)

    tss->ist[0] = (uint64_t)double_fault_stack + sizeof(double_fault_stack);
    tss->ist[1] =
        (uint64_t)nmi_stack + sizeof(nmi_stack); // an NMI may come before SYSCALL's stack switch
    tss->iomap_base = sizeof(*tss);              // no I/O bitmap: ring 3 has no port access
    set_tss_descriptor(tss);
    __asm__ volatile("lgdt %0" : : "m"(p));
    /* reload CS through a far return, then the data segments */
    __asm__ volatile("pushq %0\n\t"
                     "leaq 1f(%%rip), %%rax\n\t"
                     "pushq %%rax\n\t"
                     "lretq\n"
                     "1:\n\t"
                     "movw %w1, %%ds\n\t"
                     "movw %w1, %%es\n\t"
                     "movw %w1, %%ss\n\t"
                     :
                     : "i"(SEL_KCODE), "r"(SEL_KDATA)
                     : "rax", "memory");
    __asm__ volatile("ltr %w0" : : "r"(SEL_TSS));
}
