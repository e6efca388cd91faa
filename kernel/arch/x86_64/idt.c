/* SPDX-License-Identifier: BSD-2-Clause */
/* The interrupt descriptor table: every vector goes to its stub in entry.S. */
#include "arch_layout.h"
#include "x86.h"

#include <stdint.h>

struct idt_gate {
    uint16_t offset_lo;
    uint16_t selector;
    uint8_t ist;
    uint8_t type_attr; /* P | DPL | type (0xE = interrupt gate: IF cleared on entry) */
    uint16_t offset_mid;
    uint32_t offset_hi;
    uint32_t reserved;
} __attribute__((packed));

_Static_assert(sizeof(struct idt_gate) == 16, "IDT gate layout");

#define STUB_SIZE      16 /* entry.S aligns each stub to 16 bytes */
#define VEC_BREAKPOINT 3

extern const char trap_stubs[];
static struct idt_gate idt[256];

static void set_gate(unsigned vec, int dpl, int ist)
{
    uint64_t addr = (uint64_t)trap_stubs + (uint64_t)vec * STUB_SIZE;

    idt[vec] = (struct idt_gate){
        .offset_lo = addr & 0xffff,
        .selector = SEL_KCODE,
        .ist = (uint8_t)ist,
        .type_attr = (uint8_t)(0x8E | dpl << 5),
        .offset_mid = (addr >> 16) & 0xffff,
        .offset_hi = addr >> 32,
    };
}

void idt_init(void)
{
    struct {
        uint16_t limit;
        uint64_t base;
    } __attribute__((packed)) p = {sizeof(idt) - 1, (uint64_t)idt};

    for (unsigned v = 0; v < 256; v++)
        set_gate(v, 0, 0);
    /* int3 may be used from ring 3 (debuggers); other gates stay DPL 0, so
     * "int $n" from user mode is a #GP the fault path reports */
    set_gate(VEC_BREAKPOINT, 3, 0);
    /* a double fault must not depend on the stack that just failed */
    set_gate(VEC_DOUBLE_FAULT, 0, IST_DOUBLE_FAULT);
    set_gate(VEC_NMI, 0, IST_NMI);
    __asm__ volatile("lidt %0" : : "m"(p));
}
